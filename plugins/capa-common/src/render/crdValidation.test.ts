import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  typicalCluster,
  typicalIamTrust,
  typicalTenant,
} from '../__fixtures__/inputs';
import {
  CrdSchemaValidator,
  crdDirectory,
  loadCrds,
  REQUIRED_CRD_FILES,
} from '../testUtils';
import type { KubernetesObject } from '../objects';
import type { ClusterInput } from '../validation';
import { renderCluster } from './renderCluster';
import { renderControllerIdentity } from './renderControllerIdentity';
import { renderIamTrust } from './renderIamTrust';
import { renderTenant } from './renderTenant';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// Loaded once: compiling every served CRD schema is the slow part of this suite.
const validator = new CrdSchemaValidator(loadCrds());

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** Asserts that one rendered object is accepted as the storage version of a served CRD. */
function expectAcceptedByCrd(obj: KubernetesObject) {
  if (obj.kind === 'Namespace') {
    // A core kind: no CRD to check against.
    expect(obj.apiVersion).toBe('v1');
    expect(obj.metadata.name).toMatch(DNS_LABEL);
    expect(obj.metadata.name.length).toBeLessThanOrEqual(63);
    expect(obj.metadata.namespace).toBeUndefined();
    return;
  }
  const crd = validator.lookup(obj.apiVersion, obj.kind);
  expect({ apiVersion: obj.apiVersion, kind: obj.kind, served: !!crd }).toEqual(
    {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      served: true,
    },
  );
  expect({
    kind: obj.kind,
    version: crd!.version,
    storage: crd!.storage,
  }).toEqual({
    kind: obj.kind,
    version: 'v1beta2',
    storage: true,
  });
  expect(validator.validate(obj)).toEqual([]);
}

const minimalCluster: ClusterInput = {
  name: 'dev',
  tenant: 'acme',
  region: 'us-east-1',
  kubernetesVersion: '1.34',
  nodePools: [{ name: 'default' }],
};

type Case = [string, () => { objects: KubernetesObject[] }];

const cases: Case[] = [
  ['renderControllerIdentity() default', () => renderControllerIdentity()],
  [
    'renderControllerIdentity with a namespace list',
    () =>
      renderControllerIdentity({
        allowedNamespaces: { list: ['capa-system', 'acme'] },
      }),
  ],
  [
    'renderControllerIdentity with a label selector',
    () =>
      renderControllerIdentity({
        allowedNamespaces: {
          selector: { matchLabels: { 'capa.backstage.io/tenant': 'acme' } },
        },
      }),
  ],
  ['renderTenant typical', () => renderTenant(typicalTenant)],
  [
    'renderTenant with a sourceIdentity',
    () =>
      renderTenant({
        ...typicalTenant,
        sourceIdentity: { kind: 'AWSClusterRoleIdentity', name: 'hub-account' },
      }),
  ],
  [
    'renderTenant with dangerouslyAllowAllNamespaces',
    () =>
      renderTenant({
        ...typicalTenant,
        allowedNamespaces: {},
        dangerouslyAllowAllNamespaces: true,
      }),
  ],
  [
    'renderCluster minimal (one pool, defaults)',
    () => renderCluster(minimalCluster),
  ],
  ['renderCluster typical', () => renderCluster(typicalCluster)],
  [
    "renderCluster with access mode 'api'",
    () =>
      renderCluster({
        ...minimalCluster,
        access: {
          mode: 'api',
          adminRoleArns: ['arn:aws:iam::111122223333:role/admin'],
          readOnlyRoleArns: ['arn:aws:iam::111122223333:role/path/to/viewer'],
          adminUserArns: ['arn:aws:iam::111122223333:user/alice'],
          readOnlyUserArns: ['arn:aws:iam::111122223333:user/bob'],
        },
      }),
  ],
  [
    'renderCluster with a Fargate profile',
    () =>
      renderCluster({
        ...minimalCluster,
        fargateProfiles: [
          {
            name: 'serverless',
            selectors: [
              { namespace: 'batch' },
              {
                namespace: 'web',
                labels: { 'fargate.acme.io/enabled': 'true' },
              },
            ],
          },
        ],
      }),
  ],
  [
    'renderCluster in aws-cn (cn-north-1)',
    () =>
      renderCluster({
        ...typicalCluster,
        region: 'cn-north-1',
        access: {
          mode: 'api_and_config_map',
          adminRoleArns: [
            'arn:aws-cn:iam::111122223333:role/acme-platform-admin',
          ],
        },
      }),
  ],
  [
    'renderCluster in aws-us-gov (us-gov-west-1)',
    () =>
      renderCluster({
        ...typicalCluster,
        region: 'us-gov-west-1',
        access: {
          mode: 'api',
          readOnlyUserArns: ['arn:aws-us-gov:iam::111122223333:user/auditor'],
        },
      }),
  ],
];

describe('every rendered object validates against its CRD', () => {
  it.each(cases)('%s', (_name, render) => {
    const { objects } = render();
    expect(objects.length).toBeGreaterThan(0);
    for (const obj of objects) expectAcceptedByCrd(obj);
  });

  it('renders the partition into the control plane outside the aws partition', () => {
    const cn = renderCluster({ ...minimalCluster, region: 'cn-northwest-1' })
      .objects[1];
    const gov = renderCluster({ ...minimalCluster, region: 'us-gov-east-1' })
      .objects[1];
    expect(cn.spec).toMatchObject({
      region: 'cn-northwest-1',
      partition: 'aws-cn',
    });
    expect(gov.spec).toMatchObject({
      region: 'us-gov-east-1',
      partition: 'aws-us-gov',
    });
  });

  it('renders IAM trust as clusterawsadm configuration files, which are not CRDs', () => {
    const { objects } = renderIamTrust(typicalIamTrust);
    expect(objects).toHaveLength(3);
    for (const obj of objects) {
      expect(obj.apiVersion).toBe(
        'bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta1',
      );
      expect(obj.kind).toBe('AWSIAMConfiguration');
      expect(validator.lookup(obj.apiVersion, obj.kind)).toBeUndefined();
      // clusterawsadm's field is `disable`; `disabled` would be silently ignored.
      expect(obj.spec.clusterAPIControllers).toHaveProperty('disable', false);
      expect(obj.spec.clusterAPIControllers).not.toHaveProperty('disabled');
    }
  });
});

describe('the CRD validator can fail', () => {
  const tenantIdentity = () =>
    clone(renderTenant(typicalTenant).objects[1]) as any;
  const typicalObjects = () =>
    clone(renderCluster(typicalCluster).objects) as any[];

  it('rejects an unknown field in spec', () => {
    const identity = tenantIdentity();
    identity.spec.roleArn = identity.spec.roleARN;
    expect(validator.validate(identity)).toEqual([
      expect.stringMatching(
        /AWSClusterRoleIdentity acme: \/spec must NOT have additional properties "roleArn"/,
      ),
    ]);
  });

  it('rejects a value outside an enum', () => {
    const pool = typicalObjects().find(o => o.kind === 'AWSManagedMachinePool');
    pool.spec.capacityType = 'on-demand';
    expect(validator.validate(pool)).toEqual([
      expect.stringMatching(
        /\/spec\/capacityType must be equal to one of the allowed values/,
      ),
    ]);
  });

  it('rejects a missing required field', () => {
    const identity = tenantIdentity();
    delete identity.spec.roleARN;
    expect(validator.validate(identity)).toEqual([
      expect.stringMatching(/\/spec must have required property 'roleARN'/),
    ]);
  });

  it('rejects a namespaced kind without a namespace', () => {
    const cluster = typicalObjects()[0];
    delete cluster.metadata.namespace;
    expect(validator.validate(cluster)).toEqual([
      'Cluster prod: metadata.namespace is required for a namespaced kind',
    ]);
  });

  it('rejects a cluster-scoped kind with a namespace', () => {
    const identity = tenantIdentity();
    identity.metadata.namespace = 'acme';
    expect(validator.validate(identity)).toEqual([
      'AWSClusterRoleIdentity acme: metadata.namespace must be absent for a cluster-scoped kind',
    ]);
  });

  it('rejects an apiVersion that no CRD serves any more (CAPA v1beta1)', () => {
    const identity = tenantIdentity();
    identity.apiVersion = 'infrastructure.cluster.x-k8s.io/v1beta1';
    expect(validator.validate(identity)).toEqual([
      expect.stringMatching(/is not served by any CRD/),
    ]);
  });

  it('knows that CAPI v1beta1 is still served but is not the storage version', () => {
    expect(
      validator.lookup('cluster.x-k8s.io/v1beta1', 'Cluster'),
    ).toMatchObject({
      storage: false,
    });
    expect(
      validator.lookup('cluster.x-k8s.io/v1beta2', 'Cluster'),
    ).toMatchObject({
      storage: true,
    });
  });
});

describe('loadCrds', () => {
  const missingFile = 'infrastructure.cluster.x-k8s.io_awsfargateprofiles.yaml';
  let incompleteDir: string;
  const savedEnv = process.env.CAPA_CRDS_DIR;

  beforeAll(() => {
    incompleteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-crds-'));
    for (const file of REQUIRED_CRD_FILES.filter(f => f !== missingFile)) {
      fs.copyFileSync(
        path.join(crdDirectory(), file),
        path.join(incompleteDir, file),
      );
    }
  });

  afterEach(() => {
    if (savedEnv === undefined) delete process.env.CAPA_CRDS_DIR;
    else process.env.CAPA_CRDS_DIR = savedEnv;
  });

  afterAll(() => {
    fs.rmSync(incompleteDir, { recursive: true, force: true });
  });

  it('finds every required CRD file in the shared directory', () => {
    const kinds = loadCrds().map(c => c.spec.names.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Cluster',
        'MachinePool',
        'AWSManagedControlPlane',
        'AWSClusterControllerIdentity',
        'AWSClusterRoleIdentity',
        'AWSManagedCluster',
        'AWSManagedMachinePool',
        'AWSFargateProfile',
      ]),
    );
  });

  it('throws naming the missing file when given a directory that lacks one', () => {
    expect(() => loadCrds(incompleteDir)).toThrow(
      `CRD files missing from ${incompleteDir}: ${missingFile}`,
    );
  });

  it('throws naming the missing file when CAPA_CRDS_DIR points at a directory that lacks one', () => {
    process.env.CAPA_CRDS_DIR = incompleteDir;
    expect(() => new CrdSchemaValidator(loadCrds())).toThrow(missingFile);
  });

  it('throws when the directory does not exist', () => {
    const nowhere = path.join(incompleteDir, 'does-not-exist');
    expect(() => loadCrds(nowhere)).toThrow(
      `CRD directory ${nowhere} does not exist`,
    );
  });
});

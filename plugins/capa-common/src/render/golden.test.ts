/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expect*"] }] -- helpers named expect* assert */
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  typicalCluster,
  typicalIamTrust,
  typicalTenant,
} from '../__fixtures__/inputs';
import { toJson, toYaml } from '../serialize';
import type { ClusterInput, IamTrustInput, TenantInput } from '../validation';
import { renderCluster } from './renderCluster';
import { renderIamTrust } from './renderIamTrust';
import { renderTenant } from './renderTenant';

/**
 * Golden files hold the exact output for the typical inputs in __fixtures__/inputs.ts. After an
 * intended change of the output, regenerate them with UPDATE_GOLDEN=1 and review the diff.
 */
const GOLDEN_DIR = path.join(__dirname, '__golden__');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function expectGolden(file: string, actual: string) {
  const goldenPath = path.join(GOLDEN_DIR, file);
  if (UPDATE) {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(goldenPath, actual);
    return;
  }
  if (!fs.existsSync(goldenPath)) {
    throw new Error(
      `Golden file ${goldenPath} is missing; create it with UPDATE_GOLDEN=1`,
    );
  }
  const expected = fs.readFileSync(goldenPath);
  // Compare text first for a readable diff, then bytes, so that even encoding differences fail.
  expect(actual).toBe(expected.toString('utf8'));
  expect(Buffer.from(actual, 'utf8').equals(expected)).toBe(true);
}

/** A deep copy of a value with the keys of every object in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    ) as T;
  }
  return value;
}

describe('golden files', () => {
  it('tenant.yaml is renderTenant(typicalTenant)', () => {
    expectGolden('tenant.yaml', toYaml(renderTenant(typicalTenant).objects));
  });

  it('cluster.yaml is renderCluster(typicalCluster), with 2 node pools', () => {
    const { objects } = renderCluster(typicalCluster);
    expect(objects.filter(o => o.kind === 'MachinePool')).toHaveLength(2);
    expect(
      objects.filter(o => o.kind === 'AWSManagedMachinePool'),
    ).toHaveLength(2);
    expectGolden('cluster.yaml', toYaml(objects));
  });

  it('iam-trust.yaml is renderIamTrust(typicalIamTrust).objects', () => {
    expectGolden(
      'iam-trust.yaml',
      toYaml(renderIamTrust(typicalIamTrust).objects),
    );
  });

  it('iam-manager-permission-policy.json is the manager permission policy', () => {
    const { manager } = renderIamTrust(typicalIamTrust);
    expectGolden(
      'iam-manager-permission-policy.json',
      toJson(manager.permissionPolicy),
    );
  });

  it('iam-manager-trust-policy.json is the manager IRSA trust policy', () => {
    const { manager } = renderIamTrust(typicalIamTrust);
    expect(manager.trustPolicy).toBeDefined();
    expectGolden('iam-manager-trust-policy.json', toJson(manager.trustPolicy));
  });

  it('iam-tenant-acme-trust-policy.json is the trust policy of tenant acme', () => {
    const acme = renderIamTrust(typicalIamTrust).tenants.find(
      t => t.name === 'acme',
    );
    expect(acme).toBeDefined();
    expectGolden(
      'iam-tenant-acme-trust-policy.json',
      toJson(acme!.trustPolicy),
    );
  });

  it('golden YAML files parse back to the objects the renderers return', () => {
    if (UPDATE) return;
    const read = (file: string) =>
      parseAllDocuments(
        fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8'),
      ).map(d => d.toJS());
    expect(read('tenant.yaml')).toEqual(renderTenant(typicalTenant).objects);
    expect(read('cluster.yaml')).toEqual(renderCluster(typicalCluster).objects);
    expect(read('iam-trust.yaml')).toEqual(
      renderIamTrust(typicalIamTrust).objects,
    );
  });

  it('golden YAML files read the same to a YAML 1.1 reader (kubectl, sigs.k8s.io/yaml)', () => {
    if (UPDATE) return;
    for (const file of ['tenant.yaml', 'cluster.yaml', 'iam-trust.yaml']) {
      const text = fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8');
      const yaml11 = parseAllDocuments(text, { version: '1.1' }).map(d =>
        d.toJS(),
      );
      const yaml12 = parseAllDocuments(text).map(d => d.toJS());
      expect(yaml11).toEqual(yaml12);
    }
  });
});

describe('determinism', () => {
  const renders: Array<[string, (input: any) => object[], unknown]> = [
    ['renderTenant', i => renderTenant(i).objects, typicalTenant],
    ['renderCluster', i => renderCluster(i).objects, typicalCluster],
    ['renderIamTrust', i => renderIamTrust(i).objects, typicalIamTrust],
  ];

  it.each(renders)(
    '%s gives byte-identical YAML when run twice',
    (_name, render, input) => {
      expect(toYaml(render(input))).toBe(toYaml(render(input)));
    },
  );

  it.each(renders)(
    '%s gives identical YAML when every object in the input lists its keys in reverse order',
    (_name, render, input) => {
      expect(toYaml(render(reverseKeys(input)))).toBe(toYaml(render(input)));
    },
  );

  it('tenant namespace labels given in a different order give identical YAML', () => {
    const a: TenantInput = {
      ...typicalTenant,
      namespaceLabels: {
        'cost-center': 'cc-1042',
        environment: 'prod',
        'acme.io/team': 'web',
      },
      allowedNamespaces: {
        selector: {
          matchLabels: {
            environment: 'prod',
            'capa.backstage.io/tenant': 'acme',
          },
        },
      },
    };
    const b: TenantInput = {
      ...typicalTenant,
      namespaceLabels: {
        'acme.io/team': 'web',
        environment: 'prod',
        'cost-center': 'cc-1042',
      },
      allowedNamespaces: {
        selector: {
          matchLabels: {
            'capa.backstage.io/tenant': 'acme',
            environment: 'prod',
          },
        },
      },
    };
    expect(toYaml(renderTenant(b).objects)).toBe(
      toYaml(renderTenant(a).objects),
    );
  });

  it('cluster labels and tags given in a different order give identical YAML', () => {
    const a: ClusterInput = {
      ...typicalCluster,
      additionalTags: {
        environment: 'production',
        'cost-center': 'cc-1042',
        Owner: 'acme',
      },
      nodePools: [
        {
          name: 'general',
          labels: { zeta: 'z', alpha: 'a', 'acme.io/tier': 'web' },
        },
      ],
      fargateProfiles: [
        {
          name: 'fp',
          selectors: [{ namespace: 'jobs', labels: { b: '2', a: '1' } }],
        },
      ],
    };
    const b: ClusterInput = {
      ...typicalCluster,
      additionalTags: {
        Owner: 'acme',
        'cost-center': 'cc-1042',
        environment: 'production',
      },
      nodePools: [
        {
          name: 'general',
          labels: { 'acme.io/tier': 'web', alpha: 'a', zeta: 'z' },
        },
      ],
      fargateProfiles: [
        {
          name: 'fp',
          selectors: [{ namespace: 'jobs', labels: { a: '1', b: '2' } }],
        },
      ],
    };
    expect(toYaml(renderCluster(b).objects)).toBe(
      toYaml(renderCluster(a).objects),
    );
  });

  it('add-ons given in a different order give identical YAML', () => {
    const coredns = { name: 'coredns', version: 'v1.11.4-eksbuild.2' };
    const kubeProxy = { name: 'kube-proxy', version: 'v1.33.0-eksbuild.2' };
    const a = renderCluster({
      ...typicalCluster,
      addons: [coredns, kubeProxy],
    }).objects;
    const b = renderCluster({
      ...typicalCluster,
      addons: [kubeProxy, coredns],
    }).objects;
    expect(toYaml(b)).toBe(toYaml(a));
  });

  it('tenant accounts given in a different order give the same manager permission policy', () => {
    const reversed: IamTrustInput = {
      ...typicalIamTrust,
      tenants: [...typicalIamTrust.tenants].reverse(),
    };
    expect(toJson(renderIamTrust(reversed).manager.permissionPolicy)).toBe(
      toJson(renderIamTrust(typicalIamTrust).manager.permissionPolicy),
    );
  });
});

import {
  renderCluster,
  renderTenant,
  toYaml,
} from '@capa-backstage/plugin-capa-common';
import { loadCrds } from '@capa-backstage/plugin-capa-common/testUtils';
import { loadClientNode } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import { localClusters, runApply } from './__testUtils__/applyRun';

const TOKEN = 'first-dry-run-token';
const tenant = renderTenant({
  name: 'acme',
  owner: 'team-acme',
  aws: { accountId: '111122223333' },
}).objects;
const cluster = renderCluster({
  name: 'prod',
  tenant: 'acme',
  region: 'eu-west-1',
  kubernetesVersion: '1.33',
  nodePools: [{ name: 'general' }],
  fargateProfiles: [
    { name: 'system', selectors: [{ namespace: 'kube-system' }] },
  ],
}).objects;
const manifest = toYaml([...tenant, ...cluster]);
const CRD_PATH =
  /^\/apis\/apiextensions\.k8s\.io\/v1\/customresourcedefinitions\//;
const FARGATE_CRD = 'awsfargateprofiles.infrastructure.cluster.x-k8s.io';

describe('the first dry run of a new tenant checks every object against the served CRDs', () => {
  beforeAll(async () => {
    KubernetesTestServer.preload();
    await loadClientNode();
  }, 60_000);
  let server: KubernetesTestServer;
  afterEach(() => server.close());

  async function dryRun(text: string, crds?: ReturnType<typeof loadCrds>) {
    server = await KubernetesTestServer.start({ token: TOKEN, crds });
    return runApply(localClusters(server, TOKEN), {
      managementCluster: 'local',
      manifest: text,
      dryRun: true,
    });
  }
  const writes = () =>
    server.requests.filter(
      r =>
        ['PATCH', 'POST', 'PUT', 'DELETE'].includes(r.method) &&
        r.query.dryRun !== 'All',
    );

  it('passes a valid tenant and cluster, reading the CRD of each namespaced kind once', async () => {
    const { error, logs, out } = await dryRun(manifest);
    expect(error).toBeUndefined();
    expect(out.applied).toHaveLength(cluster.length + tenant.length);
    expect(logs).toContain(
      'AWSManagedControlPlane acme/prod-control-plane: created (dry run; checked against the CRD the management cluster serves, as namespace acme does not exist yet)',
    );
    const crdReads = server.requests
      .filter(r => CRD_PATH.test(r.path))
      .map(r => r.path.split('/').pop());
    expect(crdReads.sort()).toEqual([
      'awsfargateprofiles.infrastructure.cluster.x-k8s.io',
      'awsmanagedclusters.infrastructure.cluster.x-k8s.io',
      'awsmanagedcontrolplanes.controlplane.cluster.x-k8s.io',
      'awsmanagedmachinepools.infrastructure.cluster.x-k8s.io',
      'clusters.cluster.x-k8s.io',
      'machinepools.cluster.x-k8s.io',
    ]);
    expect(writes()).toHaveLength(0);
  });

  it('refuses a field the served schema does not declare, naming object and field, without any write', async () => {
    const objects = JSON.parse(JSON.stringify([...tenant, ...cluster]));
    const ofKind = (kind: string) => objects.find((o: any) => o.kind === kind);
    ofKind('AWSManagedControlPlane').spec.notAField = true;
    ofKind('AWSManagedMachinePool').spec.scaling.maxPods = 3;
    const { error } = await dryRun(toYaml(objects));
    expect(error?.name).toBe('InputError');
    expect(error?.message).toContain(
      '- AWSManagedControlPlane acme/prod-control-plane spec.notAField: field not declared in schema',
    );
    expect(error?.message).toMatch(
      /^Invalid capa:apply input \(checked against the CRDs management cluster "local" serves, as the namespace does not exist yet\): 2 problems\n/,
    );
    expect(error?.message).toContain(
      '- AWSManagedMachinePool acme/prod-general spec.scaling.maxPods: field not declared in schema',
    );
    expect(error?.message).toMatch(/Dry run: nothing was stored\.$/);
    expect(writes()).toHaveLength(0);
    expect(server.listObjects('v1', 'Namespace')).toEqual([]);
  });

  it('says which CRD the management cluster does not have', async () => {
    const { error } = await dryRun(
      manifest,
      loadCrds().filter(c => c.metadata.name !== FARGATE_CRD),
    );
    expect(error?.name).toBe('NotFoundError');
    expect(error?.message).toMatch(
      new RegExp(
        `^management cluster "local" has no CustomResourceDefinition ${FARGATE_CRD.replace(
          /\./g,
          '\\.',
        )}, so AWSFargateProfile acme/prod-system cannot be applied there`,
      ),
    );
    expect(error?.message).toMatch(/Dry run: nothing was stored\./);
    expect(writes()).toHaveLength(0);
    // A server with its own CRD list compiles their schemas anew (a few seconds).
  }, 30_000);

  it('says when the installed CRD does not serve the version the manifest uses', async () => {
    // A management cluster whose Fargate profile CRD serves v1beta2 no more (only v1beta1).
    const crds = loadCrds().map(c =>
      c.metadata.name !== FARGATE_CRD
        ? c
        : {
            ...c,
            spec: {
              ...c.spec,
              versions: c.spec.versions.map(v => ({
                ...v,
                served: v.name !== 'v1beta2',
                storage: v.name !== 'v1beta2',
              })),
            },
          },
    );
    const { error } = await dryRun(manifest, crds);
    expect(error?.name).toBe('NotFoundError');
    expect(error?.message).toContain(
      `management cluster "local": its CustomResourceDefinition ${FARGATE_CRD} does not serve infrastructure.cluster.x-k8s.io/v1beta2`,
    );
    expect(writes()).toHaveLength(0);
  }, 30_000);
});

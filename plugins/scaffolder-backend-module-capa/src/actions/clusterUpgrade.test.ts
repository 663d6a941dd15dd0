/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expect*"] }] -- helpers named expect* assert */
import type { JsonObject } from '@backstage/types';
import type { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import {
  createCluster,
  crdProblems,
  ownership,
  REFS,
  runAction,
  startServer,
  writes,
} from './__testUtils__/day2';
import { createClusterUpgradeAction } from './clusterUpgrade';
import { decidingAuthorizer } from './__testUtils__/authorizer';

const CP_PATH =
  '/apis/controlplane.cluster.x-k8s.io/v1beta2/namespaces/acme/awsmanagedcontrolplanes/prod-control-plane';
const MP_PATH = (pool: string) =>
  `/apis/cluster.x-k8s.io/v1beta2/namespaces/acme/machinepools/prod-${pool}`;
const MMP_PATH = (pool: string) =>
  `/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/acme/awsmanagedmachinepools/prod-${pool}`;

const UPGRADE = {
  managementCluster: 'local',
  namespace: 'acme',
  cluster: 'prod',
  version: '1.34',
};

describe('capa:cluster:upgrade', () => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  beforeEach(async () => {
    ({ server, clusters } = await startServer());
    await createCluster(clusters);
    server.requests.length = 0;
  }, 30_000); // the first start loads every CRD: slow on a busy machine
  afterEach(() => server.close());

  const upgrade = (
    input: JsonObject,
    options: { isDryRun?: boolean; signal?: AbortSignal } = {},
  ) =>
    runAction(
      createClusterUpgradeAction({
        managementClusters: clusters,
        authorizer: decidingAuthorizer(),
      }),
      input,
      options,
    );

  it('applies only the version fields, control plane first, under its own field manager', async () => {
    const { error, logs, out, checkpoints } = await upgrade(UPGRADE);
    expect(error).toBeUndefined();
    const sent = writes(server);
    expect(sent.map(r => r.path)).toEqual([
      CP_PATH,
      MP_PATH('batch'),
      MP_PATH('general'),
    ]);
    expect(sent.map(r => r.body)).toEqual([
      {
        apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
        kind: 'AWSManagedControlPlane',
        metadata: { name: 'prod-control-plane', namespace: 'acme' },
        spec: { version: 'v1.34' },
      },
      ...['batch', 'general'].map(pool => ({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'MachinePool',
        metadata: { name: `prod-${pool}`, namespace: 'acme' },
        spec: { template: { spec: { version: 'v1.34.0' } } },
      })),
    ]);
    for (const r of sent) {
      expect(r.contentType).toBe('application/apply-patch+yaml');
      // capa:apply's manager owns the old values: taking those over needs force.
      expect(r.query).toMatchObject({
        fieldManager: 'backstage-capa-upgrade',
        force: 'true',
      });
      expect(r.query.dryRun).toBeUndefined();
    }
    expect(
      ownership(server, REFS.controlPlane)['backstage-capa-upgrade'],
    ).toEqual(['.spec.version']);
    expect(
      ownership(server, REFS.controlPlane)['backstage-capa'],
    ).not.toContain('.spec.version');
    expect(logs).toEqual(
      expect.arrayContaining([
        'Upgrading Cluster acme/prod on management cluster "local" from 1.33 to 1.34: the control plane, then 2 node pools',
        'AWSManagedControlPlane acme/prod-control-plane: spec.version: v1.33 -> v1.34',
        'AWSManagedControlPlane acme/prod-control-plane: taking over .spec.version from field manager "backstage-capa" (this project\'s)',
        'AWSManagedControlPlane acme/prod-control-plane: configured (field manager backstage-capa-upgrade)',
        'MachinePool acme/prod-general: spec.template.spec.version: v1.33.0 -> v1.34.0',
      ]),
    );
    // No amiVersion pinned: CAPA takes the node group's version from the MachinePool.
    expect(logs.filter(l => l.startsWith('AWSManagedMachinePool'))).toEqual([]);
    expect(out).toMatchObject({
      fromVersion: '1.33',
      toVersion: '1.34',
      dryRun: false,
    });
    expect(
      out.objects.map((o: { name: string; action: string }) => [
        o.name,
        o.action,
      ]),
    ).toEqual([
      ['prod-control-plane', 'configured'],
      ['prod-batch', 'configured'],
      ['prod-general', 'configured'],
    ]);
    expect(checkpoints).toHaveLength(3);
    expect(checkpoints[0]).toMatch(
      /^capa-upgrade-1\.34\.local\.acme\.AWSManagedControlPlane\.prod-control-plane\.[0-9a-f]{16}$/,
    );
    expect(
      crdProblems(server, [
        REFS.controlPlane,
        REFS.machinePool('general'),
        REFS.machinePool('batch'),
      ]),
    ).toEqual([]);
    // Fields the action does not own are untouched.
    expect((server.getObject(REFS.controlPlane)!.spec as any).region).toBe(
      'eu-west-1',
    );
  });

  it('changes nothing the second time', async () => {
    await upgrade(UPGRADE);
    const rv = server.resourceVersion;
    const before = writes(server).length;
    const { error, logs, out } = await upgrade(UPGRADE);
    expect(error).toBeUndefined();
    expect(writes(server)).toHaveLength(before);
    expect(server.resourceVersion).toBe(rv);
    expect(logs).toContain(
      'AWSManagedControlPlane acme/prod-control-plane: unchanged',
    );
    expect(
      out.objects.every((o: { action: string }) => o.action === 'unchanged'),
    ).toBe(true);
  });

  it('performs a server-side dry run that stores nothing', async () => {
    const rv = server.resourceVersion;
    const { error, logs, out } = await upgrade({ ...UPGRADE, dryRun: true });
    expect(error).toBeUndefined();
    expect(writes(server).map(r => r.query.dryRun)).toEqual([
      'All',
      'All',
      'All',
    ]);
    expect(server.resourceVersion).toBe(rv);
    expect(out.dryRun).toBe(true);
    expect(logs).toContain(
      'AWSManagedControlPlane acme/prod-control-plane: spec.version: v1.33 -> v1.34 (dry run)',
    );
  });

  it("treats the template editor's dry run as a dry run", async () => {
    const rv = server.resourceVersion;
    await upgrade(UPGRADE, { isDryRun: true });
    expect(writes(server).every(r => r.query.dryRun === 'All')).toBe(true);
    expect(server.resourceVersion).toBe(rv);
  });

  it('applies without force once it owns the fields', async () => {
    await upgrade(UPGRADE);
    await upgrade({ ...UPGRADE, version: '1.35' });
    expect(
      (server.getObject(REFS.machinePool('general'))!.spec as any).template.spec
        .version,
    ).toBe('v1.35.0');
    expect(
      writes(server)
        .slice(-3)
        .map(r => r.query.force),
    ).toEqual(['false', 'false', 'false']);
  });

  describe('waitFor', () => {
    it('waits for the control plane to report the new version before the node pools', async () => {
      let requestsWhenReported = -1;
      const progress = setInterval(() => {
        const cp = server.getObject(REFS.controlPlane);
        if (
          (cp?.spec as any)?.version === 'v1.34' &&
          requestsWhenReported < 0
        ) {
          server.setStatus(REFS.controlPlane, {
            ready: true,
            version: 'v1.34.2',
          });
          requestsWhenReported = server.requests.length;
        }
      }, 100);
      try {
        const { error, logs } = await upgrade({
          ...UPGRADE,
          waitFor: { timeoutMinutes: 1 },
        });
        expect(error).toBeUndefined();
        expect(logs).toContain(
          'AWSManagedControlPlane acme/prod-control-plane reports v1.34.2',
        );
        const poolPatches = server.requests
          .map((r, i) => ({ r, i }))
          .filter(
            ({ r }) => r.method === 'PATCH' && r.path.includes('machinepools'),
          );
        expect(poolPatches).toHaveLength(2);
        expect(requestsWhenReported).toBeGreaterThan(0);
        expect(poolPatches.every(({ i }) => i >= requestsWhenReported)).toBe(
          true,
        );
      } finally {
        clearInterval(progress);
      }
    });

    it('gives up after the timeout without touching the node pools', async () => {
      const { error } = await upgrade({
        ...UPGRADE,
        waitFor: { timeoutMinutes: 0.005 },
      });
      expect(error?.message).toMatch(
        /AWSManagedControlPlane acme\/prod-control-plane did not report 1\.34 within .* \(last reported: no version\); the node pools were not upgraded/,
      );
      expect(writes(server).map(r => r.path)).toEqual([CP_PATH]);
    });
  });

  describe('refusals, before anything is changed', () => {
    async function expectRefused(input: JsonObject, message: RegExp) {
      const { error } = await upgrade(input);
      expect(error?.message).toMatch(message);
      expect(writes(server)).toHaveLength(0);
      return error!;
    }

    it('refuses a downgrade', async () => {
      await expectRefused(
        { ...UPGRADE, version: '1.32' },
        /Cannot upgrade Cluster acme\/prod to 1\.32; nothing was changed:\n- 1\.32 is older than the control plane's 1\.33: EKS cannot downgrade a cluster/,
      );
    });

    it('refuses to skip a minor version', async () => {
      await expectRefused(
        { ...UPGRADE, version: '1.35' },
        /1\.35 skips a minor version: the control plane runs 1\.33, and EKS upgrades one minor version at a time; upgrade to 1\.34 first/,
      );
    });

    it('counts from the version the control plane runs while an upgrade is in progress', async () => {
      await clusters.get('local').apply(
        {
          apiVersion: REFS.controlPlane.apiVersion,
          kind: REFS.controlPlane.kind,
          metadata: { name: 'prod-control-plane', namespace: 'acme' },
          spec: { version: 'v1.34' },
        },
        // An earlier run of this action (a partial apply as backstage-capa would drop the rest).
        { fieldManager: 'backstage-capa-upgrade', force: true },
      );
      server.setStatus(REFS.controlPlane, { ready: true, version: 'v1.33.4' });
      server.requests.length = 0;
      await expectRefused(
        { ...UPGRADE, version: '1.35' },
        /the control plane runs 1\.33 \(an upgrade to 1\.34 is still in progress\)/,
      );
    });

    it('refuses a node pool newer than the control plane', async () => {
      await clusters.get('local').apply(
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'MachinePool',
          metadata: { name: 'prod-batch', namespace: 'acme' },
          spec: { template: { spec: { version: 'v1.34.0' } } },
        },
        { fieldManager: 'backstage-capa-upgrade', force: true },
      );
      server.requests.length = 0;
      await expectRefused(
        UPGRADE,
        /node pool prod-batch runs 1\.34, newer than the control plane's 1\.33; bring it back in line before upgrading/,
      );
    });

    it('refuses a version that is not supported, naming the supported ones', async () => {
      const error = await expectRefused(
        { ...UPGRADE, version: '1.40' },
        /version must be a supported Kubernetes minor version: 1\.31, 1\.32, 1\.33, 1\.34, 1\.35, 1\.36/,
      );
      expect(error.name).toBe('InputError');
      await expectRefused({ ...UPGRADE, version: '1.34.1' }, /supported/);
      expect(server.requests).toHaveLength(0);
    });

    it('refuses a cluster that does not exist', async () => {
      const error = await expectRefused(
        { ...UPGRADE, cluster: 'ghost' },
        /^Cluster acme\/ghost on management cluster "local" does not exist; nothing was changed$/,
      );
      expect(error.name).toBe('NotFoundError');
    });

    it('refuses a cluster that is being deleted', async () => {
      server.setStatus(REFS.cluster, { phase: 'Deleting' });
      const error = await expectRefused(
        UPGRADE,
        /^Cluster acme\/prod on management cluster "local" is being deleted; nothing was changed$/,
      );
      expect(error.name).toBe('ConflictError');
    });

    it('refuses Amazon Linux 2 node pools past 1.32', async () => {
      await server.close();
      ({ server, clusters } = await startServer());
      await createCluster(clusters, {
        kubernetesVersion: '1.32',
        nodePools: [{ name: 'general', amiType: 'AL2_x86_64' }],
      });
      server.requests.length = 0;
      await expectRefused(
        { ...UPGRADE, version: '1.33' },
        /node pool prod-general \(amiType AL2_x86_64\): Amazon Linux 2 AMIs are not published for Kubernetes 1\.33 and later/,
      );
    });

    it('refuses a pinned AMI release without one for the new version, and a wrong one', async () => {
      await clusters.get('local').apply(
        {
          apiVersion: REFS.managedPool('general').apiVersion,
          kind: 'AWSManagedMachinePool',
          metadata: { name: 'prod-general', namespace: 'acme' },
          spec: { amiVersion: '1.33.4-20250801' },
        },
        { fieldManager: 'backstage-capa-nodepool' },
      );
      server.requests.length = 0;
      await expectRefused(
        UPGRADE,
        /node pool prod-general pins amiVersion 1\.33\.4-20250801, an AMI release of its current Kubernetes version; give amiVersions\.general with a release for 1\.34/,
      );
      await expectRefused(
        { ...UPGRADE, amiVersions: { general: '1.33.5-20250901' } },
        /amiVersions\.general: 1\.33\.5-20250901 is not an Amazon Linux release for Kubernetes 1\.34/,
      );
      await expectRefused(
        { ...UPGRADE, amiVersions: { gpu: '1.34.2-20250920' } },
        /amiVersions names node pool "gpu", which this cluster does not have \(it has batch, general\)/,
      );

      // A 409 on the AWSManagedMachinePool: the retry reads that object (not its MachinePool of
      // the same name) again.
      server.failNext({
        method: 'PATCH',
        path: /awsmanagedmachinepools\/prod-general$/,
        status: 409,
        message: 'Operation cannot be fulfilled: the object has been modified',
      });
      const { error, warnings } = await upgrade({
        ...UPGRADE,
        amiVersions: { general: '1.34.2-20250920' },
      });
      expect(error).toBeUndefined();
      expect(warnings).toEqual([
        expect.stringMatching(
          /^AWSManagedMachinePool acme\/prod-general: .*; reading it again and retrying once$/,
        ),
      ]);
      expect(
        writes(server)
          .filter(r => r.path === MMP_PATH('general'))
          .map(r => r.body),
      ).toHaveLength(2);
      expect(
        writes(server)
          .filter(r => r.path === MMP_PATH('general'))
          .pop()?.body,
      ).toEqual({
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
        kind: 'AWSManagedMachinePool',
        metadata: { name: 'prod-general', namespace: 'acme' },
        spec: { amiVersion: '1.34.2-20250920' },
      });
      expect(crdProblems(server, [REFS.managedPool('general')])).toEqual([]);
    });

    it('refuses fields owned by another field manager, naming it', async () => {
      // A GitOps tool applies the control plane's version itself.
      await clusters.get('local').apply(
        {
          apiVersion: REFS.controlPlane.apiVersion,
          kind: REFS.controlPlane.kind,
          metadata: { name: 'prod-control-plane', namespace: 'acme' },
          spec: { version: 'v1.33' },
        },
        { fieldManager: 'flux', force: true },
      );
      server.requests.length = 0;
      const error = await expectRefused(
        UPGRADE,
        /Nothing was changed: fields this action would change belong to other field managers, and are not taken over:\n- AWSManagedControlPlane acme\/prod-control-plane: field manager "flux" owns \.spec\.version/,
      );
      expect(error.name).toBe('ConflictError');
    });
  });

  describe('conflicts', () => {
    it('reads again and retries once after a 409', async () => {
      server.failNext({
        method: 'PATCH',
        path: /awsmanagedcontrolplanes\/prod-control-plane$/,
        status: 409,
        message: 'Operation cannot be fulfilled: the object has been modified',
      });
      const { error, warnings } = await upgrade(UPGRADE);
      expect(error).toBeUndefined();
      expect(writes(server).map(r => r.path)).toEqual([
        CP_PATH,
        CP_PATH,
        MP_PATH('batch'),
        MP_PATH('general'),
      ]);
      expect(warnings).toEqual([
        expect.stringMatching(
          /^AWSManagedControlPlane acme\/prod-control-plane: .*conflict.*; reading it again and retrying once$/,
        ),
      ]);
      // The retry read the object again before applying.
      const cpRequests = server.requests.filter(r => r.path === CP_PATH);
      expect(cpRequests.map(r => r.method)).toEqual([
        'GET', // readLiveCluster
        'GET', // apply reads before it writes
        'PATCH',
        'GET', // re-read for the retry
        'GET',
        'PATCH',
      ]);
      expect((server.getObject(REFS.controlPlane)!.spec as any).version).toBe(
        'v1.34',
      );
    });

    it('gives up after a second 409', async () => {
      server.failNext({
        method: 'PATCH',
        path: /awsmanagedcontrolplanes\/prod-control-plane$/,
        status: 409,
        times: 2,
        message: 'Operation cannot be fulfilled: the object has been modified',
      });
      const { error } = await upgrade(UPGRADE);
      expect(error?.name).toBe('ConflictError');
      expect(writes(server).map(r => r.path)).toEqual([CP_PATH, CP_PATH]);
    });
  });
});

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { capaClusterUpdatePermission } from '@capa-backstage/plugin-capa-common';
import type { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import { decidingAuthorizer } from './__testUtils__/authorizer';
import { createCluster, startServer, writes } from './__testUtils__/day2';
import { DAY2_FIELD_MANAGERS, openDay2 } from './day2';

const TARGET = {
  managementCluster: 'local',
  namespace: 'acme',
  cluster: 'prod',
};

const STEP = {
  action: 'capa:test',
  permission: capaClusterUpdatePermission,
  fieldManager: DAY2_FIELD_MANAGERS.nodePool,
  checkpointPrefix: 'capa-test',
  pools: false,
};

describe('openDay2', () => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  beforeEach(async () => {
    ({ server, clusters } = await startServer());
    await createCluster(clusters);
    server.requests.length = 0;
  }, 30_000);
  afterEach(() => server.close());

  const open = (
    input: Record<string, string | boolean>,
    options: {
      isDryRun?: boolean;
      pools?: boolean;
      result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    } = {},
  ) => {
    const ctx = createMockActionContext({ input: { ...TARGET, ...input } });
    return openDay2(
      { ...ctx, input: { ...TARGET, ...input }, isDryRun: options.isDryRun },
      { ...STEP, pools: options.pools ?? false },
      {
        managementClusters: clusters,
        authorizer: decidingAuthorizer(options.result),
      },
    );
  };

  it('asks for the cluster permission before any request to the management cluster', async () => {
    await expect(open({}, { result: AuthorizeResult.DENY })).rejects.toThrow(
      /^capa:test: .* may not change cluster acme\/prod \(Cluster acme\/prod\)/,
    );
    expect(server.requests).toEqual([]);
  });

  it('reads the live cluster, with its node pools when asked', async () => {
    const without = await open({});
    expect(without.live.cluster.metadata.name).toBe('prod');
    expect(without.live.controlPlane.metadata.name).toBe('prod-control-plane');
    expect(without.live.pools).toEqual([]);
    const withPools = await open({}, { pools: true });
    expect(withPools.live.pools.map(p => p.name)).toEqual(['batch', 'general']);
    expect(withPools.client.name).toBe('local');
    expect(writes(server)).toEqual([]);
  });

  it("takes a dry run from the input or from the task's dry run", async () => {
    expect((await open({})).dryRun).toBe(false);
    expect((await open({ dryRun: true })).dryRun).toBe(true);
    expect((await open({}, { isDryRun: true })).dryRun).toBe(true);
  });

  it("applies under the action's field manager", async () => {
    const { applier, live } = await open({}, { pools: true });
    const pool = live.pools[0].managedPool!;
    await applier.apply(
      {
        ref: {
          apiVersion: pool.apiVersion,
          kind: pool.kind,
          namespace: 'acme',
          name: pool.metadata.name,
        },
        live: pool,
        changes: [{ path: ['spec', 'scaling', 'maxSize'], value: 12 }],
      },
      () => Promise.reject(new Error('no retry expected')),
    );
    expect(writes(server).map(r => r.query.fieldManager)).toEqual([
      DAY2_FIELD_MANAGERS.nodePool,
    ]);
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  renderCluster,
  renderTenant,
  WATCHED_KIND_INFOS,
} from '@capa-backstage/plugin-capa-common';
import { loadClientNode } from '../client/loadClientNode';
import { ManagementClusters } from '../client/ManagementClusters';
import { KubernetesTestServer } from '../testUtils';
import { DefaultCapaClusterCache } from './DefaultCapaClusterCache';
import { cacheSourceOf } from './service';

/** One informer, so one list and one watch, per watched kind. */
const KINDS = WATCHED_KIND_INFOS.length;

const TOKEN = 'cache-test-token';
const fast = {
  pageSize: 2,
  backoffInitialMs: 20,
  backoffMaxMs: 200,
  watchdogMs: 60_000,
  resyncMs: 600_000,
};

const objects = [
  ...renderTenant({
    name: 'acme',
    owner: 'team-acme',
    aws: { accountId: '111122223333' },
  }).objects,
  ...renderCluster({
    name: 'prod',
    tenant: 'acme',
    region: 'eu-west-1',
    kubernetesVersion: '1.33',
    nodePools: [{ name: 'a' }, { name: 'b' }],
  }).objects,
];

async function until(condition: () => boolean, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

describe('DefaultCapaClusterCache against the Kubernetes test server', () => {
  const servers: KubernetesTestServer[] = [];
  let cache: DefaultCapaClusterCache | undefined;

  // Loading client-node and the CRD schemas once up front keeps the first test within its timeout.
  beforeAll(async () => {
    await Promise.all([KubernetesTestServer.preload(), loadClientNode()]);
  }, 60_000);

  afterEach(async () => {
    cache?.stop();
    cache = undefined;
    await Promise.all(servers.splice(0).map(s => s.close()));
  });

  async function setup(
    extra: { withoutCrds?: boolean; watchTimeoutSeconds?: number } = {},
  ) {
    const server = await KubernetesTestServer.start({
      token: TOKEN,
      bookmarkIntervalMs: 100,
    });
    servers.push(server);
    server.seed(objects);
    const clusters = [{ name: 'local', url: server.url, token: TOKEN }];
    if (extra.withoutCrds) {
      const bare = await KubernetesTestServer.start({ token: TOKEN, crds: [] });
      servers.push(bare);
      clusters.push({ name: 'bare', url: bare.url, token: TOKEN });
    }
    const logger = mockServices.logger.mock();
    const registry = ManagementClusters.fromConfig(
      new ConfigReader({ capa: { managementClusters: clusters } }),
      { logger },
    );
    cache = new DefaultCapaClusterCache(
      registry.list().map(i =>
        cacheSourceOf(i.name, registry.get(i.name), {
          watchTimeoutSeconds: extra.watchTimeoutSeconds,
        }),
      ),
      logger,
      { timings: fast, notifyDelayMs: 10 },
    );
    const changes = jest.fn();
    cache.subscribe(changes);
    cache.start();
    await until(() => cache!.health()[0].synced, 'initial sync');
    return { server, cache, changes, logger };
  }

  it('lists every kind, then serves views without asking the API server', async () => {
    const { server, cache: c } = await setup();
    const view = c.store('local')!.view('acme', 'prod')!;
    expect(view.aws.accountId).toBe('111122223333');
    expect(view.nodePools.map(p => p.name)).toEqual(['prod-a', 'prod-b']);
    const before = server.requests.length;
    for (let i = 0; i < 50; i++) c.store('local')!.listSummaries();
    expect(server.requests.length).toBe(before);
    expect(c.health()[0]).toMatchObject({
      name: 'local',
      reachable: true,
      synced: true,
      crds: { capi: true, capa: true },
    });
  });

  it('shows a status change written on the server through the watch', async () => {
    const { server, cache: c, changes } = await setup();
    server.setStatus(
      {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        namespace: 'acme',
        name: 'prod',
      },
      { phase: 'Provisioned' },
    );
    await until(
      () => c.store('local')!.view('acme', 'prod')?.phase === 'Provisioned',
      'phase change',
    );
    await until(() => changes.mock.calls.length > 0, 'change notification');
    expect(c.store('local')!.view('acme', 'prod')!.phase).toBe('Provisioned');
    expect(changes).toHaveBeenCalled();
  });

  it('keeps a quiet management cluster healthy: the server ends silent watches, and they are opened again', async () => {
    // A real apiserver sends a quiet watch no bookmark; these watches ask to be ended after 1 s.
    const {
      server,
      cache: c,
      logger,
    } = await setup({ watchTimeoutSeconds: 1 });
    await until(() => server.openWatches === KINDS, 'all watches open');
    const before = server.requests.length;
    await new Promise(r => setTimeout(r, 2500));
    const later = server.requests.slice(before);
    expect(later.filter(r => r.query.watch).length).toBeGreaterThanOrEqual(
      KINDS,
    );
    // No re-list: each watch resumed from where it was.
    expect(later.filter(r => !r.query.watch)).toEqual([]);
    expect(
      server.requests
        .filter(r => r.query.watch)
        .every(r => r.query.timeoutSeconds === '1'),
    ).toBe(true);
    expect(c.health()[0]).toMatchObject({ reachable: true, synced: true });
    expect(c.health()[0].error).toBeUndefined();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('recovers after dropped watch connections', async () => {
    const { server, cache: c } = await setup();
    await until(() => server.openWatches === KINDS, 'all watches open');
    server.dropWatches();
    server.setStatus(
      {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        namespace: 'acme',
        name: 'prod',
      },
      { phase: 'Provisioning' },
    );
    await until(
      () => c.store('local')!.view('acme', 'prod')?.phase === 'Provisioning',
      'change after reconnect',
    );
    // Each kind reconnects after its own backoff.
    await until(() => c.health()[0].reachable, 'every watch back');
    expect(c.health()[0]).toMatchObject({ reachable: true, synced: true });
  });

  it('says since when a management cluster has been failing, keeps its objects meanwhile, and forgets it once it answers', async () => {
    const { server, cache: c } = await setup();
    const port = Number(new URL(server.url).port);
    const before = Date.now();
    await server.close();
    await until(() => !!c.health()[0].failingSince, 'failure noticed');
    const down = c.health()[0];
    expect(down.reachable).toBe(false);
    expect(Date.parse(down.failingSince!)).toBeGreaterThanOrEqual(before - 1);
    // Retries do not move the time on.
    await new Promise(r => setTimeout(r, 300));
    expect(c.health()[0].failingSince).toBe(down.failingSince);
    expect(c.store('local')!.view('acme', 'prod')).toBeDefined();

    const again = await KubernetesTestServer.start({ token: TOKEN, port });
    servers.push(again);
    again.seed(objects);
    await until(() => c.health()[0].reachable, 'reachable again', 10_000);
    expect(c.health()[0].failingSince).toBeUndefined();
  });

  it('re-lists after 410 Gone and drops objects deleted meanwhile', async () => {
    const { server, cache: c } = await setup();
    await until(() => server.openWatches === KINDS, 'all watches open');
    server.dropWatches();
    server.remove({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachinePool',
      namespace: 'acme',
      name: 'prod-b',
    });
    server.compact();
    await until(
      () => c.store('local')!.view('acme', 'prod')!.nodePools.length === 1,
      're-list after compaction',
    );
    expect(
      c
        .store('local')!
        .view('acme', 'prod')!
        .nodePools.map(p => p.name),
    ).toEqual(['prod-a']);
  });

  it('keeps serving one management cluster while another lacks the CRDs', async () => {
    const { cache: c } = await setup({ withoutCrds: true });
    await until(
      () => c.health()[1].crds.capa === false,
      'missing CRDs reported',
    );
    const [local, bare] = c.health();
    expect(local).toMatchObject({ reachable: true, synced: true });
    expect(bare).toMatchObject({
      name: 'bare',
      crds: { capi: false, capa: false },
      synced: false,
    });
    expect(bare.error).toMatch(/not served/);
    expect(c.store('local')!.view('acme', 'prod')).toBeDefined();
  });

  it("keeps objects without the API server's managedFields", async () => {
    const { server, cache: c } = await setup();
    const served = server.getObject({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      namespace: 'acme',
      name: 'prod',
    })!;
    expect(served.metadata.managedFields).toBeDefined();
    const [kept] = c.store('local')!.objects('Cluster');
    expect(kept.metadata).not.toHaveProperty('managedFields');
    expect(kept.metadata?.uid).toBe(served.metadata.uid);
    expect(kept.spec).toEqual(served.spec);
  });

  it('reads Secret data on demand and never keeps it in the store', async () => {
    const { server, cache: c } = await setup();
    server.seed([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'prod-user-kubeconfig',
          namespace: 'acme',
          labels: { 'cluster.x-k8s.io/cluster-name': 'prod' },
        },
        data: { value: 'a3ViZWNvbmZpZw==' },
      },
      // Not written by Cluster API: never reaches the backend's cache.
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'controller-credentials', namespace: 'acme' },
        data: { value: 'c2VjcmV0' },
      },
    ]);
    await until(
      () => c.store('local')!.view('acme', 'prod')!.kubeconfig.available,
      'secret name seen',
    );
    expect(JSON.stringify(c.store('local')!.objects('Secret'))).not.toContain(
      'a3ViZWNvbmZpZw==',
    );
    expect(
      await c.readSecretData('local', 'acme', 'prod-user-kubeconfig'),
    ).toEqual({ value: 'a3ViZWNvbmZpZw==' });
    expect(await c.readSecretData('local', 'acme', 'missing')).toBeUndefined();
    expect(
      c
        .store('local')!
        .objects('Secret')
        .map(o => o.metadata?.name),
    ).toEqual(['prod-user-kubeconfig']);
    const secretCalls = server.requests.filter(
      r => r.path.endsWith('/secrets') && r.method === 'GET',
    );
    expect(secretCalls.length).toBeGreaterThan(0);
    expect(
      secretCalls.every(
        r => r.query.labelSelector === 'cluster.x-k8s.io/cluster-name',
      ),
    ).toBe(true);
  });
});

describe('DefaultCapaClusterCache list concurrency', () => {
  /** A source whose list calls wait until the test releases them; records how many overlap. */
  function heldSource(name: string) {
    const pending: Array<() => void> = [];
    const source = {
      name,
      inFlight: 0,
      maxInFlight: 0,
      lists: 0,
      pending,
      async list() {
        source.lists++;
        source.inFlight++;
        source.maxInFlight = Math.max(source.maxInFlight, source.inFlight);
        await new Promise<void>(resolve => pending.push(resolve));
        source.inFlight--;
        return { items: [], resourceVersion: '1' };
      },
      async watch() {
        return { abort() {} };
      },
      async readSecretData() {
        return undefined;
      },
      async readWarningEvents() {
        return { items: [], truncated: false };
      },
    };
    return source;
  }

  const release = (s: ReturnType<typeof heldSource>) =>
    s.pending.splice(0).forEach(r => r());

  it('sends one list page at a time per management cluster, and lists management clusters in parallel', async () => {
    const a = heldSource('a');
    const b = heldSource('b');
    const cache = new DefaultCapaClusterCache(
      [a, b],
      mockServices.logger.mock(),
      { timings: fast },
    );
    cache.start();
    try {
      await until(() => a.lists >= 1 && b.lists >= 1, 'first lists');
      // Every informer wants to list; each management cluster has one list in flight.
      await new Promise(r => setTimeout(r, 20));
      expect([a.inFlight, b.inFlight]).toEqual([1, 1]);
      while (!cache.health().every(h => h.synced)) {
        release(a);
        release(b);
        await new Promise(r => setTimeout(r, 1));
      }
      expect(a.lists).toBe(KINDS);
      expect(a.maxInFlight).toBe(1);
      expect(b.maxInFlight).toBe(1);
    } finally {
      cache.stop();
    }
  });

  it('honours a configured concurrency, and sends no queued list after stop', async () => {
    const a = heldSource('a');
    const cache = new DefaultCapaClusterCache([a], mockServices.logger.mock(), {
      timings: fast,
      listConcurrency: 3,
    });
    cache.start();
    await until(() => a.inFlight === 3, 'three lists in flight');
    await new Promise(r => setTimeout(r, 20));
    expect(a.lists).toBe(3);
    cache.stop();
    release(a);
    await new Promise(r => setTimeout(r, 20));
    expect(a.lists).toBe(3);
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import type { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  CAPA_ANNOTATIONS,
  renderCluster,
  renderTenant,
  isWatchedKind,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import {
  CapaClusterCache,
  ManagementClusterHealth,
  ObjectStore,
} from '@capa-backstage/plugin-capa-node';
import { CapaEntityProvider } from './CapaEntityProvider';
import { entitiesOf } from './provider/entities';

function storeWith(mc: string, objects: KubernetesObject[]) {
  const store = new ObjectStore(mc);
  for (const o of objects) if (isWatchedKind(o.kind)) store.upsert(o.kind, o);
  return store;
}

const cluster = (name: string) =>
  renderCluster({
    name,
    tenant: 'acme',
    region: 'eu-west-1',
    kubernetesVersion: '1.33',
    nodePools: [{ name: 'a' }],
  }).objects as KubernetesObject[];

const objects = [
  ...(renderTenant({
    name: 'acme',
    owner: 'group:default/team-acme',
    aws: { accountId: '111122223333' },
  }).objects as KubernetesObject[]),
  ...cluster('prod'),
  ...cluster('dev'),
];

const healthy = (name: string): ManagementClusterHealth => ({
  name,
  reachable: true,
  synced: true,
  crds: { capi: true, capa: true },
  objects: {},
});

/** A cache of two management clusters whose health the test sets. */
function fakeCache(stores: Record<string, ObjectStore>) {
  const listeners = new Set<() => void>();
  const health = new Map(
    Object.keys(stores).map(mc => [mc, healthy(mc)] as const),
  );
  const cache: CapaClusterCache = {
    managementClusters: () => Object.keys(stores),
    store: mc => stores[mc],
    health: () => [...health.values()],
    subscribe: l => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    readSecretData: async () => undefined,
    readWarningEvents: async () => ({ items: [], truncated: false }),
  };
  return {
    cache,
    listeners,
    setHealth(mc: string, h: Partial<ManagementClusterHealth>) {
      health.set(mc, { ...healthy(mc), ...h });
    },
    notify: () => listeners.forEach(l => l()),
  };
}

function fakeScheduler() {
  const tasks = new Map<string, SchedulerServiceTaskInvocationDefinition>();
  return {
    tasks,
    scheduler: {
      ...mockServices.scheduler.mock(),
      scheduleTask: jest.fn(async (task: any) => {
        tasks.set(task.id, task);
      }),
      triggerTask: jest.fn(async (_id: string) => {}),
    },
  };
}

/** A catalog that serves the entities last written, as processed entities with a uid and etag. */
function fakeCatalog(written: () => Entity[]): CatalogService {
  return {
    async *streamEntities(request: any) {
      const [[key, value]] = Object.entries(request.filter);
      const annotation = key.replace('metadata.annotations.', '');
      yield written()
        .filter(e => e.metadata.annotations?.[annotation] === value)
        .map(e => ({
          ...e,
          metadata: {
            ...e.metadata,
            namespace: 'default',
            uid: `uid-${e.metadata.name}`,
            etag: 'etag',
          },
          relations: [],
        }));
    },
  } as unknown as CatalogService;
}

function setup(stores: Record<string, ObjectStore>, config: object = {}) {
  const cache = fakeCache(stores);
  const { scheduler, tasks } = fakeScheduler();
  const written = new Map<number, Entity[]>();
  const providers = CapaEntityProvider.fromConfig(new ConfigReader(config), {
    cache: cache.cache,
    logger: mockServices.logger.mock(),
    scheduler,
    auth: mockServices.auth(),
    catalog: fakeCatalog(() => [...written.values()].flat()),
  });
  const connections = providers.map((_, i) => {
    const connection = {
      applyMutation: jest.fn(async (m: any) => {
        if (m.type === 'full')
          written.set(
            i,
            m.entities.map((d: any) => d.entity),
          );
      }),
      refresh: jest.fn(),
    };
    return connection as unknown as EntityProviderConnection & {
      applyMutation: jest.Mock;
    };
  });
  return { providers, connections, cache, scheduler, tasks };
}

const names = (mutation: any) =>
  (mutation.type === 'full' ? mutation.entities : mutation.added)
    .map((d: any) => d.entity.metadata.name)
    .sort();

describe('CapaEntityProvider', () => {
  afterEach(() => jest.useRealTimers());

  it('is one provider per management cluster, each with its own name, location key and global task', async () => {
    const { providers, connections, tasks } = setup({
      local: storeWith('local', objects),
      other: storeWith('other', objects),
    });
    expect(providers.map(p => p.getProviderName())).toEqual([
      'capa:local',
      'capa:other',
    ]);
    await Promise.all(providers.map((p, i) => p.connect(connections[i])));
    expect([...tasks.keys()]).toEqual([
      'capa:local:refresh',
      'capa:other:refresh',
    ]);
    expect(tasks.get('capa:local:refresh')).toMatchObject({
      scope: 'global',
      frequency: { minutes: 5 },
    });

    await expect(providers[0].run()).resolves.toEqual({
      result: 'written',
      mutation: 'full',
      entities: 3,
      written: 3,
      removed: 0,
    });
    const mutation = connections[0].applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    expect(names(mutation)).toEqual([
      'local.acme.dev',
      'local.acme.prod',
      'local_acme',
    ]);
    expect(
      mutation.entities.every(
        (d: any) => d.locationKey === 'capa-provider:local',
      ),
    ).toBe(true);
    providers.forEach(p => p.close());
  });

  it('writes each cluster and identity as a Resource owned by the tenant group', async () => {
    const { providers, connections } = setup({
      local: storeWith('local', objects),
    });
    await providers[0].connect(connections[0]);
    await providers[0].run();
    const entities = connections[0].applyMutation.mock.calls[0][0].entities.map(
      (d: any) => d.entity,
    );
    expect(
      entities.find((e: any) => e.metadata.name === 'local.acme.prod'),
    ).toMatchObject({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        annotations: {
          'capa.backstage.io/management-cluster': 'local',
          'capa.backstage.io/namespace': 'acme',
          'capa.backstage.io/cluster-name': 'prod',
          'capa.backstage.io/aws-account-id': '111122223333',
          'capa.backstage.io/region': 'eu-west-1',
          'backstage.io/managed-by-location': 'capa:local',
          'backstage.io/managed-by-origin-location': 'capa:local',
        },
        labels: { 'capa.backstage.io/tenant': 'acme' },
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: 'group:default/team-acme',
        dependsOn: ['resource:default/local_acme'],
      },
    });
    expect(
      entities.find((e: any) => e.metadata.name === 'local_acme'),
    ).toMatchObject({
      spec: {
        type: 'aws-cluster-role-identity',
        owner: 'group:default/team-acme',
      },
      metadata: {
        annotations: { 'capa.backstage.io/aws-account-id': '111122223333' },
      },
    });
    providers[0].close();
  });

  it('writes nothing before the cache is complete, so a restart removes no entity', async () => {
    const { providers, connections, cache } = setup({
      local: storeWith('local', []),
    });
    cache.setHealth('local', { synced: false, reachable: false });
    await providers[0].connect(connections[0]);
    await expect(providers[0].run()).resolves.toMatchObject({
      result: 'waiting',
    });
    expect(connections[0].applyMutation).not.toHaveBeenCalled();
    providers[0].close();
  });

  it('keeps a down management cluster entities, marks them stale after the grace period, and clears the mark once it answers', async () => {
    const store = storeWith('local', objects);
    const { providers, connections, cache } = setup(
      { local: store, other: storeWith('other', objects) },
      { capa: { catalog: { markStaleAfter: { seconds: 30 } } } },
    );
    await Promise.all(providers.map((p, i) => p.connect(connections[i])));
    await providers[0].run();
    await providers[1].run();

    // Failing for 10 s: within the grace period, nothing is written.
    const since = new Date(Date.now() - 10_000).toISOString();
    cache.setHealth('local', {
      reachable: false,
      failingSince: since,
      error: 'Cluster: connect ECONNREFUSED',
    });
    await expect(providers[0].run()).resolves.toMatchObject({
      result: 'waiting',
    });
    expect(connections[0].applyMutation).toHaveBeenCalledTimes(1);

    // Failing for 40 s: marked stale with an add-only delta, never a removal.
    const longAgo = new Date(Date.now() - 40_000).toISOString();
    cache.setHealth('local', {
      reachable: false,
      failingSince: longAgo,
      error: 'Cluster: connect ECONNREFUSED',
    });
    await expect(providers[0].run()).resolves.toEqual({
      result: 'marked-stale',
      entities: 3,
    });
    const delta = connections[0].applyMutation.mock.calls[1][0];
    expect(delta).toMatchObject({ type: 'delta', removed: [] });
    expect(names(delta)).toEqual([
      'local.acme.dev',
      'local.acme.prod',
      'local_acme',
    ]);
    for (const { entity, locationKey } of delta.added) {
      expect(locationKey).toBe('capa-provider:local');
      expect(entity.metadata.annotations[CAPA_ANNOTATIONS.staleSince]).toBe(
        longAgo,
      );
      // What the catalog adds is not written back.
      expect(entity.metadata.uid).toBeUndefined();
      expect(entity.metadata.etag).toBeUndefined();
      expect(entity.relations).toBeUndefined();
    }
    // The other management cluster's provider is not involved.
    expect(connections[1].applyMutation).toHaveBeenCalledTimes(1);
  });

  it('does not rewrite entities already marked stale, so the time stays put', async () => {
    const { providers, connections, cache } = setup({
      local: storeWith('local', objects),
    });
    await providers[0].connect(connections[0]);
    await providers[0].run();
    const staleSince = new Date(Date.now() - 120_000).toISOString();
    cache.setHealth('local', { reachable: false, failingSince: staleSince });
    await providers[0].run();
    // The catalog now holds the marked entities: another run (or replica) adds nothing.
    const marked = connections[0].applyMutation.mock.calls[1][0].added.map(
      (d: any) => d.entity,
    );
    const { providers: again, connections: c2 } = setup({
      local: storeWith('local', []),
    });
    (again[0] as any).deps.catalog = fakeCatalog(() => marked);
    (again[0] as any).deps.cache.health = () => [
      { ...healthy('local'), reachable: false, failingSince: staleSince },
    ];
    await again[0].connect(c2[0]);
    await expect(again[0].run()).resolves.toEqual({
      result: 'marked-stale',
      entities: 0,
    });
    expect(c2[0].applyMutation).not.toHaveBeenCalled();
    again[0].close();
    providers[0].close();
  });

  it('removes a cluster only when a complete cache no longer has it', async () => {
    const store = storeWith('local', objects);
    const { providers, connections, cache } = setup({ local: store });
    await providers[0].connect(connections[0]);
    await providers[0].run();
    store.remove('Cluster', cluster('dev').find(o => o.kind === 'Cluster')!);
    cache.setHealth('local', {
      reachable: false,
      failingSince: new Date().toISOString(),
    });
    await providers[0].run();
    expect(connections[0].applyMutation).toHaveBeenCalledTimes(1);

    cache.setHealth('local', {});
    await providers[0].run();
    // A delta of what changed since the last write: only the removal.
    const delta = connections[0].applyMutation.mock.calls[1][0];
    expect(delta).toMatchObject({ type: 'delta', added: [] });
    expect(delta.removed).toEqual([
      {
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: { name: 'local.acme.dev' },
        },
        locationKey: 'capa-provider:local',
      },
    ]);
    providers[0].close();
  });

  it('writes a delta of the changed entities after its first full write, nothing for a status change, and a full write again after a while', async () => {
    const store = storeWith('local', objects);
    const { providers, connections } = setup({ local: store });
    await providers[0].connect(connections[0]);
    await providers[0].run();
    const full = connections[0].applyMutation.mock.calls[0][0];
    expect(full.type).toBe('full');

    // A status change implies the same entities: nothing is sent.
    const prod = cluster('prod').find(o => o.kind === 'Cluster')!;
    store.upsert('Cluster', {
      ...prod,
      status: { phase: 'Failed' },
    } as KubernetesObject);
    await expect(providers[0].run()).resolves.toEqual({
      result: 'written',
      mutation: 'delta',
      entities: 3,
      written: 0,
      removed: 0,
    });
    expect(connections[0].applyMutation).toHaveBeenCalledTimes(1);

    // A new cluster: only its entity.
    for (const o of cluster('qa'))
      if (isWatchedKind(o.kind)) store.upsert(o.kind, o);
    await expect(providers[0].run()).resolves.toMatchObject({
      mutation: 'delta',
      entities: 4,
      written: 1,
      removed: 0,
    });
    const delta = connections[0].applyMutation.mock.calls[1][0];
    expect(delta.type).toBe('delta');
    expect(names(delta)).toEqual(['local.acme.qa']);
    expect(delta.added[0].entity).toEqual(
      entitiesOf('local', store, 'group:default/platform-team').find(
        e => e.metadata.name === 'local.acme.qa',
      ),
    );

    // Five minutes on, a full mutation again (it repairs what a delta cannot know).
    const now = Date.now();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(now + 5 * 60_000);
    try {
      await expect(providers[0].run()).resolves.toMatchObject({
        mutation: 'full',
        written: 4,
      });
    } finally {
      spy.mockRestore();
    }
    providers[0].close();
  });

  it('falls back to the configured owner when the namespace names none', async () => {
    const bare = objects.map(o =>
      o.kind === 'Namespace'
        ? {
            ...o,
            metadata: {
              name: 'acme',
              labels: { 'capa.backstage.io/tenant': 'acme' },
            },
          }
        : o,
    );
    const { providers, connections } = setup(
      { local: storeWith('local', bare) },
      { capa: { catalog: { defaultOwner: 'group:default/sre' } } },
    );
    await providers[0].connect(connections[0]);
    await providers[0].run();
    expect(
      connections[0].applyMutation.mock.calls[0][0].entities.every(
        (d: any) => d.entity.spec.owner === 'group:default/sre',
      ),
    ).toBe(true);
    providers[0].close();
  });

  it('triggers its task when its entities change, not on status changes, and retries a trigger that met a running task', async () => {
    const store = storeWith('local', objects);
    const { providers, connections, cache, scheduler } = setup({
      local: store,
    });
    await providers[0].connect(connections[0]);
    cache.notify();
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);
    expect(scheduler.triggerTask).toHaveBeenLastCalledWith(
      'capa:local:refresh',
    );
    await new Promise(r => setImmediate(r));

    // A status change alters no entity: no trigger.
    const prod = cluster('prod').find(o => o.kind === 'Cluster')!;
    store.upsert('Cluster', {
      ...prod,
      status: { phase: 'Provisioned' },
    } as KubernetesObject);
    cache.notify();
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(1);

    // A new cluster: trigger; the task is running, so the next check asks again.
    scheduler.triggerTask.mockRejectedValueOnce(new ConflictError('running'));
    for (const o of cluster('qa'))
      if (isWatchedKind(o.kind)) store.upsert(o.kind, o);
    cache.notify();
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(2);
    await new Promise(r => setImmediate(r));
    cache.notify();
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(3);
    await new Promise(r => setImmediate(r));
    cache.notify();
    expect(scheduler.triggerTask).toHaveBeenCalledTimes(3);
    providers[0].close();
  });

  it('stops following the cache when closed', async () => {
    const { providers, connections, cache } = setup({
      local: storeWith('local', objects),
    });
    await providers[0].connect(connections[0]);
    providers[0].close();
    expect(cache.listeners.size).toBe(0);
  });
});

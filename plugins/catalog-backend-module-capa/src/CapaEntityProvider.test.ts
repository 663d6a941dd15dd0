import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  renderCluster,
  renderTenant,
  isWatchedKind,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import {
  CapaClusterCache,
  ObjectStore,
} from '@capa-backstage/plugin-capa-node';
import { CapaEntityProvider } from './CapaEntityProvider';

function storeWith(objects: KubernetesObject[]) {
  const store = new ObjectStore('local');
  for (const o of objects) if (isWatchedKind(o.kind)) store.upsert(o.kind, o);
  return store;
}

const objects = [
  ...renderTenant({
    name: 'acme',
    owner: 'group:default/team-acme',
    aws: { accountId: '111122223333' },
  }).objects,
  ...renderCluster({
    name: 'prod',
    tenant: 'acme',
    region: 'eu-west-1',
    kubernetesVersion: '1.33',
    nodePools: [{ name: 'a' }],
  }).objects,
  ...renderCluster({
    name: 'dev',
    tenant: 'acme',
    region: 'eu-west-1',
    kubernetesVersion: '1.33',
    nodePools: [{ name: 'a' }],
  }).objects,
] as KubernetesObject[];

function setup(store: ObjectStore, config: object = {}) {
  const listeners: Array<() => void> = [];
  const cache: CapaClusterCache = {
    managementClusters: () => ['local'],
    store: mc => (mc === 'local' ? store : undefined),
    health: () => [],
    subscribe: l => {
      listeners.push(l);
      return () => listeners.splice(listeners.indexOf(l), 1);
    },
    readSecretData: async () => undefined,
  };
  const connection = {
    applyMutation: jest.fn(),
    refresh: jest.fn(),
  } as unknown as EntityProviderConnection & { applyMutation: jest.Mock };
  const provider = CapaEntityProvider.fromConfig(new ConfigReader(config), {
    cache,
    logger: mockServices.logger.mock(),
  });
  return { provider, connection, listeners };
}

const written = (connection: { applyMutation: jest.Mock }, call = -1) =>
  connection.applyMutation.mock.calls
    .at(call)![0]
    .entities.map((e: { entity: any }) => e.entity);

describe('CapaEntityProvider', () => {
  it('writes each cluster and tenant identity as a Resource owned by the tenant group', async () => {
    const { provider, connection } = setup(storeWith(objects));
    await provider.connect(connection);
    expect(connection.applyMutation).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'full' }),
    );
    const entities = written(connection);
    expect(entities.map((e: any) => e.metadata.name).sort()).toEqual([
      'local.acme.dev',
      'local.acme.prod',
      'local_acme',
    ]);
    const prod = entities.find(
      (e: any) => e.metadata.name === 'local.acme.prod',
    );
    expect(prod).toMatchObject({
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
    expect(
      connection.applyMutation.mock.calls[0][0].entities[0].locationKey,
    ).toBe('capa-provider:capa');
  });

  it('removes a deleted cluster on the next change, and skips writes when nothing changed', async () => {
    const store = storeWith(objects);
    const { provider, connection, listeners } = setup(store);
    await provider.connect(connection);
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    store.remove(
      'Cluster',
      objects.find(o => o.kind === 'Cluster' && o.metadata?.name === 'dev')!,
    );
    listeners.forEach(l => l());
    await new Promise(r => setImmediate(r));
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    expect(
      written(connection)
        .map((e: any) => e.metadata.name)
        .sort(),
    ).toEqual(['local.acme.prod', 'local_acme']);
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
    const { provider, connection } = setup(storeWith(bare), {
      capa: { catalog: { defaultOwner: 'group:default/sre' } },
    });
    await provider.connect(connection);
    expect(
      written(connection).every(
        (e: any) => e.spec.owner === 'group:default/sre',
      ),
    ).toBe(true);
  });

  it('stops following the cache when closed', async () => {
    const { provider, connection, listeners } = setup(storeWith(objects));
    await provider.connect(connection);
    provider.close();
    expect(listeners).toHaveLength(0);
  });
});

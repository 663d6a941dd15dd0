import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  renderLatticeGrants,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import request from 'supertest';
import { fakeCache, seededStore } from './__fixtures__/fleet';
import { capaPlugin } from './plugin';

const PROD: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'local.acme.prod',
    namespace: 'default',
    annotations: {
      'capa.backstage.io/management-cluster': 'local',
      'capa.backstage.io/namespace': 'acme',
      'capa.backstage.io/cluster-name': 'prod',
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/team-acme' },
};

/** GET /clusters/:mc/:ns/:name/service-network, from the ConfigMaps the watch cache keeps. */
describe('GET /clusters/{managementCluster}/{namespace}/{name}/service-network', () => {
  async function start(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
    const { store, secrets } = seededStore();
    // acme/prod exposes payments-api to globex/dev's namespace shop (as capa:network:expose writes it).
    const grants = renderLatticeGrants(
      {
        serviceNetwork: 'acme-mesh',
        namespace: 'acme',
        cluster: 'prod',
        tenant: 'acme',
        partition: 'aws',
        service: { name: 'payments-api', namespace: 'payments', port: 8080 },
      },
      [
        {
          cluster: 'globex/dev',
          eksClusterName: 'globex-dev',
          accountId: '444455556666',
          namespace: 'shop',
        },
      ],
    );
    store.upsert('ConfigMap', grants.delivery.configMap as KubernetesObject);
    store.upsert('ClusterResourceSetBinding', {
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSetBinding',
      metadata: { name: 'prod', namespace: 'acme' },
      spec: {
        clusterName: 'prod',
        bindings: [
          {
            clusterResourceSetName: grants.delivery.configMap.metadata.name,
            resources: [
              {
                kind: 'ConfigMap',
                name: grants.delivery.configMap.metadata.name,
                applied: true,
              },
            ],
          },
        ],
      },
    } as KubernetesObject);
    const fake = fakeCache([store], secrets);
    const { server } = await startTestBackend({
      features: [
        capaPlugin,
        fake.factory,
        mockServices.permissions.factory({ result }),
        catalogServiceMock.factory({ entities: [PROD] }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    return server;
  }

  it("answers the cluster's exposed services, callers and delivery", async () => {
    const server = await start(AuthorizeResult.ALLOW);
    const res = await request(server).get(
      '/api/capa/clusters/local/acme/prod/service-network',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      exposes: [
        {
          service: { name: 'payments-api', namespace: 'payments', port: 8080 },
          callers: [{ cluster: 'globex/dev', namespace: 'shop' }],
          delivery: { state: 'applied' },
        },
      ],
      calls: [],
    });
    const caller = await request(server).get(
      '/api/capa/clusters/local/globex/dev/service-network',
    );
    expect(caller.body.calls).toEqual([
      {
        cluster: 'acme/prod',
        service: { name: 'payments-api', namespace: 'payments', port: 8080 },
        namespace: 'shop',
      },
    ]);
  });

  it('is denied to who may not read the cluster', async () => {
    const server = await start(AuthorizeResult.DENY);
    const res = await request(server).get(
      '/api/capa/clusters/local/acme/prod/service-network',
    );
    expect(res.status).toBe(403);
  });
});

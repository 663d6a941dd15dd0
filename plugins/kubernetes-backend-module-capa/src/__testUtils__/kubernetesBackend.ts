import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import {
  kubernetesFetcherExtensionPoint,
  kubernetesRouterExtensionPoint,
  type KubernetesFetcher,
} from '@backstage/plugin-kubernetes-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CAPA_FIELD_MANAGER } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import express from 'express';
import request from 'supertest';
import { cluster, kubeconfigSecret, tenants } from '../__fixtures__/clusters';
import { kubernetesModuleCapa } from '../module';

/**
 * A platform engineer (every CAPA permission), a developer of tenant acme, and someone the policy
 * gives no CAPA permission at all.
 */
export const USERS = {
  platform: 'user:default/platform-engineer',
  acmeDev: 'user:default/acme-dev',
  outsider: 'user:default/outsider',
} as const;

const TOKEN = 'capa-kubernetes-test-token';
export const PHASES = [
  'Provisioned',
  'Provisioning',
  'Pending',
  'Deleting',
  'Failed',
];

/** Tenants acme and globex; acme has a cluster in every phase, globex one Provisioned cluster. */
function seed(server: KubernetesTestServer) {
  server.seed(tenants(), { fieldManager: CAPA_FIELD_MANAGER });
  provision(server, 'acme', 'provisioned', 'Provisioned');
  for (const phase of PHASES.slice(1))
    provision(server, 'acme', phase.toLowerCase(), phase);
  provision(server, 'globex', 'dev', 'Provisioned');
}

/** A cluster as CAPI and CAPA leave it in `phase`, with the user kubeconfig CAPA writes. */
function provision(
  server: KubernetesTestServer,
  tenant: string,
  name: string,
  phase: string,
) {
  server.seed(cluster(tenant, name), { fieldManager: CAPA_FIELD_MANAGER });
  server.setStatus(
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      namespace: tenant,
      name,
    },
    { phase },
  );
  server.seed([kubeconfigSecret(tenant, name)]);
}

/**
 * A test-only route next to the Kubernetes plugin's own, returning what its cluster supplier (the
 * plugin's default suppliers and the CAPA module's, as the plugin combined them) gives, auth
 * metadata included, which the plugin's own endpoints do not show for AWS clusters.
 */
const clusterDetailsProbe = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'test-cluster-details',
  register(env) {
    env.registerInit({
      deps: { router: kubernetesRouterExtensionPoint },
      async init({ router }) {
        router.addRouter(({ getDefault, clusterSupplier }) => {
          const r = express.Router();
          r.get('/test/cluster-details', async (_req, res) => {
            res.json(
              await clusterSupplier.getClusters({
                credentials: mockCredentials.user(USERS.platform),
              }),
            );
          });
          r.use(getDefault());
          return r;
        });
      },
    });
  },
});

/** The catalog Resources the catalog module writes for the seeded clusters. */
const CLUSTER_ENTITIES: Entity[] = [
  ['acme', 'provisioned'],
  ['acme', 'provisioning'],
  ['globex', 'dev'],
].map(([ns, name]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `local.${ns}.${name}`,
    namespace: 'default',
    annotations: {
      'capa.backstage.io/management-cluster': 'local',
      'capa.backstage.io/namespace': ns,
      'capa.backstage.io/cluster-name': name,
    },
  },
  spec: { type: 'kubernetes-cluster', owner: `group:default/team-${ns}` },
}));

/** What the acme developer owns, as an ownership policy decides it. */
const ACME_DEV_OWNS = new Set([
  'resource:default/local.acme.provisioned',
  'resource:default/local.acme.provisioning',
]);

/**
 * Decisions as the shipped policy makes them: everyone may read the fleet's status
 * (`capa.cluster.read`); the platform engineer is allowed every CAPA permission outright; the acme
 * developer the others conditionally, on what acme owns; the outsider none. The Kubernetes
 * plugin's own permissions are allowed to all unless `allowKubernetes` is false.
 */
function permissionsMock(allowKubernetes: boolean) {
  const userOf = (options: any) =>
    options?.credentials?.principal?.userEntityRef as string | undefined;
  const decide = (name: string, options: any, ref?: string) => {
    if (name.startsWith('kubernetes.')) return allowKubernetes;
    if (!name.startsWith('capa.') || name === 'capa.cluster.read') return true;
    if (userOf(options) === USERS.platform) return true;
    return userOf(options) === USERS.acmeDev && !!ref && ACME_DEV_OWNS.has(ref);
  };
  return mockServices.permissions.mock({
    authorizeConditional: jest.fn(async (requests: any[], options: any) =>
      requests.map(r =>
        r.permission.name.startsWith('capa.') &&
        r.permission.name !== 'capa.cluster.read' &&
        userOf(options) === USERS.acmeDev
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: {},
              },
            }
          : {
              result: decide(r.permission.name, options)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
            },
      ),
    ) as any,
    authorize: jest.fn(async (requests: any[], options: any) =>
      requests.map(r => ({
        result: decide(r.permission.name, options, r.resourceRef)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })),
    ) as any,
  });
}

/** A module giving the Kubernetes plugin a fetcher. */
const fetcherModule = (fetcher: KubernetesFetcher) =>
  createBackendModule({
    pluginId: 'kubernetes',
    moduleId: 'test-fetcher',
    register(env) {
      env.registerInit({
        deps: { fetchers: kubernetesFetcherExtensionPoint },
        async init({ fetchers }) {
          fetchers.addFetcher(fetcher);
        },
      });
    },
  });

/**
 * A backend with Backstage's Kubernetes plugin and the CAPA module on the watch cache of a
 * Kubernetes test server standing in for management cluster "local", seeded by `seed`.
 */
export async function startKubernetesBackend(
  options: {
    allowClusters?: boolean;
    entities?: Entity[];
    /** Replaces the plugin's fetcher, which Jest cannot run (it imports an ES module). */
    fetcher?: KubernetesFetcher;
  } = {},
) {
  const server = await KubernetesTestServer.start({ token: TOKEN });
  seed(server);
  const permissions = permissionsMock(options.allowClusters !== false);
  const backend = await startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleCapa,
      clusterDetailsProbe,
      ...(options.fetcher ? [fetcherModule(options.fetcher)] : []),
      permissions.factory,
      catalogServiceMock.factory({
        entities: [...CLUSTER_ENTITIES, ...(options.entities ?? [])],
      }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'catalogRelation' },
            // A cluster of the plugin's own locators, supplied next to CAPA's.
            clusterLocatorMethods: [{ type: 'localKubectlProxy' }],
          },
          capa: {
            managementClusters: [
              { name: 'local', url: server.url, token: TOKEN },
            ],
            kubernetes: {
              roleName: 'backstage-kubernetes-read',
              tenants: {
                globex: {
                  roleArn: 'arn:aws:iam::444455556666:role/globex-read',
                  externalId: 'globex-portal',
                },
              },
            },
          },
        },
      }),
    ],
  });
  const get = (path: string, user: string = USERS.platform) =>
    request(backend.server)
      .get(`/api/kubernetes${path}`)
      .set('Authorization', mockCredentials.user.header(user));
  const post = (path: string, body: object, user: string = USERS.platform) =>
    request(backend.server)
      .post(`/api/kubernetes${path}`)
      .set('Authorization', mockCredentials.user.header(user))
      .send(body);

  /** Waits until the cluster list has exactly these names (the watch cache follows the server). */
  async function waitForClusters(
    names: string[],
    user: string = USERS.platform,
    timeoutMs = 20_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await get('/clusters', user);
      const got = res.body.items?.map((c: { name: string }) => c.name);
      if (JSON.stringify(got) === JSON.stringify(names)) return res.body;
      if (Date.now() > deadline)
        throw new Error(
          `clusters were ${JSON.stringify(got)}, not ${JSON.stringify(names)}`,
        );
      await new Promise(r => setTimeout(r, 100));
    }
  }

  return {
    server,
    get,
    post,
    waitForClusters,
    async stop() {
      await backend.stop();
      await server.close();
    },
  };
}

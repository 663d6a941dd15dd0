import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  renderCluster,
  renderControllerIdentity,
  renderTenant,
  isWatchedKind,
  type KubernetesEvent,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import {
  CapaClusterCache,
  capaClusterCacheServiceRef,
  ObjectStore,
} from '@capa-backstage/plugin-capa-node';

/** An exec-based kubeconfig, as CAPA writes into <cluster>-user-kubeconfig. */
export const USER_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: acme_prod
    cluster:
      server: https://ABC.gr7.eu-west-1.eks.amazonaws.com
      certificate-authority-data: Q0EgREFUQQ==
contexts:
  - name: acme_prod
    context: { cluster: acme_prod, user: acme_prod-capi-admin }
current-context: acme_prod
users:
  - name: acme_prod-capi-admin
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: aws
        args: [eks, get-token, --cluster-name, acme-prod, --region, eu-west-1]
`;

/** An admin kubeconfig with a bearer token: must never be served. */
export const ADMIN_KUBECONFIG = USER_KUBECONFIG.replace(
  /user:\n {6}exec:[\s\S]*$/,
  'user:\n      token: k8s-aws-v1.ADMIN-TOKEN-NEVER-SERVE\n',
);

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Two tenants' clusters on management cluster "local", as the watch cache would hold them. */
export function seededStore(name = 'local'): {
  store: ObjectStore;
  secrets: Map<string, Record<string, string>>;
} {
  const store = new ObjectStore(name);
  const objects: KubernetesObject[] = [
    // The platform's controller identity, the source of every tenant's role identity.
    ...renderControllerIdentity().objects,
    ...renderTenant({
      name: 'acme',
      owner: 'group:default/team-acme',
      aws: { accountId: '111122223333' },
    }).objects,
    ...renderTenant({
      name: 'globex',
      owner: 'team-globex',
      aws: { accountId: '444455556666' },
    }).objects,
    ...renderCluster({
      name: 'prod',
      tenant: 'acme',
      region: 'eu-west-1',
      kubernetesVersion: '1.33',
      access: { adminRoleArns: ['arn:aws:iam::111122223333:role/acme-admin'] },
      nodePools: [{ name: 'general', minSize: 2, desiredSize: 2, maxSize: 4 }],
    }).objects,
    ...renderCluster({
      name: 'dev',
      tenant: 'globex',
      region: 'us-east-2',
      kubernetesVersion: '1.34',
      nodePools: [{ name: 'general' }],
    }).objects,
  ] as KubernetesObject[];
  for (const o of objects) {
    if (o.kind === 'Cluster') {
      o.status =
        o.metadata!.name === 'prod'
          ? {
              phase: 'Provisioned',
              conditions: [
                {
                  type: 'Available',
                  status: 'True',
                  reason: 'Available',
                  lastTransitionTime: '2026-11-01T00:00:00Z',
                },
              ],
            }
          : { phase: 'Provisioning' };
    }
    if (isWatchedKind(o.kind)) store.upsert(o.kind, o);
  }
  const secrets = new Map<string, Record<string, string>>();
  for (const [secretName, value] of [
    ['prod-user-kubeconfig', USER_KUBECONFIG],
    ['prod-kubeconfig', ADMIN_KUBECONFIG],
    ['dev-kubeconfig', ADMIN_KUBECONFIG],
  ]) {
    const namespace = secretName.startsWith('prod') ? 'acme' : 'globex';
    store.upsert('Secret', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secretName, namespace },
      data: { value: b64(value) },
    } as any);
    secrets.set(`${namespace}/${secretName}`, { value: b64(value) });
  }
  return { store, secrets };
}

/**
 * A CapaClusterCache over fixed stores and Warning events per namespace; records every Secret
 * and event read.
 */
export function fakeCache(
  stores: ObjectStore[],
  secrets: Map<string, Record<string, string>>,
  events: Map<string, KubernetesEvent[]> = new Map(),
) {
  const secretReads: string[] = [];
  const eventReads: string[] = [];
  const cache: CapaClusterCache = {
    managementClusters: () => stores.map(s => s.managementCluster),
    store: mc => stores.find(s => s.managementCluster === mc),
    health: () =>
      stores.map(s => ({
        name: s.managementCluster,
        reachable: true,
        crds: { capi: true, capa: true },
        synced: true,
        cacheAgeSeconds: 1,
        objects: { Cluster: s.count('Cluster') },
      })),
    subscribe: () => () => {},
    async readSecretData(mc, namespace, name) {
      secretReads.push(`${mc}/${namespace}/${name}`);
      return secrets.get(`${namespace}/${name}`);
    },
    async readWarningEvents(mc, namespace) {
      eventReads.push(`${mc}/${namespace}`);
      return { items: events.get(namespace) ?? [], truncated: false };
    },
  };
  return {
    cache,
    secretReads,
    eventReads,
    factory: createServiceFactory({
      service: capaClusterCacheServiceRef,
      deps: {},
      factory: () => cache,
    }),
  };
}

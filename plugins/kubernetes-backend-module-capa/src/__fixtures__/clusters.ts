import {
  isWatchedKind,
  renderCluster,
  renderTenant,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';

/** The server and CA of the user kubeconfig of cluster `name` in namespace `tenant`. */
export const serverOf = (tenant: string, name: string) =>
  `https://${tenant}${name}.gr7.eu-west-1.eks.amazonaws.com`;
export const CA_DATA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n',
).toString('base64');

/** An exec-based kubeconfig, as CAPA writes into <cluster>-user-kubeconfig. */
export function userKubeconfig(tenant: string, name: string, server?: string) {
  const context = `${tenant}_${name}`;
  return `apiVersion: v1
kind: Config
clusters:
  - name: ${context}
    cluster:
      server: ${server ?? serverOf(tenant, name)}
      certificate-authority-data: ${CA_DATA}
contexts:
  - name: ${context}
    context: { cluster: ${context}, user: ${context}-capi-admin }
current-context: ${context}
users:
  - name: ${context}-capi-admin
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1beta1
        command: aws
        args: [eks, get-token, --cluster-name, ${tenant}-${name}, --region, eu-west-1]
`;
}

/** The user kubeconfig Secret of a cluster, labelled as CAPA labels it. */
export function kubeconfigSecret(
  tenant: string,
  name: string,
  server?: string,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `${name}-user-kubeconfig`,
      namespace: tenant,
      labels: { 'cluster.x-k8s.io/cluster-name': name },
    },
    data: {
      value: Buffer.from(userKubeconfig(tenant, name, server)).toString(
        'base64',
      ),
    },
  } as KubernetesObject;
}

/** Tenants acme (account 111122223333) and globex (444455556666). */
export function tenants(): KubernetesObject[] {
  return [
    ...renderTenant({
      name: 'acme',
      owner: 'group:default/team-acme',
      aws: { accountId: '111122223333' },
    }).objects,
    ...renderTenant({
      name: 'globex',
      owner: 'group:default/team-globex',
      aws: { accountId: '444455556666' },
    }).objects,
  ] as KubernetesObject[];
}

/** The objects of one cluster, its Cluster in `phase` (no status at all when undefined). */
export function cluster(
  tenant: string,
  name: string,
  phase?: string,
): KubernetesObject[] {
  return (
    renderCluster({
      name,
      tenant,
      region: 'eu-west-1',
      kubernetesVersion: '1.33',
      nodePools: [{ name: 'general' }],
    }).objects as KubernetesObject[]
  ).map(o =>
    o.kind === 'Cluster' && phase !== undefined
      ? { ...o, status: { phase } }
      : o,
  );
}

export { isWatchedKind };

import { parse } from 'yaml';

/** The API server of a workload cluster and the CA that signs its certificate. */
export interface ClusterEndpoint {
  url: string;
  /** Base64 PEM, as kubeconfig's certificate-authority-data. */
  caData: string;
}

/** EKS API endpoints, in the commercial, GovCloud and China partitions. */
const EKS_HOST = /\.eks\.amazonaws\.com(\.cn)?$/;

const isMap = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

function originOf(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).origin;
  } catch {
    return undefined;
  }
}

/**
 * The server and CA of the user kubeconfig CAPA writes into `<cluster>-user-kubeconfig`: the
 * cluster of the current context, or its only cluster. Users and their credential plugins are not
 * read at all. The server must be an https EKS endpoint (no user info) and, when the cluster's
 * objects name an endpoint, that one: the Kubernetes plugin sends it a bearer token of the tenant's
 * read role, so it must not be an address someone wrote into a Secret. Returns the reason instead
 * when the kubeconfig cannot be used; the reason never quotes the kubeconfig.
 */
export function endpointOfKubeconfig(
  text: string,
  expectedEndpoint: string | undefined,
): ClusterEndpoint | { problem: string } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return { problem: 'its user kubeconfig is not valid YAML' };
  }
  if (!isMap(doc) || !Array.isArray(doc.clusters))
    return { problem: 'its user kubeconfig has no clusters' };
  const contexts = Array.isArray(doc.contexts) ? doc.contexts : [];
  const current = contexts.find(
    c => isMap(c) && c.name === doc['current-context'],
  );
  const clusterName =
    isMap(current) && isMap(current.context)
      ? current.context.cluster
      : undefined;
  const entry =
    doc.clusters.find(c => isMap(c) && c.name === clusterName) ??
    (doc.clusters.length === 1 ? doc.clusters[0] : undefined);
  const cluster = isMap(entry) && isMap(entry.cluster) ? entry.cluster : {};
  const server = cluster.server;
  const caData = cluster['certificate-authority-data'];
  if (typeof server !== 'string')
    return {
      problem:
        'its user kubeconfig names no server for its current context (or has several clusters and no current context)',
    };
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return { problem: 'the server of its user kubeconfig is not a URL' };
  }
  if (url.protocol !== 'https:' || url.username || url.password)
    return {
      problem:
        'the server of its user kubeconfig is not an https URL without user info',
    };
  if (!EKS_HOST.test(url.hostname))
    return {
      problem: `the server of its user kubeconfig, ${url.hostname}, is not an EKS endpoint (*.eks.amazonaws.com)`,
    };
  const expected = expectedEndpoint && originOf(expectedEndpoint);
  if (expectedEndpoint && expected !== url.origin)
    return {
      problem: `the server of its user kubeconfig, ${
        url.origin
      }, is not the control plane endpoint ${expected ?? expectedEndpoint}`,
    };
  if (typeof caData !== 'string' || !caData)
    return {
      problem: 'its user kubeconfig has no certificate-authority-data',
    };
  return { url: url.origin, caData };
}

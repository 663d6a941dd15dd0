import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import type {
  CapaSettings,
  ClusterList,
  ClusterView,
  KubeconfigResponse,
  TenantList,
} from '@capa-backstage/plugin-capa-common';
import type {
  CapaApi,
  CapaClusterRef,
  CapaHealth,
  CapaListClustersRequest,
  CapaListTenantsRequest,
} from './CapaApi';

/**
 * {@link CapaApi} over the CAPA backend plugin's REST endpoints, found through the discovery API
 * and called through the fetch API (so the user's Backstage token goes along).
 *
 * @public
 */
export class CapaClient implements CapaApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listClusters(
    request: CapaListClustersRequest = {},
  ): Promise<ClusterList> {
    return this.get<ClusterList>(`/clusters${queryString(request)}`);
  }

  async getCluster(ref: CapaClusterRef): Promise<ClusterView> {
    return this.get<ClusterView>(clusterPath(ref));
  }

  async getKubeconfig(ref: CapaClusterRef): Promise<KubeconfigResponse> {
    return this.get<KubeconfigResponse>(`${clusterPath(ref)}/kubeconfig`);
  }

  async getHealth(): Promise<CapaHealth> {
    return this.get<CapaHealth>('/health');
  }

  async getSettings(): Promise<CapaSettings> {
    return this.get<CapaSettings>('/settings');
  }

  async listTenants(request: CapaListTenantsRequest = {}): Promise<TenantList> {
    return this.get<TenantList>(`/tenants${queryString(request)}`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('capa');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/** `?key=value&...` of the set, non-empty values; nothing when none is set. */
function queryString(request: object): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request)) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  const search = query.toString();
  return search ? `?${search}` : '';
}

// Names come from Kubernetes objects, catalog annotations and app-config. Encoding keeps a stray `/`
// or `?` from addressing another route; `.` and `..` are refused because URL parsing resolves them
// (even percent-encoded) before the request leaves the browser.
function clusterPath(ref: CapaClusterRef): string {
  const segments = [ref.managementCluster, ref.namespace, ref.name];
  for (const segment of segments) {
    if (!segment || segment === '.' || segment === '..') {
      throw new InputError(
        `Invalid cluster reference ${JSON.stringify(segments.join('/'))}`,
      );
    }
  }
  return `/clusters/${segments.map(encodeURIComponent).join('/')}`;
}

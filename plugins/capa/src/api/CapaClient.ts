import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import type { CapaApiPaths } from '@capa-backstage/plugin-capa-common';
import type {
  CapaApi,
  CapaClusterRef,
  CapaListClustersRequest,
  CapaListTenantsRequest,
} from './CapaApi';

type Route = keyof CapaApiPaths;

/** What a route's GET answers with 200, from the contract. */
type Answer<R extends Route> =
  CapaApiPaths[R]['get']['responses'][200]['content']['application/json'];

/**
 * {@link CapaApi} over the CAPA backend plugin's REST endpoints, found through the discovery API
 * and called through the fetch API (so the user's Backstage token goes along). Routes, parameters
 * and answers are typed by the backend's OpenAPI contract.
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

  async listClusters(request: CapaListClustersRequest = {}) {
    return this.get('/clusters', {}, request);
  }

  async getCluster(ref: CapaClusterRef) {
    return this.get('/clusters/{managementCluster}/{namespace}/{name}', ref);
  }

  async getClusterEvents(ref: CapaClusterRef) {
    return this.get(
      '/clusters/{managementCluster}/{namespace}/{name}/events',
      ref,
    );
  }

  async getClusterServiceNetwork(ref: CapaClusterRef) {
    return this.get(
      '/clusters/{managementCluster}/{namespace}/{name}/service-network',
      ref,
    );
  }

  async getKubeconfig(ref: CapaClusterRef) {
    return this.get(
      '/clusters/{managementCluster}/{namespace}/{name}/kubeconfig',
      ref,
    );
  }

  async getHealth() {
    return this.get('/health', {});
  }

  async getSettings() {
    return this.get('/settings', {});
  }

  async listTenants(request: CapaListTenantsRequest = {}) {
    return this.get('/tenants', {}, request);
  }

  private async get<R extends Route>(
    route: R,
    path: Record<string, string>,
    query: object = {},
  ): Promise<Answer<R>> {
    const baseUrl = await this.discoveryApi.getBaseUrl('capa');
    const response = await this.fetchApi.fetch(
      `${baseUrl}${fillPath(route, path)}${queryString(query)}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as Answer<R>;
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
function fillPath(route: string, params: Record<string, string>): string {
  const names = [...route.matchAll(/\{(\w+)\}/g)].map(m => m[1]);
  const segments = names.map(name => params[name]);
  for (const segment of segments) {
    if (!segment || segment === '.' || segment === '..') {
      throw new InputError(
        `Invalid cluster reference ${JSON.stringify(segments.join('/'))}`,
      );
    }
  }
  return route.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(params[name]),
  );
}

import { createApiRef } from '@backstage/core-plugin-api';
import type {
  CapaApiOperations,
  CapaHealth,
  CapaManagementClusterHealth,
  CapaSettings,
  ClusterEvents,
  ClusterServiceNetwork,
  ClusterList,
  ClusterView,
  KubeconfigResponse,
  TenantList,
} from '@capa-backstage/plugin-capa-common';

// Every request and response type below is the backend's OpenAPI contract, generated into
// capa-common; nothing here repeats a field.

/** Health types of the backend, re-exported under the names this package has always had. */
export type { CapaHealth, CapaManagementClusterHealth };

/**
 * Identifies one workload cluster: the configured management cluster that holds its CAPI Cluster
 * object, and that object's namespace and name.
 *
 * @public
 */
export type CapaClusterRef =
  CapaApiOperations['GetCluster']['parameters']['path'];

/**
 * Filters, order and paging of {@link CapaApi.listClusters}, as the backend's `GET /clusters`
 * takes them: every filter is an exact match, unset ones match all; `can` keeps the clusters the
 * caller may also do that on; `cursor` is the previous page's `nextCursor` (same `sort` and
 * `order`); `facets: true` adds each filter's values with counts.
 *
 * @public
 */
export type CapaListClustersRequest = NonNullable<
  CapaApiOperations['ListClusters']['parameters']['query']
>;

/**
 * Filter of {@link CapaApi.listTenants}: `can: 'create-cluster'` keeps only the tenants the caller
 * may create clusters in.
 *
 * @public
 */
export type CapaListTenantsRequest = NonNullable<
  CapaApiOperations['ListTenants']['parameters']['query']
>;

/**
 * The CAPA backend's API as the frontend uses it. Every method rejects with a
 * `ResponseError` (from `@backstage/errors`) when the backend answers with an error status, so
 * callers can branch on `error.statusCode`; network failures reject with the fetch error.
 *
 * @public
 */
export interface CapaApi {
  /**
   * One page of the workload clusters the caller may see, in the requested order, with the total,
   * counts per phase and (with `facets`) each filter's values, all counted by the backend.
   */
  listClusters(request?: CapaListClustersRequest): Promise<ClusterList>;
  /** Everything the portal shows about one workload cluster. */
  getCluster(ref: CapaClusterRef): Promise<ClusterView>;
  /**
   * The recent Warning events of the cluster's objects, read from the management cluster now, and
   * the cluster's diagnosis with them.
   */
  getClusterEvents(ref: CapaClusterRef): Promise<ClusterEvents>;
  /** The cluster's VPC Lattice service access: network joined, services exposed and called. */
  getClusterServiceNetwork(ref: CapaClusterRef): Promise<ClusterServiceNetwork>;
  /** The cluster's exec-based user kubeconfig; a 403 when denied, a 404 while it does not exist. */
  getKubeconfig(ref: CapaClusterRef): Promise<KubeconfigResponse>;
  /** Reachability, CRDs and cache age of every configured management cluster. */
  getHealth(): Promise<CapaHealth>;
  /** What templates may choose from: the configured management clusters and Kubernetes versions. */
  getSettings(): Promise<CapaSettings>;
  /** The tenants of every management cluster, or only those the caller may create clusters in. */
  listTenants(request?: CapaListTenantsRequest): Promise<TenantList>;
}

/**
 * The reference to the {@link CapaApi}.
 *
 * @public
 */
export const capaApiRef = createApiRef<CapaApi>({
  id: 'plugin.capa.service',
});

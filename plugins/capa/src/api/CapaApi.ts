import { createApiRef } from '@backstage/core-plugin-api';
import type {
  CapaClusterCapability,
  CapaSettings,
  ClusterList,
  ClusterPhase,
  ClusterView,
  KubeconfigResponse,
  TenantList,
} from '@capa-backstage/plugin-capa-common';

/**
 * Identifies one workload cluster: the configured management cluster that holds its CAPI Cluster
 * object, and that object's namespace and name.
 *
 * @public
 */
export interface CapaClusterRef {
  managementCluster: string;
  namespace: string;
  name: string;
}

/**
 * Filters and paging of {@link CapaApi.listClusters}. Every filter is optional; unset ones match all.
 *
 * @public
 */
export interface CapaListClustersRequest {
  managementCluster?: string;
  namespace?: string;
  tenant?: string;
  phase?: ClusterPhase;
  accountId?: string;
  region?: string;
  /**
   * Only the clusters the caller may also do this on (e.g. `update`), as the backend's permission
   * policy decides for the signed-in user. Without it: every cluster the caller may read.
   */
  can?: CapaClusterCapability;
  /** Page size; the backend applies its own default and maximum. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * Filter of {@link CapaApi.listTenants}.
 *
 * @public
 */
export interface CapaListTenantsRequest {
  /** Only the tenants the caller may create clusters in. Without it: every tenant. */
  can?: 'create-cluster';
}

/**
 * The state of one configured management cluster as the backend sees it.
 *
 * @public
 */
export interface CapaManagementClusterHealth {
  name: string;
  reachable: boolean;
  /** Why the management cluster is not reachable, in words. */
  error?: string;
  /** Whether the Cluster API (capi) and CAPA custom resource definitions are installed. */
  crds: { capi: boolean; capa: boolean };
  /** Seconds since the backend's watch cache last heard from this management cluster. */
  cacheAgeSeconds?: number;
}

/**
 * The answer of the backend's health endpoint.
 *
 * @public
 */
export interface CapaHealth {
  managementClusters: CapaManagementClusterHealth[];
}

/**
 * The CAPA backend's API as the frontend uses it. Every method rejects with a
 * `ResponseError` (from `@backstage/errors`) when the backend answers with an error status, so
 * callers can branch on `error.statusCode`; network failures reject with the fetch error.
 *
 * @public
 */
export interface CapaApi {
  /** One page of the workload clusters the caller may see, with counts per phase. */
  listClusters(request?: CapaListClustersRequest): Promise<ClusterList>;
  /** Everything the portal shows about one workload cluster. */
  getCluster(ref: CapaClusterRef): Promise<ClusterView>;
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

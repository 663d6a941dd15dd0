import type {
  CapaManagementClusterHealth,
  KubernetesEvent,
} from '@capa-backstage/plugin-capa-common';
import type { ObjectStore } from './ObjectStore';

/**
 * Health of one management cluster, as the backend's GET /health reports it: the API's own type.
 *
 * @public
 */
export type ManagementClusterHealth = CapaManagementClusterHealth;

/**
 * The watch cache of every configured management cluster, shared by the CAPA backend plugin and
 * the catalog module (one list and one watch per kind per management cluster, whoever reads).
 *
 * @public
 */
export interface CapaClusterCache {
  /** The configured management cluster names, in config order. */
  managementClusters(): string[];
  /** The object store of a management cluster, or undefined for an unknown name. */
  store(managementCluster: string): ObjectStore | undefined;
  health(): ManagementClusterHealth[];
  /**
   * Calls the listener after objects change (coalesced, so a burst of events is one call).
   * Returns a function that unsubscribes.
   */
  subscribe(listener: () => void): () => void;
  /** Reads one Secret's data on demand (never cached), or undefined when it does not exist. */
  readSecretData(
    managementCluster: string,
    namespace: string,
    name: string,
  ): Promise<Record<string, string> | undefined>;
  /**
   * Reads the newest Warning events of a namespace on demand (never cached), at most
   * {@link WARNING_EVENTS_LIMIT}; `truncated` when the namespace has more.
   */
  readWarningEvents(
    managementCluster: string,
    namespace: string,
  ): Promise<WarningEvents>;
}

/**
 * The most Warning events one read returns: one page, so a namespace flooded with events costs
 * the management cluster one bounded request.
 *
 * @public
 */
export const WARNING_EVENTS_LIMIT = 500;

/**
 * Warning events of a namespace, as {@link CapaClusterCache.readWarningEvents} reads them.
 *
 * @public
 */
export interface WarningEvents {
  items: KubernetesEvent[];
  truncated: boolean;
}

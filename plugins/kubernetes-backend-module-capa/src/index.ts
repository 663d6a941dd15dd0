/**
 * Kubernetes backend module: every Provisioned CAPA workload cluster, from the shared watch cache,
 * as a cluster of Backstage's Kubernetes plugin with AWS auth in the tenant's account.
 *
 * @packageDocumentation
 */
export { kubernetesModuleCapa as default } from './module';
export {
  CapaClustersSupplier,
  type CapaClusterAuthorizer,
  type CapaClusterCacheReader,
} from './supplier/CapaClustersSupplier';

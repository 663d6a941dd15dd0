/**
 * Catalog module: every CAPA workload cluster and tenant identity as a Resource entity.
 *
 * @packageDocumentation
 */
export { catalogModuleCapa as default } from './module';
export {
  CapaEntityProvider,
  type CapaEntityProviderDeps,
  type CapaEntityProviderRun,
} from './CapaEntityProvider';

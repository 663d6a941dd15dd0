/**
 * Frontend plugin for EKS workload clusters run through Cluster API Provider AWS (CAPA): the cluster
 * entity card, the tenant's clusters card and the fleet page.
 *
 * @packageDocumentation
 */

export {
  capaPlugin,
  CapaFleetPage,
  EntityCapaClusterCard,
  EntityCapaTenantClustersCard,
} from './plugin';
export {
  rootRouteRef as capaFleetRouteRef,
  scaffolderTemplateRouteRef as capaScaffolderTemplateRouteRef,
} from './routes';
export { CAPA_DAY2_TEMPLATES } from './templates';
export * from './api';
export {
  CAPA_CLUSTER_ENTITY_TYPE,
  capaClusterEntityPredicate,
  capaTenantGroupPredicate,
  isCapaClusterEntity,
  isCapaTenantGroup,
} from './entities';

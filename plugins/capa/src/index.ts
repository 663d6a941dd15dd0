/**
 * Frontend plugin for EKS workload clusters run through Cluster API Provider AWS (CAPA): the cluster
 * entity card, the tenant's clusters card, the fleet page and the scaffolder form fields that offer
 * only the tenants and clusters the signed-in user may change.
 *
 * @packageDocumentation
 */

export {
  capaPlugin,
  CapaClusterPickerFieldExtension,
  CapaFleetPage,
  CapaKubernetesVersionPickerFieldExtension,
  CapaManagementClusterPickerFieldExtension,
  CapaTenantPickerFieldExtension,
  EntityCapaClusterCard,
  EntityCapaTenantClustersCard,
} from './plugin';
export { CapaClusterPickerFieldSchema } from './components/CapaClusterPicker';
export { CapaKubernetesVersionPickerFieldSchema } from './components/CapaKubernetesVersionPicker';
export { CapaManagementClusterPickerFieldSchema } from './components/CapaManagementClusterPicker';
export {
  CapaTenantPickerFieldSchema,
  type CapaTenantPickerValue,
} from './components/CapaTenantPicker';
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

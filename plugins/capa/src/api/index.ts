export { capaApiRef } from './CapaApi';
export type {
  CapaApi,
  CapaClusterRef,
  CapaHealth,
  CapaListClustersRequest,
  CapaListTenantsRequest,
  CapaManagementClusterHealth,
} from './CapaApi';
export { CapaClient } from './CapaClient';

export { capaApiRef } from './CapaApi';
export type {
  CapaApi,
  CapaClusterRef,
  CapaHealth,
  CapaListClustersRequest,
  CapaManagementClusterHealth,
} from './CapaApi';
export { CapaClient } from './CapaClient';

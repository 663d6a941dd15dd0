export {
  toClusterSummary,
  toClusterView,
  updateKubeconfigCommand,
} from './clusterView';
export type { ClusterViewLookup } from './clusterView';
export type * from './types';
export { CLUSTER_PHASES, compareVersions } from './order';

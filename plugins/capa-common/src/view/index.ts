export {
  toClusterSummary,
  toClusterView,
  updateKubeconfigCommand,
} from './clusterView';
export type { ClusterViewLookup, UnstructuredObject } from './clusterView';
export type * from './types';

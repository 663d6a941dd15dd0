export { ClusterPhaseStatus } from './ClusterPhaseStatus';
export type { ClusterPhaseStatusProps } from './ClusterPhaseStatus';

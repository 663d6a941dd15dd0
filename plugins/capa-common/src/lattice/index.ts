export { LATTICE, LATTICE_ANNOTATIONS, LATTICE_LABELS } from './constants';
export {
  CLUSTER_RESOURCE_SET_API_VERSION,
  latticeExposeName,
  latticeJoinName,
} from './delivery';
export { renderLatticeJoin } from './renderJoin';
export type { LatticeJoinResult } from './renderJoin';
export {
  latticeAuthPolicy,
  renderLatticeExpose,
  renderLatticeGrants,
} from './renderExpose';
export type {
  LatticeExposeResult,
  LatticeExposedService,
  LatticeGrantsResult,
} from './renderExpose';
export type { LatticeRamShare } from './ramShare';
export { latticeCallerKey, readLatticeExposeRecord } from './records';
export type { LatticeExposeRecord } from './records';
export { callerPolicyName, callerRoleName } from './callerRole';
export {
  MAX_LATTICE_CALLERS,
  latticeCallerSchema,
  latticeExposeInputSchema,
  latticeJoinInputSchema,
  latticeRevokeCallersSchema,
  latticeServiceSchema,
} from './schemas';
export type {
  LatticeCallerInput,
  LatticeExposeInput,
  LatticeJoinInput,
} from './schemas';
export type * from './types';
export { latticeServiceNetworkView } from './view';
export type { ClusterServiceNetwork, LatticeDeliveryView } from './view';

/**
 * Isomorphic types, input validation, renderers and permissions shared by the CAPA plugins.
 *
 * @packageDocumentation
 */

export {
  CAPA_ANNOTATIONS,
  CAPA_DEFAULTS,
  CAPA_LABELS,
  MANAGED_BY,
} from './constants';
export type * from './objects';
export * from './validation';
export { renderTenant } from './render/renderTenant';
export { renderControllerIdentity } from './render/renderControllerIdentity';
export {
  renderCluster,
  renderNodePool,
  CLUSTER_ACCESS_LEVELS,
  clusterAccessMapping,
  clusterObjectNames,
} from './render/renderCluster';
export type { ClusterAccessLevel } from './render/renderCluster';
export { renderIamTrust } from './render/renderIamTrust';
export type {
  IamTrustRenderResult,
  ManagerIamTrust,
  TenantIamTrust,
} from './render/renderIamTrust';
export { toJson, toYaml } from './serialize';
export * from './view';
export * from './diagnosis';
export * from './permissions';
export {
  CLUSTER_ENTITY_TYPE,
  IDENTITY_ENTITY_TYPE,
  clusterEntityName,
  clusterEntityRef,
  identityEntityName,
  isEntityOfCluster,
  isGroupOfTenant,
  ownerOfNamespace,
} from './entities';
export type { ClusterRef, EntityLike } from './entities';
export { compareStrings } from './render/util';
export {
  APPLIED_KINDS,
  KINDS,
  REQUIRED_KINDS,
  WATCHED_KIND_INFOS,
  isWatchedKind,
  kindInfo,
  objectRef,
} from './kinds';
export type { KindInfo, KnownKind, WatchedKind } from './kinds';
export { CrdSchemaValidator } from './crd/CrdSchemaValidator';
export type {
  CrdSchemaProblem,
  CrdVersion,
  CustomResourceDefinition,
} from './crd/CrdSchemaValidator';
export * from './lattice';

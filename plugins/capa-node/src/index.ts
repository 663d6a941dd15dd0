/**
 * Node library shared by the CAPA backend packages: the `capa.managementClusters` config and a
 * client for each management cluster (server-side apply, get, list, delete, watch, installation
 * check, errors mapped to `@backstage/errors`), the shared watch cache, and the authorizer that
 * decides CAPA permissions for exact tenants and clusters.
 *
 * @packageDocumentation
 */
export { ManagementClusterClient } from './client/ManagementClusterClient';
export { CAPA_FIELD_MANAGER } from './client/types';
export type {
  ApplyOptions,
  ApplyResult,
  CapaInstallation,
  ListOptions,
  ManagementClusterClientOptions,
  ObjectList,
  RequestOptions,
  ResourceType,
  WatchEvent,
  WatchHandle,
  WatchHandlers,
  WatchOptions,
} from './client/types';
export type {
  ManagementClusterAuth,
  ManagementClusterConfig,
} from './config/readManagementClusters';
// Timeouts and cancellation of outbound calls (Kubernetes and STS).
export { DEFAULT_REQUEST_TIMEOUTS } from './config/timeouts';
export type { RequestTimeouts } from './config/timeouts';
export { CancelledError } from './client/errorTypes';
export { abortable } from './client/signals';
export { stsRequestHandler } from './client/eksToken';
export { ManagementClusters } from './client/ManagementClusters';
export type {
  ManagementClusterInfo,
  ManagementClustersOptions,
} from './client/ManagementClusters';
export { managementClustersServiceRef } from './client/serviceRef';
export type { AwsCredentials, AwsCredentialsProvider } from './client/eksToken';
// Loaded once up front by tools that time the backend, so the first request does not pay for it.
export { loadClientNode } from './client/loadClientNode';
export type { ClientNodeModule } from './client/loadClientNode';

// The shared watch cache (a root service) used by the backend plugin and the catalog module.
export { ObjectStore } from './cache/ObjectStore';
export { capaClusterCacheServiceRef, readWarningEvents } from './cache/service';
export type {
  CapaClusterCache,
  ManagementClusterHealth,
  WarningEvents,
} from './cache/types';
export { WARNING_EVENTS_LIMIT } from './cache/types';

// Permission decisions for exact tenants and clusters, shared by the router and the actions.
export { CapaAuthorizer } from './auth/CapaAuthorizer';
export type {
  CapaAuthDecision,
  CapaAuthRequest,
  CapaAuthTarget,
} from './auth/CapaAuthorizer';

// Server-side apply of only the fields an action owns, shared by the scaffolder's day-2 actions.
export { OwnedFieldsApplier } from './ssa/OwnedFieldsApplier';
export type {
  AppliedObject,
  OwnedFieldsApplierOptions,
} from './ssa/OwnedFieldsApplier';
export type { FieldChange, ObjectPlan } from './ssa/plan';
export { foreignAppliers, jsonEqual } from './ssa/managedFields';

// Waiting for one object to reach a state, through a watch.
export { waitForObject } from './wait/waitForObject';
export {
  DIAGNOSIS_INTERVAL_MS,
  describeDiagnosis,
  readClusterDiagnosis,
  waitWithDiagnosis,
} from './wait/diagnosis';
export type { DiagnosisWatchOptions } from './wait/diagnosis';
export type { WaitForObjectOptions } from './wait/waitForObject';

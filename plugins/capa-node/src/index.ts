/**
 * Node library shared by the CAPA backend packages: the `capa.managementClusters` config, a client
 * for each management cluster (server-side apply, get, list, delete, watch, installation check,
 * errors mapped to @backstage/errors), and the backend service that holds them.
 *
 * @packageDocumentation
 */
export {
  readManagementClusters,
  validateServerUrl,
} from './config/readManagementClusters';
export type {
  ManagementClusterAuth,
  ManagementClusterConfig,
} from './config/readManagementClusters';
export {
  CAPA_FIELD_MANAGER,
  ManagementClusterClient,
} from './client/ManagementClusterClient';
export type {
  ApplyOptions,
  ApplyResult,
  CapaInstallation,
  KubernetesObject,
  ListOptions,
  ManagementClusterClientOptions,
  ObjectList,
  ObjectRef,
  ResourceType,
  WatchEvent,
  WatchHandle,
  WatchHandlers,
  WatchOptions,
} from './client/ManagementClusterClient';
export { ManagementClusters } from './client/ManagementClusters';
export type {
  ManagementClusterInfo,
  ManagementClustersOptions,
} from './client/ManagementClusters';
export { managementClustersServiceRef } from './client/serviceRef';
export { ResourceExpiredError, notInstalledError } from './client/errors';
export {
  EksTokenProvider,
  assumeRoleCredentials,
  cachedCredentials,
  createEksToken,
} from './client/eksToken';
export type { AwsCredentials, AwsCredentialsProvider } from './client/eksToken';
export { loadClientNode } from './client/loadClientNode';
export type { ClientNodeModule } from './client/loadClientNode';

// The shared watch cache (root service) used by the backend plugin and the catalog module.
export * from './cache';

// Permission decisions for exact tenants and clusters, shared by the router and the actions.
export { CapaAuthorizer, resourceRefOf } from './auth/CapaAuthorizer';
export type {
  CapaAuthDecision,
  CapaAuthRequest,
  CapaAuthTarget,
} from './auth/CapaAuthorizer';

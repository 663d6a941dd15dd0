/**
 * Scaffolder actions that render and apply CAPA tenant, cluster and IAM trust manifests.
 *
 * @packageDocumentation
 */
export { scaffolderModuleCapa as default } from './module';
export { createTenantRenderAction } from './actions/tenantRender';
export { createClusterRenderAction } from './actions/clusterRender';
export { createIamRenderAction } from './actions/iamRender';
export { createIamVerifyAction } from './actions/iamVerify';
export type { IamVerifyOptions } from './actions/iamVerify';
export { createApplyAction } from './actions/apply';
export type { ApplyActionOptions } from './actions/apply';
export { createClusterDeleteAction } from './actions/clusterDelete';
export type { ClusterDeleteActionOptions } from './actions/clusterDelete';

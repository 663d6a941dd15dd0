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
export type { IamVerifyOptions, ManagerCredentials } from './actions/iamVerify';
export { createApplyAction } from './actions/apply';
export type { ApplyActionOptions } from './actions/apply';
export { createClusterDeleteAction } from './actions/clusterDelete';
export type { ClusterDeleteActionOptions } from './actions/clusterDelete';
export { createClusterUpgradeAction } from './actions/clusterUpgrade';
export type { ClusterUpgradeActionOptions } from './actions/clusterUpgrade';
export { createNodePoolSetAction } from './actions/nodePoolSet';
export type { NodePoolSetActionOptions } from './actions/nodePoolSet';
export { createAccessGrantAction } from './actions/accessGrant';
export type { AccessGrantActionOptions } from './actions/accessGrant';
export { createAccessRevokeAction } from './actions/accessRevoke';
export type { AccessRevokeActionOptions } from './actions/accessRevoke';
export { DAY2_FIELD_MANAGERS } from './actions/day2';
export { createNetworkJoinAction } from './actions/networkJoin';
export type { NetworkJoinActionOptions } from './actions/networkJoin';
export { createNetworkExposeAction } from './actions/networkExpose';
export type { NetworkExposeActionOptions } from './actions/networkExpose';
export { createNetworkRevokeAction } from './actions/networkRevoke';
export type { NetworkRevokeActionOptions } from './actions/networkRevoke';
export { NETWORK_FIELD_MANAGER } from './actions/network.common';
export type { NetworkActionConfig } from './actions/network.common';
export { createTaskAuthorizer } from './authorization/TaskAuthorizer';
export type {
  AuthorizingContext,
  TaskAuthorizer,
  WriteRequest,
} from './authorization/TaskAuthorizer';

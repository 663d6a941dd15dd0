/**
 * Scaffolder actions that render and apply CAPA tenant, cluster and IAM trust manifests.
 *
 * @packageDocumentation
 */
export { scaffolderModuleCapa as default } from './module';
export { createTenantRenderAction } from './actions/tenantRender';
export { createClusterRenderAction } from './actions/clusterRender';
export { createIamRenderAction } from './actions/iamRender';

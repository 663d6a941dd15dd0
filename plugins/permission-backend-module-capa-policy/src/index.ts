/**
 * Permission policy for a multi-tenant CAPA portal: platform groups may do everything, tenants act
 * on the clusters they own and create clusters in their own tenants.
 *
 * @packageDocumentation
 */
export { permissionModuleCapaPolicy as default } from './module';
export { CapaPermissionPolicy } from './CapaPermissionPolicy';
export { readCapaPermissionPolicyOptions } from './config';
export type { CapaPermissionPolicyOptions } from './config';

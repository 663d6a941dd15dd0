import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read a workload cluster's status. A resource permission on the cluster's catalog entity, so a
 * policy can use the catalog's rules (e.g. isEntityOwner) for it.
 *
 * @public
 */
export const capaClusterReadPermission = createPermission({
  name: 'capa.cluster.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Download a workload cluster's user kubeconfig (exec-based, no secret material). A resource
 * permission on the cluster's catalog entity, so a policy can grant it only to the entity's owners.
 *
 * @public
 */
export const capaClusterKubeconfigReadPermission = createPermission({
  name: 'capa.cluster.kubeconfig.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Create a workload cluster in a tenant (capa:apply of a tenant's cluster objects). A resource
 * permission on the tenant's Group entity (the group its namespace names as owner, labelled
 * `capa.backstage.io/tenant`).
 *
 * @public
 */
export const capaClusterCreatePermission = createPermission({
  name: 'capa.cluster.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Change an existing workload cluster: upgrade it, change its node pools, or apply changed
 * manifests to it. A resource permission on the cluster's catalog entity.
 *
 * @public
 */
export const capaClusterUpdatePermission = createPermission({
  name: 'capa.cluster.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Delete a workload cluster. A resource permission on the cluster's catalog entity.
 *
 * @public
 */
export const capaClusterDeletePermission = createPermission({
  name: 'capa.cluster.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Grant or revoke IAM principals' access to a workload cluster (aws-auth mappings and EKS access
 * entries). A resource permission on the cluster's catalog entity.
 *
 * @public
 */
export const capaClusterAccessManagePermission = createPermission({
  name: 'capa.cluster.access.manage',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * The platform permission: change a tenant itself or anything outside a tenant's namespace, i.e.
 * onboarding (the tenant Namespace, its labels and owner, AWSClusterRoleIdentity), the
 * AWSClusterControllerIdentity, any cluster-scoped object, and STS checks with the manager's
 * credentials (capa:iam:verify). Tenant namespaces decide which AWS account a cluster may use, so
 * only the platform team should hold it.
 *
 * @public
 */
export const capaPlatformManagePermission = createPermission({
  name: 'capa.platform.manage',
  attributes: { action: 'update' },
});

/** Every permission of the CAPA plugins. @public */
export const capaPermissions = [
  capaClusterReadPermission,
  capaClusterKubeconfigReadPermission,
  capaClusterCreatePermission,
  capaClusterUpdatePermission,
  capaClusterDeletePermission,
  capaClusterAccessManagePermission,
  capaPlatformManagePermission,
];

/**
 * What a caller may do with a cluster, by the `can` filter of the clusters list: each names the
 * permission it checks on the cluster's entity.
 *
 * @public
 */
export const CAPA_CLUSTER_CAPABILITIES = {
  update: capaClusterUpdatePermission,
  delete: capaClusterDeletePermission,
  'manage-access': capaClusterAccessManagePermission,
  'read-kubeconfig': capaClusterKubeconfigReadPermission,
} as const;

/** A key of {@link CAPA_CLUSTER_CAPABILITIES}. @public */
export type CapaClusterCapability = keyof typeof CAPA_CLUSTER_CAPABILITIES;

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

/** Every permission of the CAPA plugins. @public */
export const capaPermissions = [
  capaClusterReadPermission,
  capaClusterKubeconfigReadPermission,
];

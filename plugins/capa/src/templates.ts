import type { CapaClusterCapability } from '@capa-backstage/plugin-capa-common';

/**
 * The day-2 templates of this repository (templates/upgrade-cluster, change-node-pools,
 * grant-cluster-access and allow-cluster-service-access), by catalog name; each takes the
 * cluster's entity ref as `cluster`. The cluster card links to them for users who may do `can`
 * on the cluster (the permission of `CAPA_CLUSTER_CAPABILITIES[can]` on its entity).
 *
 * @public
 */
export const CAPA_DAY2_TEMPLATES = [
  { name: 'capa-upgrade-cluster', title: 'Upgrade the cluster', can: 'update' },
  { name: 'capa-change-node-pools', title: 'Change node pools', can: 'update' },
  {
    name: 'capa-grant-cluster-access',
    title: 'Grant or revoke access',
    can: 'manage-access',
  },
  {
    name: 'capa-allow-cluster-service-access',
    title: 'Allow a cluster to call a service',
    can: 'update',
  },
] as const satisfies ReadonlyArray<{
  name: string;
  title: string;
  can: CapaClusterCapability;
}>;

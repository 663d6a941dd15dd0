/**
 * The day-2 templates of this repository (templates/upgrade-cluster, change-node-pools and
 * grant-cluster-access), by catalog name; each takes the cluster's entity ref as `cluster`. The
 * cluster card links to them.
 *
 * @public
 */
export const CAPA_DAY2_TEMPLATES = [
  { name: 'capa-upgrade-cluster', title: 'Upgrade the cluster' },
  { name: 'capa-change-node-pools', title: 'Change node pools' },
  { name: 'capa-grant-cluster-access', title: 'Grant or revoke access' },
] as const;

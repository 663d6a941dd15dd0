/**
 * The one registry of the Kubernetes kinds the product knows: where each is served, its scope,
 * whether capa:apply accepts it (and in which order), whether the watch cache keeps it, and
 * whether a management cluster needs its CRD for the product to work. Everything that needs one of
 * these facts reads it from here.
 */

/** Facts about one kind. @public */
export interface KindInfo {
  kind: string;
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  /** `group/version`, or `version` for the core group. */
  apiVersion: string;
  /** The resource name in URLs. */
  plural: string;
  namespaced: boolean;
  /**
   * Position in capa:apply's order (what a kind refers to is applied before it); undefined when
   * capa:apply refuses the kind.
   */
  applyOrder?: number;
  /** Whether the watch cache lists and watches the kind. */
  watched: boolean;
  /** The project whose CRD must be installed for the product to work; undefined for built-ins. */
  requiredBy?: 'capi' | 'capa';
}

function kind<
  const R extends Omit<
    KindInfo,
    'kind' | 'group' | 'version' | 'apiVersion' | 'plural'
  >,
>(
  group: string,
  version: string,
  name: string,
  plural: string,
  rest: R,
): KindInfo & R {
  return {
    kind: name,
    group,
    version,
    apiVersion: group ? `${group}/${version}` : version,
    plural,
    ...rest,
  };
}

const CAPI = 'cluster.x-k8s.io';
const CONTROL_PLANE = 'controlplane.cluster.x-k8s.io';
const INFRASTRUCTURE = 'infrastructure.cluster.x-k8s.io';

/**
 * Every kind the product reads or writes, by kind name. CAPI and CAPA kinds are v1beta2, the only
 * version CAPA serves and the one Cluster API stores.
 *
 * @public
 */
export const KINDS = {
  Namespace: kind('', 'v1', 'Namespace', 'namespaces', {
    namespaced: false,
    applyOrder: 0,
    watched: true,
  }),
  // Kept by name only, and only those Cluster API labels (see the watch cache).
  Secret: kind('', 'v1', 'Secret', 'secrets', {
    namespaced: true,
    watched: true,
  }),
  AWSClusterControllerIdentity: kind(
    INFRASTRUCTURE,
    'v1beta2',
    'AWSClusterControllerIdentity',
    'awsclustercontrolleridentities',
    { namespaced: false, applyOrder: 1, watched: true, requiredBy: 'capa' },
  ),
  AWSClusterRoleIdentity: kind(
    INFRASTRUCTURE,
    'v1beta2',
    'AWSClusterRoleIdentity',
    'awsclusterroleidentities',
    { namespaced: false, applyOrder: 1, watched: true, requiredBy: 'capa' },
  ),
  Cluster: kind(CAPI, 'v1beta2', 'Cluster', 'clusters', {
    namespaced: true,
    applyOrder: 2,
    watched: true,
    requiredBy: 'capi',
  }),
  AWSManagedControlPlane: kind(
    CONTROL_PLANE,
    'v1beta2',
    'AWSManagedControlPlane',
    'awsmanagedcontrolplanes',
    { namespaced: true, applyOrder: 3, watched: true, requiredBy: 'capa' },
  ),
  AWSManagedCluster: kind(
    INFRASTRUCTURE,
    'v1beta2',
    'AWSManagedCluster',
    'awsmanagedclusters',
    { namespaced: true, applyOrder: 3, watched: false, requiredBy: 'capa' },
  ),
  MachinePool: kind(CAPI, 'v1beta2', 'MachinePool', 'machinepools', {
    namespaced: true,
    applyOrder: 4,
    watched: true,
    requiredBy: 'capi',
  }),
  AWSManagedMachinePool: kind(
    INFRASTRUCTURE,
    'v1beta2',
    'AWSManagedMachinePool',
    'awsmanagedmachinepools',
    { namespaced: true, applyOrder: 4, watched: true, requiredBy: 'capa' },
  ),
  AWSFargateProfile: kind(
    INFRASTRUCTURE,
    'v1beta2',
    'AWSFargateProfile',
    'awsfargateprofiles',
    { namespaced: true, applyOrder: 5, watched: false },
  ),
  // Workload-cluster objects (VPC Lattice service access) travel in ConfigMaps that Cluster API's
  // ClusterResourceSets apply to the clusters they select. capa:apply refuses both (no
  // applyOrder): through them a template could put any object, RBAC included, into a workload
  // cluster. Only the capa:network:* actions write them, with content they render themselves. For
  // the cluster card, the watch cache keeps this project's ConfigMaps (by label; metadata only:
  // they record what each ClusterResourceSet delivers) and every ClusterResourceSetBinding (one
  // per cluster that has any: what Cluster API applied).
  ConfigMap: kind('', 'v1', 'ConfigMap', 'configmaps', {
    namespaced: true,
    watched: true,
  }),
  ClusterResourceSet: kind(
    'addons.cluster.x-k8s.io',
    'v1beta2',
    'ClusterResourceSet',
    'clusterresourcesets',
    { namespaced: true, watched: false },
  ),
  ClusterResourceSetBinding: kind(
    'addons.cluster.x-k8s.io',
    'v1beta2',
    'ClusterResourceSetBinding',
    'clusterresourcesetbindings',
    { namespaced: true, watched: true },
  ),
} as const satisfies Record<string, KindInfo>;

/** A kind of {@link KINDS}. @public */
export type KnownKind = keyof typeof KINDS;

const ALL: KindInfo[] = Object.values(KINDS);

/** The facts of `apiVersion` + `kind`, or undefined when the product does not know that pair. @public */
export function kindInfo(
  apiVersion: string | undefined,
  kindName: string | undefined,
): KindInfo | undefined {
  return ALL.find(k => k.apiVersion === apiVersion && k.kind === kindName);
}

/** The kinds capa:apply accepts, in apply order. @public */
export const APPLIED_KINDS: readonly KindInfo[] = ALL.filter(
  k => k.applyOrder !== undefined,
).sort((a, b) => a.applyOrder! - b.applyOrder!);

/** The kinds the watch cache keeps. @public */
export const WATCHED_KIND_INFOS: readonly KindInfo[] = ALL.filter(
  k => k.watched,
);

/** The kinds whose CRDs a management cluster must serve. @public */
export const REQUIRED_KINDS: readonly KindInfo[] = ALL.filter(
  k => k.requiredBy !== undefined,
);

/** Names one object of a known kind. @public */
export function objectRef(
  kindName: KnownKind,
  namespace: string | undefined,
  name: string,
): { apiVersion: string; kind: string; namespace?: string; name: string } {
  const info = KINDS[kindName];
  return {
    apiVersion: info.apiVersion,
    kind: info.kind,
    ...(info.namespaced && namespace ? { namespace } : {}),
    name,
  };
}

/** The kinds the watch cache keeps, by name. @public */
export type WatchedKind = {
  [K in KnownKind]: (typeof KINDS)[K]['watched'] extends true ? K : never;
}[KnownKind];

/** Whether the watch cache keeps objects of this kind. @public */
export function isWatchedKind(
  kindName: string | undefined,
): kindName is WatchedKind {
  return WATCHED_KIND_INFOS.some(k => k.kind === kindName);
}

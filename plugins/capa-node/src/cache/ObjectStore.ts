import {
  compareStrings,
  ClusterSummary,
  ClusterView,
  ClusterViewLookup,
  KubernetesObject,
  StoredObject,
  toClusterSummary,
  toClusterView,
  WATCHED_KIND_INFOS,
  WatchedKind,
} from '@capa-backstage/plugin-capa-common';

/**
 * Only the Secrets Cluster API and CAPA write for a cluster (kubeconfigs among them) carry this
 * label, so listing and watching with it leaves every other Secret of the management cluster
 * (service-account tokens, controller credentials) out of the backend altogether.
 */
export const SECRET_LABEL_SELECTOR = 'cluster.x-k8s.io/cluster-name';

/** The label selector a kind is listed and watched with, if any. */
export function labelSelectorOf(kind: string): string | undefined {
  return kind === 'Secret' ? SECRET_LABEL_SELECTOR : undefined;
}

const key = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;

/** The Cluster a MachinePool belongs to (`spec.clusterName`), `''` when it names none. */
const poolClusterName = (pool: KubernetesObject) =>
  String((pool as StoredObject<'MachinePool'>).spec?.clusterName ?? '');

/** Keeps only what the views read of a Secret: its name and namespace; never its data. */
function secretMetadata(obj: KubernetesObject): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      resourceVersion: obj.metadata.resourceVersion,
    },
  };
}

/** Annotation kubectl's client-side apply writes: a full copy of the object, read by nobody here. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * What the store keeps of an object: Secrets by name only; everything else without the API
 * server's bookkeeping that no view reads (managedFields, kubectl's last-applied copy), which is
 * a third or more of an object's size. Idempotent; the input is not changed.
 */
export function projectObject(
  kind: WatchedKind,
  obj: KubernetesObject,
): KubernetesObject {
  if (kind === 'Secret') return secretMetadata(obj);
  const metadata = obj.metadata;
  if (!metadata) return obj;
  const lastApplied = metadata.annotations?.[LAST_APPLIED] !== undefined;
  if (!('managedFields' in metadata) && !lastApplied) return obj;
  const { managedFields, ...kept } = metadata;
  if (lastApplied) {
    const { [LAST_APPLIED]: dropped, ...annotations } = metadata.annotations!;
    kept.annotations = annotations;
  }
  return { ...obj, metadata: kept };
}

/**
 * The objects of one management cluster, indexed for the cluster view: O(1) lookups by kind and
 * namespace/name, node pools by cluster. Views and the sorted summary list are computed lazily and
 * memoised until the next change.
 *
 * @public
 */
export class ObjectStore {
  private readonly maps = new Map<WatchedKind, Map<string, KubernetesObject>>(
    WATCHED_KIND_INFOS.map(k => [k.kind as WatchedKind, new Map()]),
  );
  /** MachinePool keys per `namespace/clusterName`. */
  private readonly poolsByCluster = new Map<string, Set<string>>();
  private views?: Map<string, ClusterView>;
  private summaries?: ClusterSummary[];
  private version = 0;

  /** @param onChange - called after every change, e.g. to notify the catalog module. */
  constructor(
    readonly managementCluster: string,
    private readonly onChange: () => void = () => {},
  ) {}

  /** Increases with every change; lets callers (the entity provider) tell whether to re-read. */
  get generation(): number {
    return this.version;
  }

  /** Replaces every object of a kind, as after a (re-)list. */
  replace(kind: WatchedKind, items: KubernetesObject[]): void {
    const map = this.byKind(kind);
    if (kind === 'MachinePool') this.poolsByCluster.clear();
    map.clear();
    for (const item of items) this.put(kind, item);
    this.changed();
  }

  upsert(kind: WatchedKind, obj: KubernetesObject): void {
    this.delete(kind, obj, false);
    this.put(kind, obj);
    this.changed();
  }

  remove(kind: WatchedKind, obj: KubernetesObject): void {
    this.delete(kind, obj, true);
  }

  /** Every object of a kind (Secrets carry metadata only). */
  objects<K extends WatchedKind>(kind: K): StoredObject<K>[] {
    return [...this.byKind(kind).values()] as StoredObject<K>[];
  }

  count(kind: WatchedKind): number {
    return this.byKind(kind).size;
  }

  private put(kind: WatchedKind, raw: KubernetesObject) {
    const name = raw.metadata?.name;
    if (!name) return;
    const obj = projectObject(kind, raw);
    const k = key(obj.metadata?.namespace, name);
    this.byKind(kind).set(k, obj);
    if (kind === 'MachinePool') {
      const clusterKey = key(obj.metadata.namespace, poolClusterName(obj));
      if (!this.poolsByCluster.has(clusterKey))
        this.poolsByCluster.set(clusterKey, new Set());
      this.poolsByCluster.get(clusterKey)!.add(k);
    }
  }

  private delete(kind: WatchedKind, obj: KubernetesObject, notify: boolean) {
    const k = key(obj.metadata?.namespace, obj.metadata?.name ?? '');
    const map = this.byKind(kind);
    const old = map.get(k);
    if (!old) return;
    map.delete(k);
    if (kind === 'MachinePool') {
      this.poolsByCluster
        .get(key(old.metadata.namespace, poolClusterName(old)))
        ?.delete(k);
    }
    if (notify) this.changed();
  }

  private byKind(kind: WatchedKind): Map<string, KubernetesObject> {
    return this.maps.get(kind)!;
  }

  /** One object of a kind, typed as that kind. */
  private one<K extends WatchedKind>(
    kind: K,
    k: string,
  ): StoredObject<K> | undefined {
    return this.byKind(kind).get(k) as StoredObject<K> | undefined;
  }

  private changed() {
    this.version++;
    this.views = undefined;
    this.summaries = undefined;
    this.onChange();
  }

  private readonly lookup: ClusterViewLookup = {
    controlPlane: (ns, name) =>
      this.one('AWSManagedControlPlane', key(ns, name)),
    machinePools: (ns, cluster) =>
      [...(this.poolsByCluster.get(key(ns, cluster)) ?? [])].map(
        k => this.one('MachinePool', k)!,
      ),
    infrastructurePool: (ns, kind, name) =>
      kind === 'AWSManagedMachinePool'
        ? this.one('AWSManagedMachinePool', key(ns, name))
        : undefined,
    roleIdentity: name =>
      this.one('AWSClusterRoleIdentity', key(undefined, name)),
    namespace: name => this.one('Namespace', key(undefined, name)),
    secretExists: (ns, name) => this.byKind('Secret').has(key(ns, name)),
  };

  private allViews(): Map<string, ClusterView> {
    if (!this.views) {
      this.views = new Map();
      for (const [k, cluster] of this.byKind('Cluster')!) {
        this.views.set(
          k,
          toClusterView(
            this.managementCluster,
            cluster as StoredObject<'Cluster'>,
            this.lookup,
          ),
        );
      }
    }
    return this.views;
  }

  /** The view of one cluster, or undefined when the cache does not hold it. */
  view(namespace: string, name: string): ClusterView | undefined {
    return this.allViews().get(key(namespace, name));
  }

  /** Every cluster's view. */
  listViews(): ClusterView[] {
    return [...this.allViews().values()];
  }

  /** Every cluster's fleet row, sorted by namespace and name. */
  listSummaries(): ClusterSummary[] {
    if (!this.summaries) {
      this.summaries = this.listViews()
        .map(toClusterSummary)
        .sort(
          (a, b) =>
            compareStrings(a.namespace, b.namespace) ||
            compareStrings(a.name, b.name),
        );
    }
    return this.summaries;
  }
}

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
import { StringTable } from './intern';

/**
 * Only the Secrets Cluster API and CAPA write for a cluster (kubeconfigs among them) carry this
 * label, so listing and watching with it leaves every other Secret of the management cluster
 * (service-account tokens, controller credentials) out of the backend altogether.
 */
export const SECRET_LABEL_SELECTOR = 'cluster.x-k8s.io/cluster-name';

/** Only this project's ConfigMaps (VPC Lattice service access) carry it among ConfigMaps. */
export const LATTICE_LABEL_SELECTOR = 'capa.backstage.io/lattice';

/** The label selector a kind is listed and watched with, if any. */
export function labelSelectorOf(kind: string): string | undefined {
  if (kind === 'Secret') return SECRET_LABEL_SELECTOR;
  if (kind === 'ConfigMap') return LATTICE_LABEL_SELECTOR;
  return undefined;
}

/**
 * Whether a kind is listed and watched as metadata only. The views read nothing of a Secret but
 * its name, so Secrets come as metadata: their `data` field (the admin kubeconfig's token among
 * them) is never sent, and a list of them is a fraction of the bytes. Annotations still come (a
 * Secret applied with client-side `kubectl apply` carries a copy of itself in one) and are
 * dropped on receipt, as everything but the name is (see secretMetadata).
 */
export function listsMetadataOnly(kind: string): boolean {
  return kind === 'Secret';
}

const key = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;

/** A change that can change any view (a cluster-scoped identity, a re-list). */
const ALL_VIEWS = Symbol('all views');

/**
 * The views a change of an object can change. A view reads objects of its own namespace, its
 * Namespace object, and cluster-scoped identities (which any view may name).
 */
function scopeOf(
  kind: WatchedKind,
  obj: KubernetesObject,
): string | typeof ALL_VIEWS {
  if (kind === 'Namespace') return obj.metadata?.name ?? '';
  const namespace = obj.metadata?.namespace;
  return namespace === undefined ? ALL_VIEWS : namespace;
}

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
  // The card reads a ConfigMap's labels and annotations; its data (the delivered objects) is
  // read by nobody here.
  if (kind === 'ConfigMap' && ('data' in obj || 'binaryData' in obj)) {
    const { data, binaryData, ...rest } = obj as KubernetesObject & {
      data?: unknown;
      binaryData?: unknown;
    };
    return projectObject(kind, rest);
  }
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
  /** Cluster keys per namespace: the views a change in a namespace can change. */
  private readonly clustersByNamespace = new Map<string, Set<string>>();
  /**
   * Views computed since the objects they read last changed. A change drops only the views it
   * can change (those of its namespace), so a status change costs one namespace's views, and an
   * unchanged view stays the same object (the entity provider memoises on it).
   */
  private readonly views = new Map<string, ClusterView>();
  /** Whether every Cluster has its view in `views`. */
  private viewsComplete = false;
  private readonly summaryOf = new WeakMap<ClusterView, ClusterSummary>();
  private summaries?: ClusterSummary[];
  private version = 0;
  /** Equal strings of the stored objects shared (see StringTable). */
  private readonly strings = new StringTable();

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
    if (kind === 'Cluster') this.clustersByNamespace.clear();
    map.clear();
    for (const item of items) this.put(kind, item);
    this.changed(ALL_VIEWS);
  }

  upsert(kind: WatchedKind, obj: KubernetesObject): void {
    this.delete(kind, obj, false);
    this.put(kind, obj);
    this.changed(scopeOf(kind, obj));
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
    const obj = this.strings.shareIn(projectObject(kind, raw));
    const k = key(obj.metadata?.namespace, name);
    this.byKind(kind).set(k, obj);
    if (kind === 'MachinePool') {
      const clusterKey = key(obj.metadata.namespace, poolClusterName(obj));
      if (!this.poolsByCluster.has(clusterKey))
        this.poolsByCluster.set(clusterKey, new Set());
      this.poolsByCluster.get(clusterKey)!.add(k);
    }
    if (kind === 'Cluster') {
      const ns = obj.metadata.namespace ?? '';
      if (!this.clustersByNamespace.has(ns))
        this.clustersByNamespace.set(ns, new Set());
      this.clustersByNamespace.get(ns)!.add(k);
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
    if (kind === 'Cluster') {
      this.clustersByNamespace.get(old.metadata.namespace ?? '')?.delete(k);
      this.views.delete(k);
    }
    if (notify) this.changed(scopeOf(kind, old));
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

  /** Drops the views a change can change: those of one namespace, or all. */
  private changed(scope: string | typeof ALL_VIEWS) {
    this.version++;
    if (scope === ALL_VIEWS) this.views.clear();
    else
      for (const k of this.clustersByNamespace.get(scope) ?? [])
        this.views.delete(k);
    this.viewsComplete = false;
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
    controllerIdentity: name =>
      this.one('AWSClusterControllerIdentity', key(undefined, name)),
    namespace: name => this.one('Namespace', key(undefined, name)),
    secretExists: (ns, name) => this.byKind('Secret').has(key(ns, name)),
  };

  private computeView(k: string): ClusterView | undefined {
    const cluster = this.one('Cluster', k);
    if (!cluster) return undefined;
    const view = toClusterView(this.managementCluster, cluster, this.lookup);
    this.views.set(k, view);
    return view;
  }

  /** The view of one cluster, or undefined when the cache does not hold it. */
  view(namespace: string, name: string): ClusterView | undefined {
    const k = key(namespace, name);
    return this.views.get(k) ?? this.computeView(k);
  }

  /** Every cluster's view, in the order the Clusters were stored. */
  listViews(): ClusterView[] {
    const clusters = [...this.byKind('Cluster').keys()];
    if (!this.viewsComplete) {
      for (const k of clusters) if (!this.views.has(k)) this.computeView(k);
      this.viewsComplete = true;
    }
    return clusters.map(k => this.views.get(k)!);
  }

  /** Every cluster's fleet row, sorted by namespace and name. */
  listSummaries(): ClusterSummary[] {
    if (!this.summaries) {
      this.summaries = this.listViews()
        .map(view => {
          let summary = this.summaryOf.get(view);
          if (!summary) {
            summary = toClusterSummary(view);
            this.summaryOf.set(view, summary);
          }
          return summary;
        })
        .sort(
          (a, b) =>
            compareStrings(a.namespace, b.namespace) ||
            compareStrings(a.name, b.name),
        );
    }
    return this.summaries;
  }
}

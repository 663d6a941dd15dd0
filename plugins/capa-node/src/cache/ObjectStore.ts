import {
  compareStrings,
  ClusterList,
  ClusterPhase,
  ClusterSummary,
  ClusterView,
  ClusterViewLookup,
  toClusterSummary,
  toClusterView,
  UnstructuredObject,
} from '@capa-backstage/plugin-capa-common';

/** The kinds the watch cache keeps, with what the API needs to list and watch them. */
export const WATCHED_KINDS = [
  {
    kind: 'Cluster',
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    plural: 'clusters',
    namespaced: true,
  },
  {
    kind: 'AWSManagedControlPlane',
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    plural: 'awsmanagedcontrolplanes',
    namespaced: true,
  },
  {
    kind: 'MachinePool',
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    plural: 'machinepools',
    namespaced: true,
  },
  {
    kind: 'AWSManagedMachinePool',
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    plural: 'awsmanagedmachinepools',
    namespaced: true,
  },
  {
    kind: 'AWSClusterRoleIdentity',
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    plural: 'awsclusterroleidentities',
    namespaced: false,
  },
  {
    kind: 'AWSClusterControllerIdentity',
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    plural: 'awsclustercontrolleridentities',
    namespaced: false,
  },
  {
    kind: 'Namespace',
    apiVersion: 'v1',
    plural: 'namespaces',
    namespaced: false,
  },
  // Secrets are kept by name only: the store drops everything but metadata on arrival.
  { kind: 'Secret', apiVersion: 'v1', plural: 'secrets', namespaced: true },
] as const;

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

/** @public */
export type WatchedKind = (typeof WATCHED_KINDS)[number]['kind'];

const key = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;

/** Keeps only what the views read of a Secret: its name, namespace and type; never its data. */
function secretMetadata(obj: UnstructuredObject): UnstructuredObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: obj.metadata?.name,
      namespace: obj.metadata?.namespace,
      resourceVersion: obj.metadata?.resourceVersion,
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
  obj: UnstructuredObject,
): UnstructuredObject {
  if (kind === 'Secret') return secretMetadata(obj);
  const metadata = obj.metadata as
    | (UnstructuredObject['metadata'] & { managedFields?: unknown })
    | undefined;
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

/** Filters of the fleet list; every field is an exact match. @public */
export interface ClusterFilters {
  namespace?: string;
  tenant?: string;
  phase?: string;
  accountId?: string;
  region?: string;
}

/**
 * The objects of one management cluster, indexed for the cluster view: O(1) lookups by kind and
 * namespace/name, node pools by cluster. Views and the sorted summary list are computed lazily and
 * memoised until the next change.
 */
export class ObjectStore {
  private readonly maps = new Map<WatchedKind, Map<string, UnstructuredObject>>(
    WATCHED_KINDS.map(k => [k.kind, new Map()]),
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
  replace(kind: WatchedKind, items: UnstructuredObject[]): void {
    const map = this.byKind(kind);
    if (kind === 'MachinePool') this.poolsByCluster.clear();
    map.clear();
    for (const item of items) this.put(kind, item);
    this.changed();
  }

  upsert(kind: WatchedKind, obj: UnstructuredObject): void {
    this.delete(kind, obj, false);
    this.put(kind, obj);
    this.changed();
  }

  remove(kind: WatchedKind, obj: UnstructuredObject): void {
    this.delete(kind, obj, true);
  }

  /** Every object of a kind (Secrets carry metadata only). */
  objects(kind: WatchedKind): UnstructuredObject[] {
    return [...this.byKind(kind).values()];
  }

  count(kind: WatchedKind): number {
    return this.byKind(kind).size;
  }

  private put(kind: WatchedKind, raw: UnstructuredObject) {
    const name = raw.metadata?.name;
    if (!name) return;
    const obj = projectObject(kind, raw);
    const k = key(obj.metadata?.namespace, name);
    this.byKind(kind).set(k, obj);
    if (kind === 'MachinePool') {
      const clusterKey = key(
        obj.metadata?.namespace,
        String(obj.spec?.clusterName ?? ''),
      );
      if (!this.poolsByCluster.has(clusterKey))
        this.poolsByCluster.set(clusterKey, new Set());
      this.poolsByCluster.get(clusterKey)!.add(k);
    }
  }

  private delete(kind: WatchedKind, obj: UnstructuredObject, notify: boolean) {
    const k = key(obj.metadata?.namespace, obj.metadata?.name ?? '');
    const map = this.byKind(kind);
    const old = map.get(k);
    if (!old) return;
    map.delete(k);
    if (kind === 'MachinePool') {
      this.poolsByCluster
        .get(key(old.metadata?.namespace, String(old.spec?.clusterName ?? '')))
        ?.delete(k);
    }
    if (notify) this.changed();
  }

  private byKind(kind: WatchedKind): Map<string, UnstructuredObject> {
    return this.maps.get(kind)!;
  }

  private changed() {
    this.version++;
    this.views = undefined;
    this.summaries = undefined;
    this.onChange();
  }

  private readonly lookup: ClusterViewLookup = {
    controlPlane: (ns, name) =>
      this.byKind('AWSManagedControlPlane').get(key(ns, name)),
    machinePools: (ns, cluster) =>
      [...(this.poolsByCluster.get(key(ns, cluster)) ?? [])].map(
        k => this.byKind('MachinePool').get(k)!,
      ),
    infrastructurePool: (ns, kind, name) =>
      kind === 'AWSManagedMachinePool'
        ? this.byKind('AWSManagedMachinePool').get(key(ns, name))
        : undefined,
    roleIdentity: name =>
      this.byKind('AWSClusterRoleIdentity').get(key(undefined, name)),
    namespace: name => this.byKind('Namespace').get(key(undefined, name)),
    secretExists: (ns, name) => this.byKind('Secret').has(key(ns, name)),
  };

  private allViews(): Map<string, ClusterView> {
    if (!this.views) {
      this.views = new Map();
      for (const [k, cluster] of this.byKind('Cluster')!) {
        this.views.set(
          k,
          toClusterView(this.managementCluster, cluster, this.lookup),
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

/** Applies the filters to fleet rows. */
export function matches(s: ClusterSummary, f: ClusterFilters): boolean {
  return (
    (!f.namespace || s.namespace === f.namespace) &&
    (!f.tenant || s.tenant === f.tenant) &&
    (!f.phase || s.phase === f.phase) &&
    (!f.accountId || s.accountId === f.accountId) &&
    (!f.region || s.region === f.region)
  );
}

/** Cuts a page from filtered rows: the cursor is the offset, opaque to callers. */
export function page(
  items: ClusterSummary[],
  limit: number,
  cursor: string | undefined,
): ClusterList {
  const offset = cursor
    ? Number(Buffer.from(cursor, 'base64url').toString())
    : 0;
  const phaseCounts: Partial<Record<ClusterPhase, number>> = {};
  for (const s of items) phaseCounts[s.phase] = (phaseCounts[s.phase] ?? 0) + 1;
  const next = offset + limit;
  return {
    items: items.slice(offset, next),
    totalItems: items.length,
    phaseCounts,
    nextCursor:
      next < items.length
        ? Buffer.from(String(next)).toString('base64url')
        : undefined,
  };
}

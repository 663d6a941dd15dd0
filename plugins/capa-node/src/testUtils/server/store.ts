/**
 * The object store: maps keyed by resource, namespace and name (O(1) gets, lists that touch one
 * namespace only), a global resourceVersion counter, and a bounded event history that watches
 * replay from. Stored objects are never mutated: every write stores a new object, so lists, list
 * snapshots and the history can share references safely.
 */
import type { FieldManagerEntry } from './fields';
import type { KubeObject } from './selectors';

/** An object and its field managers. */
export interface Stored {
  obj: KubeObject;
  managers: FieldManagerEntry[];
}

/** One change, as watches see it. `prev` is the object before a MODIFIED change. */
export interface StoreEvent {
  rv: number;
  storageKey: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  obj: KubeObject;
  prev?: KubeObject;
}

type Listener = (event: StoreEvent) => void;

export class ObjectStore {
  private rv: number;
  private readonly kinds = new Map<string, Map<string, Map<string, Stored>>>();
  private history: StoreEvent[] = [];
  /** The resourceVersion of each resource's latest change: what its watch cache has reached. */
  private readonly latestRv = new Map<string, number>();
  /** Watches may start from any resourceVersion >= this; older ones get 410 Expired. */
  private oldestWatchableRv: number;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly historyLimit: number, firstRv = 1000) {
    this.rv = firstRv;
    this.oldestWatchableRv = firstRv;
  }

  get currentRv(): number {
    return this.rv;
  }

  /** The resourceVersion of a resource's latest change; 0 when it never changed. */
  latestRvOf(storageKey: string): number {
    return this.latestRv.get(storageKey) ?? 0;
  }

  get(
    storageKey: string,
    namespace: string | undefined,
    name: string,
  ): Stored | undefined {
    return this.kinds
      .get(storageKey)
      ?.get(namespace ?? '')
      ?.get(name);
  }

  /** Objects of one resource, in one namespace or all, sorted by namespace and name like etcd keys. */
  list(storageKey: string, namespace?: string): Stored[] {
    const byNs = this.kinds.get(storageKey);
    if (!byNs) return [];
    const namespaces =
      namespace !== undefined ? [namespace] : [...byNs.keys()].sort();
    const out: Stored[] = [];
    for (const ns of namespaces) {
      const byName = byNs.get(ns);
      if (!byName) continue;
      const names = [...byName.keys()].sort();
      for (const n of names) out.push(byName.get(n)!);
    }
    return out;
  }

  /** Number of objects of one resource (all namespaces). */
  count(storageKey: string): number {
    let n = 0;
    for (const byName of this.kinds.get(storageKey)?.values() ?? [])
      n += byName.size;
    return n;
  }

  storageKeys(): string[] {
    return [...this.kinds.keys()];
  }

  /**
   * Stores a new or changed object under the next resourceVersion and tells the watches. The
   * object must be fresh (not shared with the caller).
   */
  put(storageKey: string, stored: Stored, prev?: KubeObject): StoreEvent {
    const rv = ++this.rv;
    stored.obj.metadata.resourceVersion = String(rv);
    const ns = stored.obj.metadata.namespace ?? '';
    let byNs = this.kinds.get(storageKey);
    if (!byNs) this.kinds.set(storageKey, (byNs = new Map()));
    let byName = byNs.get(ns);
    if (!byName) byNs.set(ns, (byName = new Map()));
    byName.set(stored.obj.metadata.name, stored);
    return this.emit({
      rv,
      storageKey,
      type: prev ? 'MODIFIED' : 'ADDED',
      obj: stored.obj,
      prev,
    });
  }

  /** Removes an object; the DELETED event carries the deletion's resourceVersion, as the apiserver's does. */
  remove(
    storageKey: string,
    namespace: string | undefined,
    name: string,
  ): StoreEvent | undefined {
    const byName = this.kinds.get(storageKey)?.get(namespace ?? '');
    const stored = byName?.get(name);
    if (!byName || !stored) return undefined;
    byName.delete(name);
    const rv = ++this.rv;
    const obj = {
      ...stored.obj,
      metadata: { ...stored.obj.metadata, resourceVersion: String(rv) },
    };
    return this.emit({ rv, storageKey, type: 'DELETED', obj });
  }

  private emit(event: StoreEvent): StoreEvent {
    this.history.push(event);
    this.latestRv.set(event.storageKey, event.rv);
    if (this.history.length > this.historyLimit * 1.25) {
      const drop = this.history.length - this.historyLimit;
      this.oldestWatchableRv = this.history[drop - 1].rv;
      this.history = this.history.slice(drop);
    }
    for (const l of this.listeners.get(event.storageKey) ?? []) l(event);
    return event;
  }

  /** Forgets the history: a watch from any resourceVersion before now gets 410 Expired. */
  compact(): void {
    this.history = [];
    this.oldestWatchableRv = this.rv;
  }

  /** Events of one resource after `rv`, or 'expired' when the history no longer reaches back that far. */
  eventsSince(storageKey: string, rv: number): StoreEvent[] | 'expired' {
    if (rv < this.oldestWatchableRv) return 'expired';
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo).filter(e => e.storageKey === storageKey);
  }

  subscribe(storageKey: string, listener: Listener): () => void {
    let set = this.listeners.get(storageKey);
    if (!set) this.listeners.set(storageKey, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }
}

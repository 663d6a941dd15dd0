import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  WATCHED_KIND_INFOS,
  type WatchedKind,
} from '@capa-backstage/plugin-capa-common';
import {
  DEFAULT_TIMINGS,
  Informer,
  InformerTimings,
  ListWatchTransport,
} from './Informer';
import { ObjectStore } from './ObjectStore';
import type {
  CapaClusterCache,
  ManagementClusterHealth,
  WarningEvents,
} from './types';

/** What the cache needs of one management cluster besides list and watch. */
export interface CacheSource extends ListWatchTransport {
  readonly name: string;
  /** Reads one Secret's data, or undefined when it does not exist. */
  readSecretData(
    namespace: string,
    name: string,
  ): Promise<Record<string, string> | undefined>;
  /** Reads the newest Warning events of a namespace. */
  readWarningEvents(namespace: string): Promise<WarningEvents>;
}

/**
 * List calls (pages) in flight at once per management cluster, by default. Every informer lists
 * at start and at each resync; unbounded, every kind's page of every management cluster is read
 * and parsed at once, and the process keeps much of the memory of that peak (`yarn bench`, 2,000
 * clusters: about 40 MB more RSS). The cost: a management cluster's sync takes one round trip per
 * page in sequence (on loopback, where parsing dominates, about 0.3 s more for 16,000 objects).
 */
const DEFAULT_LIST_CONCURRENCY = 1;

/** The source with at most `max` list calls in flight at once; watches are not limited. */
function withListLimit(
  source: CacheSource,
  max: number,
): ListWatchTransport & { open(): void; close(): void } {
  let running = 0;
  let closed = false;
  const waiting: Array<{ go(): void; cancel(): void }> = [];
  return {
    async list(kind, options) {
      if (closed) throw new Error('the cache is stopped');
      if (running >= max)
        await new Promise<void>((go, cancel) =>
          waiting.push({
            go,
            cancel: () => cancel(new Error('the cache is stopped')),
          }),
        );
      else running++;
      try {
        return await source.list(kind, options);
      } finally {
        // Hand the slot to the next waiter, or free it.
        const next = waiting.shift();
        if (next) next.go();
        else running--;
      }
    },
    watch: (kind, resourceVersion, onEvent, onClose) =>
      source.watch(kind, resourceVersion, onEvent, onClose),
    open() {
      closed = false;
    },
    /** Lists still waiting for a slot fail instead of being sent; later ones fail at once. */
    close() {
      closed = true;
      for (const w of waiting.splice(0)) w.cancel();
    },
  };
}

/** The watched kinds whose CRDs come with Cluster API and with CAPA: health reports them. */
const watchedOf = (project: 'capi' | 'capa') =>
  WATCHED_KIND_INFOS.filter(k => k.requiredBy === project).map(
    k => k.kind as WatchedKind,
  );
const CAPI_KINDS = watchedOf('capi');
const CAPA_KINDS = watchedOf('capa');

/**
 * The watch cache of several management clusters: one ObjectStore and one informer per watched
 * kind for each. A management cluster that is down or lacks the CRDs only affects its own store
 * and health entry. Change notifications are coalesced: listeners run once per burst.
 *
 * @public
 */
export class DefaultCapaClusterCache implements CapaClusterCache {
  private readonly entries: Array<{
    source: CacheSource;
    transport: ReturnType<typeof withListLimit>;
    store: ObjectStore;
    informers: Map<WatchedKind, Informer>;
  }>;
  private readonly listeners = new Set<() => void>();
  private notifyTimer?: NodeJS.Timeout;

  constructor(
    sources: CacheSource[],
    private readonly logger: LoggerService,
    private readonly options: {
      timings?: InformerTimings;
      notifyDelayMs?: number;
      /** List calls (pages) in flight at once per management cluster. Default 1. */
      listConcurrency?: number;
    } = {},
  ) {
    this.entries = sources.map(source => {
      const store = new ObjectStore(source.name, () => this.scheduleNotify());
      const log = logger.child({ managementCluster: source.name });
      const transport = withListLimit(
        source,
        Math.max(1, options.listConcurrency ?? DEFAULT_LIST_CONCURRENCY),
      );
      const informers = new Map(
        WATCHED_KIND_INFOS.map(kind => [
          kind.kind as WatchedKind,
          new Informer(
            kind,
            store,
            transport,
            log,
            options.timings ?? DEFAULT_TIMINGS,
          ),
        ]),
      );
      return { source, transport, store, informers };
    });
  }

  start(): void {
    for (const e of this.entries) {
      e.transport.open();
      for (const i of e.informers.values()) i.start();
    }
  }

  stop(): void {
    clearTimeout(this.notifyTimer);
    for (const e of this.entries) {
      for (const i of e.informers.values()) i.stop();
      e.transport.close();
    }
  }

  managementClusters(): string[] {
    return this.entries.map(e => e.source.name);
  }

  store(managementCluster: string): ObjectStore | undefined {
    return this.entries.find(e => e.source.name === managementCluster)?.store;
  }

  health(): ManagementClusterHealth[] {
    return this.entries.map(({ source, store, informers }) => {
      const statuses = [...informers.entries()].map(([kind, i]) => ({
        kind,
        ...i.status(),
      }));
      const lastHeard = Math.max(0, ...statuses.map(s => s.lastHeard ?? 0));
      const missing = (kinds: WatchedKind[]) =>
        statuses.some(s => kinds.includes(s.kind) && s.missing);
      const errors = statuses
        .filter(s => s.error)
        .map(s => `${s.kind}: ${s.error}`);
      const failingSince = Math.min(
        ...statuses.map(s => s.failingSince ?? Infinity),
      );
      return {
        name: source.name,
        reachable:
          statuses.some(s => s.synced || s.missing) &&
          statuses.every(s => !s.error || s.missing),
        ...(errors.length ? { error: [...new Set(errors)].join('; ') } : {}),
        crds: { capi: !missing(CAPI_KINDS), capa: !missing(CAPA_KINDS) },
        synced: statuses.every(s => s.synced),
        ...(Number.isFinite(failingSince)
          ? { failingSince: new Date(failingSince).toISOString() }
          : {}),
        ...(lastHeard
          ? { cacheAgeSeconds: Math.round((Date.now() - lastHeard) / 100) / 10 }
          : {}),
        objects: Object.fromEntries(
          WATCHED_KIND_INFOS.map(k => [
            k.kind,
            store.count(k.kind as WatchedKind),
          ]),
        ),
      };
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async readSecretData(
    managementCluster: string,
    namespace: string,
    name: string,
  ) {
    const entry = this.entries.find(e => e.source.name === managementCluster);
    return entry ? entry.source.readSecretData(namespace, name) : undefined;
  }

  async readWarningEvents(
    managementCluster: string,
    namespace: string,
  ): Promise<WarningEvents> {
    const entry = this.entries.find(e => e.source.name === managementCluster);
    if (!entry)
      throw new Error(`Unknown management cluster "${managementCluster}"`);
    return entry.source.readWarningEvents(namespace);
  }

  private scheduleNotify() {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      for (const l of this.listeners) {
        try {
          l();
        } catch (e) {
          this.logger.error(`CAPA cache listener failed: ${e}`);
        }
      }
    }, this.options.notifyDelayMs ?? 500);
    this.notifyTimer.unref?.();
  }
}

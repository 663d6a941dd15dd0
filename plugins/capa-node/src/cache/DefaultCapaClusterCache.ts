import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  DEFAULT_TIMINGS,
  Informer,
  InformerTimings,
  ListWatchTransport,
} from './Informer';
import { ObjectStore, WATCHED_KINDS, WatchedKind } from './ObjectStore';
import type { CapaClusterCache, ManagementClusterHealth } from './types';

/** What the cache needs of one management cluster besides list and watch. */
export interface CacheSource extends ListWatchTransport {
  readonly name: string;
  /** Reads one Secret's data, or undefined when it does not exist. */
  readSecretData(
    namespace: string,
    name: string,
  ): Promise<Record<string, string> | undefined>;
}

const CAPI_KINDS: WatchedKind[] = ['Cluster', 'MachinePool'];
const CAPA_KINDS: WatchedKind[] = [
  'AWSManagedControlPlane',
  'AWSManagedMachinePool',
  'AWSClusterRoleIdentity',
  'AWSClusterControllerIdentity',
];

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
    } = {},
  ) {
    this.entries = sources.map(source => {
      const store = new ObjectStore(source.name, () => this.scheduleNotify());
      const log = logger.child({ managementCluster: source.name });
      const informers = new Map(
        WATCHED_KINDS.map(kind => [
          kind.kind as WatchedKind,
          new Informer(
            kind,
            store,
            source,
            log,
            options.timings ?? DEFAULT_TIMINGS,
          ),
        ]),
      );
      return { source, store, informers };
    });
  }

  start(): void {
    for (const e of this.entries)
      for (const i of e.informers.values()) i.start();
  }

  stop(): void {
    clearTimeout(this.notifyTimer);
    for (const e of this.entries)
      for (const i of e.informers.values()) i.stop();
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
      return {
        name: source.name,
        reachable:
          statuses.some(s => s.synced || s.missing) &&
          statuses.every(s => !s.error || s.missing),
        ...(errors.length ? { error: [...new Set(errors)].join('; ') } : {}),
        crds: { capi: !missing(CAPI_KINDS), capa: !missing(CAPA_KINDS) },
        synced: statuses.every(s => s.synced),
        ...(lastHeard
          ? { cacheAgeSeconds: Math.round((Date.now() - lastHeard) / 100) / 10 }
          : {}),
        objects: Object.fromEntries(
          WATCHED_KINDS.map(k => [k.kind, store.count(k.kind as WatchedKind)]),
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

import {
  AuthService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION } from '@backstage/catalog-model';
import { Config, readDurationFromConfig } from '@backstage/config';
import { isError } from '@backstage/errors';
import {
  CatalogService,
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { CAPA_ANNOTATIONS } from '@capa-backstage/plugin-capa-common';
import type { CapaClusterCache } from '@capa-backstage/plugin-capa-node';
import { durationToMilliseconds } from '@backstage/types';
import {
  describeEntities,
  digestOf,
  EntityIndex,
  HashedEntity,
  locationOf,
  markedStale,
  sortedEntities,
} from './provider/entities';

const DEFAULT_OWNER = 'group:default/platform-team';

/**
 * A full write per management cluster at least this often, on whichever replica runs it first,
 * besides the writes that changes trigger: repairs anything a lost trigger left behind.
 */
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 5 },
};

/**
 * How long requests to a management cluster must have failed before its entities are marked
 * stale: a dropped watch that reconnects within seconds is not an outage.
 */
const DEFAULT_STALE_AFTER = { minutes: 1 };

/** How often a replica looks at its cache for a change that asks for a write. */
const CHECK_INTERVAL_MS = 2_000;

/**
 * Between full mutations a run writes a delta of what changed since this replica's last write;
 * a run this long after the last full one writes a full one again, which repairs what a delta
 * cannot know (an entity another replica wrote and that is gone since).
 */
const FULL_WRITE_EVERY_MS = 5 * 60_000;

/**
 * What a run did, for tests and logs.
 *
 * @public
 */
export type CapaEntityProviderRun =
  /**
   * A complete cache: every entity written, removed clusters removed (`full`), or only the
   * entities that changed since this replica's last write and the removed ones (`delta`, which
   * may be empty: then nothing is sent).
   */
  | {
      result: 'written';
      mutation: 'full' | 'delta';
      /** Entities the cache implies. */
      entities: number;
      /** Entities sent to the catalog (all in a full mutation), and entities removed in a delta. */
      written: number;
      removed: number;
    }
  /** Unreachable for longer than the grace period: the catalog's entities marked stale. */
  | { result: 'marked-stale'; entities: number }
  /** Not listed yet (after a start), or failing only briefly: nothing written. */
  | { result: 'waiting'; reason: string };

/**
 * The services the providers use.
 *
 * @public
 */
export interface CapaEntityProviderDeps {
  cache: CapaClusterCache;
  logger: LoggerService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  auth: AuthService;
}

interface Settings {
  defaultOwner: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  staleAfterMs: number;
}

/**
 * The catalog entities of one management cluster: each workload cluster a Resource of type
 * kubernetes-cluster owned by its tenant's group, each tenant AWSClusterRoleIdentity a Resource the
 * clusters depend on.
 *
 * One provider per management cluster, with its own provider name and location key, so one
 * management cluster's trouble never touches another's entities. Entities are written only from a
 * complete (synced) cache: a cluster leaves the catalog only when a complete list no longer has
 * it, never because a management cluster is down or not listed yet after a restart. While it is
 * unreachable, its entities stay, marked with `capa.backstage.io/stale-since`.
 *
 * Writes run in a global scheduled task (one replica at a time, whichever claims it), triggered
 * when the implied entities change (a status change changes none) and run periodically besides;
 * every replica's cache holds the same objects, so any replica writes the same entities. A
 * replica's first write, and one every few minutes, is a full mutation; the others are deltas of
 * the entities whose content changed since its last write and of the removed ones, so catalog
 * work follows what changed, not the size of the fleet.
 *
 * @public
 */
export class CapaEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private unsubscribe?: () => void;
  private checkTimer?: NodeJS.Timeout;
  /** What the last trigger was for; a change of it asks for another write. */
  private lastState = '';
  private lastGeneration = -1;
  private triggerPending = false;
  private readonly index: EntityIndex;
  /** Hash of each entity as this replica last wrote it; undefined until a full write. */
  private written?: Map<string, string>;
  /** Entities the cache implied since the last write (a delta removes those gone). */
  private readonly seen = new Set<string>();
  private lastFullAt = 0;

  /** One provider per configured management cluster. */
  static fromConfig(
    config: Config,
    deps: CapaEntityProviderDeps,
  ): CapaEntityProvider[] {
    const settings: Settings = {
      defaultOwner:
        config.getOptionalString('capa.catalog.defaultOwner') ?? DEFAULT_OWNER,
      schedule: config.has('capa.catalog.schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            config.getConfig('capa.catalog.schedule'),
          )
        : DEFAULT_SCHEDULE,
      staleAfterMs: durationToMilliseconds(
        config.has('capa.catalog.markStaleAfter')
          ? readDurationFromConfig(config, {
              key: 'capa.catalog.markStaleAfter',
            })
          : DEFAULT_STALE_AFTER,
      ),
    };
    return deps.cache
      .managementClusters()
      .map(mc => new CapaEntityProvider(mc, deps, settings));
  }

  private constructor(
    private readonly managementCluster: string,
    private readonly deps: CapaEntityProviderDeps,
    private readonly settings: Settings,
  ) {
    this.index = new EntityIndex(managementCluster, settings.defaultOwner);
  }

  getProviderName(): string {
    return `capa:${this.managementCluster}`;
  }

  private get taskId() {
    return `${this.getProviderName()}:refresh`;
  }

  private get locationKey() {
    return `capa-provider:${this.managementCluster}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.deps.scheduler.scheduleTask({
      id: this.taskId,
      scope: 'global',
      ...this.settings.schedule,
      fn: async () => {
        const run = await this.run();
        if (run.result === 'waiting')
          this.deps.logger.debug(
            `CAPA entities of ${this.managementCluster} not written: ${run.reason}`,
          );
      },
    });
    this.unsubscribe = this.deps.cache.subscribe(() => this.check());
    // Also catches changes the cache does not announce: a management cluster that went quiet
    // because it is down, or one that has been down long enough to mark its entities stale.
    this.checkTimer = setInterval(() => this.check(), CHECK_INTERVAL_MS);
    this.checkTimer.unref?.();
  }

  /** Stops following the cache (for shutdown). */
  close(): void {
    this.unsubscribe?.();
    clearInterval(this.checkTimer);
  }

  /**
   * Writes what the cache says now: every entity from a complete cache, or the stale mark on the
   * catalog's entities after the management cluster has been unreachable for a while, or nothing.
   */
  async run(): Promise<CapaEntityProviderRun> {
    if (!this.connection)
      throw new Error(`${this.getProviderName()} is not connected`);
    const state = this.state();
    if (state.kind === 'waiting')
      return { result: 'waiting', reason: state.reason };
    if (state.kind === 'stale') return this.markStale(state.since);

    const store = this.deps.cache.store(this.managementCluster)!;
    const current = this.index.entities(store);
    if (!this.written || Date.now() - this.lastFullAt >= FULL_WRITE_EVERY_MS)
      return this.writeFull(current);
    return this.writeDelta(current, this.written);
  }

  private async writeFull(
    current: Map<string, HashedEntity>,
  ): Promise<CapaEntityProviderRun> {
    const entities = sortedEntities(current);
    await this.connection!.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.locationKey,
      })),
    });
    this.remember(current);
    this.lastFullAt = Date.now();
    this.deps.logger.info(
      `Wrote ${describeEntities(entities)} of management cluster ${
        this.managementCluster
      } (full mutation)`,
    );
    return {
      result: 'written',
      mutation: 'full',
      entities: entities.length,
      written: entities.length,
      removed: 0,
    };
  }

  /** The entities whose content changed since this replica's last write, and the gone ones. */
  private async writeDelta(
    current: Map<string, HashedEntity>,
    written: Map<string, string>,
  ): Promise<CapaEntityProviderRun> {
    const added: DeferredEntity[] = [];
    for (const [name, { hash, build }] of current)
      if (written.get(name) !== hash)
        added.push({ entity: build(), locationKey: this.locationKey });
    const removed: DeferredEntity[] = [];
    for (const name of new Set([...written.keys(), ...this.seen])) {
      if (current.has(name)) continue;
      removed.push({
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Resource',
          metadata: { name },
        },
        locationKey: this.locationKey,
      });
    }
    if (added.length || removed.length) {
      await this.connection!.applyMutation({ type: 'delta', added, removed });
      this.deps.logger.info(
        `Wrote ${describeEntities(added.map(a => a.entity))} and removed ${
          removed.length
        } of management cluster ${this.managementCluster} (delta mutation)`,
      );
    }
    this.remember(current);
    return {
      result: 'written',
      mutation: 'delta',
      entities: current.size,
      written: added.length,
      removed: removed.length,
    };
  }

  private remember(current: Map<string, HashedEntity>) {
    this.written = new Map(
      [...current].map(([name, { hash }]) => [name, hash]),
    );
    this.seen.clear();
  }

  private state():
    | { kind: 'complete'; generation: number }
    | { kind: 'stale'; since: string }
    | { kind: 'waiting'; reason: string } {
    const mc = this.managementCluster;
    const health = this.deps.cache.health().find(h => h.name === mc);
    const store = this.deps.cache.store(mc);
    if (!health || !store)
      return { kind: 'waiting', reason: 'not a configured management cluster' };
    if (health.failingSince) {
      const failingFor = Date.now() - Date.parse(health.failingSince);
      return failingFor >= this.settings.staleAfterMs
        ? { kind: 'stale', since: health.failingSince }
        : {
            kind: 'waiting',
            reason: `requests have failed since ${health.failingSince}: ${health.error}`,
          };
    }
    if (!health.synced)
      return {
        kind: 'waiting',
        reason: health.error ?? 'not every kind has been listed yet',
      };
    return { kind: 'complete', generation: store.generation };
  }

  /**
   * Adds the stale mark to the catalog's entities of this management cluster that lack it. A
   * delta that only adds: an entity the catalog has not finished processing, and so does not
   * return, is left as it is rather than removed. Entities already marked keep their time.
   */
  private async markStale(since: string): Promise<CapaEntityProviderRun> {
    const { catalog, auth } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const added: DeferredEntity[] = [];
    for await (const page of catalog.streamEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_LOCATION}`]: locationOf(
            this.managementCluster,
          ),
        },
      },
      { credentials },
    )) {
      for (const entity of page) {
        if (entity.metadata.annotations?.[CAPA_ANNOTATIONS.staleSince])
          continue;
        added.push({
          entity: markedStale(entity, since),
          locationKey: this.locationKey,
        });
      }
    }
    // The catalog's entities now differ from what was written: the next write is a full one.
    this.written = undefined;
    if (added.length) {
      await this.connection!.applyMutation({
        type: 'delta',
        added,
        removed: [],
      });
      this.deps.logger.warn(
        `Management cluster ${
          this.managementCluster
        } unreachable since ${since}: marked ${describeEntities(
          added.map(a => a.entity),
        )} stale; they stay until a complete list no longer has them`,
      );
    }
    return { result: 'marked-stale', entities: added.length };
  }

  /**
   * Asks for a run (on whichever replica claims it) when what this replica would write has
   * changed: the entities of a complete cache (most cache changes are status changes, which
   * change no entity), or the stale mark.
   */
  private check() {
    const state = this.state();
    let key = 'waiting';
    if (state.kind === 'stale') key = `stale:${state.since}`;
    if (state.kind === 'complete') {
      if (state.generation === this.lastGeneration && !this.triggerPending)
        return;
      this.lastGeneration = state.generation;
      const entities = this.index.entities(
        this.deps.cache.store(this.managementCluster)!,
      );
      for (const name of entities.keys()) this.seen.add(name);
      key = digestOf(entities);
    }
    if (key === this.lastState && !this.triggerPending) return;
    this.lastState = key;
    if (state.kind === 'waiting') return;
    this.triggerPending = true;
    this.deps.scheduler.triggerTask(this.taskId).then(
      () => {
        this.triggerPending = false;
      },
      error => {
        // A run in progress may have read the cache before this change: ask again on the next
        // check rather than lose the change.
        if (isError(error) && error.name === 'ConflictError') return;
        this.triggerPending = false;
        this.deps.logger.warn(
          `Could not trigger ${this.taskId}: ${error}; the periodic run will catch up`,
        );
      },
    );
  }
}

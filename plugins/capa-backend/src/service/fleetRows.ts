import type { ClusterSummary } from '@capa-backstage/plugin-capa-common';
import type { FleetOrder } from './fleetOrder';
import type { FleetCounts } from './fleetQuery';

/** Counts kept per snapshot of the rows; a full memo is emptied (queries vary little). */
const MAX_COUNTS = 200;

/**
 * The rows of every management cluster as the stores handed them out at one moment, and what
 * every page request of them would compute again: the rows in each order requested, and the
 * counts of each query. A request works on one snapshot from start to end, so a request that
 * began before a change never writes what it computed into the snapshot after it.
 */
export class FleetSnapshot {
  private readonly orders = new Map<string, ClusterSummary[]>();
  private readonly counts = new Map<
    string,
    { counts: FleetCounts; until: number }
  >();
  /** When stuck rows gain their cause (see causesAt), in ascending order. */
  private stuckTimes?: number[];

  constructor(
    readonly managementClusters: readonly string[],
    readonly sources: readonly ClusterSummary[][],
  ) {}

  /** Every row in `order`. */
  ordered(order: FleetOrder): ClusterSummary[] {
    const key = order.sort ? `${order.sort}:${order.order}` : '';
    let rows = this.orders.get(key);
    if (!rows) {
      rows = order.apply(this.sources.flat());
      this.orders.set(key, rows);
    }
    return rows;
  }

  /**
   * The counts of a query of every row (not of a caller's share), from `compute` unless known.
   * They hold until a stuck row gains its cause; shared by every answer, so frozen.
   */
  countsOf(key: string, now: number, compute: () => FleetCounts): FleetCounts {
    const known = this.counts.get(key);
    if (known && now < known.until) return known.counts;
    const counts = deepFreeze(compute());
    if (this.counts.size >= MAX_COUNTS) this.counts.clear();
    this.counts.set(key, { counts, until: this.nextStuckTime(now) });
    return counts;
  }

  private nextStuckTime(now: number): number {
    this.stuckTimes ??= this.sources
      .flat()
      .flatMap(row => (row.stuck ? [Date.parse(row.stuck.after)] : []))
      .sort((a, b) => a - b);
    return this.stuckTimes.find(t => t > now) ?? Infinity;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/**
 * The current {@link FleetSnapshot}: the same one until a store hands out new rows (the stores
 * hand out the same array until they change). At 10,000 clusters sorting and counting cost more
 * than everything else in a page request, so they are done once per snapshot.
 */
export class FleetRows {
  private current = new FleetSnapshot([], []);

  /**
   * @param managementClusters - in configuration order, the default order of rows
   * @param sources - each management cluster's rows, in the same order
   */
  snapshot(
    managementClusters: readonly string[],
    sources: readonly ClusterSummary[][],
  ): FleetSnapshot {
    const last = this.current;
    const same =
      sources.length === last.sources.length &&
      sources.every((rows, i) => rows === last.sources[i]) &&
      managementClusters.length === last.managementClusters.length &&
      managementClusters.every((mc, i) => mc === last.managementClusters[i]);
    if (!same) this.current = new FleetSnapshot(managementClusters, sources);
    return this.current;
  }
}

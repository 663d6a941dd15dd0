import type { ClusterSummary } from '@capa-backstage/plugin-capa-common';
import type { FleetOrder } from './fleetOrder';
import type { FleetCounts } from './fleetQuery';

/** Counts kept per snapshot of the rows; a full memo is emptied (queries vary little). */
const MAX_COUNTS = 200;

/**
 * What every page request of the same rows would compute again, kept until a store's rows change
 * (the stores hand out the same array until then): the rows in each order requested, and the
 * counts of each query. A page request then looks at the rows of its page, not the fleet: at
 * 10,000 clusters sorting and counting cost more than everything else in a request.
 */
export class FleetRows {
  private sources: readonly ClusterSummary[][] = [];
  private managementClusters: readonly string[] = [];
  private readonly orders = new Map<string, ClusterSummary[]>();
  private readonly counts = new Map<
    string,
    { counts: FleetCounts; until: number }
  >();
  /** When stuck rows gain their cause (see causesAt), in ascending order. */
  private stuckTimes?: number[];

  /**
   * Every row in `order`, and starts a new snapshot when the rows changed.
   *
   * @param managementClusters - in configuration order, the default order of rows
   * @param sources - each management cluster's rows, in the same order
   */
  ordered(
    managementClusters: readonly string[],
    sources: readonly ClusterSummary[][],
    order: FleetOrder,
  ): ClusterSummary[] {
    const same =
      sources.length === this.sources.length &&
      sources.every((rows, i) => rows === this.sources[i]) &&
      managementClusters.length === this.managementClusters.length &&
      managementClusters.every((mc, i) => mc === this.managementClusters[i]);
    if (!same) {
      this.sources = sources;
      this.managementClusters = managementClusters;
      this.orders.clear();
      this.counts.clear();
      this.stuckTimes = undefined;
    }
    const key = order.sort ? `${order.sort}:${order.order}` : '';
    let rows = this.orders.get(key);
    if (!rows) {
      rows = order.apply(sources.flat());
      this.orders.set(key, rows);
    }
    return rows;
  }

  /**
   * The counts of a query of every row (not of a caller's share) in the current snapshot, from
   * `compute` unless known. They hold until the rows change or a stuck row gains its cause.
   */
  countsOf(key: string, now: number, compute: () => FleetCounts): FleetCounts {
    const known = this.counts.get(key);
    if (known && now < known.until) return known.counts;
    const counts = compute();
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

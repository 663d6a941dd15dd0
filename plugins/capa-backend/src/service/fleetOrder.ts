import { InputError } from '@backstage/errors';
import {
  CLUSTER_PHASES,
  compareStrings,
  compareVersions,
  type ClusterSortKey,
  type ClusterSummary,
} from '@capa-backstage/plugin-capa-common';

/** Ascending or descending, as the API names them. */
export type SortOrder = 'asc' | 'desc';

const PHASE_RANK = new Map(CLUSTER_PHASES.map((p, i) => [p, i]));

/** Versions in numeric order, ties in string order: paging needs one total order. */
export const compareVersionsTotally = (a: string, b: string) =>
  compareVersions(a, b) || compareStrings(a, b);

/** A row's value for a sort key; phases as their rank. Missing values are undefined. */
type SortValue = string | number | undefined;

function sortValue(row: ClusterSummary, sort: ClusterSortKey): SortValue {
  if (sort === 'phase')
    return PHASE_RANK.get(row.phase) ?? CLUSTER_PHASES.length;
  return row[sort] || undefined;
}

function compareValues(
  sort: ClusterSortKey,
  a: SortValue,
  b: SortValue,
): number {
  if (a === b) return 0;
  // Rows without the field come last in ascending order (and first in descending).
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  if (typeof a === 'number' || typeof b === 'number')
    return Number(a) - Number(b);
  return sort === 'kubernetesVersion'
    ? compareVersionsTotally(a, b)
    : compareStrings(a, b);
}

/**
 * Where a row stands in an order: the sort value (when sorted) and the row's identity, which breaks
 * ties and makes the order total, so a cursor names exactly one position.
 */
export interface OrderKey {
  value?: SortValue;
  managementCluster: string;
  namespace: string;
  name: string;
}

/**
 * An order of fleet rows. Without a sort key it is the stores' own order (management clusters in
 * configuration order, then namespace and name), in which rows already arrive.
 */
export class FleetOrder {
  private readonly mcRank: Map<string, number>;

  constructor(
    managementClusters: readonly string[],
    readonly sort: ClusterSortKey | undefined,
    readonly order: SortOrder,
  ) {
    this.mcRank = new Map(managementClusters.map((mc, i) => [mc, i]));
  }

  keyOf(row: ClusterSummary): OrderKey {
    return {
      value: this.sort ? sortValue(row, this.sort) : undefined,
      managementCluster: row.managementCluster,
      namespace: row.namespace,
      name: row.name,
    };
  }

  compare(a: OrderKey, b: OrderKey): number {
    if (this.sort) {
      const byValue = compareValues(this.sort, a.value, b.value);
      if (byValue !== 0) return this.order === 'desc' ? -byValue : byValue;
    }
    // A management cluster no longer configured sorts after all others.
    const rank = (mc: string) => this.mcRank.get(mc) ?? Number.MAX_VALUE;
    return (
      rank(a.managementCluster) - rank(b.managementCluster) ||
      compareStrings(a.namespace, b.namespace) ||
      compareStrings(a.name, b.name)
    );
  }

  /** The rows in this order. Rows in the default order are returned as they are, unsorted. */
  apply(rows: ClusterSummary[]): ClusterSummary[] {
    const sort = this.sort;
    if (!sort) return rows;
    // The same order as compare(), faster: each distinct value is ranked once (versions are parsed
    // once, not in every comparison), so a 10,000-row sort compares numbers.
    const values = rows.map(row => sortValue(row, sort));
    const rank = new Map(
      [...new Set(values)]
        .sort((a, b) => compareValues(sort, a, b))
        .map((v, i) => [v, i]),
    );
    const dir = this.order === 'desc' ? -1 : 1;
    return rows
      .map((row, i) => ({
        row,
        value: rank.get(values[i])!,
        mc: this.mcRank.get(row.managementCluster) ?? Number.MAX_VALUE,
      }))
      .sort(
        (a, b) =>
          (a.value - b.value) * dir ||
          a.mc - b.mc ||
          compareStrings(a.row.namespace, b.row.namespace) ||
          compareStrings(a.row.name, b.row.name),
      )
      .map(k => k.row);
  }

  /** The index of the first row after `after` in rows that are in this order (binary search). */
  indexAfter(rows: readonly ClusterSummary[], after: OrderKey): number {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.keyOf(rows[mid]), after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** An opaque cursor for the position after `row`, valid for this sort and order only. */
  cursorAfter(row: ClusterSummary): string {
    const key = this.keyOf(row);
    const body = [
      this.sort ?? '',
      this.order,
      key.value ?? null,
      key.managementCluster,
      key.namespace,
      key.name,
    ];
    return Buffer.from(JSON.stringify(body)).toString('base64url');
  }

  /** The position a cursor names; an InputError for a cursor this order did not write. */
  parseCursor(cursor: string): OrderKey {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      body = undefined;
    }
    const isText = (v: unknown): v is string => typeof v === 'string';
    if (
      !Array.isArray(body) ||
      body.length !== 6 ||
      !isText(body[0]) ||
      !isText(body[1]) ||
      !(body[2] === null || isText(body[2]) || typeof body[2] === 'number') ||
      !body.slice(3).every(isText)
    ) {
      throw new InputError('cursor is not one this API returned');
    }
    const [sort, order, value, managementCluster, namespace, name] = body;
    if (sort !== (this.sort ?? '') || order !== this.order) {
      throw new InputError(
        'cursor belongs to another sort or order; request the first page again without it',
      );
    }
    return {
      value: value ?? undefined,
      managementCluster,
      namespace,
      name,
    };
  }
}

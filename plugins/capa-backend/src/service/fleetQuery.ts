import {
  causesAt,
  compareStrings,
  type ClusterFacets,
  type ClusterList,
  type ClusterSortKey,
  type ClusterSummary,
  type FacetValue,
} from '@capa-backstage/plugin-capa-common';
import {
  compareVersionsTotally,
  type FleetOrder,
  type SortOrder,
} from './fleetOrder';

/** The filters of the fleet list, in the order they are checked. */
export const FILTER_KEYS = [
  'managementCluster',
  'namespace',
  'tenant',
  'phase',
  'accountId',
  'region',
  'kubernetesVersion',
  'cause',
] as const;

/** A filter of the fleet list. */
export type FilterKey = (typeof FILTER_KEYS)[number];

/**
 * Filters of the fleet list; unset ones match all. Each is an exact match, except `cause`: one of
 * the row's causes, or `any` for a row with at least one.
 */
export type ClusterFilters = Partial<Record<FilterKey, string>>;

/** The filters whose values the fleet page offers in dropdowns, with counts. */
export const FACET_KEYS = [
  'tenant',
  'managementCluster',
  'accountId',
  'region',
  'kubernetesVersion',
  'cause',
] as const satisfies ReadonlyArray<keyof ClusterFacets & FilterKey>;

/** What a fleet request asks for, validated by the router. */
export interface FleetQuery {
  filters: ClusterFilters;
  /** Case-insensitive text in the name, namespace or tenant. */
  search?: string;
  sort?: ClusterSortKey;
  order: SortOrder;
  limit: number;
  cursor?: string;
  /** Whether to count the values of every facet. */
  facets: boolean;
}

/**
 * A row that can change the answer: it matches every filter (`miss` undefined), or all but the
 * one named, which the phase counts or that filter's facet count it for.
 */
export interface Candidate {
  row: ClusterSummary;
  miss?: FilterKey;
}

/** The cause filter's value for rows that need attention, whatever the cause. */
export const ANY_CAUSE = 'any';

function filterMatches(
  row: ClusterSummary,
  causes: readonly string[],
  key: FilterKey,
  value: string,
) {
  if (key !== 'cause') return row[key] === value;
  return value === ANY_CAUSE ? causes.length > 0 : causes.includes(value);
}

/** What the search looks in, lower-cased once per row: rows live until their cluster changes. */
const searchedText = new WeakMap<ClusterSummary, string[]>();

function searchMatches(row: ClusterSummary, text: string): boolean {
  let fields = searchedText.get(row);
  if (!fields) {
    fields = [row.name, row.namespace, row.tenant ?? ''].map(v =>
      v.toLocaleLowerCase('en-US'),
    );
    searchedText.set(row, fields);
  }
  return fields.some(v => v.includes(text));
}

/** A query's filters prepared once for a pass over every row. */
class Matcher {
  private readonly counted = new Set<FilterKey>(['phase']);
  private readonly active: FilterKey[];
  private readonly text?: string;

  constructor(
    private readonly query: Pick<FleetQuery, 'filters'> &
      Partial<Pick<FleetQuery, 'search' | 'facets'>>,
  ) {
    if (query.facets) FACET_KEYS.forEach(k => this.counted.add(k));
    this.active = FILTER_KEYS.filter(k => query.filters[k]);
    this.text = query.search?.toLocaleLowerCase('en-US');
  }

  /**
   * `null` for a row that cannot change the answer, undefined for one that matches every filter,
   * else the one counted filter it misses.
   */
  miss(
    row: ClusterSummary,
    causes: readonly string[],
  ): FilterKey | undefined | null {
    if (this.text && !searchMatches(row, this.text)) return null;
    let miss: FilterKey | undefined;
    for (const key of this.active) {
      if (!filterMatches(row, causes, key, this.query.filters[key]!)) {
        if (miss || !this.counted.has(key)) return null;
        miss = key;
      }
    }
    return miss;
  }
}

/**
 * The rows that can change the answer to the query, before permissions: those matching every
 * filter, and those missing one filter whose rows are counted (phase, and with facets the facet
 * filters). Rows are kept in their order; causes as of `now`.
 */
export function candidatesOf(
  rows: readonly ClusterSummary[],
  query: Pick<FleetQuery, 'filters'> &
    Partial<Pick<FleetQuery, 'search' | 'facets'>>,
  now = Date.now(),
): Candidate[] {
  const matcher = new Matcher(query);
  const out: Candidate[] = [];
  for (const row of rows) {
    const miss = matcher.miss(row, causesAt(row, now));
    if (miss === undefined) out.push({ row });
    else if (miss !== null) out.push({ row, miss });
  }
  return out;
}

function facetValues(
  counts: Map<string, number>,
  key: (typeof FACET_KEYS)[number],
): FacetValue[] {
  const compare =
    key === 'kubernetesVersion' ? compareVersionsTotally : compareStrings;
  return [...counts]
    .sort(([a], [b]) => compare(a, b))
    .map(([value, count]) => ({ value, count }));
}

function countValue(counts: Map<string, number>, value: string | undefined) {
  if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
}

/** The row as of `now`: a stuck state that has lasted long enough is one of its causes. */
function rowAt(row: ClusterSummary, causes: string[]): ClusterSummary {
  return causes === row.causes ? row : { ...row, causes };
}

/** Which rows a pass looks at, and as of when. */
export interface FleetPass {
  /** Causes are taken as of this time. */
  now: number;
  /** Of the candidate rows, those the caller may see; all when undefined. */
  visible?: ReadonlySet<ClusterSummary>;
}

/** What a fleet answer counts: everything but its page. */
export type FleetCounts = Pick<
  ClusterList,
  'totalItems' | 'phaseCounts' | 'facets'
>;

/**
 * The counts of a fleet request: the rows matching every filter, the phase counts over the rows
 * matching every filter but phase, and with facets each facet filter's values counted over the
 * rows matching every other filter. One pass over every row, allocating only for a row whose
 * stuck state became a cause since it was stored.
 */
export function fleetCounts(
  rows: readonly ClusterSummary[],
  query: FleetQuery,
  { now, visible }: FleetPass,
): FleetCounts {
  const matcher = new Matcher(query);
  const phaseCounts: ClusterList['phaseCounts'] = {};
  const facetCounts = FACET_KEYS.map(() => new Map<string, number>());
  let total = 0;
  for (const row of rows) {
    if (visible && !visible.has(row)) continue;
    const causes = causesAt(row, now);
    const miss = matcher.miss(row, causes);
    if (miss === null) continue;
    if (miss === undefined) total++;
    if (!miss || miss === 'phase')
      phaseCounts[row.phase] = (phaseCounts[row.phase] ?? 0) + 1;
    if (!query.facets) continue;
    for (let k = 0; k < FACET_KEYS.length; k++) {
      const key = FACET_KEYS[k];
      if (miss && miss !== key) continue;
      if (key === 'cause')
        for (const cause of causes) countValue(facetCounts[k], cause);
      else countValue(facetCounts[k], row[key]);
    }
  }
  const counts: FleetCounts = { totalItems: total, phaseCounts };
  if (query.facets) {
    counts.facets = Object.fromEntries(
      FACET_KEYS.map((k, j) => [k, facetValues(facetCounts[j], k)]),
    ) as ClusterFacets;
  }
  return counts;
}

/**
 * The answer to a fleet request: one page in the requested order and the counts (computed here
 * when not given). Looks at rows from the cursor on, until the page is full.
 *
 * @param rows - every row, in `order`
 */
export function fleetPage(
  rows: readonly ClusterSummary[],
  query: FleetQuery,
  order: FleetOrder,
  pass: FleetPass = { now: Date.now() },
  counts: FleetCounts = fleetCounts(rows, query, pass),
): ClusterList {
  const after = query.cursor ? order.parseCursor(query.cursor) : undefined;
  const matcher = new Matcher(query);
  const items: ClusterSummary[] = [];
  let more = false;
  for (
    let i = after ? order.indexAfter(rows, after) : 0;
    i < rows.length;
    i++
  ) {
    const row = rows[i];
    if (pass.visible && !pass.visible.has(row)) continue;
    const causes = causesAt(row, pass.now);
    if (matcher.miss(row, causes) !== undefined) continue;
    if (items.length === query.limit) {
      more = true;
      break;
    }
    items.push(rowAt(row, causes));
  }
  return {
    items,
    ...counts,
    nextCursor: more ? order.cursorAfter(items[items.length - 1]) : undefined,
  };
}

import {
  compareStrings,
  type ClusterFacets,
  type ClusterList,
  type ClusterSortKey,
  type ClusterSummary,
  type FacetValue,
} from '@capa-backstage/plugin-capa-common';
import {
  compareVersionsTotally,
  FleetOrder,
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

function filterMatches(row: ClusterSummary, key: FilterKey, value: string) {
  if (key !== 'cause') return row[key] === value;
  return value === ANY_CAUSE
    ? row.causes.length > 0
    : row.causes.includes(value);
}

/** A row's values of a facet: one, none, or for `cause` each of its causes. */
function facetValuesOf(
  row: ClusterSummary,
  key: (typeof FACET_KEYS)[number],
): readonly string[] {
  if (key === 'cause') return row.causes;
  const value = row[key];
  return value ? [value] : [];
}

function searchMatches(row: ClusterSummary, text: string): boolean {
  return [row.name, row.namespace, row.tenant].some(v =>
    v?.toLocaleLowerCase('en-US').includes(text),
  );
}

/**
 * The rows that can change the answer to the query, before permissions: those matching every
 * filter, and those missing one filter whose rows are counted (phase, and with facets the facet
 * filters). Rows are kept in their order. One pass, no sorting: every page request of a large fleet
 * runs it.
 */
export function candidatesOf(
  rows: readonly ClusterSummary[],
  query: Pick<FleetQuery, 'filters'> &
    Partial<Pick<FleetQuery, 'search' | 'facets'>>,
): Candidate[] {
  const counted = new Set<FilterKey>(['phase']);
  if (query.facets) FACET_KEYS.forEach(k => counted.add(k));
  const active = FILTER_KEYS.filter(k => query.filters[k]);
  const text = query.search?.toLocaleLowerCase('en-US');
  const out: Candidate[] = [];
  for (const row of rows) {
    if (text && !searchMatches(row, text)) continue;
    let miss: FilterKey | undefined;
    let misses = 0;
    for (const key of active) {
      if (!filterMatches(row, key, query.filters[key]!)) {
        miss = key;
        if (++misses > 1 || !counted.has(key)) break;
      }
    }
    if (misses === 0) out.push({ row });
    else if (misses === 1 && counted.has(miss!)) out.push({ row, miss });
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

/**
 * The answer to a fleet request from the candidates the caller may see: one page in the requested
 * order, the total, the phase counts over the rows matching every filter but phase, and with
 * facets each facet filter's values counted over the rows matching every other filter.
 *
 * @param managementClusters - in configuration order, the default order of rows
 */
export function fleetPage(
  candidates: readonly Candidate[],
  query: FleetQuery,
  managementClusters: readonly string[],
): ClusterList {
  const order = new FleetOrder(managementClusters, query.sort, query.order);
  const after = query.cursor ? order.parseCursor(query.cursor) : undefined;

  const phaseCounts: ClusterList['phaseCounts'] = {};
  const facetCounts = new Map(
    FACET_KEYS.map(k => [k, new Map<string, number>()]),
  );
  const matched: ClusterSummary[] = [];
  for (const { row, miss } of candidates) {
    if (!miss) matched.push(row);
    if (!miss || miss === 'phase')
      phaseCounts[row.phase] = (phaseCounts[row.phase] ?? 0) + 1;
    if (!query.facets) continue;
    for (const key of FACET_KEYS) {
      if (miss && miss !== key) continue;
      const counts = facetCounts.get(key)!;
      for (const value of facetValuesOf(row, key))
        counts.set(value, (counts.get(value) ?? 0) + 1);
    }
  }

  const ordered = order.apply(matched);
  const start = after ? order.indexAfter(ordered, after) : 0;
  const items = ordered.slice(start, start + query.limit);
  const more = start + query.limit < ordered.length;
  const list: ClusterList = {
    items,
    totalItems: ordered.length,
    phaseCounts,
    nextCursor: more ? order.cursorAfter(items[items.length - 1]) : undefined,
  };
  if (query.facets) {
    list.facets = Object.fromEntries(
      FACET_KEYS.map(k => [k, facetValues(facetCounts.get(k)!, k)]),
    ) as ClusterFacets;
  }
  return list;
}

// Test fixtures only: a stand-in for the backend's GET /clusters over a fixed fleet, answering as
// the contract says (exact filters, counts without their own filter, sort, cursor pages), so the
// components' tests can follow a round trip. The backend's own tests cover the real thing.
import type {
  ClusterFacets,
  ClusterList,
  ClusterSummary,
} from '@capa-backstage/plugin-capa-common';
import type { CapaListClustersRequest } from '../api';
import { compareVersions } from '@capa-backstage/plugin-capa-common';
import { PHASE_ORDER } from '../lib/phases';

const FILTERS = [
  'managementCluster',
  'namespace',
  'tenant',
  'phase',
  'accountId',
  'region',
  'kubernetesVersion',
  'cause',
] as const;
const FACETS = [
  'tenant',
  'managementCluster',
  'accountId',
  'region',
  'kubernetesVersion',
  'cause',
] as const;

/** A row's values of a filter: `cause` has one per cause, `any` when it has any. */
const valuesOf = (c: ClusterSummary, k: (typeof FILTERS)[number]) => {
  if (k === 'cause') return c.causes;
  const v = c[k];
  return v ? [v] : [];
};

function matches(
  c: ClusterSummary,
  r: CapaListClustersRequest,
  except?: string,
): boolean {
  const text = r.search?.toLowerCase();
  if (text && ![c.name, c.namespace, c.tenant].some(v => v?.includes(text)))
    return false;
  return FILTERS.every(
    k =>
      k === except ||
      !r[k] ||
      (k === 'cause' && r[k] === 'any'
        ? c.causes.length > 0
        : valuesOf(c, k).includes(r[k]!)),
  );
}

function compare(
  sort: NonNullable<CapaListClustersRequest['sort']>,
  a: ClusterSummary,
  b: ClusterSummary,
): number {
  if (sort === 'phase')
    return PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase);
  const [x, y] = [a[sort], b[sort]];
  if (x === y) return 0;
  if (x === undefined) return 1;
  if (y === undefined) return -1;
  if (sort === 'kubernetesVersion') return compareVersions(x, y);
  return x < y ? -1 : 1;
}

/** The answer the backend gives to `request` for a fleet of `clusters`. */
export function fleetAnswer(
  clusters: ClusterSummary[],
  request: CapaListClustersRequest = {},
): ClusterList {
  let matching = clusters.filter(c => matches(c, request));
  if (request.sort) {
    const dir = request.order === 'desc' ? -1 : 1;
    matching = [...matching].sort((a, b) => dir * compare(request.sort!, a, b));
  }
  const phaseCounts: ClusterList['phaseCounts'] = {};
  for (const c of clusters.filter(x => matches(x, request, 'phase')))
    phaseCounts[c.phase] = (phaseCounts[c.phase] ?? 0) + 1;
  const offset = request.cursor ? Number(request.cursor.slice(7)) : 0;
  const limit = request.limit ?? 100;
  const list: ClusterList = {
    items: matching.slice(offset, offset + limit),
    totalItems: matching.length,
    phaseCounts,
    nextCursor:
      offset + limit < matching.length ? `offset-${offset + limit}` : undefined,
  };
  if (request.facets) {
    list.facets = Object.fromEntries(
      FACETS.map(k => {
        const counts = new Map<string, number>();
        for (const c of clusters.filter(x => matches(x, request, k))) {
          for (const v of valuesOf(c, k))
            counts.set(v, (counts.get(v) ?? 0) + 1);
        }
        const values = [...counts.keys()].sort(
          k === 'kubernetesVersion' ? compareVersions : undefined,
        );
        return [k, values.map(value => ({ value, count: counts.get(value)! }))];
      }),
    ) as ClusterFacets;
  }
  return list;
}

import type {
  ClusterList,
  ClusterSummary,
} from '@capa-backstage/plugin-capa-common';
import type { CapaApi, CapaListClustersRequest } from '../api';

/** Stops a backend that keeps handing out cursors from looping the page forever. */
const MAX_PAGES = 100;

/**
 * Every cluster matching the filters, following `nextCursor`, at most `maxPages` pages (default
 * 100). The phase counts and total are the first page's: the backend computes them over all
 * matching items, not per page. `nextCursor` is set when pages were left unread.
 */
export async function fetchAllClusters(
  api: CapaApi,
  request: Omit<CapaListClustersRequest, 'cursor'> = {},
  options: { maxPages?: number } = {},
): Promise<ClusterList> {
  const maxPages = options.maxPages ?? MAX_PAGES;
  const first = await api.listClusters(request);
  const items: ClusterSummary[] = [...first.items];
  let cursor = first.nextCursor;
  for (let page = 1; cursor && page < maxPages; page++) {
    const next = await api.listClusters({ ...request, cursor });
    items.push(...next.items);
    cursor = next.nextCursor;
  }
  return {
    items,
    totalItems: first.totalItems,
    phaseCounts: first.phaseCounts,
    nextCursor: cursor,
  };
}

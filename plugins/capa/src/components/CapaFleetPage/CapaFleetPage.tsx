import { Content, Header, Page, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  ClusterFacets,
  ClusterPhase,
  FacetValue,
} from '@capa-backstage/plugin-capa-common';
import { Box, Button } from '@material-ui/core';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { capaApiRef, type CapaListClustersRequest } from '../../api';
import { clusterEntityRef } from '../../entities';
import { formatAge } from '../../lib/format';
import { useAccountNames } from '../../lib/useAccountNames';
import { useCursorPages } from '../../lib/useCursorPages';
import { CapaErrorPanel } from '../CapaErrorPanel';
import { ClusterPhaseStatus } from '../ClusterPhaseStatus';
import { AttentionMarker, causeLabel, causeOptions } from './attention';
import {
  FilterSelect,
  HealthWarning,
  PhaseCounts,
  SearchField,
  useFleetStyles,
} from './FleetControls';
import { type FleetColumn, type FleetSort, FleetTable } from './FleetTable';

/** The filters with a dropdown, in the order shown; the backend counts each one's values. */
const FILTERS: Record<keyof ClusterFacets, string> = {
  tenant: 'Tenant',
  managementCluster: 'Management cluster',
  accountId: 'AWS account',
  region: 'Region',
  kubernetesVersion: 'Kubernetes version',
  cause: 'Needs attention',
};
type FilterKey = keyof ClusterFacets;
type Filters = Partial<Record<FilterKey, string>> & { phase?: ClusterPhase };

const PAGE_SIZES = [20, 50, 100];
const NO_VALUES: FacetValue[] = [];
/**
 * Typing pauses this long before the search goes to the server. Short: the backend answers in tens
 * of milliseconds and the page renders a new page in a few tens more, so the pause is most of the
 * time between the last key and the new rows (the target is 300 ms); a word typed at speed (more
 * than ten keys a second) is still one request, not one per key.
 */
const SEARCH_DELAY_MS = 100;

const orNotKnown = (v?: string) => v || 'Not known';

/** The table's columns with the backend sort key of each (none: not sortable). */
function fleetColumns(
  accountName: (id?: string) => string | undefined,
): FleetColumn[] {
  return [
    {
      title: 'Cluster',
      highlight: true,
      sortKey: 'name',
      render: c => (
        <EntityRefLink entityRef={clusterEntityRef(c)} hideIcon>
          {c.name}
        </EntityRefLink>
      ),
    },
    { title: 'Tenant', sortKey: 'tenant', render: c => c.tenant || '-' },
    {
      title: 'Management cluster',
      sortKey: 'managementCluster',
      render: c => c.managementCluster,
    },
    {
      title: 'Phase',
      sortKey: 'phase',
      render: c => <ClusterPhaseStatus phase={c.phase} />,
    },
    {
      title: 'AWS account',
      sortKey: 'accountId',
      render: c => {
        const name = accountName(c.accountId);
        return c.accountId
          ? `${c.accountId}${name ? ` (${name})` : ''}`
          : 'Not known';
      },
    },
    { title: 'Region', sortKey: 'region', render: c => orNotKnown(c.region) },
    {
      title: 'Kubernetes version',
      sortKey: 'kubernetesVersion',
      render: c => orNotKnown(c.kubernetesVersion),
    },
    { title: 'Attention', render: c => <AttentionMarker causes={c.causes} /> },
    {
      title: 'Nodes ready',
      render: c =>
        `${c.nodePools.readyReplicas} / ${c.nodePools.desiredReplicas}`,
    },
    {
      // Oldest first when ascending, like the timestamps themselves.
      title: 'Age',
      sortKey: 'createdAt',
      render: c => {
        const age = formatAge(c.createdAt);
        return age ? <span title={c.createdAt}>{age}</span> : 'Not known';
      },
    },
  ];
}

/** The request without unset values, so it reads (and is keyed) the same however it was built. */
function requestOf(
  filters: Filters,
  search: string,
  sort: FleetSort | undefined,
  limit: number,
): CapaListClustersRequest {
  const request: CapaListClustersRequest = {
    ...filters,
    search: search || undefined,
    sort: sort?.key,
    order: sort?.order,
    facets: true,
    limit,
  };
  return Object.fromEntries(
    Object.entries(request).filter(([, v]) => v !== undefined),
  ) as CapaListClustersRequest;
}

/**
 * Every workload cluster across the management clusters, one page at a time: the backend filters
 * (tenant, management cluster, AWS account, region, phase, Kubernetes version, text), sorts by the
 * column clicked, pages with cursors and counts the clusters per phase and per filter value, so
 * the browser never loads the whole fleet. Without page chrome, for the new frontend system's page
 * and for embedding.
 *
 * @public
 */
export function CapaFleetContent() {
  const classes = useFleetStyles();
  const api = useApi(capaApiRef);
  const accountName = useAccountNames();
  // Health only adds a warning; when it fails the cluster list says what matters.
  const health = useAsync(() => api.getHealth(), [api]);
  const [filters, setFilters] = useState<Filters>({});
  const [search, setSearch] = useState('');
  // Bumped to empty the search field (a new one).
  const [searchField, setSearchField] = useState(0);
  const [sort, setSort] = useState<FleetSort>();
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);

  const request = requestOf(filters, search, sort, pageSize);
  const clusters = useCursorPages(
    cursor => api.listClusters(cursor ? { ...request, cursor } : request),
    JSON.stringify(request),
  );
  const list = clusters.value;
  // Everything handed to the table and the dropdowns keeps its identity across renders (a key
  // typed in the search field re-renders this component), so that they render only on a change.
  const columns = useMemo(() => fleetColumns(accountName), [accountName]);
  const setters = useMemo(() => {
    const set = (key: keyof Filters) => (value?: string) =>
      setFilters(prev => ({ ...prev, [key]: value }));
    return Object.fromEntries(
      [...Object.keys(FILTERS), 'phase'].map(k => [k, set(k as keyof Filters)]),
    ) as Record<keyof Filters, (value?: string) => void>;
  }, []);
  // How the dropdowns word their values; the rest show them as they are.
  const causeFacets = list?.facets?.cause;
  const formats = useMemo<
    Partial<Record<FilterKey, (value: string) => string>>
  >(
    () => ({
      accountId: id => {
        const name = accountName(id);
        return name ? `${id} (${name})` : id;
      },
      cause: causeLabel(causeFacets),
    }),
    [accountName, causeFacets],
  );
  const causeValues = useMemo(() => causeOptions(causeFacets), [causeFacets]);

  if (!list && !clusters.error) return <Progress />;
  if (clusters.error) {
    return <CapaErrorPanel error={clusters.error} subject="Clusters" />;
  }
  if (!list) return null;

  const filtered = Object.values(filters).some(Boolean) || !!search;

  return (
    <>
      <HealthWarning health={health.value} />
      <PhaseCounts
        counts={list.phaseCounts}
        selected={filters.phase}
        onSelect={setters.phase}
      />
      <Box className={classes.filters}>
        <SearchField
          key={searchField}
          delayMs={SEARCH_DELAY_MS}
          onSearch={setSearch}
        />
        {(Object.keys(FILTERS) as FilterKey[]).map(key => (
          <FilterSelect
            key={key}
            id={`capa-fleet-filter-${key}`}
            label={FILTERS[key]}
            value={filters[key]}
            options={
              key === 'cause' ? causeValues : list.facets?.[key] ?? NO_VALUES
            }
            format={formats[key]}
            onChange={setters[key]}
          />
        ))}
        {filtered ? (
          <Button
            onClick={() => {
              setFilters({});
              setSearch('');
              setSearchField(n => n + 1);
            }}
          >
            Clear filters
          </Button>
        ) : null}
      </Box>
      <FleetTable
        title={`Clusters (${list.totalItems})`}
        columns={columns}
        rows={list.items}
        loading={clusters.loading}
        sort={sort}
        onSortChange={setSort}
        paging={list.totalItems > PAGE_SIZES[0]}
        page={clusters.page}
        totalCount={list.totalItems}
        pageSize={pageSize}
        pageSizes={PAGE_SIZES}
        onPageChange={clusters.goTo}
        onPageSizeChange={setPageSize}
        emptyText={
          filtered
            ? 'No cluster matches these filters.'
            : 'No workload clusters yet, or none you may see.'
        }
      />
    </>
  );
}

/**
 * The fleet page for apps on the legacy frontend system: {@link CapaFleetContent} with a header.
 *
 * @public
 */
export function CapaFleetPage() {
  return (
    <Page themeId="tool">
      <Header
        title="EKS clusters"
        subtitle="Every workload cluster on every management cluster"
      />
      <Content>
        <CapaFleetContent />
      </Content>
    </Page>
  );
}

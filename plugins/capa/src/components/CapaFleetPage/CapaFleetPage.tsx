import {
  Content,
  Header,
  Page,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  ClusterFacets,
  ClusterPhase,
  ClusterSortKey,
  ClusterSummary,
} from '@capa-backstage/plugin-capa-common';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
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
  useFleetStyles,
} from './FleetControls';

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
const SEARCH_DELAY_MS = 300;

/** The table's columns with the backend sort key of each (none: not sortable). */
function fleetColumns(
  accountName: (id?: string) => string | undefined,
): Array<TableColumn<ClusterSummary> & { sortKey?: ClusterSortKey }> {
  // The backend sorts; rows keep the order they arrive in.
  const serverSorted = { customSort: () => 0 };
  return [
    {
      title: 'Cluster',
      field: 'name',
      highlight: true,
      sortKey: 'name',
      ...serverSorted,
      render: c => (
        <EntityRefLink entityRef={clusterEntityRef(c)} hideIcon>
          {c.name}
        </EntityRefLink>
      ),
    },
    {
      title: 'Tenant',
      field: 'tenant',
      emptyValue: '-',
      sortKey: 'tenant',
      ...serverSorted,
    },
    {
      title: 'Management cluster',
      field: 'managementCluster',
      sortKey: 'managementCluster',
      ...serverSorted,
    },
    {
      title: 'Phase',
      field: 'phase',
      sortKey: 'phase',
      ...serverSorted,
      render: c => <ClusterPhaseStatus phase={c.phase} />,
    },
    {
      title: 'AWS account',
      field: 'accountId',
      emptyValue: 'Not known',
      sortKey: 'accountId',
      ...serverSorted,
      render: c => {
        const name = accountName(c.accountId);
        return c.accountId
          ? `${c.accountId}${name ? ` (${name})` : ''}`
          : 'Not known';
      },
    },
    {
      title: 'Region',
      field: 'region',
      emptyValue: 'Not known',
      sortKey: 'region',
      ...serverSorted,
    },
    {
      title: 'Kubernetes version',
      field: 'kubernetesVersion',
      emptyValue: 'Not known',
      sortKey: 'kubernetesVersion',
      ...serverSorted,
    },
    {
      title: 'Attention',
      field: 'causes',
      sorting: false,
      render: c => <AttentionMarker causes={c.causes} />,
    },
    {
      title: 'Nodes ready',
      field: 'nodePools.readyReplicas',
      sorting: false,
      render: c =>
        `${c.nodePools.readyReplicas} / ${c.nodePools.desiredReplicas}`,
    },
    {
      // Oldest first when ascending, like the timestamps themselves.
      title: 'Age',
      field: 'createdAt',
      sortKey: 'createdAt',
      ...serverSorted,
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
  sort: { key: ClusterSortKey; order: 'asc' | 'desc' } | undefined,
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
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  useDebounce(() => setSearch(searchText.trim()), SEARCH_DELAY_MS, [
    searchText,
  ]);
  const [sort, setSort] = useState<{
    key: ClusterSortKey;
    order: 'asc' | 'desc';
  }>();
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);

  const request = requestOf(filters, search, sort, pageSize);
  const clusters = useCursorPages(
    cursor => api.listClusters(cursor ? { ...request, cursor } : request),
    JSON.stringify(request),
  );
  const list = clusters.value;
  const columns = useMemo(() => fleetColumns(accountName), [accountName]);
  // material-table writes bookkeeping into row objects; hand it copies.
  const rows = useMemo(() => (list?.items ?? []).map(c => ({ ...c })), [list]);

  if (!list && !clusters.error) return <Progress />;
  if (clusters.error) {
    return <CapaErrorPanel error={clusters.error} subject="Clusters" />;
  }
  if (!list) return null;

  // How the dropdowns word their values; the rest show them as they are.
  const formats: Partial<Record<FilterKey, (value: string) => string>> = {
    accountId: id => {
      const name = accountName(id);
      return name ? `${id} (${name})` : id;
    },
    cause: causeLabel(list.facets?.cause),
  };
  const set = (key: keyof Filters) => (value?: string) =>
    setFilters(prev => ({ ...prev, [key]: value }));
  const filtered = Object.values(filters).some(Boolean) || !!search;

  return (
    <>
      <HealthWarning health={health.value} />
      <PhaseCounts
        counts={list.phaseCounts}
        selected={filters.phase}
        onSelect={set('phase')}
      />
      <Box className={classes.filters}>
        <TextField
          id="capa-fleet-search"
          label="Search"
          placeholder="Name, namespace or tenant"
          value={searchText}
          onChange={e => setSearchText(e.target.value)}
          size="small"
          variant="outlined"
          InputLabelProps={{ shrink: true }}
        />
        {(Object.keys(FILTERS) as FilterKey[]).map(key => (
          <FilterSelect
            key={key}
            id={`capa-fleet-filter-${key}`}
            label={FILTERS[key]}
            value={filters[key]}
            options={
              key === 'cause'
                ? causeOptions(list.facets?.cause)
                : list.facets?.[key] ?? []
            }
            format={formats[key]}
            onChange={set(key)}
          />
        ))}
        {filtered ? (
          <Button
            onClick={() => {
              setFilters({});
              setSearchText('');
              setSearch('');
            }}
          >
            Clear filters
          </Button>
        ) : null}
      </Box>
      <Table<ClusterSummary>
        title={`Clusters (${list.totalItems})`}
        columns={columns}
        data={rows}
        isLoading={clusters.loading}
        page={clusters.page}
        totalCount={list.totalItems}
        onPageChange={page => clusters.goTo(page)}
        onRowsPerPageChange={setPageSize}
        onOrderChange={(column, order) => {
          const key = columns[column]?.sortKey;
          setSort(key && order ? { key, order } : undefined);
        }}
        options={{
          paging: list.totalItems > PAGE_SIZES[0],
          pageSize,
          pageSizeOptions: PAGE_SIZES,
          showFirstLastPageButtons: false,
          search: false,
          padding: 'dense',
        }}
        emptyContent={
          <Typography variant="body2" style={{ padding: 16 }}>
            {filtered
              ? 'No cluster matches these filters.'
              : 'No workload clusters yet, or none you may see.'}
          </Typography>
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

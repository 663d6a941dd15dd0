import {
  Content,
  Header,
  Page,
  Progress,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  ClusterPhase,
  ClusterSummary,
} from '@capa-backstage/plugin-capa-common';
import {
  Box,
  Button,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { capaApiRef, type CapaHealth } from '../../api';
import { clusterEntityRef } from '../../entities';
import { fetchAllClusters } from '../../lib/fetchAllClusters';
import { compareVersions, formatAge } from '../../lib/format';
import { useAccountNames } from '../../lib/useAccountNames';
import { CapaErrorPanel } from '../CapaErrorPanel';
import { ClusterPhaseStatus } from '../ClusterPhaseStatus';

const PHASE_ORDER: ClusterPhase[] = [
  'Provisioned',
  'Provisioning',
  'Pending',
  'Deleting',
  'Failed',
  'Unknown',
];

/** The columns the fleet can be narrowed by, and how each reads its value from a row. */
const FILTERS = {
  tenant: { label: 'Tenant', value: (c: ClusterSummary) => c.tenant },
  managementCluster: {
    label: 'Management cluster',
    value: (c: ClusterSummary) => c.managementCluster,
  },
  accountId: {
    label: 'AWS account',
    value: (c: ClusterSummary) => c.accountId,
  },
  region: { label: 'Region', value: (c: ClusterSummary) => c.region },
  kubernetesVersion: {
    label: 'Kubernetes version',
    value: (c: ClusterSummary) => c.kubernetesVersion,
  },
} as const;

type FilterKey = keyof typeof FILTERS;
type Filters = Partial<Record<FilterKey, string>> & { phase?: ClusterPhase };

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    '& > *': { minWidth: 180 },
  },
  phases: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'center',
    marginBottom: theme.spacing(2),
  },
  banner: { marginBottom: theme.spacing(2) },
}));

function matches(cluster: ClusterSummary, filters: Filters, except?: 'phase') {
  for (const key of Object.keys(FILTERS) as FilterKey[]) {
    const wanted = filters[key];
    if (wanted && FILTERS[key].value(cluster) !== wanted) return false;
  }
  return (
    except === 'phase' || !filters.phase || cluster.phase === filters.phase
  );
}

function distinct(items: ClusterSummary[], key: FilterKey): string[] {
  const values = new Set<string>();
  for (const item of items) {
    const v = FILTERS[key].value(item);
    if (v) values.add(v);
  }
  return [...values].sort(
    key === 'kubernetesVersion' ? compareVersions : undefined,
  );
}

/** Management clusters the backend cannot fully serve, whose clusters may be missing below. */
function HealthWarning(props: { health?: CapaHealth }) {
  const classes = useStyles();
  const problems = (props.health?.managementClusters ?? []).flatMap(mc => {
    if (!mc.reachable) {
      return [`${mc.name}: unreachable${mc.error ? ` (${mc.error})` : ''}`];
    }
    const missing = [
      !mc.crds.capi && 'Cluster API',
      !mc.crds.capa && 'CAPA',
    ].filter(Boolean);
    return missing.length
      ? [`${mc.name}: the ${missing.join(' and ')} CRDs are not installed`]
      : [];
  });
  if (problems.length === 0) return null;
  return (
    <Box className={classes.banner}>
      <WarningPanel
        severity="warning"
        title="Some management clusters are not fully available"
        message="Their clusters may be missing or out of date below:"
        defaultExpanded
      >
        <ul aria-label="Management cluster problems">
          {problems.map(p => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </WarningPanel>
    </Box>
  );
}

function PhaseCounts(props: {
  clusters: ClusterSummary[];
  selected?: ClusterPhase;
  onSelect: (phase?: ClusterPhase) => void;
}) {
  const { clusters, selected, onSelect } = props;
  const classes = useStyles();
  const counts = new Map<ClusterPhase, number>();
  for (const c of clusters) counts.set(c.phase, (counts.get(c.phase) ?? 0) + 1);
  return (
    <Box
      className={classes.phases}
      role="group"
      aria-label="Clusters per phase"
    >
      {PHASE_ORDER.map(phase => (
        <Button
          key={phase}
          size="small"
          variant={selected === phase ? 'contained' : 'outlined'}
          aria-pressed={selected === phase}
          onClick={() => onSelect(selected === phase ? undefined : phase)}
        >
          <ClusterPhaseStatus phase={phase} />
          &nbsp;{counts.get(phase) ?? 0}
        </Button>
      ))}
    </Box>
  );
}

function FilterSelect(props: {
  id: string;
  label: string;
  value?: string;
  options: string[];
  format?: (value: string) => string;
  onChange: (value?: string) => void;
}) {
  const { id, label, value, options, format = v => v, onChange } = props;
  return (
    <TextField
      id={id}
      select
      label={label}
      value={value ?? ''}
      onChange={e => onChange(e.target.value || undefined)}
      size="small"
      variant="outlined"
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
    >
      <option value="">All</option>
      {options.map(o => (
        <option key={o} value={o}>
          {format(o)}
        </option>
      ))}
    </TextField>
  );
}

/**
 * Every workload cluster across the management clusters in one table, narrowed by tenant,
 * management cluster, AWS account, region, phase and Kubernetes version, sortable by each column,
 * with the number of clusters in each phase. Without page chrome, for the new frontend system's
 * page and for embedding.
 *
 * @public
 */
export function CapaFleetContent() {
  const classes = useStyles();
  const api = useApi(capaApiRef);
  const accountName = useAccountNames();
  const clusters = useAsyncRetry(() => fetchAllClusters(api), [api]);
  // Health only adds a warning; when it fails the cluster list says what matters.
  const health = useAsync(() => api.getHealth(), [api]);
  const [filters, setFilters] = useState<Filters>({});

  const items = useMemo(() => clusters.value?.items ?? [], [clusters.value]);
  const rows = useMemo(
    // material-table writes bookkeeping into row objects; hand it copies.
    () => items.filter(c => matches(c, filters)).map(c => ({ ...c })),
    [items, filters],
  );
  const phaseScope = useMemo(
    () => items.filter(c => matches(c, filters, 'phase')),
    [items, filters],
  );

  const columns: TableColumn<ClusterSummary>[] = [
    {
      title: 'Cluster',
      field: 'name',
      highlight: true,
      render: c => (
        <EntityRefLink entityRef={clusterEntityRef(c)} hideIcon>
          {c.name}
        </EntityRefLink>
      ),
    },
    { title: 'Tenant', field: 'tenant', emptyValue: '-' },
    { title: 'Management cluster', field: 'managementCluster' },
    {
      title: 'Phase',
      field: 'phase',
      render: c => <ClusterPhaseStatus phase={c.phase} />,
      customSort: (a, b) =>
        PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase),
    },
    {
      title: 'AWS account',
      field: 'accountId',
      emptyValue: 'Not known',
      render: c => {
        const name = accountName(c.accountId);
        return c.accountId
          ? `${c.accountId}${name ? ` (${name})` : ''}`
          : 'Not known';
      },
    },
    { title: 'Region', field: 'region', emptyValue: 'Not known' },
    {
      title: 'Kubernetes version',
      field: 'kubernetesVersion',
      emptyValue: 'Not known',
      customSort: (a, b) =>
        compareVersions(a.kubernetesVersion, b.kubernetesVersion),
    },
    {
      title: 'Nodes ready',
      field: 'nodePools.readyReplicas',
      render: c =>
        `${c.nodePools.readyReplicas} / ${c.nodePools.desiredReplicas}`,
    },
    {
      title: 'Age',
      field: 'createdAt',
      render: c => {
        const age = formatAge(c.createdAt);
        return age ? <span title={c.createdAt}>{age}</span> : 'Not known';
      },
      // Oldest first when ascending, like the timestamps themselves.
      customSort: (a, b) =>
        (a.createdAt ?? '').localeCompare(b.createdAt ?? ''),
    },
  ];

  if (clusters.loading && !clusters.value) return <Progress />;
  if (clusters.error) {
    return <CapaErrorPanel error={clusters.error} subject="Clusters" />;
  }

  const set = (key: keyof Filters) => (value?: string) =>
    setFilters(prev => ({ ...prev, [key]: value }));
  const truncated = clusters.value?.nextCursor !== undefined;

  return (
    <>
      <HealthWarning health={health.value} />
      {truncated ? (
        <Box className={classes.banner}>
          <WarningPanel
            severity="info"
            title={`Showing ${items.length} of ${clusters.value?.totalItems} clusters`}
            message="The fleet is larger than this page loads at once; the filters and counts below cover the loaded clusters only."
          />
        </Box>
      ) : null}
      <PhaseCounts
        clusters={phaseScope}
        selected={filters.phase}
        onSelect={set('phase')}
      />
      <Box className={classes.filters}>
        {(Object.keys(FILTERS) as FilterKey[]).map(key => (
          <FilterSelect
            key={key}
            id={`capa-fleet-filter-${key}`}
            label={FILTERS[key].label}
            value={filters[key]}
            options={distinct(items, key)}
            format={
              key === 'accountId'
                ? id => {
                    const name = accountName(id);
                    return name ? `${id} (${name})` : id;
                  }
                : undefined
            }
            onChange={set(key)}
          />
        ))}
        {Object.values(filters).some(Boolean) ? (
          <Button onClick={() => setFilters({})}>Clear filters</Button>
        ) : null}
      </Box>
      <Table<ClusterSummary>
        title={`Clusters (${rows.length})`}
        columns={columns}
        data={rows}
        options={{
          paging: rows.length > 20,
          pageSize: 20,
          search: true,
          padding: 'dense',
        }}
        emptyContent={
          <Typography variant="body2" style={{ padding: 16 }}>
            {items.length === 0
              ? 'No workload clusters yet, or none you may see.'
              : 'No cluster matches these filters.'}
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

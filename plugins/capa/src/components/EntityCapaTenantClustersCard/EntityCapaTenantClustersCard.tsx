import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  CAPA_LABELS,
  type ClusterList,
  type FacetValue,
} from '@capa-backstage/plugin-capa-common';
import { useState } from 'react';
import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { capaApiRef, type CapaListClustersRequest } from '../../api';
import { clusterEntityRef, tenantOfGroup } from '../../entities';
import { PHASE_ORDER } from '../../lib/phases';
import { useAccountNames } from '../../lib/useAccountNames';
import { useCursorPages } from '../../lib/useCursorPages';
import { AttentionMarker, causeTitle } from '../CapaFleetPage/attention';
import { CapaErrorPanel } from '../CapaErrorPanel';
import { ClusterPhaseStatus } from '../ClusterPhaseStatus';

const TITLE = 'EKS clusters';
const PAGE_SIZE = 20;

function summary(list: ClusterList): string {
  const counts = PHASE_ORDER.filter(p => list.phaseCounts[p]).map(
    p => `${list.phaseCounts[p]} ${p}`,
  );
  const total = `${list.totalItems} cluster${list.totalItems === 1 ? '' : 's'}`;
  return counts.length ? `${total}: ${counts.join(', ')}` : total;
}

/** How many clusters have each cause, and a switch to list only the clusters that need attention. */
function AttentionSummary(props: {
  causes: FacetValue[];
  only: boolean;
  onToggle: () => void;
}) {
  const { causes, only, onToggle } = props;
  if (!causes.length && !only) return null;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
      <Typography variant="body2" color="error" style={{ marginRight: 8 }}>
        {causes.length
          ? `Needs attention: ${causes
              .map(c => `${causeTitle(c.value)} (${c.count})`)
              .join(', ')}`
          : 'No cluster needs attention.'}
      </Typography>
      <Button size="small" onClick={onToggle}>
        {only ? 'Show all clusters' : 'Show only these'}
      </Button>
    </Box>
  );
}

function TenantClusters(props: { tenant: string }) {
  const { tenant } = props;
  const api = useApi(capaApiRef);
  const accountName = useAccountNames();
  // The backend counts and sorts; the card shows one page at a time.
  const [attentionOnly, setAttentionOnly] = useState(false);
  const request: CapaListClustersRequest = {
    tenant,
    sort: 'name',
    limit: PAGE_SIZE,
    // The cause counts come with the facets.
    facets: true,
    ...(attentionOnly ? { cause: 'any' } : {}),
  };
  const pages = useCursorPages(
    cursor => api.listClusters(cursor ? { ...request, cursor } : request),
    `${tenant} ${attentionOnly}`,
  );
  const { value, error, page } = pages;

  if (!value && !error) {
    return (
      <InfoCard title={TITLE}>
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return (
      <InfoCard title={TITLE}>
        <CapaErrorPanel
          error={error ?? new Error('No answer from the CAPA backend')}
          subject="Clusters"
          denied={`You may not list the clusters of tenant ${tenant}.`}
        />
      </InfoCard>
    );
  }
  const items = value.items;
  const first = page * PAGE_SIZE + 1;
  return (
    <InfoCard title={TITLE} subheader={`Tenant ${tenant} - ${summary(value)}`}>
      <AttentionSummary
        causes={value.facets?.cause ?? []}
        only={attentionOnly}
        onToggle={() => setAttentionOnly(v => !v)}
      />
      {items.length === 0 ? (
        <Typography variant="body2">
          Tenant {tenant} has no clusters yet.
        </Typography>
      ) : (
        <Table size="small" aria-label={`Clusters of tenant ${tenant}`}>
          <TableHead>
            <TableRow>
              <TableCell>Cluster</TableCell>
              <TableCell>Phase</TableCell>
              <TableCell>AWS account</TableCell>
              <TableCell>Region</TableCell>
              <TableCell>Version</TableCell>
              <TableCell>Attention</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(cluster => {
              const name = accountName(cluster.accountId);
              return (
                <TableRow
                  key={`${cluster.managementCluster}/${cluster.namespace}/${cluster.name}`}
                >
                  <TableCell>
                    <EntityRefLink
                      entityRef={clusterEntityRef(cluster)}
                      hideIcon
                    >
                      {cluster.name}
                    </EntityRefLink>
                  </TableCell>
                  <TableCell>
                    <ClusterPhaseStatus phase={cluster.phase} />
                  </TableCell>
                  <TableCell>
                    {cluster.accountId
                      ? `${cluster.accountId}${name ? ` (${name})` : ''}`
                      : 'Not known'}
                  </TableCell>
                  <TableCell>{cluster.region ?? 'Not known'}</TableCell>
                  <TableCell>
                    {cluster.kubernetesVersion ?? 'Not known'}
                  </TableCell>
                  <TableCell>
                    <AttentionMarker causes={cluster.causes} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {value.totalItems > PAGE_SIZE ? (
        <Box display="flex" alignItems="center" justifyContent="flex-end">
          <Typography variant="body2">
            {first}-{first + items.length - 1} of {value.totalItems}
          </Typography>
          <Button
            size="small"
            disabled={page === 0 || pages.loading}
            onClick={() => pages.goTo(page - 1)}
          >
            Previous
          </Button>
          <Button
            size="small"
            disabled={!value.nextCursor || pages.loading}
            onClick={() => pages.goTo(page + 1)}
          >
            Next
          </Button>
        </Box>
      ) : null}
    </InfoCard>
  );
}

/**
 * The entity card of a CAPA tenant's Group: the tenant's workload clusters with phase, AWS account,
 * region and Kubernetes version, each linking to the cluster's entity page. The tenant is read from
 * the group's `capa.backstage.io/tenant` label.
 *
 * @public
 */
export function EntityCapaTenantClustersCard() {
  const { entity } = useEntity();
  const tenant = tenantOfGroup(entity);
  if (!tenant) {
    return (
      <InfoCard title={TITLE}>
        <Typography variant="body2">
          This group is not a CAPA tenant: it has no {CAPA_LABELS.tenant} label.
        </Typography>
      </InfoCard>
    );
  }
  return <TenantClusters tenant={tenant} />;
}

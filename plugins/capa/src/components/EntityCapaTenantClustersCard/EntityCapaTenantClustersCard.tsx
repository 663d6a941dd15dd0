import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  CAPA_LABELS,
  type ClusterList,
  type ClusterPhase,
} from '@capa-backstage/plugin-capa-common';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { capaApiRef } from '../../api';
import { clusterEntityRef, tenantOfGroup } from '../../entities';
import { fetchAllClusters } from '../../lib/fetchAllClusters';
import { useAccountNames } from '../../lib/useAccountNames';
import { CapaErrorPanel } from '../CapaErrorPanel';
import { ClusterPhaseStatus } from '../ClusterPhaseStatus';

const TITLE = 'EKS clusters';
const PHASE_ORDER: ClusterPhase[] = [
  'Provisioned',
  'Provisioning',
  'Pending',
  'Deleting',
  'Failed',
  'Unknown',
];

function summary(list: ClusterList): string {
  const counts = PHASE_ORDER.filter(p => list.phaseCounts[p]).map(
    p => `${list.phaseCounts[p]} ${p}`,
  );
  const total = `${list.totalItems} cluster${list.totalItems === 1 ? '' : 's'}`;
  return counts.length ? `${total}: ${counts.join(', ')}` : total;
}

function TenantClusters(props: { tenant: string }) {
  const { tenant } = props;
  const api = useApi(capaApiRef);
  const accountName = useAccountNames();
  const { value, loading, error } = useAsync(
    () => fetchAllClusters(api, { tenant }),
    [api, tenant],
  );

  if (loading) {
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
  const items = [...value.items].sort(
    (a, b) =>
      a.name.localeCompare(b.name) ||
      a.managementCluster.localeCompare(b.managementCluster),
  );
  return (
    <InfoCard title={TITLE} subheader={`Tenant ${tenant} - ${summary(value)}`}>
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
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
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

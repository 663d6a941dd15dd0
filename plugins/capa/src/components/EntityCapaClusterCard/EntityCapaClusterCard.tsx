import { Entity } from '@backstage/catalog-model';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  CAPA_ANNOTATIONS,
  mergeDiagnoses,
} from '@capa-backstage/plugin-capa-common';
import { Box, IconButton, Tooltip, makeStyles } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { capaApiRef, type CapaClusterRef } from '../../api';
import { clusterRefOfEntity } from '../../entities';
import { formatAge } from '../../lib/format';
import { useAccountNames } from '../../lib/useAccountNames';
import { CapaErrorPanel } from '../CapaErrorPanel';
import { ClusterAccess } from './ClusterAccess';
import { ClusterServiceNetwork } from './ClusterServiceNetwork';
import { ClusterEventList } from './ClusterConditions';
import { ClusterDiagnosis } from './ClusterDiagnosis';
import { ClusterDetails } from './ClusterDetails';
import { ClusterOperations } from './ClusterOperations';
import { Owners } from './Owners';

const useStyles = makeStyles(theme => ({
  banner: { marginBottom: theme.spacing(2) },
  list: { margin: 0, paddingLeft: theme.spacing(2.5) },
}));

const TITLE = 'EKS cluster';

function StaleBanner(props: { since: string; managementCluster: string }) {
  const { since, managementCluster } = props;
  const age = formatAge(since);
  return (
    <WarningPanel
      severity="warning"
      title="This status may be out of date"
      message={`Management cluster ${managementCluster} has not answered since ${new Date(
        since,
      ).toLocaleString()}${
        age ? ` (${age} ago)` : ''
      }. What is shown is its last known state; the cluster stays in the catalog until the management cluster lists again without it.`}
      defaultExpanded
    />
  );
}

function ClusterCardBody(props: {
  entity: Entity;
  clusterRef: CapaClusterRef;
}) {
  const { entity, clusterRef } = props;
  const classes = useStyles();
  const api = useApi(capaApiRef);
  const accountName = useAccountNames();
  const { managementCluster, namespace, name } = clusterRef;
  const {
    value: view,
    loading,
    error,
    retry,
  } = useAsyncRetry(
    () => api.getCluster({ managementCluster, namespace, name }),
    [api, managementCluster, namespace, name],
  );
  // Read from the management cluster once per opening of the card (and per refresh), never polled.
  const events = useAsyncRetry(
    () => api.getClusterEvents({ managementCluster, namespace, name }),
    [api, managementCluster, namespace, name],
  );

  const refresh = (
    <Tooltip title="Refresh">
      <IconButton
        aria-label="Refresh"
        onClick={() => {
          retry();
          events.retry();
        }}
        disabled={loading}
      >
        <RefreshIcon />
      </IconButton>
    </Tooltip>
  );
  const card = (children: JSX.Element) => (
    <InfoCard
      title={TITLE}
      subheader={`${namespace}/${name} on management cluster ${managementCluster}`}
      action={refresh}
    >
      {children}
    </InfoCard>
  );

  // The backend knows best while it answers; otherwise the catalog's mark, if any.
  const staleSince = view
    ? view.staleSince
    : entity.metadata.annotations?.[CAPA_ANNOTATIONS.staleSince];
  const stale = staleSince ? (
    <Box className={classes.banner}>
      <StaleBanner since={staleSince} managementCluster={managementCluster} />
    </Box>
  ) : null;

  // Keep showing the last answer while a refresh is in flight rather than flashing a spinner.
  if (loading && !view) return card(<Progress />);
  if (error) {
    return card(
      <>
        {stale}
        <CapaErrorPanel
          error={error}
          subject="Cluster"
          notFound={`Cluster ${namespace}/${name} does not exist on management cluster ${managementCluster}. It may have been deleted; its catalog entity goes away once the catalog catches up.`}
          denied={
            <>
              You may not see this cluster's status. Ask the cluster's owner,{' '}
              <Owners entity={entity} />, for access.
            </>
          }
        />
      </>,
    );
  }
  if (!view) return card(<Progress />);

  const deletingFor = formatAge(view.deletionTimestamp);
  return card(
    <>
      {stale}
      <ClusterDiagnosis
        diagnosis={mergeDiagnoses(
          view.diagnosis,
          events.value?.diagnosis ?? [],
        )}
        entity={entity}
      />
      {view.deleting ? (
        <Box className={classes.banner}>
          <WarningPanel
            severity="info"
            title="This cluster is being deleted"
            message={`Deletion was requested${
              deletingFor ? ` ${deletingFor} ago` : ''
            }. CAPA is removing the node pools, the EKS control plane and the cluster's AWS resources; the catalog entity goes away when it is done.`}
            defaultExpanded
          />
        </Box>
      ) : null}
      {view.problems.length > 0 ? (
        <Box className={classes.banner}>
          <WarningPanel
            severity="warning"
            title="The cluster's status is incomplete"
            message="Some objects behind this cluster are missing or malformed, so parts of this card are unknown:"
            defaultExpanded
          >
            <ul className={classes.list} aria-label="Status problems">
              {view.problems.map(problem => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </WarningPanel>
        </Box>
      ) : null}
      <ClusterDetails
        view={view}
        accountName={accountName(view.aws.accountId)}
      />
      <ClusterEventList
        events={events.value}
        error={events.error}
        loading={events.loading && !events.value}
      />
      <ClusterAccess entity={entity} clusterRef={clusterRef} view={view} />
      <ClusterServiceNetwork clusterRef={clusterRef} />
      <ClusterOperations entity={entity} deleting={view.deleting} />
    </>,
  );
}

/**
 * The entity card of a CAPA workload cluster: phase, unhealthy conditions, failure, AWS account and
 * region, EKS name and version, node pools, age, how to get a kubeconfig (for users allowed
 * `capa.cluster.kubeconfig.read` on the entity), and links to the day-2 templates (upgrade and node
 * pools for `capa.cluster.update`, access for `capa.cluster.access.manage`, each on the entity).
 * For Resource entities of type kubernetes-cluster carrying the `capa.backstage.io/*` annotations.
 *
 * @public
 */
export function EntityCapaClusterCard() {
  const { entity } = useEntity();
  const clusterRef = clusterRefOfEntity(entity);
  if (!clusterRef) {
    return (
      <InfoCard title={TITLE}>
        <MissingAnnotationEmptyState
          annotation={[
            CAPA_ANNOTATIONS.managementCluster,
            CAPA_ANNOTATIONS.namespace,
            CAPA_ANNOTATIONS.clusterName,
          ]}
        />
      </InfoCard>
    );
  }
  return <ClusterCardBody entity={entity} clusterRef={clusterRef} />;
}

import { useApi } from '@backstage/core-plugin-api';
import type {
  ClusterServiceNetwork as ServiceNetworkData,
  LatticeDeliveryView,
} from '@capa-backstage/plugin-capa-common';
import { Box, Typography, makeStyles } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { capaApiRef, type CapaClusterRef } from '../../api';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(3) },
  muted: { color: theme.palette.text.secondary },
  list: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2.5) },
}));

/** The route's annotation where the AWS Gateway API Controller writes the Lattice domain. */
const ASSIGNED_DOMAIN =
  'application-networking.k8s.aws/lattice-assigned-domain-name';

function delivery(d: LatticeDeliveryView): string {
  if (d.state === 'applied')
    return `applied by Cluster API${
      d.lastAppliedTime
        ? ` ${new Date(d.lastAppliedTime).toLocaleString()}`
        : ''
    }`;
  if (d.state === 'failed')
    return 'Cluster API could not apply it (see the ClusterResourceSet conditions)';
  return 'not applied by Cluster API yet';
}

const caller = (c: {
  cluster: string;
  namespace: string;
  serviceAccount?: string;
}) =>
  `${c.cluster} namespace ${c.namespace}${
    c.serviceAccount ? ` (service account ${c.serviceAccount})` : ''
  }`;

/** The section's content for data already read. */
export function ServiceNetworkDetails(props: { data: ServiceNetworkData }) {
  const classes = useStyles();
  const { serviceNetwork, join, exposes, calls } = props.data;
  if (!serviceNetwork && !exposes.length && !calls.length) {
    return (
      <Typography variant="body2" className={classes.muted}>
        Not joined to a VPC Lattice service network. The template "Allow a
        cluster to call a service" joins it and grants access.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2">
        {serviceNetwork ? (
          <>
            Joined to <strong>{serviceNetwork}</strong>
            {join ? ` (Gateway ${delivery(join)})` : ''}
          </>
        ) : (
          'Not joined to a service network.'
        )}
      </Typography>
      <Typography variant="body2" component="h5">
        Services it exposes
      </Typography>
      {exposes.length ? (
        <ul className={classes.list} aria-label="Exposed services">
          {exposes.map(e => (
            <li key={`${e.service.namespace}/${e.service.name}`}>
              <Typography variant="body2">
                <code>
                  {e.service.namespace}/{e.service.name}:{e.service.port}
                </code>{' '}
                at{' '}
                {e.service.domain ? (
                  <code>{e.service.domain}</code>
                ) : (
                  <>
                    the domain VPC Lattice assigns (the route's{' '}
                    <code>{ASSIGNED_DOMAIN}</code> annotation)
                  </>
                )}
                ; {delivery(e.delivery)}.{' '}
                {e.callers.length
                  ? `Allowed callers: ${e.callers.map(caller).join('; ')}.`
                  : 'No caller is allowed: its auth policy denies everyone.'}
              </Typography>
            </li>
          ))}
        </ul>
      ) : (
        <Typography variant="body2" className={classes.muted}>
          None.
        </Typography>
      )}
      <Typography variant="body2" component="h5">
        Services it may call
      </Typography>
      {calls.length ? (
        <ul className={classes.list} aria-label="Services it may call">
          {calls.map(c => (
            <li
              key={`${c.cluster} ${c.service.namespace}/${c.service.name} ${
                c.namespace
              } ${c.serviceAccount ?? ''}`}
            >
              <Typography variant="body2">
                <code>
                  {c.service.namespace}/{c.service.name}:{c.service.port}
                </code>{' '}
                on {c.cluster}
                {c.service.domain ? (
                  <>
                    {' '}
                    (<code>{c.service.domain}</code>)
                  </>
                ) : null}
                , from namespace {c.namespace}
                {c.serviceAccount
                  ? ` (service account ${c.serviceAccount})`
                  : ''}
              </Typography>
            </li>
          ))}
        </ul>
      ) : (
        <Typography variant="body2" className={classes.muted}>
          None.
        </Typography>
      )}
    </>
  );
}

/**
 * The card's "Service network" section: the VPC Lattice service network the cluster joined, the
 * services it exposes with their allowed callers, the services it may call, and whether Cluster
 * API applied each (read once per opening of the card).
 */
export function ClusterServiceNetwork(props: { clusterRef: CapaClusterRef }) {
  const classes = useStyles();
  const api = useApi(capaApiRef);
  const { managementCluster, namespace, name } = props.clusterRef;
  const { value, error, loading } = useAsync(
    () => api.getClusterServiceNetwork({ managementCluster, namespace, name }),
    [api, managementCluster, namespace, name],
  );
  return (
    <Box className={classes.section} aria-label="Service network">
      <Typography variant="subtitle2" component="h4">
        Service network
      </Typography>
      {error ? (
        <Typography variant="body2" className={classes.muted}>
          Cannot show the service network: {error.message}
        </Typography>
      ) : null}
      {!error && loading && !value ? (
        <Typography variant="body2" className={classes.muted}>
          Loading…
        </Typography>
      ) : null}
      {value ? <ServiceNetworkDetails data={value} /> : null}
    </Box>
  );
}

import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  capaClusterKubeconfigReadPermission,
  updateKubeconfigCommand,
  type ClusterView,
} from '@capa-backstage/plugin-capa-common';
import { Box, Typography, makeStyles } from '@material-ui/core';
import type { CapaClusterRef } from '../../api';
import { CopyableCommand } from '../CopyableCommand';
import { KubeconfigDownload } from './KubeconfigDownload';
import { MappedPrincipals } from './MappedPrincipals';
import { Owners } from './Owners';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(3) },
  block: { marginTop: theme.spacing(1) },
  muted: { color: theme.palette.text.secondary },
}));

interface Props {
  entity: Entity;
  clusterRef: CapaClusterRef;
  view: ClusterView;
}

/**
 * The ways into the cluster, for users who may take its kubeconfig (the permission the backend
 * checks on the cluster's entity): the update-kubeconfig commands and the download. Everyone who
 * sees the card sees which IAM principals are mapped, but not the commands.
 */
function ReachCluster(props: Props) {
  const { entity, view } = props;
  const classes = useStyles();
  const permission = usePermission({
    permission: capaClusterKubeconfigReadPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  if (permission.loading) return <Progress />;
  if (!permission.allowed) {
    return (
      <>
        <Typography variant="body2" className={classes.block}>
          Only the cluster's owners may take its kubeconfig. Ask{' '}
          <Owners entity={entity} view={view} /> for access.
          {permission.error
            ? ` (Checking your access failed: ${permission.error.message})`
            : ''}
        </Typography>
        <MappedPrincipals view={view} commands={false} />
      </>
    );
  }
  const command = updateKubeconfigCommand(view);
  return (
    <>
      {command ? (
        <Box className={classes.block}>
          <Typography variant="body2" className={classes.muted}>
            Write a kubeconfig entry with the AWS CLI (uses your current AWS
            credentials):
          </Typography>
          <CopyableCommand
            command={command}
            copyLabel="Copy update-kubeconfig command"
          />
        </Box>
      ) : (
        <Typography variant="body2" className={classes.muted}>
          The update-kubeconfig command is shown once the EKS cluster name and
          region are known.
        </Typography>
      )}
      <KubeconfigDownload {...props} />
      <MappedPrincipals view={view} commands />
    </>
  );
}

/**
 * How to reach the cluster: the update-kubeconfig commands and the kubeconfig download (for those
 * allowed), and the IAM principals that the cluster lets in.
 */
export function ClusterAccess(props: Props) {
  const classes = useStyles();
  return (
    <Box
      className={classes.section}
      component="section"
      aria-label="Kubeconfig access"
    >
      <Typography variant="h6" component="h3">
        Access
      </Typography>
      {props.view.deleting ? (
        <Typography variant="body2" className={classes.muted}>
          The cluster is being deleted, so no access to it is offered.
        </Typography>
      ) : (
        <ReachCluster {...props} />
      )}
    </Box>
  );
}

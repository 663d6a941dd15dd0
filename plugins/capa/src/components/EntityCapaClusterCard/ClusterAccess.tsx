import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CopyTextButton, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  capaClusterKubeconfigReadPermission,
  updateKubeconfigCommand,
  type AccessPrincipalView,
  type ClusterView,
} from '@capa-backstage/plugin-capa-common';
import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { capaApiRef, type CapaClusterRef } from '../../api';
import { saveFile } from '../../lib/saveFile';
import { CapaErrorPanel } from '../CapaErrorPanel';
import { CopyableCommand } from '../CopyableCommand';
import { Owners } from './Owners';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(3) },
  block: { marginTop: theme.spacing(1) },
  muted: { color: theme.palette.text.secondary },
  list: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2.5) },
  principal: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    '& code': { overflowWrap: 'anywhere' },
  },
}));

function describePrincipal(p: AccessPrincipalView): string {
  const via = p.via === 'aws-auth' ? 'aws-auth ConfigMap' : 'EKS access entry';
  const parts = [`${p.kind}, via ${via}`];
  if (p.username) parts.push(`as ${p.username}`);
  if (p.groups?.length) parts.push(`groups ${p.groups.join(', ')}`);
  if (p.accessPolicies?.length)
    parts.push(`policies ${p.accessPolicies.join(', ')}`);
  return parts.join('; ');
}

function MappedPrincipals(props: { view: ClusterView }) {
  const classes = useStyles();
  const { view } = props;
  return (
    <Box className={classes.section}>
      <Typography variant="subtitle2" component="h4">
        IAM roles and users mapped into the cluster
      </Typography>
      {view.access.length === 0 ? (
        <Typography variant="body2" className={classes.muted}>
          None besides the identity that created the cluster.
        </Typography>
      ) : (
        <ul className={classes.list} aria-label="Mapped IAM principals">
          {view.access.map(p => {
            const roleCommand =
              p.kind === 'role'
                ? updateKubeconfigCommand(view, p.arn)
                : undefined;
            return (
              <li key={`${p.via}:${p.arn}`}>
                <span className={classes.principal}>
                  <code>{p.arn}</code>
                  {roleCommand ? (
                    <CopyTextButton
                      text={roleCommand}
                      aria-label={`Copy update-kubeconfig command for ${p.arn}`}
                      tooltipText="Command copied to clipboard"
                    />
                  ) : null}
                </span>
                <Typography variant="body2" className={classes.muted}>
                  {describePrincipal(p)}
                </Typography>
              </li>
            );
          })}
        </ul>
      )}
    </Box>
  );
}

function KubeconfigDownload(props: {
  entity: Entity;
  clusterRef: CapaClusterRef;
  view: ClusterView;
}) {
  const { entity, clusterRef, view } = props;
  const classes = useStyles();
  const api = useApi(capaApiRef);
  const permission = usePermission({
    permission: capaClusterKubeconfigReadPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const [download, startDownload] = useAsyncFn(async () => {
    const response = await api.getKubeconfig(clusterRef);
    saveFile(`${clusterRef.name}-kubeconfig.yaml`, response.kubeconfig);
  }, [
    api,
    clusterRef.managementCluster,
    clusterRef.namespace,
    clusterRef.name,
  ]);

  if (permission.loading) return <Progress />;
  if (!permission.allowed) {
    return (
      <Typography variant="body2" className={classes.block}>
        You may not download this cluster's kubeconfig. Ask the cluster's owner,{' '}
        <Owners entity={entity} view={view} />, for access.
        {permission.error
          ? ` (Checking your access failed: ${permission.error.message})`
          : ''}
      </Typography>
    );
  }
  return (
    <Box className={classes.block}>
      <Button
        variant="contained"
        color="primary"
        startIcon={<GetAppIcon />}
        onClick={startDownload}
        disabled={download.loading || !view.kubeconfig.available}
      >
        Download kubeconfig
      </Button>
      {view.kubeconfig.available ? null : (
        <Typography variant="body2" className={classes.muted}>
          The kubeconfig Secret {view.kubeconfig.secretName} does not exist yet;
          CAPA writes it once the EKS control plane is ready.
        </Typography>
      )}
      {download.error ? (
        <Box className={classes.block}>
          <CapaErrorPanel
            error={download.error}
            subject="Kubeconfig"
            notFound={`The kubeconfig Secret ${view.kubeconfig.secretName} does not exist (yet).`}
            denied={
              <>
                The backend refused the download. Ask the cluster's owner,{' '}
                <Owners entity={entity} view={view} />, for access.
              </>
            }
          />
        </Box>
      ) : null}
    </Box>
  );
}

/**
 * How to reach the cluster: the update-kubeconfig command, the kubeconfig download (for those
 * allowed), and the IAM principals that the cluster lets in.
 */
export function ClusterAccess(props: {
  entity: Entity;
  clusterRef: CapaClusterRef;
  view: ClusterView;
}) {
  const { view } = props;
  const classes = useStyles();
  const command = updateKubeconfigCommand(view);
  return (
    <Box
      className={classes.section}
      component="section"
      aria-label="Kubeconfig access"
    >
      <Typography variant="h6" component="h3">
        Access
      </Typography>
      {view.deleting ? (
        <Typography variant="body2" className={classes.muted}>
          The cluster is being deleted, so no access to it is offered.
        </Typography>
      ) : (
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
              The update-kubeconfig command is shown once the EKS cluster name
              and region are known.
            </Typography>
          )}
          <KubeconfigDownload {...props} />
          <MappedPrincipals view={view} />
        </>
      )}
    </Box>
  );
}

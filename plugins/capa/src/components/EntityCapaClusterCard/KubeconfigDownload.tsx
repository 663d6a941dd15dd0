import { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import type { ClusterView } from '@capa-backstage/plugin-capa-common';
import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { capaApiRef, type CapaClusterRef } from '../../api';
import { saveFile } from '../../lib/saveFile';
import { CapaErrorPanel } from '../CapaErrorPanel';
import { Owners } from './Owners';

const useStyles = makeStyles(theme => ({
  block: { marginTop: theme.spacing(1) },
  muted: { color: theme.palette.text.secondary },
}));

/** The kubeconfig download button, for users the permission check allowed. */
export function KubeconfigDownload(props: {
  entity: Entity;
  clusterRef: CapaClusterRef;
  view: ClusterView;
}) {
  const { entity, clusterRef, view } = props;
  const classes = useStyles();
  const api = useApi(capaApiRef);
  const [download, startDownload] = useAsyncFn(async () => {
    const response = await api.getKubeconfig(clusterRef);
    saveFile(`${clusterRef.name}-kubeconfig.yaml`, response.kubeconfig);
  }, [
    api,
    clusterRef.managementCluster,
    clusterRef.namespace,
    clusterRef.name,
  ]);

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

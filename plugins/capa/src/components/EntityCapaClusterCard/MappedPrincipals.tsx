import { CopyTextButton } from '@backstage/core-components';
import {
  updateKubeconfigCommand,
  type AccessPrincipalView,
  type ClusterView,
} from '@capa-backstage/plugin-capa-common';
import { Box, Typography, makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(3) },
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

/**
 * The IAM roles and users the cluster lets in; with `commands`, a copy button per role for its
 * update-kubeconfig command (only for users who may take the kubeconfig).
 */
export function MappedPrincipals(props: {
  view: ClusterView;
  commands: boolean;
}) {
  const classes = useStyles();
  const { view, commands } = props;
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
              commands && p.kind === 'role'
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

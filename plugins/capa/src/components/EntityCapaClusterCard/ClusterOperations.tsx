import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import {
  capaClusterAccessManagePermission,
  capaClusterUpdatePermission,
  type CapaClusterCapability,
} from '@capa-backstage/plugin-capa-common';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { scaffolderTemplateRouteRef } from '../../routes';
import { CAPA_DAY2_TEMPLATES } from '../../templates';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(3) },
  links: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginTop: theme.spacing(1),
  },
}));

/**
 * Links to the day-2 templates, pre-filled with this cluster. Each link shows only to users who
 * may start scaffolder tasks and may do what its template does on this cluster (the permission
 * the backend checks on the cluster's entity when the task runs), only when the app has a
 * scaffolder, and never for a cluster being deleted (the actions refuse it). Without any allowed
 * link there is no section at all.
 */
export function ClusterOperations(props: {
  entity: Entity;
  deleting: boolean;
}) {
  const { entity, deleting } = props;
  const classes = useStyles();
  const templateRoute = useRouteRef(scaffolderTemplateRouteRef);
  const resourceRef = stringifyEntityRef(entity);
  const runTasks = usePermission({ permission: taskCreatePermission });
  const update = usePermission({
    permission: capaClusterUpdatePermission,
    resourceRef,
  });
  const manageAccess = usePermission({
    permission: capaClusterAccessManagePermission,
    resourceRef,
  });
  // Only the capabilities the day-2 templates need; the others are never asked for.
  const allowed: Partial<Record<CapaClusterCapability, boolean>> = {
    update: update.allowed,
    'manage-access': manageAccess.allowed,
  };
  if (
    deleting ||
    !templateRoute ||
    runTasks.loading ||
    !runTasks.allowed ||
    update.loading ||
    manageAccess.loading
  )
    return null;
  const templates = CAPA_DAY2_TEMPLATES.filter(t => allowed[t.can]);
  if (templates.length === 0) return null;
  // The scaffolder reads the initial form values from formData.
  const formData = encodeURIComponent(JSON.stringify({ cluster: resourceRef }));
  return (
    <Box
      className={classes.section}
      component="section"
      aria-label="Cluster operations"
    >
      <Typography variant="h6" component="h3">
        Operations
      </Typography>
      <Box className={classes.links}>
        {templates.map(t => (
          <Link
            key={t.name}
            to={`${templateRoute({
              namespace: 'default',
              templateName: t.name,
            })}?formData=${formData}`}
          >
            {t.title}
          </Link>
        ))}
      </Box>
    </Box>
  );
}

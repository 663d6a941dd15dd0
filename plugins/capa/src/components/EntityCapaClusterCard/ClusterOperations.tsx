import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
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
 * Links to the day-2 templates, pre-filled with this cluster. Shown only to users who may start
 * scaffolder tasks (the scaffolder's own permission, which also guards running them), only when
 * the app has a scaffolder, and never for a cluster being deleted (the actions refuse it).
 */
export function ClusterOperations(props: {
  entity: Entity;
  deleting: boolean;
}) {
  const { entity, deleting } = props;
  const classes = useStyles();
  const templateRoute = useRouteRef(scaffolderTemplateRouteRef);
  const permission = usePermission({ permission: taskCreatePermission });
  if (deleting || !templateRoute || permission.loading || !permission.allowed)
    return null;
  // The scaffolder reads the initial form values from formData.
  const formData = encodeURIComponent(
    JSON.stringify({ cluster: stringifyEntityRef(entity) }),
  );
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
        {CAPA_DAY2_TEMPLATES.map(t => (
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

import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Link, StatusError, StatusWarning } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import {
  CAPA_CLUSTER_CAPABILITIES,
  capaPlatformManagePermission,
  type Diagnosis,
  type DiagnosisEvidence,
  type DiagnosisOwner,
} from '@capa-backstage/plugin-capa-common';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { scaffolderTemplateRouteRef } from '../../routes';
import { CAPA_DAY2_TEMPLATES } from '../../templates';
import { formatAge } from '../../lib/format';

const useStyles = makeStyles(theme => ({
  block: {
    border: `1px solid ${theme.palette.divider}`,
    borderLeft: `4px solid ${theme.palette.error.main}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1.5, 2),
    marginBottom: theme.spacing(2),
  },
  warning: { borderLeftColor: theme.palette.warning.main },
  label: { color: theme.palette.text.secondary, marginRight: theme.spacing(1) },
  evidence: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    background: theme.palette.background.default,
    padding: theme.spacing(1),
    margin: theme.spacing(0.5, 0, 0),
    listStyle: 'none',
  },
  row: { marginTop: theme.spacing(1) },
}));

const OWNERS: Record<DiagnosisOwner, string> = {
  tenant: "the cluster's owners (the tenant)",
  platform: 'the platform team',
  'aws-support': 'AWS support',
};

function evidenceLine(e: DiagnosisEvidence): string {
  const what = [e.type, e.status, e.reason && `(${e.reason})`]
    .filter(Boolean)
    .join(' ');
  const age = formatAge(e.since);
  return `${e.kind} ${e.name}: ${what}${age ? `, ${age} ago` : ''}${
    e.count && e.count > 1 ? `, seen ${e.count} times` : ''
  }${e.message ? `\n${e.message}` : ''}`;
}

/** A link to the template that applies a fix, for users who may run it on this cluster. */
function FixTemplate(props: { template: string; entity: Entity }) {
  const templateRoute = useRouteRef(scaffolderTemplateRouteRef);
  const { name, namespace } = parseEntityRef(props.template);
  const day2 = CAPA_DAY2_TEMPLATES.find(t => t.name === name);
  const resourceRef = stringifyEntityRef(props.entity);
  const runTasks = usePermission({ permission: taskCreatePermission });
  // A day-2 template needs its permission on this cluster; any other (onboarding) the platform's.
  const allowed = usePermission(
    day2
      ? { permission: CAPA_CLUSTER_CAPABILITIES[day2.can], resourceRef }
      : { permission: capaPlatformManagePermission },
  );
  if (!templateRoute || !runTasks.allowed || !allowed.allowed) return null;
  const formData = day2
    ? `?formData=${encodeURIComponent(
        JSON.stringify({ cluster: resourceRef }),
      )}`
    : '';
  return (
    <Link to={`${templateRoute({ namespace, templateName: name })}${formData}`}>
      {day2?.title ?? 'Open the template that fixes it'}
    </Link>
  );
}

/**
 * Why the cluster is not ready, on top of the card: each cause in one sentence, the evidence it
 * was read from (verbatim), the fix, who applies it, and the template that does it when one does.
 */
export function ClusterDiagnosis(props: {
  diagnosis: Diagnosis[];
  entity: Entity;
}) {
  const classes = useStyles();
  if (props.diagnosis.length === 0) return null;
  return (
    <Box component="section" aria-label="Diagnosis">
      {props.diagnosis.map(d => {
        const Status = d.severity === 'error' ? StatusError : StatusWarning;
        return (
          <Box
            key={d.cause}
            component="section"
            className={`${classes.block} ${
              d.severity === 'warning' ? classes.warning : ''
            }`}
            aria-label={`Diagnosis: ${d.title}`}
          >
            <Typography variant="subtitle1" component="h4">
              <Status>{d.title}</Status>
            </Typography>
            <Typography variant="body2">{d.summary}</Typography>
            <Box className={classes.row}>
              <Typography variant="body2">
                <span className={classes.label}>Fix:</span> {d.fix}
              </Typography>
              <Typography variant="body2">
                <span className={classes.label}>Fixed by:</span>{' '}
                {OWNERS[d.owner]}
              </Typography>
              {d.template ? (
                <FixTemplate template={d.template} entity={props.entity} />
              ) : null}
            </Box>
            <Box className={classes.row}>
              <Typography variant="body2" className={classes.label}>
                Evidence
              </Typography>
              <ul className={classes.evidence} aria-label="Evidence">
                {d.evidence.map((e, i) => (
                  <li key={i}>{evidenceLine(e)}</li>
                ))}
              </ul>
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

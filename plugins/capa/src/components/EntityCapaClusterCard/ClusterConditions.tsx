import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import type {
  ClusterEvent,
  ConditionView,
  ObjectStatusView,
} from '@capa-backstage/plugin-capa-common';
import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { useState } from 'react';
import { formatAge } from '../../lib/format';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(3) },
  object: { marginTop: theme.spacing(1.5) },
  message: { overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' },
  muted: { color: theme.palette.text.secondary },
}));

const healthy = (c: ConditionView) =>
  // Deleting and the Scaling ones read True when something is going on, not when all is well.
  c.type === 'Deleting' || c.type.startsWith('Scaling')
    ? c.status === 'False'
    : c.status === 'True';

function ConditionStatus(props: { condition: ConditionView }) {
  const { condition: c } = props;
  if (healthy(c)) return <StatusOK>{c.status}</StatusOK>;
  const Status =
    c.status === 'False' && c.severity !== 'Info' && c.severity !== 'Warning'
      ? StatusError
      : StatusWarning;
  return <Status>{c.status}</Status>;
}

/**
 * The conditions of the Cluster, its control plane and each node pool, as the controllers wrote
 * them: type, status, reason, message and age, the unhealthy ones first; the healthy ones behind a
 * toggle.
 */
export function ClusterConditions(props: {
  objects: ObjectStatusView[];
  now?: number;
}) {
  const classes = useStyles();
  const [showHealthy, setShowHealthy] = useState(false);
  const healthyCount = props.objects.reduce(
    (n, o) => n + o.conditions.filter(healthy).length,
    0,
  );
  return (
    <Box
      className={classes.section}
      component="section"
      aria-label="Conditions"
    >
      <Typography variant="subtitle2" component="h4">
        Conditions
      </Typography>
      {props.objects.map(o => {
        const shown = [
          ...o.conditions.filter(c => !healthy(c)),
          ...(showHealthy ? o.conditions.filter(healthy) : []),
        ];
        return (
          <Box key={`${o.kind}/${o.name}`} className={classes.object}>
            <Typography variant="body2">
              <strong>{o.kind}</strong> {o.name}
              {o.failureMessage ? (
                <StatusError> {o.failureMessage}</StatusError>
              ) : null}
            </Typography>
            {shown.length === 0 ? (
              <Typography variant="body2" className={classes.muted}>
                {o.conditions.length === 0
                  ? 'No conditions reported.'
                  : 'All conditions are healthy.'}
              </Typography>
            ) : (
              <Table
                size="small"
                aria-label={`Conditions of ${o.kind} ${o.name}`}
              >
                <TableHead>
                  <TableRow>
                    <TableCell>Type</TableCell>
                    <TableCell>Status</TableCell>
                    <TableCell>Reason</TableCell>
                    <TableCell>Message</TableCell>
                    <TableCell>Age</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {shown.map(c => (
                    <TableRow key={c.type}>
                      <TableCell>{c.type}</TableCell>
                      <TableCell>
                        <ConditionStatus condition={c} />
                      </TableCell>
                      <TableCell>{c.reason ?? ''}</TableCell>
                      <TableCell className={classes.message}>
                        {c.message ?? ''}
                      </TableCell>
                      <TableCell title={c.lastTransitionTime}>
                        {formatAge(c.lastTransitionTime, props.now) ?? ''}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Box>
        );
      })}
      {healthyCount > 0 ? (
        <Button size="small" onClick={() => setShowHealthy(v => !v)}>
          {showHealthy
            ? 'Hide healthy conditions'
            : `Show ${healthyCount} healthy condition${
                healthyCount === 1 ? '' : 's'
              }`}
        </Button>
      ) : null}
    </Box>
  );
}

/** The recent Warning events of the cluster's objects, newest first. */
export function ClusterEventList(props: {
  events?: { items: ClusterEvent[]; truncated: boolean };
  error?: Error;
  loading: boolean;
}) {
  const classes = useStyles();
  const { events, error, loading } = props;
  let body;
  if (loading) body = 'Reading events from the management cluster...';
  else if (error) body = `Events could not be read: ${error.message}`;
  else if (!events?.items.length) body = 'No recent warning events.';
  return (
    <Box
      className={classes.section}
      component="section"
      aria-label="Warning events"
    >
      <Typography variant="subtitle2" component="h4">
        Recent warning events
      </Typography>
      {body ? (
        <Typography variant="body2" className={classes.muted}>
          {body}
        </Typography>
      ) : (
        <Table size="small" aria-label="Recent warning events">
          <TableHead>
            <TableRow>
              <TableCell>Object</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>Message</TableCell>
              <TableCell>Last seen</TableCell>
              <TableCell>Count</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {events!.items.map((e, i) => (
              <TableRow key={i}>
                <TableCell>
                  {e.kind} {e.name}
                </TableCell>
                <TableCell>{e.reason}</TableCell>
                <TableCell className={classes.message}>{e.message}</TableCell>
                <TableCell title={e.lastTimestamp}>
                  {formatAge(e.lastTimestamp) ?? ''}
                </TableCell>
                <TableCell>{e.count}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {events?.truncated ? (
        <Typography variant="body2" className={classes.muted}>
          The namespace has more warning events than one read returns; older
          ones may be missing.
        </Typography>
      ) : null}
    </Box>
  );
}

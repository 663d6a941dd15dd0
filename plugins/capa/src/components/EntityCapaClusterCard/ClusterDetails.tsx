import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import type { ClusterView } from '@capa-backstage/plugin-capa-common';
import type { ReactNode } from 'react';
import { StatusError } from '@backstage/core-components';
import { ClusterPhaseStatus } from '../ClusterPhaseStatus';
import { formatAge } from '../../lib/format';
import { ClusterConditions } from './ClusterConditions';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(3),
    rowGap: theme.spacing(0.75),
    margin: 0,
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0, overflowWrap: 'anywhere' },
  },
  section: { marginTop: theme.spacing(3) },
  muted: { color: theme.palette.text.secondary },
}));

/** What is known of the AWS account, in words, given how the identity was resolved. */
function accountText(view: ClusterView, accountName?: string): ReactNode {
  const { accountId, identity, identityResolution } = view.aws;
  if (accountId)
    return accountName ? `${accountId} (${accountName})` : accountId;
  switch (identityResolution) {
    case 'manager':
      return "The management cluster's own account (controller identity)";
    case 'static':
      return `Not known: static credentials (${
        identity?.kind ?? 'AWSClusterStaticIdentity'
      } ${identity?.name ?? ''})`.trim();
    case 'dangling':
      return `Unknown: ${identity?.kind ?? 'the identity'} ${
        identity?.name ?? ''
      } does not exist`;
    default:
      return 'Unknown';
  }
}

/** `v1.33.5` -> `1.33`: EKS is asked for a minor version and reports the patch it runs. */
function minorOf(version: string): string {
  return version.replace(/^v/, '').split('.').slice(0, 2).join('.');
}

function versionText(version: ClusterView['eks']['version']): string {
  const { desired, actual } = version;
  if (actual && desired && minorOf(actual) !== minorOf(desired)) {
    return `${actual} (upgrading to ${desired})`;
  }
  if (actual) return actual;
  if (desired) return `${desired} (desired; not reported yet)`;
  return 'Not known yet';
}

function Fact(props: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

function NodePools(props: { view: ClusterView }) {
  const classes = useStyles();
  const { nodePools } = props.view;
  return (
    <Box className={classes.section}>
      <Typography variant="subtitle2" component="h4">
        Node pools
      </Typography>
      {nodePools.length === 0 ? (
        <Typography variant="body2" className={classes.muted}>
          No node pools.
        </Typography>
      ) : (
        <Table size="small" aria-label="Node pools">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Ready / desired</TableCell>
              <TableCell>Instance type</TableCell>
              <TableCell>Capacity</TableCell>
              <TableCell>Version</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {nodePools.map(pool => (
              <TableRow key={pool.name}>
                <TableCell>
                  {pool.name}
                  {pool.failureMessage ? (
                    <StatusError>{pool.failureMessage}</StatusError>
                  ) : null}
                </TableCell>
                <TableCell>
                  {pool.readyReplicas} / {pool.desiredReplicas ?? '?'}
                </TableCell>
                <TableCell>{pool.instanceType ?? 'Not known'}</TableCell>
                <TableCell>{pool.capacityType ?? '-'}</TableCell>
                <TableCell>{pool.version ?? '-'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

/** The status and facts of one workload cluster: phase, failure, conditions, AWS, EKS and nodes. */
export function ClusterDetails(props: {
  view: ClusterView;
  accountName?: string;
  now?: number;
}) {
  const { view, accountName, now } = props;
  const classes = useStyles();
  const age = formatAge(view.createdAt, now);
  return (
    <>
      <dl className={classes.facts}>
        <Fact label="Phase">
          <ClusterPhaseStatus
            phase={view.phase}
            reportedPhase={view.reportedPhase}
          />
        </Fact>
        {view.failure ? (
          <Fact label="Failure">
            <StatusError>
              {[view.failure.reason, view.failure.message]
                .filter(Boolean)
                .join(': ')}
            </StatusError>
          </Fact>
        ) : null}
        <Fact label="AWS account">{accountText(view, accountName)}</Fact>
        {view.aws.roleArn ? (
          <Fact label="Role ARN">{view.aws.roleArn}</Fact>
        ) : null}
        <Fact label="Region">{view.aws.region ?? 'Not known'}</Fact>
        <Fact label="EKS cluster">{view.eks.clusterName ?? 'Not known'}</Fact>
        <Fact label="Kubernetes version">{versionText(view.eks.version)}</Fact>
        {view.eks.endpoint ? (
          <Fact label="API endpoint">{view.eks.endpoint}</Fact>
        ) : null}
        {view.tenant ? <Fact label="Tenant">{view.tenant}</Fact> : null}
        <Fact label="Age">
          {age ? <span title={view.createdAt}>{age}</span> : 'Not known'}
        </Fact>
      </dl>
      <ClusterConditions objects={view.objects} now={now} />
      <NodePools view={view} />
    </>
  );
}

import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { ClusterPhase } from '@capa-backstage/plugin-capa-common';
import type { ComponentType, PropsWithChildren } from 'react';

const STATUS_OF_PHASE: Record<
  ClusterPhase,
  ComponentType<PropsWithChildren>
> = {
  Provisioned: StatusOK,
  Provisioning: StatusRunning,
  Pending: StatusPending,
  Deleting: StatusWarning,
  Failed: StatusError,
  Unknown: StatusAborted,
};

/**
 * Props of {@link ClusterPhaseStatus}.
 *
 * @public
 */
export interface ClusterPhaseStatusProps {
  phase: ClusterPhase;
  /** The phase the Cluster reported when it is not one of the known ones. */
  reportedPhase?: string;
}

/**
 * A CAPI Cluster phase as a coloured status: green when provisioned, blue while provisioning, grey
 * when pending or unknown, amber while deleting and red when failed.
 *
 * @public
 */
export function ClusterPhaseStatus(props: ClusterPhaseStatusProps) {
  const { phase, reportedPhase } = props;
  // The backend only sends known phases, but a newer backend may add one: show it rather than crash.
  const Status = STATUS_OF_PHASE[phase] ?? StatusAborted;
  return (
    <Status>
      {phase}
      {reportedPhase ? ` (reported as "${reportedPhase}")` : null}
    </Status>
  );
}

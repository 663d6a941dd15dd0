import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  objectRef,
  type StoredObject,
} from '@capa-backstage/plugin-capa-common';
import {
  CancelledError,
  type ManagementClusterClient,
  waitForObject,
  waitWithDiagnosis,
} from '@capa-backstage/plugin-capa-node';

/** Phases a Cluster passes through on its way up, in order. */
export const WAITABLE_PHASES = [
  'Pending',
  'Provisioning',
  'Provisioned',
] as const;
type WaitablePhase = (typeof WAITABLE_PHASES)[number];

type Cluster = StoredObject<'Cluster'>;

/** The phase a Cluster reports; Pending until its controller has written one. */
const phaseOf = (cluster: Cluster | undefined): string => {
  const phase = cluster?.status?.phase;
  return typeof phase === 'string' ? phase : 'Pending';
};

/** The failure a Cluster reports, if any: a Failed phase, a deletion, or a v1beta1 failure. */
function failureOf(cluster: Cluster): string | undefined {
  const status = cluster.status;
  if (status?.phase === 'Failed') {
    return (
      status.deprecated?.v1beta1?.failureMessage ??
      status.failureMessage ??
      'the Cluster reports phase Failed'
    );
  }
  if (cluster.metadata.deletionTimestamp || status?.phase === 'Deleting')
    return 'the Cluster is being deleted';
  return status?.deprecated?.v1beta1?.failureMessage;
}

/**
 * Follows a Cluster and logs each phase change until it reaches `phase` (or a later one), reports
 * a failure, or the timeout passes. Resolves with the phase reached; rejects with a message naming
 * the last phase seen.
 */
export async function waitForClusterPhase(
  client: ManagementClusterClient,
  namespace: string,
  name: string,
  options: {
    phase: WaitablePhase;
    timeoutMs: number;
    logger: LoggerService;
    signal?: AbortSignal;
    /** Between two reads of the cluster's diagnosis (default DIAGNOSIS_INTERVAL_MS). */
    diagnoseEveryMs?: number;
  },
): Promise<string> {
  const target = WAITABLE_PHASES.indexOf(options.phase);
  const what = `Cluster ${namespace}/${name}`;
  const minutes = Math.round(options.timeoutMs / 60000);
  let last: string | undefined;
  options.logger.info(
    `Waiting up to ${minutes} min for ${what} to reach ${options.phase}`,
  );
  const cluster = await waitWithDiagnosis(
    {
      client,
      namespace,
      name,
      waitingFor: `${what} will not reach ${options.phase}`,
      logger: options.logger,
      signal: options.signal,
      everyMs: options.diagnoseEveryMs,
    },
    signal =>
      waitForObject<Cluster>(client, objectRef('Cluster', namespace, name), {
        until: c => {
          if (!c)
            throw new Error(
              `${what} disappeared while waiting for ${options.phase}`,
            );
          const phase = phaseOf(c);
          if (phase !== last) {
            options.logger.info(
              `${what}: phase ${last ? `${last} -> ` : ''}${phase}`,
            );
            last = phase;
          }
          const failure = failureOf(c);
          if (failure)
            throw new Error(
              `${what} failed while waiting for ${options.phase}: ${failure}`,
            );
          return WAITABLE_PHASES.indexOf(phase as WaitablePhase) >= target;
        },
        timeoutMs: options.timeoutMs,
        signal,
        timeoutError: () =>
          new Error(
            `${what} did not reach ${
              options.phase
            } within ${minutes} min (last phase: ${last ?? 'unknown'})`,
          ),
        abortError: () =>
          new CancelledError(
            'The task was cancelled while waiting for the Cluster',
          ),
      }),
  );
  return phaseOf(cluster);
}

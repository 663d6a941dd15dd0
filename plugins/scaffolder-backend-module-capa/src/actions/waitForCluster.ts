import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ManagementClusterClient,
  WatchHandle,
} from '@capa-backstage/plugin-capa-node';
import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';

/** Phases a Cluster passes through on its way up, in order. */
export const WAITABLE_PHASES = [
  'Pending',
  'Provisioning',
  'Provisioned',
] as const;
type WaitablePhase = (typeof WAITABLE_PHASES)[number];

function failureOf(cluster: KubernetesObject): string | undefined {
  const status = cluster.status as any;
  if (status?.phase === 'Failed') {
    return (
      status?.deprecated?.v1beta1?.failureMessage ??
      status?.failureMessage ??
      'the Cluster reports phase Failed'
    );
  }
  if (cluster.metadata.deletionTimestamp || status?.phase === 'Deleting')
    return 'the Cluster is being deleted';
  return status?.deprecated?.v1beta1?.failureMessage;
}

/**
 * Follows a Cluster (one watch on its namespace, re-opened when it ends) and logs each phase
 * change until it reaches `phase` (or a later one), reports a failure, or the timeout passes.
 * Resolves with the phase reached; rejects with a message naming the last phase seen.
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
  },
): Promise<string> {
  const target = WAITABLE_PHASES.indexOf(options.phase);
  const ref = {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    namespace,
    name,
  };
  let last: string | undefined;
  let watch: WatchHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  options.logger.info(
    `Waiting up to ${Math.round(
      options.timeoutMs / 60000,
    )} min for Cluster ${namespace}/${name} to reach ${options.phase}`,
  );

  try {
    return await new Promise<string>((resolve, reject) => {
      const check = (cluster: KubernetesObject | undefined) => {
        if (!cluster)
          return reject(
            new Error(
              `Cluster ${namespace}/${name} disappeared while waiting for ${options.phase}`,
            ),
          );
        const phase =
          ((cluster.status as any)?.phase as string | undefined) ?? 'Pending';
        if (phase !== last) {
          options.logger.info(
            `Cluster ${namespace}/${name}: phase ${
              last ? `${last} -> ` : ''
            }${phase}`,
          );
          last = phase;
        }
        const failure = failureOf(cluster);
        if (failure)
          return reject(
            new Error(
              `Cluster ${namespace}/${name} failed while waiting for ${options.phase}: ${failure}`,
            ),
          );
        if (WAITABLE_PHASES.indexOf(phase as WaitablePhase) >= target)
          return resolve(phase);
        return undefined;
      };
      const follow = async () => {
        if (done) return;
        const cluster = await client.find(ref);
        check(cluster);
        watch = await client.watch(
          { apiVersion: ref.apiVersion, kind: 'Cluster', namespace },
          {
            resourceVersion: cluster?.metadata.resourceVersion,
            fieldSelector: `metadata.name=${name}`,
          },
          {
            onEvent: e => {
              if (e.object.metadata?.name !== name || e.type === 'BOOKMARK')
                return;
              check(e.type === 'DELETED' ? undefined : e.object);
            },
            // Whatever ended the watch, read the Cluster again and watch on.
            onClose: () => follow().catch(reject),
          },
        );
        if (done) watch.stop();
      };
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Cluster ${namespace}/${name} did not reach ${
                options.phase
              } within ${Math.round(
                options.timeoutMs / 60000,
              )} min (last phase: ${last ?? 'unknown'})`,
            ),
          ),
        options.timeoutMs,
      );
      options.signal?.addEventListener('abort', () =>
        reject(
          new Error('The task was cancelled while waiting for the Cluster'),
        ),
      );
      follow().catch(reject);
    });
  } finally {
    done = true;
    clearTimeout(timer);
    watch?.stop();
  }
}

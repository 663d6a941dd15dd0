import { InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  capaClusterDeletePermission,
  objectRef,
  type ObjectRef,
} from '@capa-backstage/plugin-capa-common';
import {
  clusterWrite,
  type TaskAuthorizer,
} from '../authorization/TaskAuthorizer';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CancelledError,
  type ManagementClusterClient,
  type ManagementClusters,
  waitForObject,
  waitWithDiagnosis,
} from '@capa-backstage/plugin-capa-node';
import { examples } from './clusterDelete.examples';
import { managementClusterSchema } from './schemas';

/** @public */
export interface ClusterDeleteActionOptions {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
}

/** How often to say that the Cluster is still being deleted. */
const PROGRESS_INTERVAL_MS = 60_000;

/**
 * `capa:cluster:delete`: deletes a tenant's Cluster (Cluster API then deletes its control plane,
 * node pools and AWS resources), only when `confirm` repeats the cluster name.
 *
 * @public
 */
export function createClusterDeleteAction(options: ClusterDeleteActionOptions) {
  return createTemplateAction({
    id: 'capa:cluster:delete',
    description:
      'Deletes a workload Cluster from a management cluster; Cluster API cascades to its control plane, node pools and AWS infrastructure. Requires confirm to equal the cluster name. Can wait until the Cluster is gone.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          managementCluster: managementClusterSchema(z),
          namespace: z
            .string()
            .describe("The Cluster's namespace (the tenant's namespace)"),
          name: z.string().describe('The Cluster to delete'),
          confirm: z
            .string()
            .describe(
              'Must equal name: a guard against deleting the wrong cluster',
            ),
          wait: z
            .object({
              timeoutMinutes: z
                .number()
                .positive()
                .max(240)
                .default(60)
                .describe('How long to wait (default 60)'),
            })
            .optional()
            .describe('Wait until the Cluster and its infrastructure are gone'),
        }),
      output: z =>
        z.object({
          result: z
            .enum(['deleted', 'deleting', 'dry-run'])
            .describe('deleted: gone; deleting: deletion in progress'),
        }),
    },
    async handler(ctx) {
      const { input } = ctx;
      if (input.confirm !== input.name) {
        throw new InputError(
          `Invalid capa:cluster:delete input: confirm must equal the cluster name "${input.name}"`,
        );
      }
      // Every call below carries the task's signal: cancelling the task stops them.
      const client = options.managementClusters
        .get(input.managementCluster)
        .withSignal(ctx.signal);
      await options.authorizer.authorize(
        ctx,
        {
          action: 'capa:cluster:delete',
          managementCluster: input.managementCluster,
        },
        [
          clusterWrite(capaClusterDeletePermission, {
            managementCluster: input.managementCluster,
            namespace: input.namespace,
            name: input.name,
          }),
        ],
      );
      const ref = objectRef('Cluster', input.namespace, input.name);
      const cluster = await client.get(ref);
      if (ctx.isDryRun) {
        await client.delete(ref, { dryRun: true });
        ctx.logger.info(
          `Dry run: Cluster ${input.namespace}/${input.name} could be deleted`,
        );
        ctx.output('result', 'dry-run');
        return;
      }
      if (!cluster.metadata.deletionTimestamp) {
        const result = await ctx.checkpoint({
          key: `capa-cluster-delete-${input.managementCluster}-${input.namespace}-${input.name}`,
          fn: () => client.delete(ref),
        });
        ctx.logger.info(
          `Cluster ${input.namespace}/${input.name}: ${
            result === 'deleted' ? 'deleted' : 'deletion started'
          }`,
        );
      } else {
        ctx.logger.info(
          `Cluster ${input.namespace}/${input.name} is already being deleted`,
        );
      }
      if (!input.wait) {
        ctx.output('result', (await client.find(ref)) ? 'deleting' : 'deleted');
        return;
      }
      await waitWithDiagnosis(
        {
          client,
          namespace: input.namespace,
          name: input.name,
          waitingFor: `Cluster ${input.namespace}/${input.name} will not finish deleting`,
          logger: ctx.logger,
          signal: ctx.signal,
        },
        signal =>
          waitUntilGone(client, ref, {
            timeoutMinutes: input.wait!.timeoutMinutes ?? 60,
            logger: ctx.logger,
            signal,
          }),
      );
      ctx.logger.info(`Cluster ${input.namespace}/${input.name} is gone`);
      ctx.output('result', 'deleted');
    },
  });
}

/**
 * Follows the Cluster until it is gone (Cluster API removes it once its infrastructure is
 * deleted), saying once a minute that it is still there.
 */
async function waitUntilGone(
  client: ManagementClusterClient,
  ref: ObjectRef,
  options: {
    timeoutMinutes: number;
    logger: LoggerService;
    signal?: AbortSignal;
  },
): Promise<void> {
  const what = `Cluster ${ref.namespace}/${ref.name}`;
  const progress = () => options.logger.info(`${what} is still being deleted`);
  const timer = setInterval(progress, PROGRESS_INTERVAL_MS);
  let first = true;
  try {
    await waitForObject(client, ref, {
      until: cluster => {
        if (!cluster) return true;
        if (first) progress();
        first = false;
        return false;
      },
      timeoutMs: options.timeoutMinutes * 60_000,
      signal: options.signal,
      timeoutError: () =>
        new Error(
          `${what} was still being deleted after ${options.timeoutMinutes} min`,
        ),
      abortError: () =>
        new CancelledError(
          'The task was cancelled while waiting for the deletion',
        ),
    });
  } finally {
    clearInterval(timer);
  }
}

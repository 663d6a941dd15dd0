import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  capaClusterUpdatePermission,
  type StoredObject,
} from '@capa-backstage/plugin-capa-common';
import type {
  AppliedObject,
  ManagementClusters,
} from '@capa-backstage/plugin-capa-node';
import type { z as zod } from 'zod/v3';
import type { TaskAuthorizer } from '../authorization/TaskAuthorizer';
import {
  clusterTargetSchema,
  DAY2_FIELD_MANAGERS,
  day2OutputSchema,
  type Day2Session,
  openDay2,
  type ReportedObject,
} from './day2';
import type { LivePool } from './liveCluster';
import { examples } from './nodePoolSet.examples';
import {
  checkManaged,
  checkRemoveInput,
  checkResize,
  newPool,
  type PoolInput,
  refOf,
  removalTargets,
  replicasPlan,
  scalingPlan,
} from './nodePoolSet.plan';
import { describeObject } from './workspace';

/** @public */
export interface NodePoolSetActionOptions {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
}

type Operation = 'added' | 'resized' | 'removed' | 'unchanged';

/** What the execution steps need of the action's context. */
interface StepContext {
  logger: LoggerService;
  checkpoint(opts: { key: string; fn: () => Promise<void> }): Promise<void>;
}

/** One node pool and where it is, for log lines and errors. */
interface Target {
  namespace: string;
  name: string;
  /** `<pool> of Cluster <namespace>/<name>` */
  where: string;
}

function nodePoolSetInput(z: typeof zod) {
  return z.object({
    ...clusterTargetSchema(z),
    nodePool: z
      .string()
      .describe(
        'Name of the node pool (the MachinePool is named <cluster>-<nodePool>)',
      ),
    remove: z
      .boolean()
      .optional()
      .describe('Remove the node pool instead of adding or resizing it'),
    confirm: z
      .string()
      .optional()
      .describe("Must equal nodePool to remove the cluster's last node pool"),
    minSize: z
      .number()
      .optional()
      .describe('Fewest nodes (new pools default to 1)'),
    maxSize: z
      .number()
      .optional()
      .describe('Most nodes (new pools default to 3)'),
    desiredSize: z
      .number()
      .optional()
      .describe(
        'Nodes wanted now, between minSize and maxSize (the MachinePool replicas)',
      ),
    instanceType: z
      .string()
      .optional()
      .describe('EC2 instance type of a new pool (default t3.large)'),
    amiType: z
      .string()
      .optional()
      .describe('EKS AMI type of a new pool (default AL2023_x86_64_STANDARD)'),
    capacityType: z
      .enum(['onDemand', 'spot'])
      .optional()
      .describe('onDemand (default) or spot, for a new pool'),
    diskSizeGiB: z
      .number()
      .optional()
      .describe('Root disk size of a new pool in GiB'),
    labels: z
      .record(z.string())
      .optional()
      .describe('Kubernetes node labels of a new pool'),
    taints: z
      .array(
        z.object({
          key: z.string().describe('Taint key'),
          value: z.string().optional().describe('Taint value'),
          effect: z
            .enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
            .describe('Taint effect'),
        }),
      )
      .optional()
      .describe('Kubernetes node taints of a new pool'),
  });
}

/**
 * `capa:nodepool:set`: adds, resizes or removes one node pool (MachinePool and
 * AWSManagedMachinePool) of an existing EKS cluster. A resize applies only the sizes under its own
 * field manager; removing the cluster's last pool needs `confirm`.
 *
 * @public
 */
export function createNodePoolSetAction(options: NodePoolSetActionOptions) {
  return createTemplateAction({
    id: 'capa:nodepool:set',
    description:
      "Adds, resizes (minSize, desiredSize, maxSize) or removes a node pool of an existing EKS cluster. Reads the live objects first, applies only the fields it owns with server-side apply under the field manager backstage-capa-nodepool, and logs the diff. A new pool gets the control plane's Kubernetes version and the cluster's labels and tags. Removing the last node pool needs confirm to equal the pool's name.",
    examples,
    supportsDryRun: true,
    schema: {
      input: nodePoolSetInput,
      output: z =>
        z.object({
          ...day2OutputSchema(z),
          operation: z
            .enum(['added', 'resized', 'removed', 'unchanged'])
            .describe('What happened to the node pool'),
        }),
    },
    async handler(ctx) {
      const { input } = ctx;
      if (input.remove) checkRemoveInput(input);
      const session = await openDay2(
        ctx,
        {
          action: 'capa:nodepool:set',
          permission: capaClusterUpdatePermission,
          fieldManager: DAY2_FIELD_MANAGERS.nodePool,
          checkpointPrefix: 'capa-nodepool',
          pools: true,
        },
        options,
      );
      const { namespace, cluster: name } = input;
      const target = {
        namespace,
        name,
        where: `${input.nodePool} of Cluster ${namespace}/${name}`,
      };
      const pool = session.live.pools.find(p => p.name === input.nodePool);
      let result: { operation: Operation; objects: ReportedObject[] };
      if (input.remove)
        result = await removePool(ctx, session, input, pool, target);
      else if (pool)
        result = await resizePool(ctx, session, input, pool, target);
      else result = await addPool(ctx, session, input, target);
      ctx.output('objects', result.objects);
      ctx.output('dryRun', session.dryRun);
      ctx.output('operation', result.operation);
    },
  });
}

/** Deletes the pool's MachinePool and AWSManagedMachinePool; nothing when it does not exist. */
async function removePool(
  ctx: StepContext,
  { dryRun, client, live }: Day2Session,
  input: { nodePool: string; confirm?: string },
  pool: LivePool | undefined,
  { namespace, where }: Target,
): Promise<{ operation: Operation; objects: ReportedObject[] }> {
  if (!pool) {
    ctx.logger.info(`Node pool ${where} does not exist; nothing to remove`);
    return { operation: 'unchanged', objects: [] };
  }
  const suffix = dryRun ? ' (dry run)' : '';
  const objects: ReportedObject[] = [];
  for (const obj of removalTargets(live, pool, input, where)) {
    const r = refOf(obj);
    const what = describeObject(r);
    const summary = { kind: r.kind, namespace: r.namespace, name: r.name };
    if (obj.metadata.deletionTimestamp) {
      ctx.logger.info(`${what}: already being deleted`);
      objects.push({ ...summary, action: 'deleted', changes: [] });
      continue;
    }
    if (dryRun) await client.delete(r, { dryRun: true });
    else
      await ctx.checkpoint({
        key: `capa-nodepool-delete.${client.name}.${namespace}.${r.kind}.${
          r.name
        }.${obj.metadata.uid ?? ''}`,
        fn: async () => {
          await client.delete(r);
        },
      });
    ctx.logger.info(`${what}: deleted${suffix}`);
    objects.push({ ...summary, action: 'deleted', changes: [] });
  }
  ctx.logger.info(
    `Node pool ${where} removed${suffix}; CAPA drains and deletes the EKS node group`,
  );
  return { operation: 'removed', objects };
}

/** Applies the sizes given, each on the object that holds it, re-reading it after a 409. */
async function resizePool(
  ctx: StepContext,
  { client, applier }: Day2Session,
  input: PoolInput,
  livePool: LivePool,
  { where }: Target,
): Promise<{ operation: Operation; objects: ReportedObject[] }> {
  const pool = checkManaged(livePool, where);
  checkResize(input, pool, where);
  const { machinePool, managedPool } = pool;
  const steps = [
    {
      plan: scalingPlan(input, managedPool),
      replan: async () =>
        scalingPlan(
          input,
          await client.get<StoredObject<'AWSManagedMachinePool'>>(
            refOf(managedPool),
          ),
        ),
    },
    {
      plan: replicasPlan(input, machinePool),
      replan: async () =>
        replicasPlan(
          input,
          await client.get<StoredObject<'MachinePool'>>(refOf(machinePool)),
        ),
    },
  ].filter(s => s.plan.changes.length > 0);
  applier.preflight(steps.map(s => s.plan));
  const objects: AppliedObject[] = [];
  for (const { plan, replan } of steps)
    objects.push(await applier.apply(plan, replan));
  const changed = objects.some(o => o.action !== 'unchanged');
  if (!changed) ctx.logger.info(`Node pool ${where} already has these sizes`);
  return { operation: changed ? 'resized' : 'unchanged', objects };
}

/** Creates the pool's two objects, refusing to apply over one someone created meanwhile. */
async function addPool(
  ctx: StepContext,
  { dryRun, client, live, applier }: Day2Session,
  input: PoolInput,
  target: Target,
): Promise<{ operation: Operation; objects: ReportedObject[] }> {
  const {
    version,
    pool,
    objects: created,
  } = newPool(input, live, target, target.where);
  ctx.logger.info(
    `${dryRun ? 'Dry run: adding' : 'Adding'} node pool ${target.where}: ${
      pool.instanceType
    } ${pool.capacityType}, ${pool.minSize}-${pool.maxSize} nodes (${
      pool.desiredSize ?? pool.minSize
    } now), Kubernetes ${version}`,
  );
  const objects: AppliedObject[] = [];
  for (const object of created) {
    const ref = refOf(object);
    const plan = { ref, create: object };
    objects.push(
      await applier.apply(plan, async () => {
        // Someone created it in between: apply our object over theirs only if it is still absent.
        if (await client.find(ref))
          throw new ConflictError(
            `${describeObject(
              ref,
            )} was created by someone else while this action ran; run it again to resize it instead`,
          );
        return plan;
      }),
    );
  }
  return { operation: 'added', objects };
}

import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  clusterWrite,
  type TaskAuthorizer,
} from '../authorization/TaskAuthorizer';
import {
  CAPA_LABELS,
  CapaValidationError,
  MANAGED_BY,
  nodePoolInputSchema,
  nodePoolProblems,
  nodePoolScalingProblems,
  parseInput,
  renderNodePool,
  type NodePoolProblem,
  capaClusterUpdatePermission,
} from '@capa-backstage/plugin-capa-common';
import type {
  ManagementClusterClient,
  ManagementClusters,
} from '@capa-backstage/plugin-capa-node';
import type {
  KubernetesObject,
  ObjectRef,
} from '@capa-backstage/plugin-capa-common';
import { examples } from './nodePoolSet.examples';
import {
  clusterTargetSchema,
  compareMinor,
  day2OutputSchema,
  formatMinor,
  LiveCluster,
  LivePool,
  minorVersion,
  readLiveCluster,
  specOf,
} from './liveCluster';
import {
  AppliedObject,
  DAY2_FIELD_MANAGERS,
  FieldChange,
  foreignAppliers,
  jsonEqual,
  ObjectPlan,
  OwnedFieldsApplier,
} from './ownedFields';
import { describeObject } from './workspace';

/** @public */
export interface NodePoolSetActionOptions {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
}

/** CAPI's annotation for MachinePools whose replicas an autoscaler sets. */
const REPLICAS_MANAGED_BY = 'cluster.x-k8s.io/replicas-managed-by';

const TAINT_EFFECTS = {
  NoSchedule: 'no-schedule',
  PreferNoSchedule: 'prefer-no-schedule',
  NoExecute: 'no-execute',
} as const;

interface PoolInput {
  nodePool: string;
  minSize?: number;
  maxSize?: number;
  desiredSize?: number;
  instanceType?: string;
  amiType?: string;
  capacityType?: 'onDemand' | 'spot';
  diskSizeGiB?: number;
  labels?: Record<string, string>;
  taints?: Array<{
    key: string;
    value?: string;
    effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  }>;
}

const CREATE_ONLY = [
  'instanceType',
  'amiType',
  'capacityType',
  'diskSizeGiB',
  'labels',
  'taints',
] as const;

const refOf = (o: KubernetesObject): ObjectRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  namespace: o.metadata.namespace,
  name: o.metadata.name,
});

const summary = (r: ObjectRef) => ({
  kind: r.kind,
  ...(r.namespace ? { namespace: r.namespace } : {}),
  name: r.name,
});

function invalid(problems: NodePoolProblem[], subject: string): never {
  throw new CapaValidationError(
    subject,
    problems.map(p => ({ path: p.path.join('.'), message: p.message })),
  );
}

/** The Kubernetes minor version a new pool gets: what the control plane runs (never newer). */
function poolVersion(live: LiveCluster): string {
  const cp = live.controlPlane;
  const desired = minorVersion(specOf(cp).version);
  const reported = minorVersion(
    (cp.status as { version?: unknown } | undefined)?.version,
  );
  let v = desired ?? reported;
  if (desired && reported && compareMinor(reported, desired) < 0) v = reported;
  if (!v) {
    throw new InputError(
      `AWSManagedControlPlane ${cp.metadata.namespace}/${cp.metadata.name} has no Kubernetes version, so a new node pool's version is unknown. Nothing was changed`,
    );
  }
  return formatMinor(v);
}

/** The create-only fields given for an existing pool that differ from it. */
function createOnlyDifferences(input: PoolInput, pool: LivePool): string[] {
  const spec = specOf(pool.managedPool);
  const live: Record<(typeof CREATE_ONLY)[number], unknown> = {
    instanceType: spec.instanceType,
    amiType: spec.amiType,
    capacityType: spec.capacityType,
    diskSizeGiB: spec.diskSize,
    labels: spec.labels ?? {},
    taints: spec.taints ?? [],
  };
  const given: Partial<Record<(typeof CREATE_ONLY)[number], unknown>> = {
    ...input,
    taints: input.taints?.map(t => ({
      key: t.key,
      value: t.value ?? '',
      effect: TAINT_EFFECTS[t.effect],
    })),
  };
  return CREATE_ONLY.filter(
    k => given[k] !== undefined && !jsonEqual(given[k], live[k]),
  ).map(k => `${k} (the pool has ${JSON.stringify(live[k] ?? null)})`);
}

function resizePlans(
  input: PoolInput,
  pool: LivePool,
): Array<{ plan: ObjectPlan; object: KubernetesObject }> {
  const mp = pool.machinePool;
  const mmp = pool.managedPool!;
  const plans: Array<{ plan: ObjectPlan; object: KubernetesObject }> = [];
  const scaling: FieldChange[] = [];
  if (input.minSize !== undefined)
    scaling.push({
      path: ['spec', 'scaling', 'minSize'],
      value: input.minSize,
    });
  if (input.maxSize !== undefined)
    scaling.push({
      path: ['spec', 'scaling', 'maxSize'],
      value: input.maxSize,
    });
  if (scaling.length)
    plans.push({
      plan: {
        ref: refOf(mmp),
        live: mmp,
        changes: scaling,
      },
      object: mmp,
    });
  if (input.desiredSize !== undefined)
    plans.push({
      plan: {
        ref: refOf(mp),
        live: mp,
        changes: [{ path: ['spec', 'replicas'], value: input.desiredSize }],
      },
      object: mp,
    });
  return plans;
}

/** Checks a resize against the live pool; throws before anything changes. */
function checkResize(input: PoolInput, pool: LivePool, where: string): void {
  const differences = createOnlyDifferences(input, pool);
  if (differences.length) {
    throw new InputError(
      `Node pool ${where} exists; only minSize, desiredSize and maxSize of an existing pool can change, but these differ: ${differences.join(
        ', ',
      )}. EKS cannot change them in place: add a new pool and remove this one. Nothing was changed`,
    );
  }
  const sizes = parseInput(
    nodePoolInputSchema
      .pick({ minSize: true, maxSize: true, desiredSize: true })
      .partial(),
    {
      minSize: input.minSize,
      maxSize: input.maxSize,
      desiredSize: input.desiredSize,
    },
    `node pool sizes of ${where}`,
  );
  const scaling = specOf(pool.managedPool).scaling ?? {};
  const minSize = sizes.minSize ?? scaling.minSize;
  const maxSize = sizes.maxSize ?? scaling.maxSize;
  const replicas = specOf(pool.machinePool).replicas;
  const problems: NodePoolProblem[] =
    typeof minSize === 'number' && typeof maxSize === 'number'
      ? nodePoolScalingProblems({
          minSize,
          maxSize,
          desiredSize: sizes.desiredSize,
        })
      : [];
  if (
    sizes.desiredSize === undefined &&
    typeof replicas === 'number' &&
    typeof minSize === 'number' &&
    typeof maxSize === 'number' &&
    (replicas < minSize || replicas > maxSize) &&
    (sizes.minSize !== undefined || sizes.maxSize !== undefined)
  ) {
    problems.push({
      path: ['desiredSize'],
      message: `is needed: the pool runs ${replicas} replicas, outside the new range ${minSize}-${maxSize}`,
    });
  }
  if (problems.length) invalid(problems, `node pool sizes of ${where}`);
  const managedBy =
    pool.machinePool.metadata.annotations?.[REPLICAS_MANAGED_BY];
  if (managedBy !== undefined && sizes.desiredSize !== undefined) {
    throw new InputError(
      `Node pool ${where}: its replicas are managed by an autoscaler (annotation ${REPLICAS_MANAGED_BY}${
        managedBy ? `=${managedBy}` : ''
      }); change minSize and maxSize instead of desiredSize. Nothing was changed`,
    );
  }
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
      input: z =>
        z.object({
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
            .describe(
              "Must equal nodePool to remove the cluster's last node pool",
            ),
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
            .describe(
              'EKS AMI type of a new pool (default AL2023_x86_64_STANDARD)',
            ),
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
        }),
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
      const dryRun = Boolean(input.dryRun || ctx.isDryRun);
      const client: ManagementClusterClient = options.managementClusters.get(
        input.managementCluster,
      );
      await options.authorizer.authorize(
        ctx,
        {
          action: 'capa:nodepool:set',
          managementCluster: input.managementCluster,
        },
        [
          clusterWrite(capaClusterUpdatePermission, {
            managementCluster: input.managementCluster,
            namespace: input.namespace,
            name: input.cluster,
          }),
        ],
      );
      const { namespace, cluster: name } = input;
      const where = `${input.nodePool} of Cluster ${namespace}/${name}`;
      const applier = new OwnedFieldsApplier({
        client,
        fieldManager: DAY2_FIELD_MANAGERS.nodePool,
        dryRun,
        logger: ctx.logger,
        checkpoint: ctx.checkpoint,
        checkpointPrefix: 'capa-nodepool',
      });
      const suffix = dryRun ? ' (dry run)' : '';
      const finish = (
        operation: 'added' | 'resized' | 'removed' | 'unchanged',
        objects: Array<
          Omit<AppliedObject, 'action'> & {
            action: AppliedObject['action'] | 'deleted';
          }
        >,
      ) => {
        ctx.output('objects', objects);
        ctx.output('dryRun', dryRun);
        ctx.output('operation', operation);
      };

      if (input.remove) {
        const given = (
          ['minSize', 'maxSize', 'desiredSize', ...CREATE_ONLY] as const
        ).filter(k => input[k] !== undefined);
        if (given.length)
          throw new InputError(
            `Invalid capa:nodepool:set input: remove takes no ${given.join(
              ', ',
            )}`,
          );
      }

      const live = await readLiveCluster(client, namespace, name, {
        pools: true,
      });
      const pool = live.pools.find(p => p.name === input.nodePool);

      if (input.remove) {
        if (!pool) {
          ctx.logger.info(
            `Node pool ${where} does not exist; nothing to remove`,
          );
          finish('unchanged', []);
          return;
        }
        if (live.pools.length === 1 && input.confirm !== input.nodePool) {
          throw new InputError(
            `Node pool ${where} is the cluster's last node pool: without it workloads have nowhere to run. Set confirm to "${input.nodePool}" to remove it anyway. Nothing was changed`,
          );
        }
        const targets = [pool.machinePool, pool.managedPool].filter(
          (o): o is KubernetesObject => Boolean(o),
        );
        const owners = [...new Set(targets.flatMap(foreignAppliers))];
        if (owners.length) {
          throw new ConflictError(
            `Node pool ${where} is also applied by ${owners
              .map(o => `field manager "${o}"`)
              .join(
                ', ',
              )}, which would bring it back; remove it there. Nothing was changed`,
          );
        }
        const objects: Array<
          Omit<AppliedObject, 'action'> & { action: 'deleted' }
        > = [];
        for (const obj of targets) {
          const r = refOf(obj);
          const what = describeObject(r);
          if (obj.metadata.deletionTimestamp) {
            ctx.logger.info(`${what}: already being deleted`);
            objects.push({ ...summary(r), action: 'deleted', changes: [] });
            continue;
          }
          if (dryRun) await client.delete(r, { dryRun: true });
          else
            await ctx.checkpoint({
              key: `capa-nodepool-delete.${client.name}.${namespace}.${
                r.kind
              }.${r.name}.${obj.metadata.uid ?? ''}`,
              fn: async () => {
                await client.delete(r);
              },
            });
          ctx.logger.info(`${what}: deleted${suffix}`);
          objects.push({ ...summary(r), action: 'deleted', changes: [] });
        }
        ctx.logger.info(
          `Node pool ${where} removed${suffix}; CAPA drains and deletes the EKS node group`,
        );
        finish('removed', objects);
        return;
      }

      if (pool) {
        if (!pool.managedPool) {
          throw new InputError(
            `Node pool ${where}: MachinePool ${
              pool.machinePool.metadata.name
            } has no AWSManagedMachinePool (its infrastructure is ${
              specOf(pool.machinePool).template?.spec?.infrastructureRef
                ?.kind ?? 'missing'
            }); this action resizes EKS managed node groups only. Nothing was changed`,
          );
        }
        checkResize(input, pool, where);
        const plans = resizePlans(input, pool);
        applier.preflight(plans.map(p => p.plan));
        const objects: AppliedObject[] = [];
        for (const { plan, object } of plans) {
          objects.push(
            await applier.apply(plan, async () => {
              const again = await client.get(refOf(object));
              const fresh = resizePlans(input, {
                ...pool,
                machinePool:
                  object.kind === 'MachinePool' ? again : pool.machinePool,
                managedPool:
                  object.kind === 'MachinePool' ? pool.managedPool : again,
              }).find(p => p.object.kind === object.kind)!;
              return fresh.plan;
            }),
          );
        }
        const changed = objects.some(o => o.action !== 'unchanged');
        if (!changed)
          ctx.logger.info(`Node pool ${where} already has these sizes`);
        finish(changed ? 'resized' : 'unchanged', objects);
        return;
      }

      const version = poolVersion(live);
      const resolved = parseInput(
        nodePoolInputSchema,
        Object.fromEntries(
          Object.entries({
            name: input.nodePool,
            minSize: input.minSize,
            maxSize: input.maxSize,
            desiredSize: input.desiredSize,
            instanceType: input.instanceType,
            amiType: input.amiType,
            capacityType: input.capacityType,
            diskSizeGiB: input.diskSizeGiB,
            labels: input.labels,
            taints: input.taints,
          }).filter(([, v]) => v !== undefined),
        ),
        `node pool ${where}`,
      );
      const problems = nodePoolProblems(resolved, {
        name,
        kubernetesVersion: version,
      });
      if (problems.length) invalid(problems, `node pool ${where}`);
      const clusterLabels = live.cluster.metadata.labels ?? {};
      const objectsToCreate = renderNodePool({
        cluster: name,
        namespace,
        kubernetesVersion: version,
        labels: {
          [CAPA_LABELS.clusterName]: name,
          ...(clusterLabels[CAPA_LABELS.tenant]
            ? { [CAPA_LABELS.tenant]: clusterLabels[CAPA_LABELS.tenant] }
            : {}),
          [CAPA_LABELS.managedBy]: MANAGED_BY,
        },
        additionalTags: specOf(live.controlPlane).additionalTags ?? {},
        pool: resolved,
      }) as unknown as KubernetesObject[];
      ctx.logger.info(
        `${dryRun ? 'Dry run: adding' : 'Adding'} node pool ${where}: ${
          resolved.instanceType
        } ${resolved.capacityType}, ${resolved.minSize}-${
          resolved.maxSize
        } nodes (${
          resolved.desiredSize ?? resolved.minSize
        } now), Kubernetes ${version}`,
      );
      const objects: AppliedObject[] = [];
      for (const object of objectsToCreate) {
        const plan: ObjectPlan = { ref: refOf(object), create: object };
        objects.push(
          await applier.apply(plan, async () => {
            // Someone created it in between: apply our object over theirs only if it is still absent.
            const again = await client.find(refOf(object));
            if (again)
              throw new ConflictError(
                `${describeObject(
                  refOf(object),
                )} was created by someone else while this action ran; run it again to resize it instead`,
              );
            return plan;
          }),
        );
      }
      finish('added', objects);
    },
  });
}

// What capa:nodepool:set checks and changes, computed from its input and the live objects.

import { ConflictError, InputError } from '@backstage/errors';
import {
  CAPA_LABELS,
  CapaValidationError,
  type KnownKind,
  MANAGED_BY,
  nodePoolInputSchema,
  nodePoolProblems,
  nodePoolScalingProblems,
  type NodePoolProblem,
  objectRef,
  type ObjectRef,
  parseInput,
  renderNodePool,
  type StoredObject,
} from '@capa-backstage/plugin-capa-common';
import {
  type FieldChange,
  foreignAppliers,
  jsonEqual,
  type ObjectPlan,
} from '@capa-backstage/plugin-capa-node';
import {
  compareMinor,
  controlPlaneVersions,
  formatMinor,
} from './kubernetesVersions';
import { type LiveCluster, type LivePool, stringMap } from './liveCluster';

/** CAPI's annotation for MachinePools whose replicas an autoscaler sets. */
const REPLICAS_MANAGED_BY = 'cluster.x-k8s.io/replicas-managed-by';

const TAINT_EFFECTS = {
  NoSchedule: 'no-schedule',
  PreferNoSchedule: 'prefer-no-schedule',
  NoExecute: 'no-execute',
} as const;

/** The pool fields of capa:nodepool:set's input. */
export interface PoolInput {
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

/** Fields EKS sets when a node group is created and cannot change afterwards. */
const CREATE_ONLY = [
  'instanceType',
  'amiType',
  'capacityType',
  'diskSizeGiB',
  'labels',
  'taints',
] as const;

/** A plan that changes a live object. */
export type ChangePlan = Extract<ObjectPlan, { live: unknown }>;

/** A pool with the AWSManagedMachinePool a resize changes. */
export type ManagedLivePool = LivePool & {
  managedPool: NonNullable<LivePool['managedPool']>;
};

/** The ref of an object of a known kind. */
export const refOf = (o: {
  kind: KnownKind;
  metadata: { namespace?: string; name: string };
}): ObjectRef => objectRef(o.kind, o.metadata.namespace, o.metadata.name);

function invalid(problems: NodePoolProblem[], subject: string): never {
  throw new CapaValidationError(
    subject,
    problems.map(p => ({ path: p.path.join('.'), message: p.message })),
  );
}

/** A removal takes no sizes and no pool fields. */
export function checkRemoveInput(input: PoolInput): void {
  const given = (
    ['minSize', 'maxSize', 'desiredSize', ...CREATE_ONLY] as const
  ).filter(k => input[k] !== undefined);
  if (given.length)
    throw new InputError(
      `Invalid capa:nodepool:set input: remove takes no ${given.join(', ')}`,
    );
}

/**
 * The objects a removal deletes; refuses the cluster's last pool without `confirm`, and a pool
 * another tool applies (it would bring it back).
 */
export function removalTargets(
  live: LiveCluster,
  pool: LivePool,
  input: { nodePool: string; confirm?: string },
  where: string,
): Array<StoredObject<'MachinePool'> | StoredObject<'AWSManagedMachinePool'>> {
  if (live.pools.length === 1 && input.confirm !== input.nodePool) {
    throw new InputError(
      `Node pool ${where} is the cluster's last node pool: without it workloads have nowhere to run. Set confirm to "${input.nodePool}" to remove it anyway. Nothing was changed`,
    );
  }
  const targets = pool.managedPool
    ? [pool.machinePool, pool.managedPool]
    : [pool.machinePool];
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
  return targets;
}

/** The Kubernetes minor version a new pool gets: what the control plane runs (never newer). */
export function poolVersion(live: LiveCluster): string {
  const cp = live.controlPlane;
  const { desired, reported } = controlPlaneVersions(cp);
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
function createOnlyDifferences(
  input: PoolInput,
  pool: ManagedLivePool,
): string[] {
  const spec = pool.managedPool.spec;
  const live: Record<(typeof CREATE_ONLY)[number], unknown> = {
    instanceType: spec?.instanceType,
    amiType: spec?.amiType,
    capacityType: spec?.capacityType,
    diskSizeGiB: spec?.diskSize,
    labels: spec?.labels ?? {},
    taints: spec?.taints ?? [],
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

/** A resize needs the pool's AWSManagedMachinePool: the only node groups this action resizes. */
export function checkManaged(pool: LivePool, where: string): ManagedLivePool {
  if (pool.managedPool) return { ...pool, managedPool: pool.managedPool };
  throw new InputError(
    `Node pool ${where}: MachinePool ${
      pool.machinePool.metadata.name
    } has no AWSManagedMachinePool (its infrastructure is ${
      pool.machinePool.spec?.template?.spec?.infrastructureRef?.kind ??
      'missing'
    }); this action resizes EKS managed node groups only. Nothing was changed`,
  );
}

/** The sizes a resize would leave, each given or live; problems for those that do not fit. */
function sizeProblems(input: PoolInput, pool: ManagedLivePool, where: string) {
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
  const scaling = pool.managedPool.spec?.scaling ?? {};
  const minSize = sizes.minSize ?? scaling.minSize;
  const maxSize = sizes.maxSize ?? scaling.maxSize;
  const replicas = pool.machinePool.spec?.replicas;
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
  return problems;
}

/** Checks a resize against the live pool; throws before anything changes. */
export function checkResize(
  input: PoolInput,
  pool: ManagedLivePool,
  where: string,
): void {
  const differences = createOnlyDifferences(input, pool);
  if (differences.length) {
    throw new InputError(
      `Node pool ${where} exists; only minSize, desiredSize and maxSize of an existing pool can change, but these differ: ${differences.join(
        ', ',
      )}. EKS cannot change them in place: add a new pool and remove this one. Nothing was changed`,
    );
  }
  const problems = sizeProblems(input, pool, where);
  if (problems.length) invalid(problems, `node pool sizes of ${where}`);
  const managedBy =
    pool.machinePool.metadata.annotations?.[REPLICAS_MANAGED_BY];
  if (managedBy !== undefined && input.desiredSize !== undefined) {
    throw new InputError(
      `Node pool ${where}: its replicas are managed by an autoscaler (annotation ${REPLICAS_MANAGED_BY}${
        managedBy ? `=${managedBy}` : ''
      }); change minSize and maxSize instead of desiredSize. Nothing was changed`,
    );
  }
}

/** The scaling block of a resize, on the AWSManagedMachinePool; no changes without sizes. */
export function scalingPlan(
  input: PoolInput,
  managedPool: StoredObject<'AWSManagedMachinePool'>,
): ChangePlan {
  const changes: FieldChange[] = [];
  if (input.minSize !== undefined)
    changes.push({
      path: ['spec', 'scaling', 'minSize'],
      value: input.minSize,
    });
  if (input.maxSize !== undefined)
    changes.push({
      path: ['spec', 'scaling', 'maxSize'],
      value: input.maxSize,
    });
  return { ref: refOf(managedPool), live: managedPool, changes };
}

/** The replicas of a resize, on the MachinePool; no changes without desiredSize. */
export function replicasPlan(
  input: PoolInput,
  machinePool: StoredObject<'MachinePool'>,
): ChangePlan {
  return {
    ref: refOf(machinePool),
    live: machinePool,
    changes:
      input.desiredSize === undefined
        ? []
        : [{ path: ['spec', 'replicas'], value: input.desiredSize }],
  };
}

/**
 * A new pool's objects as renderCluster renders them: checked with capa-common's rules, with the
 * control plane's version, the cluster's tenant label and its tags.
 */
export function newPool(
  input: PoolInput,
  live: LiveCluster,
  target: { namespace: string; name: string },
  where: string,
) {
  const version = poolVersion(live);
  const pool = parseInput(
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
  const problems = nodePoolProblems(pool, {
    name: target.name,
    kubernetesVersion: version,
  });
  if (problems.length) invalid(problems, `node pool ${where}`);
  const tenant = live.cluster.metadata.labels?.[CAPA_LABELS.tenant];
  const objects = renderNodePool({
    cluster: target.name,
    namespace: target.namespace,
    kubernetesVersion: version,
    labels: {
      [CAPA_LABELS.clusterName]: target.name,
      ...(tenant ? { [CAPA_LABELS.tenant]: tenant } : {}),
      [CAPA_LABELS.managedBy]: MANAGED_BY,
    },
    additionalTags: stringMap(live.controlPlane.spec?.additionalTags),
    pool,
  });
  return { version, pool, objects };
}

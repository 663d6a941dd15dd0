import { z } from 'zod/v3';
import { CAPA_DEFAULTS } from '../constants';
import {
  INSTANCE_TYPE,
  INSTANCE_TYPE_RULE,
  labelKeyProblem,
  labelValueProblem,
} from './rules';
import { dnsLabel, labels } from './fields';
import { atMost, INPUT_LIMITS } from './limits';

/* A node pool's input and the rules that also apply to pools changed on a live cluster. */

/** AMI types of AWSManagedMachinePool (CRD enum). */
const AMI_TYPES = [
  'AL2_x86_64',
  'AL2_x86_64_GPU',
  'AL2_ARM_64',
  'AL2023_x86_64_STANDARD',
  'AL2023_ARM_64_STANDARD',
  'AL2023_x86_64_NEURON',
  'AL2023_x86_64_NVIDIA',
  'AL2023_ARM_64_NVIDIA',
  'BOTTLEROCKET_ARM_64',
  'BOTTLEROCKET_x86_64',
  'BOTTLEROCKET_ARM_64_FIPS',
  'BOTTLEROCKET_x86_64_FIPS',
  'BOTTLEROCKET_ARM_64_NVIDIA',
  'BOTTLEROCKET_x86_64_NVIDIA',
  'WINDOWS_CORE_2019_x86_64',
  'WINDOWS_FULL_2019_x86_64',
  'WINDOWS_CORE_2022_x86_64',
  'WINDOWS_FULL_2022_x86_64',
] as const;

/** Graviton (arm64) instance families carry a "g" after the generation: t4g, m7gd, c7gn, g5g. */
const ARM_INSTANCE = /^[a-z]+\d+[a-z]*g[a-z]*(-flex)?\./;

/**
 * One node pool of a cluster (a MachinePool with an AWSManagedMachinePool), field by field. The
 * rules that involve other fields or the cluster are in {@link nodePoolProblems}.
 *
 * @public
 */
export const nodePoolInputSchema = z
  .object({
    name: dnsLabel(),
    instanceType: z
      .string()
      .regex(INSTANCE_TYPE, INSTANCE_TYPE_RULE)
      .default(CAPA_DEFAULTS.instanceType),
    minSize: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .default(1),
    maxSize: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be 1 or more')
      .default(3),
    desiredSize: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .optional(),
    capacityType: z.enum(['onDemand', 'spot']).default('onDemand'),
    amiType: z.enum(AMI_TYPES).default('AL2023_x86_64_STANDARD'),
    diskSizeGiB: z
      .number()
      .int('must be a whole number')
      .min(8, 'must be at least 8 GiB')
      .max(16384, 'must be at most 16384 GiB')
      .optional(),
    labels: labels().optional(),
    taints: z
      .array(
        z
          .object({
            key: z.string().superRefine((k, ctx) => {
              const p = labelKeyProblem(k);
              if (p)
                ctx.addIssue({
                  code: z.ZodIssueCode.custom,
                  message: p.replace('label', 'taint'),
                });
            }),
            value: z
              .string()
              .superRefine((v, ctx) => {
                const p = labelValueProblem(v);
                if (p)
                  ctx.addIssue({
                    code: z.ZodIssueCode.custom,
                    message: p.replace('label', 'taint'),
                  });
              })
              .default(''),
            effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
          })
          .strict(),
      )
      .max(
        INPUT_LIMITS.taintsPerNodePool,
        atMost(
          INPUT_LIMITS.taintsPerNodePool,
          'taints',
          'EKS: taints per managed node group',
        ),
      )
      .optional(),
  })
  .strict();

/** @public */
export type NodePoolInput = z.input<typeof nodePoolInputSchema>;
/** @public */
export type ResolvedNodePoolInput = z.output<typeof nodePoolInputSchema>;

/**
 * A rule a node pool breaks: the path below the pool (e.g. `["maxSize"]`) and the rule.
 *
 * @public
 */
export interface NodePoolProblem {
  path: Array<string | number>;
  message: string;
}

/**
 * The scaling rules of a node pool: minSize at most maxSize, and desiredSize (when given) between
 * them. Shared by cluster validation and the actions that resize existing pools.
 *
 * @public
 */
export function nodePoolScalingProblems(sizes: {
  minSize: number;
  maxSize: number;
  desiredSize?: number;
}): NodePoolProblem[] {
  const problems: NodePoolProblem[] = [];
  if (sizes.minSize > sizes.maxSize)
    problems.push({
      path: ['minSize'],
      message: `must be <= maxSize (${sizes.maxSize})`,
    });
  // Without desiredSize the pool starts at minSize, which the rule above already checks:
  // report desiredSize only when it was given, never a field the input does not have.
  const desired = sizes.desiredSize;
  if (
    desired !== undefined &&
    (desired < sizes.minSize || desired > sizes.maxSize)
  ) {
    problems.push({
      path: ['desiredSize'],
      message: `must be between minSize (${sizes.minSize}) and maxSize (${sizes.maxSize})`,
    });
  }
  return problems;
}

/**
 * Whether an AMI type is published for a Kubernetes minor version ("1.33"): Amazon Linux 2 stops
 * at 1.32. Undefined when it is.
 *
 * @public
 */
export function amiTypeVersionProblem(
  amiType: string,
  kubernetesVersion: string,
): string | undefined {
  const minor = Number(kubernetesVersion.replace(/^v/, '').split('.')[1]);
  if (amiType.startsWith('AL2_') && minor >= 33)
    return 'Amazon Linux 2 AMIs are not published for Kubernetes 1.33 and later; use an AL2023_* or BOTTLEROCKET_* type';
  return undefined;
}

/**
 * The rules of a node pool that involve its other fields or its cluster: scaling, the length of
 * the MachinePool name, the AMI type against the Kubernetes version and the instance
 * architecture.
 *
 * @public
 */
export function nodePoolProblems(
  pool: ResolvedNodePoolInput,
  cluster: { name: string; kubernetesVersion: string },
): NodePoolProblem[] {
  const problems = nodePoolScalingProblems(pool);
  if (`${cluster.name}-${pool.name}`.length > 63) {
    problems.push({
      path: ['name'],
      message: `"${cluster.name}-${pool.name}" names the MachinePool and EKS node group and must be at most 63 characters`,
    });
  }
  const amiProblem = amiTypeVersionProblem(
    pool.amiType,
    cluster.kubernetesVersion,
  );
  if (amiProblem) problems.push({ path: ['amiType'], message: amiProblem });
  const arm = ARM_INSTANCE.test(pool.instanceType);
  const armAmi = pool.amiType.includes('ARM_64');
  if (arm !== armAmi && !pool.amiType.startsWith('WINDOWS')) {
    problems.push({
      path: ['amiType'],
      message: `${pool.amiType} is for ${armAmi ? 'arm64' : 'x86_64'} but ${
        pool.instanceType
      } is ${arm ? 'an arm64 (Graviton)' : 'an x86_64'} instance type`,
    });
  }
  return problems;
}

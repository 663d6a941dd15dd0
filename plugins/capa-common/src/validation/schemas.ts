import { z } from 'zod/v3';
import { CAPA_DEFAULTS, CAPA_LABELS, MANAGED_BY } from '../constants';
import {
  AWS_PARTITIONS,
  AWS_REGIONS,
  AwsPartition,
  DEFAULT_KUBERNETES_VERSIONS,
  partitionOfRegion,
} from './aws';
import { formatPath } from './errors';
import {
  ACCOUNT_ID,
  ACCOUNT_ID_RULE,
  ADDON_VERSION,
  ADDON_VERSION_RULE,
  DNS_LABEL,
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN,
  DNS_SUBDOMAIN_RULE,
  EKS_CLUSTER_NAME,
  EKS_CLUSTER_NAME_RULE,
  EXTERNAL_ID,
  EXTERNAL_ID_RULE,
  IAM_NAME,
  IAM_NAME_RULE,
  INSTANCE_TYPE,
  INSTANCE_TYPE_RULE,
  OIDC_PROVIDER_ID,
  OIDC_PROVIDER_ID_RULE,
  ROLE_ARN,
  ROLE_ARN_RULE,
  SESSION_NAME,
  SESSION_NAME_RULE,
  USER_ARN,
  USER_ARN_RULE,
  cidrProblem,
  labelKeyProblem,
  labelValueProblem,
  tagKeyProblem,
  tagValueProblem,
} from './rules';

const dnsLabel = (max = 63) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(DNS_LABEL, DNS_LABEL_RULE);
const dnsSubdomain = () =>
  z
    .string()
    .max(253, 'must be at most 253 characters')
    .regex(DNS_SUBDOMAIN, DNS_SUBDOMAIN_RULE);
const accountId = () => z.string().regex(ACCOUNT_ID, ACCOUNT_ID_RULE);
const iamName = () => z.string().regex(IAM_NAME, IAM_NAME_RULE);
const roleArn = () => z.string().regex(ROLE_ARN, ROLE_ARN_RULE);
const userArn = () => z.string().regex(USER_ARN, USER_ARN_RULE);
const partition = () =>
  z.enum(AWS_PARTITIONS as [AwsPartition, ...AwsPartition[]], {
    errorMap: () => ({
      message: `must be one of ${AWS_PARTITIONS.join(', ')}`,
    }),
  });
const cidr = (opts?: Parameters<typeof cidrProblem>[1]) =>
  z.string().superRefine((v, ctx) => {
    const problem = cidrProblem(v, opts);
    if (problem)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

/** A map whose keys and values are each checked; problems name the offending key. */
const checkedMap = (
  keyProblem: (k: string) => string | undefined,
  valueProblem: (v: string) => string | undefined,
) =>
  z.record(z.string()).superRefine((map, ctx) => {
    for (const [k, v] of Object.entries(map)) {
      const problem = keyProblem(k) ?? valueProblem(v);
      if (problem)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [k],
          message: problem,
        });
    }
  });
const labels = () => checkedMap(labelKeyProblem, labelValueProblem);
const tags = () => checkedMap(tagKeyProblem, tagValueProblem);

/** An optional text field where "" (what a template form gives for an empty field) means absent. */
const optionalText = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(v => (v === '' ? undefined : v), schema.optional());

const issue = (
  ctx: z.RefinementCtx,
  path: (string | number)[],
  message: string,
) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });

/** Reports the second and later occurrences of a value in a list. */
function checkUnique<T>(
  ctx: z.RefinementCtx,
  items: T[],
  key: (item: T) => string,
  path: (index: number) => (string | number)[],
  what: string,
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) {
      // Name the first occurrence by its path: principals come from four lists, so an index alone
      // would be ambiguous.
      issue(
        ctx,
        path(i),
        `${what} "${k}" is used twice (also at ${formatPath(
          path(first),
        )}); ${what}s must be unique`,
      );
    } else {
      seen.set(k, i);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// allowedNamespaces (shared by both identity kinds)

const allowedNamespacesSchema = z
  .object({
    list: z.array(dnsLabel()).optional(),
    selector: z
      .object({ matchLabels: labels().optional() })
      .strict()
      .optional(),
  })
  .strict();

/** @public */
export type AllowedNamespacesInput = z.input<typeof allowedNamespacesSchema>;

/** True when the value admits every namespace: `{}` or `{selector: {}}` with no list. */
export function admitsEveryNamespace(value: AllowedNamespacesInput): boolean {
  return (
    value.list === undefined &&
    (value.selector === undefined || value.selector.matchLabels === undefined)
  );
}

function checkAllowedNamespaces(
  ctx: z.RefinementCtx,
  value: AllowedNamespacesInput | undefined,
  dangerouslyAllowAllNamespaces: boolean,
) {
  if (value === undefined) return;
  if (value.list !== undefined && value.list.length === 0) {
    issue(
      ctx,
      ['allowedNamespaces', 'list'],
      'an empty list admits no namespace at all (CAPA compares it with the zero value); name the namespaces or remove "list"',
    );
  }
  const matchLabels = value.selector?.matchLabels;
  if (matchLabels !== undefined && Object.keys(matchLabels).length === 0) {
    issue(
      ctx,
      ['allowedNamespaces', 'selector', 'matchLabels'],
      'an empty matchLabels map admits no namespace at all (CAPA compares it with the zero value); give at least one label or remove "selector"',
    );
  }
  if (admitsEveryNamespace(value) && !dangerouslyAllowAllNamespaces) {
    issue(
      ctx,
      ['allowedNamespaces'],
      'admits every namespace of the management cluster, so any tenant could use this AWS account; restrict it with "list" or "selector.matchLabels", or set dangerouslyAllowAllNamespaces: true if that is really intended',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Tenant

const identityRefSchema = z
  .object({
    kind: z.enum(['AWSClusterControllerIdentity', 'AWSClusterRoleIdentity']),
    name: dnsSubdomain(),
  })
  .strict();

/** Backstage group refs: `group:namespace/name`, `group:name` or `name`. */
const GROUP_REF =
  /^(?:group:)?(?:([a-z0-9][-a-z0-9_.]{0,62})\/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61}[A-Za-z0-9]|[A-Za-z0-9])$/;

const tenantAwsSchema = z
  .object({
    accountId: accountId(),
    partition: partition().default('aws'),
    roleName: iamName().default(CAPA_DEFAULTS.controllersRoleName),
    externalId: optionalText(z.string().regex(EXTERNAL_ID, EXTERNAL_ID_RULE)),
    sessionName: optionalText(
      z.string().regex(SESSION_NAME, SESSION_NAME_RULE),
    ),
    durationSeconds: z
      .number()
      .int('must be a whole number of seconds')
      .min(900, 'must be between 900 and 43200 seconds (STS limits)')
      .max(43200, 'must be between 900 and 43200 seconds (STS limits)')
      .optional(),
  })
  .strict();

/** Input of renderTenant. @public */
export const tenantInputSchema = z
  .object({
    name: dnsLabel(),
    owner: z
      .string()
      .regex(
        GROUP_REF,
        'must be a Backstage group reference such as "group:default/team-a" or "team-a"',
      ),
    namespace: dnsLabel().optional(),
    namespaceLabels: labels().optional(),
    aws: tenantAwsSchema,
    identityName: dnsSubdomain().optional(),
    sourceIdentity: identityRefSchema.optional(),
    allowedNamespaces: allowedNamespacesSchema.optional(),
    dangerouslyAllowAllNamespaces: z.boolean().default(false),
  })
  .strict()
  .superRefine((t, ctx) => {
    const reserved = [
      CAPA_LABELS.tenant,
      CAPA_LABELS.ownerGroup,
      CAPA_LABELS.managedBy,
    ];
    for (const key of Object.keys(t.namespaceLabels ?? {})) {
      if (reserved.includes(key as (typeof reserved)[number])) {
        issue(
          ctx,
          ['namespaceLabels', key],
          'is set by the renderer (tenant, owner, managed-by); remove it',
        );
      }
    }
    checkAllowedNamespaces(
      ctx,
      t.allowedNamespaces,
      t.dangerouslyAllowAllNamespaces,
    );
    const namespace = t.namespace ?? t.name;
    const allowed = t.allowedNamespaces;
    if (allowed && !admitsEveryNamespace(allowed)) {
      const selected = allowed.selector?.matchLabels;
      if (
        selected &&
        Object.keys(selected).length > 0 &&
        selected[CAPA_LABELS.tenant] !== t.name
      ) {
        issue(
          ctx,
          ['allowedNamespaces', 'selector', 'matchLabels'],
          `must contain ${CAPA_LABELS.tenant}: ${t.name}, so that only this tenant's namespaces are selected`,
        );
      }
      // The labels the rendered Namespace will carry: a selector must match them to admit it.
      const rendered: Record<string, string> = {
        ...t.namespaceLabels,
        [CAPA_LABELS.tenant]: t.name,
        [CAPA_LABELS.managedBy]: MANAGED_BY,
        [CAPA_LABELS.ownerGroup]: t.owner
          .replace(/^group:/, '')
          .split('/')
          .pop()!,
      };
      // Entries that break the label rules are reported by those rules already.
      const unmatched = Object.entries(selected ?? {}).filter(
        ([k, v]) =>
          !labelKeyProblem(k) && !labelValueProblem(v) && rendered[k] !== v,
      );
      if (selected?.[CAPA_LABELS.tenant] === t.name && unmatched.length > 0) {
        issue(
          ctx,
          ['allowedNamespaces', 'selector', 'matchLabels'],
          `the tenant's namespace "${namespace}" would not carry ${unmatched
            .map(([k, v]) => `${k}=${v}`)
            .join(
              ', ',
            )}, so the identity would not admit it; add them to namespaceLabels`,
        );
      }
      const admitsOwn =
        (allowed.list ?? []).includes(namespace) ||
        (selected !== undefined && unmatched.length === 0);
      if (!admitsOwn && (allowed.list?.length ?? 0) > 0) {
        issue(
          ctx,
          ['allowedNamespaces', 'list'],
          `must include the tenant's own namespace "${namespace}"`,
        );
      }
    }
    if (
      t.sourceIdentity?.kind === 'AWSClusterRoleIdentity' &&
      t.sourceIdentity.name === (t.identityName ?? t.name)
    ) {
      issue(
        ctx,
        ['sourceIdentity', 'name'],
        'must not be the identity being rendered (it would assume itself)',
      );
    }
  });

/** @public */
export type TenantInput = z.input<typeof tenantInputSchema>;
/** @public */
export type ResolvedTenantInput = z.output<typeof tenantInputSchema>;

// ---------------------------------------------------------------------------------------------
// Controller identity

/** Input of renderControllerIdentity. Without allowedNamespaces no namespace may use it. @public */
export const controllerIdentityInputSchema = z
  .object({
    allowedNamespaces: allowedNamespacesSchema.optional(),
    dangerouslyAllowAllNamespaces: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) =>
    checkAllowedNamespaces(
      ctx,
      c.allowedNamespaces,
      c.dangerouslyAllowAllNamespaces,
    ),
  );

/** @public */
export type ControllerIdentityInput = z.input<
  typeof controllerIdentityInputSchema
>;

// ---------------------------------------------------------------------------------------------
// Cluster

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

const addonSchema = z
  .object({
    name: dnsLabel(),
    version: z.string().regex(ADDON_VERSION, ADDON_VERSION_RULE),
    conflictResolution: z
      .enum(['overwrite', 'none', 'preserve'])
      .default('overwrite'),
    configuration: z
      .string()
      .refine(s => {
        try {
          JSON.parse(s);
          return true;
        } catch {
          return false;
        }
      }, "must be a JSON document (the add-on's configuration values)")
      .optional(),
    serviceAccountRoleARN: roleArn().optional(),
  })
  .strict();

const fargateProfileSchema = z
  .object({
    name: dnsLabel(),
    selectors: z
      .array(
        z
          .object({ namespace: dnsLabel(), labels: labels().optional() })
          .strict(),
      )
      .min(1, 'needs at least one selector')
      .max(5, 'EKS allows at most 5 selectors per Fargate profile'),
  })
  .strict();

const LOG_TYPES = [
  'apiServer',
  'audit',
  'authenticator',
  'controllerManager',
  'scheduler',
] as const;

/** Options of cluster validation that change with AWS (not with the request). @public */
export interface ClusterValidationOptions {
  /** Supported Kubernetes minor versions, e.g. ["1.33", "1.34"]. */
  kubernetesVersions?: readonly string[];
}

/** Builds the schema of renderCluster's input. @public */
export function clusterInputSchema(options: ClusterValidationOptions = {}) {
  const versions = options.kubernetesVersions ?? DEFAULT_KUBERNETES_VERSIONS;
  return z
    .object({
      name: dnsLabel(),
      tenant: dnsLabel(),
      namespace: dnsLabel().optional(),
      identityName: dnsSubdomain().optional(),
      region: z.string(),
      kubernetesVersion: z
        .string()
        .transform(v => v.replace(/^v/, ''))
        .refine(v => versions.includes(v), {
          message: `must be a supported Kubernetes minor version: ${versions.join(
            ', ',
          )} (EKS picks the patch release)`,
        }),
      eksClusterName: z
        .string()
        .regex(EKS_CLUSTER_NAME, EKS_CLUSTER_NAME_RULE)
        .optional(),
      vpcCniVersion: z
        .string()
        .regex(ADDON_VERSION, ADDON_VERSION_RULE)
        .default(CAPA_DEFAULTS.vpcCniAddonVersion),
      addons: z.array(addonSchema).default([]),
      endpointAccess: z
        .object({
          public: z.boolean().default(true),
          private: z.boolean().default(true),
          publicCIDRs: z.array(cidr()).optional(),
        })
        .strict()
        .default({}),
      logging: z
        .object(
          Object.fromEntries(
            LOG_TYPES.map(t => [t, z.boolean().optional()]),
          ) as Record<(typeof LOG_TYPES)[number], z.ZodOptional<z.ZodBoolean>>,
        )
        .strict()
        .optional(),
      access: z
        .object({
          mode: z
            .enum(['config_map', 'api', 'api_and_config_map'])
            .default('config_map'),
          adminRoleArns: z.array(roleArn()).default([]),
          readOnlyRoleArns: z.array(roleArn()).default([]),
          adminUserArns: z.array(userArn()).default([]),
          readOnlyUserArns: z.array(userArn()).default([]),
        })
        .strict()
        .default({}),
      additionalTags: tags().optional(),
      network: z
        .object({
          vpcCidr: cidr({
            ipv4Only: true,
            minPrefix: 16,
            maxPrefix: 28,
          }).optional(),
          podCidr: cidr({ ipv4Only: true }).default(CAPA_DEFAULTS.podCidr),
          serviceCidr: cidr({
            ipv4Only: true,
            minPrefix: 12,
            maxPrefix: 24,
          }).optional(),
        })
        .strict()
        .default({}),
      nodePools: z.array(nodePoolInputSchema).default([]),
      fargateProfiles: z.array(fargateProfileSchema).default([]),
    })
    .strict()
    .superRefine((c, ctx) => {
      const partitionName = partitionOfRegion(c.region);
      if (!partitionName) {
        issue(
          ctx,
          ['region'],
          `must be a known AWS region where EKS runs (e.g. ${AWS_REGIONS.aws
            .slice(-4)
            .join(', ')})`,
        );
      }
      const namespace = c.namespace ?? c.tenant;
      if (!c.eksClusterName && `${namespace}-${c.name}`.length > 100) {
        issue(
          ctx,
          ['eksClusterName'],
          `the default "${namespace}-${c.name}" is longer than EKS's 100 characters; set eksClusterName`,
        );
      }
      c.nodePools.forEach((p, i) => {
        for (const problem of nodePoolProblems(p, {
          name: c.name,
          kubernetesVersion: c.kubernetesVersion,
        }))
          issue(ctx, ['nodePools', i, ...problem.path], problem.message);
      });
      checkUnique(
        ctx,
        c.nodePools,
        p => p.name,
        i => ['nodePools', i, 'name'],
        'node pool name',
      );
      checkUnique(
        ctx,
        c.fargateProfiles,
        p => p.name,
        i => ['fargateProfiles', i, 'name'],
        'Fargate profile name',
      );
      c.fargateProfiles.forEach((f, i) => {
        if (`${c.name}-${f.name}`.length > 63) {
          issue(
            ctx,
            ['fargateProfiles', i, 'name'],
            `"${c.name}-${f.name}" names the AWSFargateProfile and EKS profile and must be at most 63 characters`,
          );
        }
      });
      if (c.nodePools.length === 0 && c.fargateProfiles.length === 0) {
        issue(
          ctx,
          ['nodePools'],
          'needs at least one node pool (or a Fargate profile) so workloads can run',
        );
      }
      checkUnique(
        ctx,
        c.addons,
        a => a.name,
        i => ['addons', i, 'name'],
        'add-on name',
      );
      c.addons.forEach((a, i) => {
        if (a.name === 'vpc-cni')
          issue(
            ctx,
            ['addons', i, 'name'],
            'vpc-cni is always installed; set its version with vpcCniVersion',
          );
      });
      if (!c.endpointAccess.public && !c.endpointAccess.private) {
        issue(
          ctx,
          ['endpointAccess'],
          'at least one of public and private must be true, or the API server is unreachable',
        );
      }
      if (c.endpointAccess.publicCIDRs && !c.endpointAccess.public) {
        issue(
          ctx,
          ['endpointAccess', 'publicCIDRs'],
          'only applies when public is true',
        );
      }
      const access = c.access;
      const principals = [
        ...access.adminRoleArns.map((a, i) => ({
          arn: a,
          path: ['access', 'adminRoleArns', i],
        })),
        ...access.readOnlyRoleArns.map((a, i) => ({
          arn: a,
          path: ['access', 'readOnlyRoleArns', i],
        })),
        ...access.adminUserArns.map((a, i) => ({
          arn: a,
          path: ['access', 'adminUserArns', i],
        })),
        ...access.readOnlyUserArns.map((a, i) => ({
          arn: a,
          path: ['access', 'readOnlyUserArns', i],
        })),
      ];
      checkUnique(
        ctx,
        principals,
        p => p.arn,
        i => principals[i].path,
        'principal ARN',
      );
      for (const p of principals) {
        const arnPartition = p.arn.split(':')[1];
        if (partitionName && arnPartition !== partitionName) {
          issue(
            ctx,
            p.path,
            `is in partition "${arnPartition}" but region ${c.region} is in "${partitionName}"`,
          );
        }
      }
    });
}

/** @public */
export type ClusterInput = z.input<ReturnType<typeof clusterInputSchema>>;
/** @public */
export type ResolvedClusterInput = z.output<
  ReturnType<typeof clusterInputSchema>
>;

// ---------------------------------------------------------------------------------------------
// IAM trust

/** Input of renderIamTrust. @public */
export const iamTrustInputSchema = z
  .object({
    partition: partition().default('aws'),
    manager: z
      .object({
        accountId: accountId(),
        roleName: iamName().default(CAPA_DEFAULTS.controllersRoleName),
        eksOidc: z
          .object({
            region: z.string(),
            providerId: z
              .string()
              .regex(OIDC_PROVIDER_ID, OIDC_PROVIDER_ID_RULE),
            controllerNamespace: dnsLabel().default(
              CAPA_DEFAULTS.controllerNamespace,
            ),
            serviceAccounts: z
              .array(dnsSubdomain())
              .min(1, 'needs at least one service account')
              .default([CAPA_DEFAULTS.controllerServiceAccount]),
          })
          .strict()
          .optional(),
      })
      .strict(),
    tenants: z
      .array(
        z
          .object({
            name: dnsLabel(),
            accountId: accountId(),
            roleName: iamName().default(CAPA_DEFAULTS.controllersRoleName),
            externalId: optionalText(
              z.string().regex(EXTERNAL_ID, EXTERNAL_ID_RULE),
            ),
            fargate: z.boolean().default(false),
          })
          .strict(),
      )
      .min(1, 'needs at least one tenant account'),
  })
  .strict()
  .superRefine((t, ctx) => {
    checkUnique(
      ctx,
      t.tenants,
      x => x.name,
      i => ['tenants', i, 'name'],
      'tenant name',
    );
    checkUnique(
      ctx,
      t.tenants,
      x => `${x.accountId}/${x.roleName}`,
      i => ['tenants', i, 'accountId'],
      'tenant account/role',
    );
    const oidc = t.manager.eksOidc;
    if (oidc && partitionOfRegion(oidc.region) !== t.partition) {
      issue(
        ctx,
        ['manager', 'eksOidc', 'region'],
        `must be a known AWS region of partition "${t.partition}"`,
      );
    }
    if (oidc)
      checkUnique(
        ctx,
        oidc.serviceAccounts,
        s => s,
        i => ['manager', 'eksOidc', 'serviceAccounts', i],
        'service account',
      );
  });

/** @public */
export type IamTrustInput = z.input<typeof iamTrustInputSchema>;
/** @public */
export type ResolvedIamTrustInput = z.output<typeof iamTrustInputSchema>;

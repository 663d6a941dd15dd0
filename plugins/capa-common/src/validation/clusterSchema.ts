import { z } from 'zod/v3';
import { CAPA_DEFAULTS } from '../constants';
import {
  AWS_REGIONS,
  DEFAULT_KUBERNETES_VERSIONS,
  partitionOfRegion,
} from './aws';
import {
  ADDON_VERSION,
  ADDON_VERSION_RULE,
  EKS_CLUSTER_NAME,
  EKS_CLUSTER_NAME_RULE,
} from './rules';
import {
  dnsLabel,
  dnsSubdomain,
  roleArn,
  userArn,
  cidr,
  labels,
  tags,
  issue,
  checkUnique,
} from './fields';
import { atMost, INPUT_LIMITS } from './limits';
import { nodePoolInputSchema, nodePoolProblems } from './nodePoolSchema';

const addonSchema = z
  .object({
    name: dnsLabel(),
    version: z.string().regex(ADDON_VERSION, ADDON_VERSION_RULE),
    conflictResolution: z
      .enum(['overwrite', 'none', 'preserve'])
      .default('overwrite'),
    configuration: z
      .string()
      .max(
        INPUT_LIMITS.addonConfigurationBytes,
        `must be at most ${INPUT_LIMITS.addonConfigurationBytes / 1024} KiB`,
      )
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
          .object({
            namespace: dnsLabel(),
            labels: labels(
              INPUT_LIMITS.labelsPerFargateSelector,
              'EKS: label pairs per Fargate profile selector',
            ).optional(),
          })
          .strict(),
      )
      .min(1, 'needs at least one selector')
      .max(
        INPUT_LIMITS.selectorsPerFargateProfile,
        atMost(
          INPUT_LIMITS.selectorsPerFargateProfile,
          'selectors',
          'EKS: selectors per Fargate profile',
        ),
      ),
  })
  .strict();

/** An access list of IAM principals, bounded. */
const principalList = (arn: z.ZodString) =>
  z
    .array(arn)
    .max(
      INPUT_LIMITS.principalsPerList,
      atMost(INPUT_LIMITS.principalsPerList, 'principals'),
    )
    .default([]);

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
      addons: z
        .array(addonSchema)
        .max(
          INPUT_LIMITS.addonsPerCluster,
          atMost(INPUT_LIMITS.addonsPerCluster, 'add-ons'),
        )
        .default([]),
      endpointAccess: z
        .object({
          public: z.boolean().default(true),
          private: z.boolean().default(true),
          publicCIDRs: z
            .array(cidr())
            .max(
              INPUT_LIMITS.publicCidrs,
              atMost(
                INPUT_LIMITS.publicCidrs,
                'CIDR ranges',
                'EKS: public endpoint access CIDR ranges per cluster',
              ),
            )
            .optional(),
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
          adminRoleArns: principalList(roleArn()),
          readOnlyRoleArns: principalList(roleArn()),
          adminUserArns: principalList(userArn()),
          readOnlyUserArns: principalList(userArn()),
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
      nodePools: z
        .array(nodePoolInputSchema)
        .max(
          INPUT_LIMITS.nodePoolsPerCluster,
          atMost(
            INPUT_LIMITS.nodePoolsPerCluster,
            'node pools',
            'EKS: managed node groups per cluster',
          ),
        )
        .default([]),
      fargateProfiles: z
        .array(fargateProfileSchema)
        .max(
          INPUT_LIMITS.fargateProfilesPerCluster,
          atMost(
            INPUT_LIMITS.fargateProfilesPerCluster,
            'Fargate profiles',
            'EKS: Fargate profiles per cluster',
          ),
        )
        .default([]),
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

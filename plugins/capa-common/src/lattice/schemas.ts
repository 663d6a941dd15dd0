import { z } from 'zod/v3';
import {
  checkUnique,
  dnsLabel,
  issue,
  optionalText,
} from '../validation/fields';
import { DNS_SUBDOMAIN, DNS_SUBDOMAIN_RULE } from '../validation/rules';
import type { LatticeClusterFacts, LatticeContext } from './types';

/** VPC Lattice service network names (also the Gateway's name, so a DNS label too). */
const SERVICE_NETWORK = /^(?!sn-)[a-z0-9]+(-[a-z0-9]+)*$/;
const SERVICE_NETWORK_RULE =
  'must be a VPC Lattice service network name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit, not starting with "sn-"';
/** Kubernetes Service names are DNS-1035 labels. */
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_RULE =
  'must be a Kubernetes Service name (DNS-1035 label): at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit';
/** A host name of at least two labels; no wildcard, no trailing dot. */
const HOSTNAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const HOSTNAME_RULE =
  'must be a fully qualified host name such as payments.example.com: lowercase DNS labels of at most 63 characters joined by ".", at most 253 characters, no wildcard';
const CLUSTER_REF =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CLUSTER_REF_RULE =
  'must name a Cluster as "<name>" (in the tenant\'s namespace) or "<namespace>/<name>"';
const SERVICE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):vpc-lattice:[a-z0-9-]+:(\d{12}):service\/svc-[0-9a-z]{17}$/;
const SERVICE_ARN_RULE =
  'must be a VPC Lattice service ARN: arn:<partition>:vpc-lattice:<region>:<account>:service/svc-<17 characters>';
const SERVICE_NETWORK_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):vpc-lattice:[a-z0-9-]+:(\d{12}):servicenetwork\/sn-[0-9a-z]{17}$/;
const SERVICE_NETWORK_ARN_RULE =
  'must be a VPC Lattice service network ARN: arn:<partition>:vpc-lattice:<region>:<account>:servicenetwork/sn-<17 characters>';
const ADDON_VERSION = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/;

/** At most this many callers per service: one auth policy statement each. @public */
export const MAX_LATTICE_CALLERS = 25;

const serviceNetwork = () =>
  z
    .string()
    .min(3, 'must be at least 3 characters')
    .max(63, 'must be at most 63 characters')
    .regex(SERVICE_NETWORK, SERVICE_NETWORK_RULE);
const clusterRef = () => z.string().regex(CLUSTER_REF, CLUSTER_REF_RULE);
const serviceAccount = () =>
  z
    .string()
    .max(253, 'must be at most 253 characters')
    .regex(DNS_SUBDOMAIN, DNS_SUBDOMAIN_RULE);

/** A caller: pods of one namespace (optionally one service account) in one cluster. @public */
export const latticeCallerSchema = z
  .object({
    cluster: clusterRef().describe(
      'Calling Cluster: "<name>" in the tenant\'s namespace, or "<namespace>/<name>"',
    ),
    namespace: dnsLabel().describe('Namespace of the calling pods'),
    serviceAccount: optionalText(serviceAccount()).describe(
      'Only pods of this service account (default: any in the namespace)',
    ),
  })
  .strict();

/** The callers a revoke names: at least one. @public */
export const latticeRevokeCallersSchema = z
  .array(latticeCallerSchema)
  .min(1, 'must name at least one caller to revoke');

/** The exposed Kubernetes Service. @public */
export const latticeServiceSchema = z
  .object({
    name: z
      .string()
      .max(63, 'must be at most 63 characters')
      .regex(DNS_1035, DNS_1035_RULE),
    namespace: dnsLabel(),
    port: z
      .number({ invalid_type_error: 'must be a port number' })
      .int('must be a whole number')
      .min(1, 'must be a port number from 1 to 65535')
      .max(65535, 'must be a port number from 1 to 65535'),
    domain: optionalText(
      z.string().max(253, HOSTNAME_RULE).regex(HOSTNAME, HOSTNAME_RULE),
    ),
  })
  .strict();

/** Input of {@link renderLatticeJoin}. @public */
export const latticeJoinInputSchema = z
  .object({
    serviceNetwork: serviceNetwork(),
    /** The Cluster's namespace on the management cluster. */
    namespace: dnsLabel(),
    cluster: dnsLabel(),
    podIdentityAgentVersion: optionalText(
      z
        .string()
        .regex(
          ADDON_VERSION,
          'must be an EKS add-on version such as "v1.3.4-eksbuild.1"',
        ),
    ),
  })
  .strict();

/** Input of {@link renderLatticeExpose}. @public */
export const latticeExposeInputSchema = z
  .object({
    serviceNetwork: serviceNetwork(),
    /** The providing Cluster's namespace on the management cluster (the tenant's). */
    namespace: dnsLabel(),
    cluster: dnsLabel(),
    service: latticeServiceSchema,
    callers: z.array(latticeCallerSchema),
    serviceArn: optionalText(z.string().regex(SERVICE_ARN, SERVICE_ARN_RULE)),
    serviceNetworkArn: optionalText(
      z.string().regex(SERVICE_NETWORK_ARN, SERVICE_NETWORK_ARN_RULE),
    ),
  })
  .strict();

/** @public */
export type LatticeJoinInput = z.input<typeof latticeJoinInputSchema>;
/** @public */
export type LatticeExposeInput = z.input<typeof latticeExposeInputSchema>;
/** @public */
export type LatticeCallerInput = z.input<typeof latticeCallerSchema>;

/** `namespace/name` of a cluster reference, relative to the tenant's namespace. */
export function qualifiedCluster(ref: string, namespace: string): string {
  return ref.includes('/') ? ref : `${namespace}/${ref}`;
}

export function findCluster(
  context: LatticeContext,
  qualified: string,
): LatticeClusterFacts | undefined {
  return context.clusters.find(c => `${c.namespace}/${c.name}` === qualified);
}

/**
 * Checks that a cluster can take part: known, Provisioned, with the facts the policies need, and
 * (when `network` is given) joined to that service network.
 */
export function checkCluster(
  ctx: z.RefinementCtx,
  path: (string | number)[],
  context: LatticeContext,
  qualified: string,
  network?: string,
): LatticeClusterFacts | undefined {
  const facts = findCluster(context, qualified);
  if (!facts) {
    issue(
      ctx,
      path,
      `Cluster ${qualified} does not exist on the management cluster (or you may not see it); name a cluster of the tenant`,
    );
    return undefined;
  }
  if (facts.phase !== 'Provisioned') {
    issue(
      ctx,
      path,
      `Cluster ${qualified} is ${
        facts.phase ?? 'in no phase yet'
      }; only Provisioned clusters can join a service network or call and expose services`,
    );
    return undefined;
  }
  const missing = (['accountId', 'region', 'eksClusterName'] as const).filter(
    k => !facts[k],
  );
  if (missing.length) {
    issue(
      ctx,
      path,
      `Cluster ${qualified}: its ${missing.join(
        ', ',
      )} is not known (tenant namespace annotation capa.backstage.io/aws-account-id, AWSManagedControlPlane spec.region and spec.eksClusterName)`,
    );
    return undefined;
  }
  if (network && facts.serviceNetwork !== network) {
    issue(
      ctx,
      path,
      facts.serviceNetwork
        ? `Cluster ${qualified} has joined service network "${facts.serviceNetwork}", not "${network}" (a VPC belongs to one service network)`
        : `Cluster ${qualified} has not joined service network "${network}"; join it first (capa:network:join)`,
    );
    return undefined;
  }
  return facts;
}

/** The contextual rules of an expose input, all reported at once. */
export function exposeContextSchema(context: LatticeContext) {
  return latticeExposeInputSchema.superRefine((input, ctx) => {
    const provider = checkCluster(
      ctx,
      ['cluster'],
      context,
      qualifiedCluster(input.cluster, input.namespace),
      input.serviceNetwork,
    );
    if (input.callers.length === 0) {
      issue(
        ctx,
        ['callers'],
        'must name at least one caller: an auth policy without callers would admit nobody (use capa:network:revoke to remove access); access is never granted to everyone',
      );
    }
    if (input.callers.length > MAX_LATTICE_CALLERS) {
      issue(
        ctx,
        ['callers'],
        `must hold at most ${MAX_LATTICE_CALLERS} callers (one auth policy statement each)`,
      );
    }
    checkUnique(
      ctx,
      input.callers,
      c =>
        `${qualifiedCluster(c.cluster, input.namespace)} ${c.namespace}${
          c.serviceAccount ? ` ${c.serviceAccount}` : ''
        }`,
      i => ['callers', i],
      'caller',
    );
    let crossAccount = false;
    input.callers.forEach((c, i) => {
      const facts = checkCluster(
        ctx,
        ['callers', i, 'cluster'],
        context,
        qualifiedCluster(c.cluster, input.namespace),
        input.serviceNetwork,
      );
      if (!facts || !provider || facts.accountId === provider.accountId) return;
      if (!context.crossAccountSharing) {
        issue(
          ctx,
          ['callers', i, 'cluster'],
          `Cluster ${facts.namespace}/${facts.name} is in AWS account ${facts.accountId}, the service in ${provider.accountId}: a caller in another account needs the service network shared with its account through AWS RAM, and the platform has not enabled cross-account sharing (capa.lattice.crossAccountSharing)`,
        );
        return;
      }
      crossAccount = true;
    });
    if (crossAccount && !input.serviceNetworkArn) {
      issue(
        ctx,
        ['serviceNetworkArn'],
        'is required when a caller is in another AWS account: the RAM share names the service network by its ARN',
      );
    }
    const snAccount = input.serviceNetworkArn
      ? SERVICE_NETWORK_ARN.exec(input.serviceNetworkArn)?.[2]
      : undefined;
    if (provider && snAccount && snAccount !== provider.accountId) {
      issue(
        ctx,
        ['serviceNetworkArn'],
        `is in account ${snAccount}; only the owner of the service network, the service's account ${provider.accountId}, can share it`,
      );
    }
  });
}

/** The contextual rules of a join input. */
export function joinContextSchema(context: LatticeContext) {
  return latticeJoinInputSchema.superRefine((input, ctx) => {
    const facts = checkCluster(
      ctx,
      ['cluster'],
      context,
      qualifiedCluster(input.cluster, input.namespace),
    );
    if (
      facts?.serviceNetwork &&
      facts.serviceNetwork !== input.serviceNetwork
    ) {
      issue(
        ctx,
        ['serviceNetwork'],
        `Cluster ${input.namespace}/${input.cluster} has already joined service network "${facts.serviceNetwork}"; a VPC is associated with one service network`,
      );
    }
  });
}

/** The partition and account of a service ARN, for narrowing the caller roles. */
export function serviceArnParts(
  arn: string,
): { partition: string; accountId: string } | undefined {
  const m = SERVICE_ARN.exec(arn);
  return m ? { partition: m[1], accountId: m[2] } : undefined;
}

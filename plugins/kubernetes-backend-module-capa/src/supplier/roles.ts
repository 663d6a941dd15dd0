import type { Config } from '@backstage/config';

/** The role the Kubernetes plugin's AWS auth provider assumes for a cluster, with its external id. */
export interface ReadRole {
  roleArn: string;
  externalId?: string;
}

/** Where the read role of each tenant's clusters comes from (`capa.kubernetes`). */
export interface TenantRoles {
  /** `roleName` in the cluster's account, for tenants not listed; undefined: no convention. */
  convention?: { roleName: string; externalId?: string };
  /** Roles by tenant name. */
  tenants: Map<string, ReadRole>;
}

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** An IAM role path and name: path segments, then the name (up to 64 characters). */
const ROLE_NAME = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
/** What STS accepts as an ExternalId. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function invalid(key: string, rule: string): Error {
  return new Error(`Invalid configuration ${key}: ${rule}`);
}

function externalIdAt(config: Config, key: string): string | undefined {
  const value = config.getOptionalString(key);
  if (value !== undefined && !EXTERNAL_ID.test(value))
    throw invalid(
      `capa.kubernetes.${key}`,
      'an external id is 2 to 1224 characters of letters, digits and +=,.@:/-_',
    );
  return value;
}

/**
 * Reads `capa.kubernetes`; throws at start-up, naming the key and the rule, for a value STS would
 * refuse, so that a typo is not found out by the first user opening the Kubernetes tab.
 */
export function readTenantRoles(root: Config): TenantRoles {
  const config = root.getOptionalConfig('capa.kubernetes');
  const tenants = new Map<string, ReadRole>();
  if (!config) return { tenants };
  const roleName = config.getOptionalString('roleName');
  if (roleName !== undefined && !ROLE_NAME.test(roleName))
    throw invalid(
      'capa.kubernetes.roleName',
      'a role name with an optional path ("path/name"), without "arn:" or a leading "/"',
    );
  const externalId = externalIdAt(config, 'externalId');
  if (externalId !== undefined && roleName === undefined)
    throw invalid(
      'capa.kubernetes.externalId',
      'only applies to the roleName convention; set roleName, or set the external id per tenant',
    );
  const byTenant = config.getOptionalConfig('tenants');
  for (const tenant of byTenant?.keys() ?? []) {
    const roleArn = byTenant!.getString(`${tenant}.roleArn`);
    if (!ROLE_ARN.test(roleArn))
      throw invalid(
        `capa.kubernetes.tenants.${tenant}.roleArn`,
        'an IAM role ARN, arn:<partition>:iam::<12-digit account>:role/<name>',
      );
    tenants.set(tenant, {
      roleArn,
      externalId: externalIdAt(config, `tenants.${tenant}.externalId`),
    });
  }
  return {
    convention: roleName ? { roleName, externalId } : undefined,
    tenants,
  };
}

/**
 * The read role of a cluster: its tenant's, else the convention's in the cluster's account. The
 * reason is for a warning when there is none; `tenantWide` when it holds for every cluster of the
 * tenant.
 */
export function readRoleOf(
  roles: TenantRoles,
  cluster: { tenant?: string; accountId?: string; partition?: string },
): { role: ReadRole } | { reason: string; tenantWide?: boolean } {
  if (!cluster.tenant)
    return {
      reason:
        'its namespace has no capa.backstage.io/tenant label, so it belongs to no tenant',
    };
  const listed = roles.tenants.get(cluster.tenant);
  if (listed) return { role: listed };
  if (!roles.convention)
    return {
      tenantWide: true,
      reason: `tenant "${cluster.tenant}" has no read role: set capa.kubernetes.tenants.${cluster.tenant}.roleArn, or capa.kubernetes.roleName for every tenant`,
    };
  if (!cluster.accountId)
    return {
      reason:
        'its AWS account is not known (its control plane does not use an AWSClusterRoleIdentity with a valid roleARN), so capa.kubernetes.roleName names no role; set capa.kubernetes.tenants.<tenant>.roleArn',
    };
  return {
    role: {
      roleArn: `arn:${cluster.partition ?? 'aws'}:iam::${
        cluster.accountId
      }:role/${roles.convention.roleName}`,
      externalId: roles.convention.externalId,
    },
  };
}

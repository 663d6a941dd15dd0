import { API_VERSIONS, CAPA_DEFAULTS } from '../constants';
import type {
  AWSIAMConfiguration,
  IamPolicyDocument,
  IamStatement,
  RenderResult,
} from '../objects';
import { partitionDnsSuffix } from '../validation/aws';
import { parseInput } from '../validation/parse';
import { iamTrustInputSchema } from '../validation/iamTrustSchema';
import { pruneUndefined, roleArn } from './util';

/** The manager account's part of the trust set-up. @public */
export interface ManagerIamTrust {
  accountId: string;
  controllersRoleArn: string;
  /** clusterawsadm configuration for the manager account. */
  config: AWSIAMConfiguration;
  /** The inline policy that lets the controllers role assume exactly the tenant roles. */
  permissionPolicy: IamPolicyDocument;
  /** With IRSA: the trust policy that lets the CAPA service accounts assume the controllers role. */
  trustPolicy?: IamPolicyDocument;
}

/** One tenant account's part of the trust set-up. @public */
export interface TenantIamTrust {
  name: string;
  accountId: string;
  roleArn: string;
  /** clusterawsadm configuration for the tenant account. */
  config: AWSIAMConfiguration;
  /** The trust policy of the tenant role: the manager's controllers role may assume it. */
  trustPolicy: IamPolicyDocument;
}

/** @public */
export interface IamTrustRenderResult
  extends RenderResult<AWSIAMConfiguration> {
  manager: ManagerIamTrust;
  tenants: TenantIamTrust[];
}

const policy = (...statements: IamStatement[]): IamPolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});

/**
 * clusterawsadm names the controllers role `controllers` + nameSuffix. Returns the suffix to set
 * (undefined for the default), or null when the role name cannot be produced that way.
 */
function nameSuffixFor(roleName: string): string | undefined | null {
  if (roleName === CAPA_DEFAULTS.controllersRoleName) return undefined;
  if (
    roleName.startsWith(CAPA_DEFAULTS.controllersRolePrefix) &&
    roleName.length > CAPA_DEFAULTS.controllersRolePrefix.length
  ) {
    return roleName.slice(CAPA_DEFAULTS.controllersRolePrefix.length);
  }
  return null;
}

/**
 * Renders the IAM trust between the manager account (where the CAPA controller runs) and each
 * tenant account: clusterawsadm AWSIAMConfigurations for both sides, and the same policies as
 * plain IAM JSON for teams that manage IAM with Terraform or CloudFormation. `objects` holds the
 * manager's configuration first, then one per tenant. Throws CapaValidationError first.
 *
 * @public
 */
export function renderIamTrust(input: unknown): IamTrustRenderResult {
  const t = parseInput(iamTrustInputSchema, input, 'IAM trust input');
  const warnings: string[] = [];
  const suffix = (roleName: string, account: string) => {
    const s = nameSuffixFor(roleName);
    if (s === null) {
      warnings.push(
        `clusterawsadm names the controllers role "controllers<nameSuffix>", so it cannot create role "${roleName}" in account ${account}; create that role from the plain IAM policies instead.`,
      );
      return undefined;
    }
    return s;
  };

  const managerRoleArn = roleArn(
    t.partition,
    t.manager.accountId,
    t.manager.roleName,
  );
  const tenants = t.tenants.map(tenant => ({
    ...tenant,
    roleArn: roleArn(t.partition, tenant.accountId, tenant.roleName),
  }));
  const assumeTenants: IamStatement = {
    Effect: 'Allow',
    Action: ['sts:AssumeRole'],
    Resource: [...new Set(tenants.map(x => x.roleArn))].sort(),
  };

  let irsa: IamStatement | undefined;
  if (t.manager.eksOidc) {
    const o = t.manager.eksOidc;
    const issuer = `oidc.eks.${o.region}.${partitionDnsSuffix(
      t.partition,
    )}/id/${o.providerId}`;
    irsa = {
      Effect: 'Allow',
      Principal: {
        Federated: [
          `arn:${t.partition}:iam::${t.manager.accountId}:oidc-provider/${issuer}`,
        ],
      },
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Condition: {
        StringEquals: {
          [`${issuer}:aud`]: ['sts.amazonaws.com'],
          [`${issuer}:sub`]: o.serviceAccounts.map(
            sa => `system:serviceaccount:${o.controllerNamespace}:${sa}`,
          ),
        },
      },
    };
  }

  const partition = t.partition === 'aws' ? undefined : t.partition;
  const managerConfig: AWSIAMConfiguration = pruneUndefined({
    apiVersion: API_VERSIONS.iamConfiguration,
    kind: 'AWSIAMConfiguration',
    spec: {
      partition,
      nameSuffix: suffix(t.manager.roleName, t.manager.accountId),
      clusterAPIControllers: {
        disable: false as const,
        extraStatements: [assumeTenants],
        trustStatements: irsa ? [irsa] : undefined,
      },
    },
  });

  const tenantTrust: TenantIamTrust[] = tenants.map(tenant => {
    const trust: IamStatement = pruneUndefined({
      Effect: 'Allow' as const,
      Principal: { AWS: [managerRoleArn] },
      Action: ['sts:AssumeRole'],
      Condition: tenant.externalId
        ? { StringEquals: { 'sts:ExternalId': [tenant.externalId] } }
        : undefined,
    });
    const config: AWSIAMConfiguration = pruneUndefined({
      apiVersion: API_VERSIONS.iamConfiguration,
      kind: 'AWSIAMConfiguration',
      spec: {
        partition,
        nameSuffix: suffix(tenant.roleName, tenant.accountId),
        clusterAPIControllers: {
          disable: false as const,
          trustStatements: [trust],
        },
        // Tenant clusters are EKS with managed node groups, which clusterawsadm leaves off by default.
        eks: {
          disable: false,
          managedMachinePool: { disable: false },
          fargate: { disable: !tenant.fargate },
        },
      },
    });
    return {
      name: tenant.name,
      accountId: tenant.accountId,
      roleArn: tenant.roleArn,
      config,
      trustPolicy: policy({ Sid: 'CapaManagerAssumeRole', ...trust }),
    };
  });

  const manager: ManagerIamTrust = pruneUndefined({
    accountId: t.manager.accountId,
    controllersRoleArn: managerRoleArn,
    config: managerConfig,
    permissionPolicy: policy({
      Sid: 'CapaAssumeTenantRoles',
      ...assumeTenants,
    }),
    trustPolicy: irsa
      ? policy({ Sid: 'CapaControllersIrsa', ...irsa })
      : undefined,
  });

  return {
    objects: [managerConfig, ...tenantTrust.map(x => x.config)],
    warnings,
    manager,
    tenants: tenantTrust,
  };
}

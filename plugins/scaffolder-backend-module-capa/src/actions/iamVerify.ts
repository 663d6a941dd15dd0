import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSClientConfig,
} from '@aws-sdk/client-sts';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ACCOUNT_ID,
  ACCOUNT_ID_RULE,
  CAPA_DEFAULTS,
  EXTERNAL_ID,
  EXTERNAL_ID_RULE,
  ROLE_ARN,
  ROLE_ARN_RULE,
  capaPlatformManagePermission,
} from '@capa-backstage/plugin-capa-common';
import type { TaskAuthorizer } from '../authorization/TaskAuthorizer';
import type { z as zod } from 'zod/v3';
import { examples } from './iamVerify.examples';

/** Credentials the STS client accepts: static ones or a provider. @public */
export type ManagerCredentials = NonNullable<STSClientConfig['credentials']>;

/** Where the manager-side credentials and STS clients come from. @public */
export interface IamVerifyOptions {
  /**
   * Authorizes the check for the task's initiator: it acts with the manager's AWS credentials, so
   * it needs the platform permission.
   */
  authorizer: TaskAuthorizer;
  /**
   * The manager's credentials for a management cluster, or undefined to use the AWS SDK's default
   * provider chain (environment, shared config, web identity, container or instance role).
   */
  managerCredentials?: (
    managementCluster: string | undefined,
  ) => Promise<ManagerCredentials | undefined>;
  /** Extra STS client settings (tests point `endpoint` at a local server). */
  stsClientConfig?: STSClientConfig;
}

const DEFAULT_STS_REGION: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** An error that says which link of the trust chain broke. */
class TrustVerificationError extends InputError {}

function errorName(e: unknown): string {
  return (e as { name?: string })?.name ?? 'Error';
}

function errorMessage(e: unknown): string {
  return (e as { message?: string })?.message ?? String(e);
}

/**
 * `capa:iam:verify`: proves that the CAPA controller's manager credentials can assume the tenant
 * role: GetCallerIdentity as the manager, AssumeRole into the tenant role (with the external id),
 * GetCallerIdentity as the tenant role, and an account check. Credentials are never logged or
 * output; only ARNs and account ids are.
 *
 * @public
 */
export function createIamVerifyAction(options: IamVerifyOptions) {
  return createTemplateAction({
    id: 'capa:iam:verify',
    description:
      'Verifies the IAM trust between the manager account and a tenant account: the manager credentials work, may assume the tenant role (with the external id), and the role is in the expected account. Failures name the broken link.',
    examples,
    supportsDryRun: true,
    schema: {
      input: verifyInput,
      output: z =>
        z.object({
          managerArn: z
            .string()
            .describe('The identity the manager credentials belong to'),
          assumedRoleArn: z
            .string()
            .describe('The assumed-role session ARN in the tenant account'),
          accountId: z.string().describe('The verified tenant account id'),
        }),
    },
    async handler(ctx) {
      const { input } = ctx;
      const { roleArn, externalId } = verifyTarget(input);

      await options.authorizer.authorize(
        ctx,
        {
          action: 'capa:iam:verify',
          managementCluster: input.managementCluster,
        },
        [
          {
            request: {
              permission: capaPlatformManagePermission,
              target: { type: 'platform' },
            },
            objects: [],
            because: `it assumes ${roleArn} with the manager's AWS credentials`,
          },
        ],
      );
      const region = input.region ?? DEFAULT_STS_REGION[roleArn.split(':')[1]];
      const credentials = await options.managerCredentials?.(
        input.managementCluster,
      );
      const { managerArn, tenantIdentity } = await verifyTrust(ctx.logger, {
        stsClientConfig: { ...options.stsClientConfig, region },
        credentials,
        roleArn,
        externalId,
        accountId: input.accountId,
        managementCluster: input.managementCluster,
      });
      ctx.logger.info(
        `Verified: ${managerArn} can assume ${roleArn} in account ${input.accountId}`,
      );
      ctx.output('managerArn', managerArn);
      ctx.output('assumedRoleArn', tenantIdentity.Arn!);
      ctx.output('accountId', tenantIdentity.Account!);
    },
  });
}

function verifyInput(z: typeof zod) {
  return z.object({
    accountId: z.string().describe('The tenant AWS account id (12 digits)'),
    roleName: z
      .string()
      .optional()
      .describe(
        `Role in the tenant account (default ${CAPA_DEFAULTS.controllersRoleName})`,
      ),
    roleArn: z
      .string()
      .optional()
      .describe('Full role ARN; overrides roleName and partition'),
    partition: z
      .enum(['aws', 'aws-cn', 'aws-us-gov'])
      .optional()
      .describe('AWS partition (default aws)'),
    externalId: z
      .string()
      .optional()
      .describe('The sts:ExternalId the tenant role requires'),
    region: z
      .string()
      .optional()
      .describe("STS region to call (default: the partition's main region)"),
    managementCluster: z
      .string()
      .optional()
      .describe(
        "Management cluster whose configured AWS credentials act as the manager (default: the backend's default credentials)",
      ),
  });
}

/** The tenant role to assume, checked before anything is sent. */
function verifyTarget(input: {
  accountId: string;
  roleName?: string;
  roleArn?: string;
  partition?: string;
  externalId?: string;
}): { roleArn: string; externalId?: string } {
  // A template form gives "" for an empty optional field: treat it as absent.
  const externalId = input.externalId || undefined;
  const partition = input.partition ?? 'aws';
  const roleArn =
    input.roleArn ??
    `arn:${partition}:iam::${input.accountId}:role/${
      input.roleName ?? CAPA_DEFAULTS.controllersRoleName
    }`;
  const problems = [
    !ACCOUNT_ID.test(input.accountId) && `accountId: ${ACCOUNT_ID_RULE}`,
    !ROLE_ARN.test(roleArn) &&
      `${input.roleArn ? 'roleArn' : 'roleName'}: ${ROLE_ARN_RULE}`,
    externalId !== undefined &&
      !EXTERNAL_ID.test(externalId) &&
      `externalId: ${EXTERNAL_ID_RULE}`,
  ].filter(Boolean);
  if (problems.length)
    throw new InputError(
      `Invalid capa:iam:verify input:\n- ${problems.join('\n- ')}`,
    );
  const roleAccount = roleArn.split(':')[4];
  if (roleAccount !== input.accountId) {
    throw new InputError(
      `Invalid capa:iam:verify input:\n- roleArn: is in account ${roleAccount}, not accountId ${input.accountId}`,
    );
  }
  return { roleArn, externalId };
}

/**
 * The three links of the trust chain, in order: the manager credentials, the AssumeRole into the
 * tenant role, and the assumed role's account. Throws a TrustVerificationError naming the broken
 * link.
 */
async function verifyTrust(
  logger: LoggerService,
  args: {
    stsClientConfig: STSClientConfig & { region: string };
    credentials?: ManagerCredentials;
    roleArn: string;
    externalId?: string;
    accountId: string;
    managementCluster?: string;
  },
) {
  const { region } = args.stsClientConfig;
  const { roleArn, externalId } = args;
  const manager = new STSClient({
    ...args.stsClientConfig,
    ...(args.credentials ? { credentials: args.credentials } : {}),
  });

  logger.info(
    `Step 1/3: checking the manager credentials (STS GetCallerIdentity in ${region})`,
  );
  let managerArn: string;
  try {
    managerArn = (await manager.send(new GetCallerIdentityCommand({}))).Arn!;
  } catch (e) {
    throw managerCredentialError(e, args.managementCluster);
  }
  logger.info(`Manager identity: ${managerArn}`);

  logger.info(
    `Step 2/3: assuming ${roleArn}${externalId ? ' with the external id' : ''}`,
  );
  let assumed;
  try {
    assumed = await manager.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'backstage-capa-verify',
        ExternalId: externalId,
        DurationSeconds: 900,
      }),
    );
  } catch (e) {
    throw assumeRoleError(e, managerArn, roleArn, externalId !== undefined);
  }
  const c = assumed.Credentials!;
  const tenant = new STSClient({
    ...args.stsClientConfig,
    credentials: {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken,
    },
  });

  logger.info(
    "Step 3/3: checking the assumed role's account (STS GetCallerIdentity)",
  );
  let tenantIdentity;
  try {
    tenantIdentity = await tenant.send(new GetCallerIdentityCommand({}));
  } catch (e) {
    throw new TrustVerificationError(
      `The assumed role's credentials were refused by STS (${errorName(
        e,
      )}: ${errorMessage(e)})`,
    );
  }
  if (tenantIdentity.Account !== args.accountId) {
    throw new TrustVerificationError(
      `The assumed role belongs to account ${tenantIdentity.Account}, not the tenant account ${args.accountId}: check the role ARN`,
    );
  }
  return { managerArn, tenantIdentity };
}

function managerCredentialError(
  e: unknown,
  managementCluster: string | undefined,
): Error {
  const source = managementCluster
    ? `the AWS credentials configured for management cluster "${managementCluster}"`
    : "the backend's default AWS credentials";
  switch (errorName(e)) {
    case 'CredentialsProviderError':
      return new TrustVerificationError(
        `No AWS credentials for the manager: ${source} were not found (environment, shared config, web identity, container or instance role). Configure them before verifying.`,
      );
    case 'InvalidClientTokenId':
      return new TrustVerificationError(
        `The manager's AWS access key is not valid (${source}; InvalidClientTokenId).`,
      );
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      return new TrustVerificationError(
        `The manager's AWS session credentials have expired (${source}).`,
      );
    default:
      return new TrustVerificationError(
        `STS GetCallerIdentity with ${source} failed: ${errorName(
          e,
        )}: ${errorMessage(e)}`,
      );
  }
}

function assumeRoleError(
  e: unknown,
  managerArn: string,
  roleArn: string,
  withExternalId: boolean,
): Error {
  switch (errorName(e)) {
    case 'AccessDenied':
      // STS gives the same AccessDenied for four different broken links; name them all.
      return new TrustVerificationError(
        [
          `${managerArn} may not assume ${roleArn} (AccessDenied). AWS does not say which link is broken; check:`,
          `1. the manager's IAM policy allows sts:AssumeRole on ${roleArn} (the manager permission policy from capa:iam:render);`,
          `2. the trust policy of ${roleArn} names the manager's controllers role (compare with ${managerArn});`,
          withExternalId
            ? '3. the external id given here equals the sts:ExternalId in that trust policy;'
            : '3. the trust policy requires no sts:ExternalId (none was given here);',
          `4. the role exists in account ${roleArn.split(':')[4]}.`,
        ].join('\n'),
      );
    case 'ValidationError':
      return new TrustVerificationError(
        `STS rejected the role ARN ${roleArn}: ${errorMessage(e)}`,
      );
    case 'RegionDisabledException':
      return new TrustVerificationError(
        `STS is not activated in this region for the tenant account: ${errorMessage(
          e,
        )}`,
      );
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      return new TrustVerificationError(
        "The manager's AWS session credentials expired during verification.",
      );
    default:
      return new TrustVerificationError(
        `STS AssumeRole into ${roleArn} failed: ${errorName(e)}: ${errorMessage(
          e,
        )}`,
      );
  }
}

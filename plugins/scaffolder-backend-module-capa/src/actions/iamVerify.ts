import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSClientConfig,
} from '@aws-sdk/client-sts';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  abortable,
  CancelledError,
  DEFAULT_REQUEST_TIMEOUTS,
  type RequestTimeouts,
  stsRequestHandler,
} from '@capa-backstage/plugin-capa-node';
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
import {
  assumeRoleError,
  errorMessage,
  errorName,
  managerCredentialError,
  TrustVerificationError,
} from './iamVerify.errors';

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
  /**
   * The timeouts of the STS calls made for a management cluster (its configured ones), or
   * undefined for the defaults (10 s to connect, 30 s per call).
   */
  timeouts?: (
    managementCluster: string | undefined,
  ) => RequestTimeouts | undefined;
  /** Extra STS client settings (tests point `endpoint` at a local server). */
  stsClientConfig?: STSClientConfig;
}

const DEFAULT_STS_REGION: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

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
      const timeouts =
        options.timeouts?.(input.managementCluster) ?? DEFAULT_REQUEST_TIMEOUTS;
      const { managerArn, tenantIdentity } = await verifyTrust(ctx.logger, {
        stsClientConfig: {
          requestHandler: stsRequestHandler(timeouts),
          ...options.stsClientConfig,
          region,
        },
        limits: { ...timeouts, signal: ctx.signal },
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

/** What bounds each STS call: the request timeout as a whole (retries included), and the task. */
type CallLimits = RequestTimeouts & { signal?: AbortSignal };

/**
 * One STS call, given its own abort signal: the task's, or the request timeout's, whichever comes
 * first (each attempt also has the SDK handler's connect and request timeouts). A cancelled task
 * gets a CancelledError and no further call; a timeout names the call, not a broken trust link.
 */
async function stsCall<T>(
  what: string,
  limits: CallLimits,
  send: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (limits.signal?.aborted) throw cancelled(what);
  const timeout = AbortSignal.timeout(limits.requestMs);
  const signal = limits.signal
    ? AbortSignal.any([limits.signal, timeout])
    : timeout;
  try {
    // Racing the call as well: the SDK resolves credentials before it looks at the signal.
    return await abortable(send(signal), signal);
  } catch (e) {
    if (limits.signal?.aborted) throw cancelled(what);
    if (timeout.aborted || errorName(e) === 'TimeoutError') {
      throw new ServiceUnavailableError(
        `STS did not answer ${what} within ${
          limits.requestMs / 1000
        } s; check the network path to STS and the manager's credential source, then try again`,
      );
    }
    throw e;
  }
}

function cancelled(what: string): CancelledError {
  return new CancelledError(
    `capa:iam:verify was cancelled during ${what}; no further STS call is made`,
  );
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
    limits: CallLimits;
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
  const { limits } = args;
  let managerArn: string;
  try {
    managerArn = (
      await stsCall('GetCallerIdentity (the manager)', limits, abortSignal =>
        manager.send(new GetCallerIdentityCommand({}), { abortSignal }),
      )
    ).Arn!;
  } catch (e) {
    throw passThrough(e) ?? managerCredentialError(e, args.managementCluster);
  }
  logger.info(`Manager identity: ${managerArn}`);

  logger.info(
    `Step 2/3: assuming ${roleArn}${externalId ? ' with the external id' : ''}`,
  );
  let assumed;
  try {
    assumed = await stsCall('AssumeRole', limits, abortSignal =>
      manager.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'backstage-capa-verify',
          ExternalId: externalId,
          DurationSeconds: 900,
        }),
        { abortSignal },
      ),
    );
  } catch (e) {
    throw (
      passThrough(e) ??
      assumeRoleError(e, managerArn, roleArn, externalId !== undefined)
    );
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
    tenantIdentity = await stsCall(
      'GetCallerIdentity (the assumed role)',
      limits,
      abortSignal =>
        tenant.send(new GetCallerIdentityCommand({}), { abortSignal }),
    );
  } catch (e) {
    const own = passThrough(e);
    if (own) throw own;
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

/** A cancellation or a timeout, which say themselves what happened: not a broken trust link. */
function passThrough(e: unknown): Error | undefined {
  return e instanceof CancelledError || e instanceof ServiceUnavailableError
    ? e
    : undefined;
}

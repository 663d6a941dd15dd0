import { InputError } from '@backstage/errors';

/** An error that says which link of the trust chain broke. */
export class TrustVerificationError extends InputError {}

export function errorName(e: unknown): string {
  return (e as { name?: string })?.name ?? 'Error';
}

export function errorMessage(e: unknown): string {
  return (e as { message?: string })?.message ?? String(e);
}

export function managerCredentialError(
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

export function assumeRoleError(
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

import { Sha256 } from '@aws-crypto/sha256-js';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RequestTimeouts } from '../config/timeouts';

/**
 * AWS credentials, structurally the AWS SDK's AwsCredentialIdentity.
 *
 * @public
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/**
 * A source of AWS credentials, structurally the AWS SDK's AwsCredentialIdentityProvider.
 *
 * @public
 */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** The prefix aws-iam-authenticator and EKS expect. */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** The authenticator accepts X-Amz-Expires of 0..900 only; 60 is what aws-iam-authenticator uses. */
const PRESIGN_EXPIRES_SECONDS = 60;
/** EKS rejects a token 15 minutes after its X-Amz-Date; a fresh one is made well before. */
const TOKEN_MAX_AGE_MS = 10 * 60 * 1000;
/** Temporary credentials are renewed this long before they expire. */
const CREDENTIALS_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** The regional STS host; the token is rejected when it does not match the signing region. */
export function stsHostname(region: string): string {
  return region.startsWith('cn-')
    ? `sts.${region}.amazonaws.com.cn`
    : `sts.${region}.amazonaws.com`;
}

/** RFC 3986 encoding, as SigV4 canonicalises query strings. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Makes an EKS authentication token: `k8s-aws-v1.` followed by the unpadded base64url encoding of
 * a presigned STS GetCallerIdentity URL (regional endpoint, X-Amz-Expires 60) whose signed headers
 * include `x-k8s-aws-id: <cluster name>`, which binds the token to one cluster.
 *
 * @public
 */
export async function createEksToken(options: {
  clusterName: string;
  region: string;
  credentials: AwsCredentials;
  signingDate?: Date;
}): Promise<string> {
  const hostname = stsHostname(options.region);
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: 'sts',
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': options.clusterName },
    },
    { expiresIn: PRESIGN_EXPIRES_SECONDS, signingDate: options.signingDate },
  );
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) =>
      Array.isArray(v) ? v.map(x => [k, x]) : [[k, v ?? '']],
    )
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(String(v))}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  // Node's base64url is unpadded, which is what the authenticator expects.
  return `${EKS_TOKEN_PREFIX}${Buffer.from(url, 'utf8').toString('base64url')}`;
}

/** Rejects with a TimeoutError when `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number | undefined): Promise<T> {
  if (!ms) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`no AWS credentials within ${ms / 1000} s`), {
            name: 'TimeoutError',
          }),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Caches credentials until shortly before they expire (credentials without an expiry are kept),
 * and shares one refresh between concurrent callers, so an assumed role is not re-assumed for every
 * request. With `timeoutMs`, a refresh that has not finished by then fails (TimeoutError) and the
 * next caller starts a new one: a hanging STS cannot hold every later caller.
 *
 * @public
 */
export function cachedCredentials(
  provider: AwsCredentialsProvider,
  options: {
    refreshMarginMs?: number;
    now?: () => number;
    timeoutMs?: number;
  } = {},
): AwsCredentialsProvider {
  const margin = options.refreshMarginMs ?? CREDENTIALS_REFRESH_MARGIN_MS;
  const now = options.now ?? Date.now;
  let current: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;
  const fresh = (c: AwsCredentials) =>
    !c.expiration || c.expiration.getTime() - margin > now();
  return async () => {
    if (current && fresh(current)) return current;
    if (!pending) {
      pending = within(provider(), options.timeoutMs)
        .then(c => {
          current = c;
          return c;
        })
        .finally(() => {
          pending = undefined;
        });
    }
    return pending;
  };
}

/**
 * The AWS SDK's HTTP handler options for `timeouts`: each attempt of an STS call gets the connect
 * timeout and the request timeout (thrown, not only logged).
 *
 * @public
 */
export function stsRequestHandler(timeouts: RequestTimeouts) {
  return {
    connectionTimeout: timeouts.connectMs,
    requestTimeout: timeouts.requestMs,
    throwOnRequestTimeout: true,
  };
}

/**
 * Credentials of an assumed role (STS AssumeRole with an optional ExternalId) on top of base
 * credentials, cached until shortly before they expire. With `timeouts`, each STS attempt has its
 * connect and request timeouts, and getting the credentials as a whole fails after the request
 * timeout.
 *
 * @public
 */
export function assumeRoleCredentials(options: {
  base: AwsCredentialsProvider;
  roleArn: string;
  externalId?: string;
  region?: string;
  sessionName?: string;
  timeouts?: RequestTimeouts;
  /** Extra STS client configuration (tests point `endpoint` at a local server). */
  stsClientConfig?: Record<string, unknown>;
}): AwsCredentialsProvider {
  const { timeouts } = options;
  return cachedCredentials(
    fromTemporaryCredentials({
      masterCredentials: options.base,
      params: {
        RoleArn: options.roleArn,
        ExternalId: options.externalId,
        RoleSessionName: options.sessionName ?? 'backstage-capa',
      },
      clientConfig: {
        region: options.region,
        ...(timeouts ? { requestHandler: stsRequestHandler(timeouts) } : {}),
        ...options.stsClientConfig,
      },
    }),
    { timeoutMs: timeouts?.requestMs },
  );
}

/**
 * Hands out EKS tokens for one cluster, made again after 10 minutes (EKS accepts them for 15) or
 * when the credentials they were signed with are about to expire.
 *
 * @public
 */
export class EksTokenProvider {
  private current?: { token: string; expiresAt: number };
  private pending?: Promise<string>;
  private readonly now: () => number;

  constructor(
    private readonly options: {
      clusterName: string;
      region: string;
      credentials: AwsCredentialsProvider;
      now?: () => number;
    },
  ) {
    this.now = options.now ?? Date.now;
  }

  /** A valid token, reusing the cached one while it is fresh. */
  async getToken(): Promise<string> {
    if (this.current && this.current.expiresAt > this.now())
      return this.current.token;
    if (!this.pending) {
      this.pending = this.refresh().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async refresh(): Promise<string> {
    const credentials = await this.options.credentials();
    const signedAt = this.now();
    const token = await createEksToken({
      clusterName: this.options.clusterName,
      region: this.options.region,
      credentials,
      signingDate: new Date(signedAt),
    });
    let expiresAt = signedAt + TOKEN_MAX_AGE_MS;
    if (credentials.expiration) {
      expiresAt = Math.min(
        expiresAt,
        credentials.expiration.getTime() - 60_000,
      );
    }
    this.current = { token, expiresAt };
    return token;
  }
}

import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CONNECT_TIMEOUT_CODE } from './signals';
import {
  CancelledError,
  CredentialsTimeoutError,
  ResourceExpiredError,
} from './errorTypes';

export { CancelledError, CredentialsTimeoutError, ResourceExpiredError };

/** What was being done when an error happened, to name it in the message. */
export interface OperationContext {
  cluster: string;
  /** A verb for the message: "apply", "get", "list", "delete", "watch", "discover". */
  action: string;
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const PASSED_THROUGH = new Set([
  'InputError',
  'NotFoundError',
  'AuthenticationError',
  'NotAllowedError',
  'ConflictError',
  'ServiceUnavailableError',
  'ResourceExpiredError',
  'CancelledError',
]);

/** `Cluster acme/prod`, `AWSClusterRoleIdentity acme`, `Clusters in namespace acme`. */
export function describeTarget(ctx: OperationContext): string {
  if (!ctx.kind) return '';
  if (!ctx.name)
    return `${ctx.kind} objects${
      ctx.namespace ? ` in namespace ${ctx.namespace}` : ''
    }`;
  return `${ctx.kind} ${ctx.namespace ? `${ctx.namespace}/` : ''}${ctx.name}`;
}

function prefix(ctx: OperationContext): string {
  const target = describeTarget(ctx);
  return `management cluster "${ctx.cluster}": cannot ${ctx.action}${
    target ? ` ${target}` : ''
  }`;
}

/** The error of an operation the caller's signal ended. */
export function cancelledError(ctx: OperationContext): CancelledError {
  return new CancelledError(
    `${prefix(ctx)}: cancelled; nothing more is sent to the management cluster`,
  );
}

/** Which project an API group belongs to, for "X is not installed". */
function projectOf(apiVersion: string | undefined): string | undefined {
  const group = apiVersion?.includes('/') ? apiVersion.split('/')[0] : '';
  if (group === 'cluster.x-k8s.io') return 'CAPI (Cluster API)';
  if (group.endsWith('.cluster.x-k8s.io'))
    return 'CAPA (Cluster API Provider AWS)';
  return undefined;
}

/**
 * The error for an apiVersion/kind the management cluster does not serve: for the Cluster API and
 * CAPA groups it says which of them is not installed.
 *
 * @public
 */
export function notInstalledError(
  cluster: string,
  apiVersion: string,
  kind: string,
): NotFoundError {
  const project = projectOf(apiVersion);
  return new NotFoundError(
    project
      ? `${
          project.split(' ')[0]
        } is not installed on management cluster "${cluster}": it does not serve ${apiVersion} ${kind} (install ${project} there, or check the cluster's name)`
      : `management cluster "${cluster}" does not serve ${apiVersion} ${kind}`,
  );
}

interface StatusLike {
  kind?: unknown;
  message?: unknown;
  reason?: unknown;
  details?: {
    causes?: Array<{ message?: unknown; field?: unknown; reason?: unknown }>;
    kind?: unknown;
    name?: unknown;
  };
}

function asStatus(body: unknown): StatusLike | undefined {
  if (typeof body === 'string') {
    try {
      return asStatus(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  if (
    body &&
    typeof body === 'object' &&
    (body as StatusLike).kind === 'Status'
  )
    return body as StatusLike;
  return undefined;
}

/** A server message, shortened: Status messages carry names and fields, never credentials. */
function serverMessage(status: StatusLike | undefined): string {
  const m = typeof status?.message === 'string' ? status.message : '';
  return m.length > 500 ? `${m.slice(0, 500)}…` : m;
}

function conflictMessage(
  ctx: OperationContext,
  status: StatusLike | undefined,
): string {
  const causes = (status?.details?.causes ?? []).filter(
    c => c.reason === 'FieldManagerConflict',
  );
  if (causes.length) {
    const byManager = new Map<string, string[]>();
    for (const c of causes) {
      const manager =
        /conflict with "([^"]*)"/.exec(String(c.message))?.[1] ??
        'another field manager';
      byManager.set(manager, [
        ...(byManager.get(manager) ?? []),
        String(c.field ?? ''),
      ]);
    }
    const owners = [...byManager]
      .map(
        ([manager, fields]) =>
          `field manager "${manager}" owns ${fields.join(', ')}`,
      )
      .join('; ');
    return `${prefix(
      ctx,
    )}: conflict: ${owners}. Apply with force to take these fields over, or change them through their owner`;
  }
  if (status?.reason === 'AlreadyExists')
    return `${prefix(ctx)}: it already exists`;
  return `${prefix(ctx)}: conflict (409)${
    serverMessage(status) ? `: ${serverMessage(status)}` : ''
  }`;
}

function invalidMessage(
  ctx: OperationContext,
  status: StatusLike | undefined,
): string {
  const causes = (status?.details?.causes ?? []).map(c =>
    c.field
      ? `${String(c.field)}: ${String(c.message ?? '')}`
      : String(c.message ?? ''),
  );
  const detail = causes.length
    ? causes.map(c => `\n- ${c}`).join('')
    : `: ${serverMessage(status)}`;
  return `${prefix(ctx)}: the API server rejected it as invalid (422)${detail}`;
}

/**
 * True for the 404 the API server sends for a missing object, as opposed to one for a kind it does
 * not serve or for a missing namespace.
 */
export function isObjectNotFound(
  e: unknown,
  ref: { kind: string; name: string; namespace?: string },
): boolean {
  if (!isApiException(e) || e.code !== 404) return false;
  const status = asStatus(e.body);
  if (status?.reason !== 'NotFound' || status.details?.name !== ref.name)
    return false;
  // `namespaces "x" not found` about an object of another kind means its namespace is missing.
  return ref.kind === 'Namespace' || status.details?.kind !== 'namespaces';
}

function isApiException(e: unknown): e is { code: number; body: unknown } {
  return Boolean(
    e &&
      typeof e === 'object' &&
      typeof (e as { code?: unknown }).code === 'number' &&
      'body' in e,
  );
}

/**
 * The fields a server message says its schema does not declare: server-side apply's
 * "failed to create typed patch object (...): .spec.x: field not declared in schema" and strict
 * field validation's 'strict decoding error: unknown field "spec.x"'.
 */
function schemaProblems(message: string | undefined): string[] {
  if (!message) return [];
  const fields = [
    ...[
      ...message.matchAll(/\.?([\w.[\]="-]+): field not declared in schema/g),
    ].map(m => `${m[1]}: field not declared in schema`),
    ...[...message.matchAll(/unknown field "([^"]+)"/g)].map(
      m => `${m[1]}: unknown field`,
    ),
  ];
  return [...new Set(fields)];
}

/**
 * Maps an HTTP status (with its Status body, when there is one) to a `@backstage/errors` error with
 * a message naming the management cluster, the kind and the object. The upstream body is never
 * passed through: only its message, conflict owners and validation causes are used.
 */
export function errorFromStatus(
  code: number,
  body: unknown,
  ctx: OperationContext,
): Error {
  const status = asStatus(body);
  const detail = serverMessage(status);
  const schema = code === 422 ? [] : schemaProblems(detail);
  if (schema.length) {
    // A field the served schema lacks is the input's fault, whatever status the server gives it:
    // a real apiserver answers an apply with such a field with a 500 (kubernetes#122480).
    return new InputError(
      `${prefix(
        ctx,
      )}: the API server rejected it, as its CRD does not declare these fields:${schema
        .map(f => `\n- ${f}`)
        .join(
          '',
        )}\nCheck the field, or that the management cluster runs the CRD version this portal renders (v1beta2)`,
    );
  }
  switch (code) {
    case 401:
      return new AuthenticationError(
        `${prefix(
          ctx,
        )}: the API server rejected the credentials (401 Unauthorized); check the token, kubeconfig or AWS identity configured for it`,
      );
    case 403:
      return new NotAllowedError(
        `${prefix(ctx)}: forbidden (403)${detail ? `: ${detail}` : ''}`,
      );
    case 404:
      if (
        status?.reason === 'NotFound' &&
        status.details?.kind === 'namespaces' &&
        ctx.namespace &&
        status.details.name === ctx.namespace &&
        ctx.kind !== 'Namespace'
      ) {
        return new NotFoundError(
          `${prefix(ctx)}: namespace ${ctx.namespace} does not exist`,
        );
      }
      if (
        status?.reason === 'NotFound' &&
        status.details?.kind !== undefined &&
        ctx.name
      ) {
        return new NotFoundError(`${prefix(ctx)}: it does not exist`);
      }
      if (ctx.apiVersion && ctx.kind && !status)
        return notInstalledError(ctx.cluster, ctx.apiVersion, ctx.kind);
      return new NotFoundError(
        `${prefix(ctx)}: not found (404)${detail ? `: ${detail}` : ''}`,
      );
    case 409:
      return new ConflictError(conflictMessage(ctx, status));
    case 410:
      return new ResourceExpiredError(
        `${prefix(
          ctx,
        )}: the resource version is too old (410 Expired); list again`,
      );
    case 400:
      return new InputError(
        `${prefix(ctx)}: bad request (400)${detail ? `: ${detail}` : ''}`,
      );
    case 422:
      return new InputError(invalidMessage(ctx, status));
    default:
      if (code === 429 || code >= 500) {
        return new ServiceUnavailableError(
          `${prefix(ctx)}: the API server failed (${code}${
            status?.reason ? ` ${String(status.reason)}` : ''
          })${detail ? `: ${detail}` : ''}`,
        );
      }
      return new Error(
        `${prefix(ctx)}: unexpected HTTP status ${code}${
          detail ? `: ${detail}` : ''
        }`,
      );
  }
}

/**
 * Turns anything client-node (or node-fetch under it) throws into a `@backstage/errors` error whose
 * message names the management cluster and object and holds no secret: HTTP statuses as in
 * {@link errorFromStatus}; connection refused, DNS failures, resets and timeouts as
 * ServiceUnavailableError "management cluster X is unreachable (<code>)".
 */
export function toBackstageError(e: unknown, ctx: OperationContext): Error {
  if (isApiException(e)) return errorFromStatus(e.code, e.body, ctx);
  const err = e as {
    name?: string;
    code?: unknown;
    statusCode?: unknown;
    errno?: unknown;
    type?: unknown;
    message?: string;
  };
  // The Watch class reports a non-200 answer as an Error with statusCode and no body.
  if (typeof err?.statusCode === 'number')
    return errorFromStatus(err.statusCode, undefined, ctx);
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const target = describeTarget(ctx) ? ` ${describeTarget(ctx)}` : '';
  if (e instanceof CredentialsTimeoutError) {
    return new ServiceUnavailableError(
      `management cluster "${ctx.cluster}": cannot ${
        ctx.action
      }${target}: its credentials (EKS token or kubeconfig credential plugin) did not come within the request timeout (${
        e.timeoutMs / 1000
      } s)`,
    );
  }
  if (code === CONNECT_TIMEOUT_CODE) {
    return new ServiceUnavailableError(
      `management cluster "${ctx.cluster}" is unreachable (connect timeout) while trying to ${ctx.action}${target}`,
    );
  }
  if (
    err?.name === 'AbortError' ||
    err?.name === 'TimeoutError' ||
    code === 'ETIMEDOUT'
  ) {
    return new ServiceUnavailableError(
      `management cluster "${
        ctx.cluster
      }" is unreachable (timeout) while trying to ${ctx.action}${
        describeTarget(ctx) ? ` ${describeTarget(ctx)}` : ''
      }`,
    );
  }
  if (code && NETWORK_CODES.has(code)) {
    return new ServiceUnavailableError(
      `management cluster "${
        ctx.cluster
      }" is unreachable (${code}) while trying to ${ctx.action}${
        describeTarget(ctx) ? ` ${describeTarget(ctx)}` : ''
      }`,
    );
  }
  if (code && TLS_CODES.has(code)) {
    return new ServiceUnavailableError(
      `management cluster "${ctx.cluster}": TLS verification of the API server failed (${code}); check its URL and caData`,
    );
  }
  // Already one of ours (the EKS authenticator throws AuthenticationError): keep it.
  if (err?.name && PASSED_THROUGH.has(err.name)) return e as Error;
  // Anything else (an exec credential plugin failing, for example) is reported by type only:
  // its message could quote a kubeconfig or a command's output.
  return new ServiceUnavailableError(
    `${prefix(ctx)}: the request failed (${err?.name ?? 'Error'}${
      code ? ` ${code}` : ''
    })`,
  );
}

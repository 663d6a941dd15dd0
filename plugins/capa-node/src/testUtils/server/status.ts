/**
 * metav1.Status bodies, shaped like the ones a real API server sends, so that clients under test
 * (client-node, kubectl) take the same code paths they take against a real cluster.
 */

/** The subset of metav1.Status the test server produces. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: Array<{ reason?: string; message: string; field?: string }>;
    retryAfterSeconds?: number;
  };
  code: number;
}

/** The apiserver's reason for each status code it sends with a Failure. */
export const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** An error the request handlers throw; the router turns it into a Status response. */
export class StatusError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
}

/** Builds a Failure Status. */
export function failure(
  code: number,
  message: string,
  options: {
    reason?: string;
    details?: StatusBody['details'];
    /** Errors that are not API errors inside the apiserver come out as a 500 without a reason. */
    noReason?: boolean;
  } = {},
): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(options.noReason
      ? {}
      : { reason: options.reason ?? REASONS[code] ?? 'Unknown' }),
    ...(options.details ? { details: options.details } : {}),
    code,
  };
}

/** Builds and returns (for `throw`) a StatusError. */
export function statusError(
  code: number,
  message: string,
  options?: Parameters<typeof failure>[2],
): StatusError {
  return new StatusError(failure(code, message, options));
}

/** The `<plural>.<group>` resource name the apiserver uses in messages (`clusters.cluster.x-k8s.io`). */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

/** 404 for a missing object, with the details a real apiserver sends. */
export function notFound(
  group: string,
  plural: string,
  name: string,
): StatusError {
  return statusError(
    404,
    `${qualifiedResource(group, plural)} "${name}" not found`,
    {
      details: { name, group: group || undefined, kind: plural },
    },
  );
}

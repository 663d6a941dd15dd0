import { CustomErrorBase } from '@backstage/errors';

/**
 * A watch or list continuation asked for a resourceVersion the API server no longer has (HTTP 410
 * Gone / reason Expired). Whoever sees it must list again and watch from the new list.
 *
 * @public
 */
export class ResourceExpiredError extends CustomErrorBase {
  name = 'ResourceExpiredError' as const;

  /** Checks by name, so it works across package copies. */
  static is(value: unknown): value is ResourceExpiredError {
    return (
      (value as { name?: unknown } | undefined)?.name === 'ResourceExpiredError'
    );
  }
}

/**
 * The caller's abort signal (a scaffolder task's, when the task is cancelled) ended the call: the
 * request in flight was abandoned and nothing more is sent.
 *
 * @public
 */
export class CancelledError extends CustomErrorBase {
  name = 'CancelledError' as const;

  /** Checks by name, so it works across package copies. */
  static is(value: unknown): value is CancelledError {
    return (value as { name?: unknown } | undefined)?.name === 'CancelledError';
  }
}

/** A request whose credentials (an EKS token, an exec plugin's) did not come within its timeout. */
export class CredentialsTimeoutError extends Error {
  name = 'TimeoutError' as const;
  constructor(readonly timeoutMs: number) {
    super(`no credentials within ${timeoutMs} ms`);
  }
}

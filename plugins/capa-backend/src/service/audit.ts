import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';

type JsonObject = NonNullable<AuditorServiceCreateEventOptions['meta']>;

/** Who a principal is, for audit events that have no HTTP request to take it from. */
export function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
  if (p.type === 'service') return `service ${p.subject ?? '(unknown)'}`;
  return 'an unauthenticated caller';
}

/**
 * Runs `fn` as one audit event: a success with `result: allowed`, or a failure with `result:
 * denied` (NotAllowedError) or `failed`, rethrowing the error.
 */
export async function audited<T>(
  auditor: AuditorService,
  event: AuditorServiceCreateEventOptions,
  fn: () => Promise<T>,
  successMeta: (result: T) => JsonObject = () => ({}),
): Promise<T> {
  const audit = await auditor.createEvent(event);
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await audit.fail({
      error: error as Error,
      meta: {
        result:
          (error as Error).name === 'NotAllowedError' ? 'denied' : 'failed',
      },
    });
    throw error;
  }
  await audit.success({ meta: { result: 'allowed', ...successMeta(result) } });
  return result;
}

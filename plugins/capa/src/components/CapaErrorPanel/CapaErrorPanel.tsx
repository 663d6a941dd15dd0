import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { isError, ResponseError } from '@backstage/errors';
import type { ReactNode } from 'react';

/**
 * The ways a call to the CAPA backend fails that the UI explains differently.
 *
 * @public
 */
export type CapaErrorKind =
  | 'not-found'
  | 'denied'
  | 'unauthenticated'
  | 'unreachable'
  | 'unavailable'
  | 'failed';

/**
 * Sorts an error from the CAPA API client into what the user needs to hear: the backend could
 * not be reached at all (a network error, or a proxy's 502/503/504), the backend answered that the
 * management cluster cannot tell yet (its own 503), the thing does not exist, the user may not see
 * it, or something else went wrong.
 *
 * @public
 */
export function classifyCapaError(error: unknown): CapaErrorKind {
  if (ResponseError.is(error)) {
    switch (error.statusCode) {
      case 404:
        return 'not-found';
      case 403:
        return 'denied';
      case 401:
        return 'unauthenticated';
      case 503:
        // The CAPA backend's own 503 names the management cluster; a proxy's, or the backend's
        // while it starts, does not.
        return error.cause?.name === 'ServiceUnavailableError' &&
          error.cause.message.startsWith('Management cluster ')
          ? 'unavailable'
          : 'unreachable';
      case 502:
      case 504:
        return 'unreachable';
      default:
        return 'failed';
    }
  }
  // fetch rejects with a TypeError when no response arrived (connection refused, DNS, CORS). By
  // name, as errors may come from another realm.
  if (isError(error) && error.name === 'TypeError') return 'unreachable';
  return 'failed';
}

/** The server's own explanation of a failed call, when it sent one. */
export function serverReason(error: unknown): string | undefined {
  if (ResponseError.is(error)) return error.cause?.message || undefined;
  return isError(error) ? error.message : undefined;
}

/**
 * Props of {@link CapaErrorPanel}.
 *
 * @public
 */
export interface CapaErrorPanelProps {
  error: Error;
  /** What was being loaded, for the titles ("Cluster not found", ...). */
  subject: string;
  /** What to say when the thing does not exist. */
  notFound?: ReactNode;
  /** What to say when the user may not see it (e.g. whom to ask). */
  denied?: ReactNode;
}

/**
 * A clear message for a failed call to the CAPA backend, in place of the content that could not be
 * loaded.
 *
 * @public
 */
export function CapaErrorPanel(props: CapaErrorPanelProps) {
  const { error, subject, notFound, denied } = props;
  const reason = serverReason(error);
  switch (classifyCapaError(error)) {
    case 'not-found':
      return (
        <WarningPanel
          severity="warning"
          title={`${subject} not found`}
          message={notFound ?? reason}
          defaultExpanded
        >
          {notFound && reason ? reason : null}
        </WarningPanel>
      );
    case 'denied':
      return (
        <WarningPanel
          severity="warning"
          title="Permission denied"
          message={
            denied ??
            `You are not allowed to see this ${subject.toLowerCase()}.`
          }
          defaultExpanded
        />
      );
    case 'unauthenticated':
      return (
        <WarningPanel
          severity="warning"
          title="Not signed in"
          message="Sign in again to see this information."
          defaultExpanded
        />
      );
    case 'unreachable':
      return (
        <WarningPanel
          severity="error"
          title="CAPA backend unreachable"
          message={`The portal could not reach the CAPA backend, so the ${subject.toLowerCase()} cannot be shown right now. Try again in a moment; if it persists, tell the platform team.`}
          defaultExpanded
        >
          {reason}
        </WarningPanel>
      );
    case 'unavailable':
      return (
        <WarningPanel
          severity="warning"
          title="Management cluster not available"
          message={`The CAPA backend cannot show this ${subject.toLowerCase()} until it has listed its management cluster again.`}
          defaultExpanded
        >
          {reason}
        </WarningPanel>
      );
    default:
      return (
        <ResponseErrorPanel
          error={error}
          title={`Could not load the ${subject.toLowerCase()}`}
        />
      );
  }
}

import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/**
 * How long outbound calls for one management cluster may take: to its API server, and to AWS STS
 * for its EKS token, its assumed roles and `capa:iam:verify`.
 *
 * @public
 */
export interface RequestTimeouts {
  /** Opening a connection (TCP, and TLS for https). */
  connectMs: number;
  /**
   * One request from start to end: getting its credentials (an EKS token, an exec plugin, an
   * assumed role), sending it and reading the whole answer. A watch is bounded by it until the
   * server accepts it.
   */
  requestMs: number;
}

/**
 * The timeouts used when neither the config nor the code sets them: 10 s to connect (a healthy API
 * server or STS endpoint answers in milliseconds; a TLS handshake over a slow link in well under a
 * second), 30 s per request (a server-side apply or a list page of a busy API server).
 *
 * @public
 */
export const DEFAULT_REQUEST_TIMEOUTS: Readonly<RequestTimeouts> = {
  connectMs: 10_000,
  requestMs: 30_000,
};

const MIN_MS = 100;
const MAX_MS = 10 * 60_000;

function readOne(c: Config, key: string, name: string): number | undefined {
  if (!c.has(name)) return undefined;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(c, { key: name }));
  } catch {
    throw new InputError(
      `Invalid config ${key}.${name}: must be a duration such as { seconds: 30 } or '30s'`,
    );
  }
  if (!(ms >= MIN_MS && ms <= MAX_MS)) {
    throw new InputError(
      `Invalid config ${key}.${name}: must be between 100 milliseconds and 10 minutes`,
    );
  }
  return ms;
}

/** Reads an optional `timeouts` block ({ connect, request }); InputError naming the key otherwise. */
export function readTimeouts(
  c: Config,
  key: string,
): Partial<RequestTimeouts> | undefined {
  if (!c.has('timeouts')) return undefined;
  let t: Config;
  try {
    t = c.getConfig('timeouts');
  } catch {
    throw new InputError(
      `Invalid config ${key}.timeouts: must be an object with connect and/or request`,
    );
  }
  const unknown = t.keys().filter(k => k !== 'connect' && k !== 'request');
  if (unknown.length) {
    throw new InputError(
      `Invalid config ${key}.timeouts.${unknown[0]}: unknown key; the known keys are connect, request`,
    );
  }
  const connectMs = readOne(t, `${key}.timeouts`, 'connect');
  const requestMs = readOne(t, `${key}.timeouts`, 'request');
  if (
    connectMs !== undefined &&
    connectMs > (requestMs ?? DEFAULT_REQUEST_TIMEOUTS.requestMs)
  ) {
    throw new InputError(
      `Invalid config ${key}.timeouts.connect: must not be longer than the request timeout (${
        (requestMs ?? DEFAULT_REQUEST_TIMEOUTS.requestMs) / 1000
      } s), which includes connecting`,
    );
  }
  return {
    ...(connectMs !== undefined ? { connectMs } : {}),
    ...(requestMs !== undefined ? { requestMs } : {}),
  };
}

/** The timeouts in force: the management cluster's config, then the code's options, then the defaults. */
export function resolveTimeouts(
  configured: Partial<RequestTimeouts> | undefined,
  options: Partial<RequestTimeouts>,
): RequestTimeouts {
  const requestMs =
    configured?.requestMs ??
    options.requestMs ??
    DEFAULT_REQUEST_TIMEOUTS.requestMs;
  const connectMs =
    configured?.connectMs ??
    options.connectMs ??
    DEFAULT_REQUEST_TIMEOUTS.connectMs;
  // Connecting is part of the request: a shorter request timeout bounds it too.
  return { requestMs, connectMs: Math.min(connectMs, requestMs) };
}

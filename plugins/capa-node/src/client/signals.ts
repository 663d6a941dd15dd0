import { AsyncLocalStorage } from 'async_hooks';
import http from 'http';
import net from 'net';
import tls from 'tls';

/**
 * The abort signal of the client operation in progress (a scaffolder task's, for example).
 * client-node takes no signal per call, so it travels with the async context to the hooks that
 * authenticate and send each request of the operation.
 */
const operationSignal = new AsyncLocalStorage<AbortSignal | undefined>();

/** Runs `fn` with `signal` as the signal of every request it makes through a connection. */
export function runWithSignal<T>(
  signal: AbortSignal | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  return operationSignal.run(signal, fn);
}

/** The signal of the operation in progress, if it has one. */
export function currentSignal(): AbortSignal | undefined {
  return operationSignal.getStore();
}

/** A signal that aborts when any of `signals` does; undefined when none is given. */
export function anySignal(
  ...signals: Array<AbortSignal | undefined>
): AbortSignal | undefined {
  const given = signals.filter((s): s is AbortSignal => Boolean(s));
  if (given.length <= 1) return given[0];
  return AbortSignal.any(given);
}

/** One request's deadline: its timeout, or the operation's signal, whichever comes first. */
export function requestDeadline(timeoutMs: number): AbortSignal {
  return anySignal(currentSignal(), AbortSignal.timeout(timeoutMs))!;
}

/**
 * Settles as `promise` does, or rejects with `signal`'s reason as soon as `signal` aborts (the
 * work behind `promise` is left to end by its own timeouts).
 *
 * @public
 */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The code of the error a connection that took too long to open fails with. */
export const CONNECT_TIMEOUT_CODE = 'CAPA_CONNECT_TIMEOUT';

const LIMITED = Symbol('capa.connectTimeout');

/**
 * Makes every connection `agent` opens fail unless TCP (and TLS, for https) is done within `ms`.
 * client-node makes a new agent for every request, and node-fetch has no connect timeout: without
 * this, an address that drops packets holds a request until the operating system gives up.
 * Agents other than Node's own (proxy agents) are left as they are.
 */
export function limitConnectTime(agent: unknown, ms: number): void {
  if (!(agent instanceof http.Agent)) return;
  // createConnection is Node's (net's or tls's); its declared type is narrower than its use.
  const a = agent as unknown as {
    [LIMITED]?: true;
    createConnection?: (...args: unknown[]) => unknown;
  };
  if (a[LIMITED] || typeof a.createConnection !== 'function') return;
  a[LIMITED] = true;
  const create = a.createConnection;
  a.createConnection = function limited(this: unknown, ...args: unknown[]) {
    const socket = create.apply(this, args);
    if (socket instanceof net.Socket) {
      const ready =
        socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect';
      const timer = setTimeout(
        () =>
          socket.destroy(
            Object.assign(new Error(`no connection within ${ms} ms`), {
              code: CONNECT_TIMEOUT_CODE,
            }),
          ),
        ms,
      );
      const clear = () => clearTimeout(timer);
      socket.once(ready, clear);
      socket.once('close', clear);
    }
    return socket;
  };
}

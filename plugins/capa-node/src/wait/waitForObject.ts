import type {
  KubernetesObject,
  ObjectRef,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusterClient } from '../client/ManagementClusterClient';
import type { WatchHandle } from '../client/types';
import { describeRef } from '../ssa/plan';
import { CancelledError } from '../client/errorTypes';

/**
 * Options of {@link waitForObject}.
 *
 * @public
 */
export interface WaitForObjectOptions<T extends KubernetesObject> {
  /**
   * Called with the object on the first read and on every change (undefined while it does not
   * exist): true when the wait is over. Throw to end the wait with that error (a failure the
   * object reports, or an object that went away).
   */
  until(object: T | undefined): boolean;
  /** How long to wait at most. */
  timeoutMs: number;
  /** The task's signal: the wait, and the read or watch in flight, end when it aborts. */
  signal?: AbortSignal;
  /** The error when `timeoutMs` passes; by default one naming the object. */
  timeoutError?: () => Error;
  /** The error when `signal` aborts; by default one naming the object. */
  abortError?: () => Error;
}

/**
 * The server ends each watch after this long, and the object is read again before the next one:
 * a connection that died silently costs at most a minute more than this.
 */
const WATCH_SECONDS = 300;
const IDLE_TIMEOUT_MS = (WATCH_SECONDS + 60) * 1000;

/**
 * Waits for one object to reach a state: reads it, then watches it (re-reading and watching again
 * whenever a watch ends), and asks `until` about every version seen. Resolves with the object
 * `until` accepted (undefined when it accepted its absence); rejects with what `until` throws,
 * when `timeoutMs` passes, when `signal` aborts, or when a read or a watch cannot start.
 *
 * @public
 */
export async function waitForObject<T extends KubernetesObject>(
  client: ManagementClusterClient,
  ref: ObjectRef,
  options: WaitForObjectOptions<T>,
): Promise<T | undefined> {
  const { signal } = options;
  let settled = false;
  let watch: WatchHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      const check = (object: T | undefined) => {
        if (settled) return;
        try {
          if (!options.until(object)) return;
        } catch (e) {
          fail(e);
          return;
        }
        settled = true;
        resolve(object);
      };
      const follow = async () => {
        if (settled) return;
        const object = await client.find<T>(ref, { signal });
        check(object);
        if (settled) return;
        watch = await client.watch<T>(
          {
            apiVersion: ref.apiVersion,
            kind: ref.kind,
            namespace: ref.namespace,
          },
          {
            resourceVersion: object?.metadata.resourceVersion,
            fieldSelector: `metadata.name=${ref.name}`,
            timeoutSeconds: WATCH_SECONDS,
            idleTimeoutMs: IDLE_TIMEOUT_MS,
            signal,
          },
          {
            onEvent: e => {
              if (e.type === 'BOOKMARK' || e.object.metadata?.name !== ref.name)
                return;
              check(e.type === 'DELETED' ? undefined : e.object);
            },
            // Whatever ended the watch (the server's timeout, a dropped connection, a 410), the
            // object is read again: nothing that happened in between is missed.
            onClose: () => follow().catch(fail),
          },
        );
        if (settled) watch.stop();
      };

      if (signal?.aborted) {
        fail(options.abortError?.() ?? abortError(ref));
        return;
      }
      onAbort = () => fail(options.abortError?.() ?? abortError(ref));
      signal?.addEventListener('abort', onAbort);
      timer = setTimeout(
        () => fail(options.timeoutError?.() ?? timeoutError(ref, options)),
        options.timeoutMs,
      );
      follow().catch(fail);
    });
  } finally {
    settled = true;
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    watch?.stop();
  }
}

function timeoutError(ref: ObjectRef, options: { timeoutMs: number }): Error {
  return new Error(
    `Gave up waiting for ${describeRef(ref)} after ${Math.round(
      options.timeoutMs / 1000,
    )} s`,
  );
}

function abortError(ref: ObjectRef): Error {
  return new CancelledError(`Cancelled while waiting for ${describeRef(ref)}`);
}

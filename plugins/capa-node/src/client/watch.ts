import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  authenticateWithin,
  Connection,
  METADATA_ACCEPT,
  resolveKind,
} from './connection';
import { errorFromStatus, OperationContext, toBackstageError } from './errors';
import { currentSignal, limitConnectTime, requestDeadline } from './signals';
import type {
  ResourceType,
  WatchHandle,
  WatchHandlers,
  WatchOptions,
} from './types';

/**
 * client-node's Watch over `c`, with the request timeout on getting credentials and on the
 * server's accepting the watch (its answer's headers), and the connect timeout; a started watch
 * runs until it is stopped or ends. Watch has no timeout of its own and sets the request's signal
 * itself, after asking the config for the request's options: the options it gets back add the
 * start deadline to whatever signal it sets.
 */
function watcher(c: Connection, accept: string | undefined) {
  const deadline = requestDeadline(c.timeouts.requestMs);
  const starting = new AbortController();
  let started = false;
  const onDeadline = () => {
    if (!started) starting.abort(deadline.reason);
  };
  deadline.addEventListener('abort', onDeadline, { once: true });
  const config = {
    getCurrentCluster: () => c.kc.getCurrentCluster(),
    applyToFetchOptions: async (opts: object) => {
      const init: {
        agent?: unknown;
        headers?: unknown;
        signal?: AbortSignal | null;
      } = await authenticateWithin(
        c.kc.applyToFetchOptions(opts),
        deadline,
        c.timeouts,
      );
      limitConnectTime(init.agent, c.timeouts.connectMs);
      if (accept) {
        // client-node builds the request's headers as a Headers object.
        const headers = init.headers as
          | { set?: (name: string, value: string) => void }
          | undefined;
        if (!headers?.set)
          throw new Error('client-node gave the watch no Headers to set');
        headers.set('Accept', accept);
      }
      let signal: AbortSignal = starting.signal;
      return Object.defineProperty(init, 'signal', {
        enumerable: true,
        configurable: true,
        get: () => signal,
        set: (own: AbortSignal) => {
          signal = AbortSignal.any([own, starting.signal]);
        },
      });
    },
  };
  return {
    watch: new c.k8s.Watch(config as unknown as KubeConfig),
    /** Called once the server accepted the watch (or it failed): the deadline no longer applies. */
    settled: () => {
      started = true;
      deadline.removeEventListener('abort', onDeadline);
    },
  };
}

/**
 * Watches a kind. Resolves once the server accepted the watch; rejects when it could not start
 * (kind not served, 401/403, unreachable). Later failures, and the end of the watch, arrive
 * through `onClose`. Recovery (re-watch, re-list on ResourceExpiredError, backoff) is the
 * caller's: this is one watch request.
 */
export async function watchKind<T extends KubernetesObject>(
  c: Connection,
  type: ResourceType,
  options: WatchOptions,
  handlers: WatchHandlers<T>,
): Promise<WatchHandle> {
  const ctx: OperationContext = {
    cluster: c.cluster,
    action: 'watch',
    apiVersion: type.apiVersion,
    kind: type.kind,
    namespace: type.namespace,
  };
  const resource = await resolveKind(c, type, ctx);
  // The caller's signal ends the watch as stop() does.
  const signal = currentSignal();
  const path = `${
    type.apiVersion.includes('/')
      ? `/apis/${type.apiVersion}`
      : `/api/${type.apiVersion}`
  }${
    resource.namespaced && type.namespace
      ? `/namespaces/${encodeURIComponent(type.namespace)}`
      : ''
  }/${resource.name}`;

  let started = false;
  let ended = false;
  let startError: unknown;
  let controller: AbortController | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  const end = () => {
    ended = true;
    if (idleTimer) clearTimeout(idleTimer);
    signal?.removeEventListener('abort', stop);
    controller?.abort();
  };
  function stop() {
    if (!ended) end();
  }
  const finish = (error?: Error) => {
    if (ended) return;
    end();
    handlers.onClose(error);
  };
  const touch = () => {
    if (!options.idleTimeoutMs || ended) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      finish(
        toBackstageError(
          Object.assign(new Error('idle'), { name: 'TimeoutError' }),
          ctx,
        ),
      );
    }, options.idleTimeoutMs);
    idleTimer.unref?.();
  };

  const { watch, settled } = watcher(
    c,
    options.metadataOnly ? METADATA_ACCEPT : undefined,
  );
  try {
    controller = await watch.watch(
      path,
      {
        resourceVersion: options.resourceVersion,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        allowWatchBookmarks: options.allowBookmarks ?? true,
        timeoutSeconds: options.timeoutSeconds,
      },
      (phase: string, obj: unknown) => {
        if (ended) return;
        touch();
        if (phase === 'ERROR') {
          const status = obj as { code?: unknown };
          finish(
            errorFromStatus(
              typeof status?.code === 'number' ? status.code : 500,
              obj,
              ctx,
            ),
          );
          return;
        }
        if (
          phase === 'ADDED' ||
          phase === 'MODIFIED' ||
          phase === 'DELETED' ||
          phase === 'BOOKMARK'
        ) {
          const object = options.metadataOnly
            ? {
                apiVersion: type.apiVersion,
                kind: type.kind,
                metadata: (obj as KubernetesObject).metadata,
              }
            : obj;
          handlers.onEvent({ type: phase, object: object as T });
        }
      },
      (err: unknown) => {
        if (!started) {
          startError = err ?? undefined;
          return;
        }
        if (ended) return;
        finish(err ? toBackstageError(err, ctx) : undefined);
      },
    );
  } catch (e) {
    throw toBackstageError(e, ctx);
  } finally {
    settled();
  }
  if (startError) {
    ended = true;
    throw toBackstageError(startError, ctx);
  }
  started = true;
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  touch();
  return { stop };
}

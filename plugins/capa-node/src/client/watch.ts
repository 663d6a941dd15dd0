import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import { Connection, resolveKind } from './connection';
import { errorFromStatus, OperationContext, toBackstageError } from './errors';
import type {
  ResourceType,
  WatchHandle,
  WatchHandlers,
  WatchOptions,
} from './types';

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
  const finish = (error?: Error) => {
    if (ended) return;
    ended = true;
    if (idleTimer) clearTimeout(idleTimer);
    controller?.abort();
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

  try {
    controller = await c.watch.watch(
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
          handlers.onEvent({ type: phase, object: obj as T });
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
  }
  if (startError) {
    ended = true;
    throw toBackstageError(startError, ctx);
  }
  started = true;
  touch();
  return {
    stop: () => {
      if (ended) return;
      ended = true;
      if (idleTimer) clearTimeout(idleTimer);
      controller?.abort();
    },
  };
}

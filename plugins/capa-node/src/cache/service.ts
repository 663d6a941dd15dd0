import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  objectRef,
  type KubernetesEvent,
  type KubernetesObject,
  type Secret,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusterClient } from '../client/ManagementClusterClient';
import { managementClustersServiceRef } from '../client/serviceRef';
import {
  CacheSource,
  DefaultCapaClusterCache,
} from './DefaultCapaClusterCache';
import { labelSelectorOf, listsMetadataOnly } from './ObjectStore';
import {
  WARNING_EVENTS_LIMIT,
  type CapaClusterCache,
  type WarningEvents,
} from './types';

/**
 * How long the server keeps one of the cache's watches open. A real apiserver sends a watch no
 * bookmark until its resource changes, so a quiet watch is silent: the server ends it after this
 * long and the informer watches again, and only a watch silent for longer than that (plus a
 * minute) is a dead connection. Jittered so the watches of a management cluster do not all end at
 * once.
 */
const WATCH_TIMEOUT_SECONDS = { min: 240, max: 300 };
const DEAD_AFTER_MS = 60_000;

/**
 * Reads the newest Warning events of a namespace: one page of at most
 * {@link WARNING_EVENTS_LIMIT}, selected by the apiserver (`type` is a field selector every
 * version supports for core/v1 Events).
 *
 * @public
 */
export async function readWarningEvents(
  client: Pick<ManagementClusterClient, 'list'>,
  namespace: string,
): Promise<WarningEvents> {
  const list = await client.list<KubernetesEvent & KubernetesObject>(
    { apiVersion: 'v1', kind: 'Event', namespace },
    { fieldSelector: 'type=Warning', limit: WARNING_EVENTS_LIMIT },
  );
  return { items: list.items, truncated: Boolean(list.continue) };
}

/** Adapts a management-cluster client to what the cache's informers need. */
export function cacheSourceOf(
  name: string,
  client: ManagementClusterClient,
  settings: { watchTimeoutSeconds?: number } = {},
): CacheSource {
  const timeoutSeconds = () =>
    settings.watchTimeoutSeconds ??
    Math.round(
      WATCH_TIMEOUT_SECONDS.min +
        Math.random() * (WATCH_TIMEOUT_SECONDS.max - WATCH_TIMEOUT_SECONDS.min),
    );
  return {
    name,
    list: (kind, options) =>
      client.list(
        { apiVersion: kind.apiVersion, kind: kind.kind },
        {
          ...options,
          labelSelector: labelSelectorOf(kind.kind),
          metadataOnly: listsMetadataOnly(kind.kind),
        },
      ),
    async watch(kind, resourceVersion, onEvent, onClose) {
      const seconds = timeoutSeconds();
      const handle = await client.watch(
        { apiVersion: kind.apiVersion, kind: kind.kind },
        {
          resourceVersion,
          labelSelector: labelSelectorOf(kind.kind),
          metadataOnly: listsMetadataOnly(kind.kind),
          allowBookmarks: true,
          timeoutSeconds: seconds,
          idleTimeoutMs: seconds * 1000 + DEAD_AFTER_MS,
        },
        { onEvent, onClose },
      );
      return { abort: () => handle.stop() };
    },
    async readSecretData(namespace, secretName) {
      const secret = await client.find<Secret>(
        objectRef('Secret', namespace, secretName),
      );
      return secret?.data;
    },
    readWarningEvents: namespace => readWarningEvents(client, namespace),
  };
}

/**
 * The shared watch cache of all configured management clusters, a root service so the CAPA
 * backend plugin and the catalog module read one cache (one list and one watch per kind per
 * management cluster). It starts watching when first used and stops on shutdown.
 *
 * @public
 */
export const capaClusterCacheServiceRef = createServiceRef<CapaClusterCache>({
  id: 'capa.cluster-cache',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        clusters: managementClustersServiceRef,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      factory({ clusters, logger, lifecycle }) {
        const log = logger.child({ service: 'capa-cluster-cache' });
        const cache = new DefaultCapaClusterCache(
          clusters
            .list()
            .map(info => cacheSourceOf(info.name, clusters.get(info.name))),
          log,
        );
        cache.start();
        lifecycle.addShutdownHook(() => cache.stop());
        return cache;
      },
    }),
});

/*
 * The backends the benchmark measures, both started with startTestBackend around the real capa
 * plugin: one with the shared watch cache (the plugin's default DefaultCapaClusterCache, built by
 * ManagementClusters.fromConfig), one listing per request (./listPerRequest.ts).
 */
import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CapaClusterCache,
  capaClusterCacheServiceRef,
} from '@capa-backstage/plugin-capa-node';
import { capaPlugin } from '../src/plugin';
import { BaselineScope, listPerRequestFeatures } from './listPerRequest';
import type { ServedCluster } from './protocol';

export function commonFeatures(servers: ServedCluster[]): BackendFeature[] {
  return [
    capaPlugin,
    mockServices.rootConfig.factory({
      data: {
        capa: {
          managementClusters: servers.map(s => ({
            name: s.name,
            url: s.url,
            token: s.token,
          })),
        },
      },
    }),
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    mockServices.rootLogger.factory({ level: 'warn' }),
  ];
}

const sleep = (t: number) => new Promise(r => setTimeout(r, t));

/** Every management cluster listed and holding every object its server holds. */
export function complete(
  cache: CapaClusterCache,
  servers: ServedCluster[],
): boolean {
  const health = cache.health();
  return servers.every(s => {
    const h = health.find(x => x.name === s.name);
    return (
      h?.synced &&
      Object.entries(s.counts).every(([kind, n]) => h.objects[kind] === n)
    );
  });
}

/**
 * Starts the backend with the real cache (the plugin's default DefaultCapaClusterCache from
 * ManagementClusters.fromConfig) and waits until the cache holds the whole fleet.
 */
export async function startCached(servers: ServedCluster[]) {
  let cache: CapaClusterCache | undefined;
  const probe = createBackendModule({
    pluginId: 'capa',
    moduleId: 'bench-probe',
    register(reg) {
      reg.registerInit({
        deps: { cache: capaClusterCacheServiceRef },
        async init(deps) {
          cache = deps.cache;
        },
      });
    },
  });
  const t0 = performance.now();
  const backend = await startTestBackend({
    features: [...commonFeatures(servers), probe],
  });
  const started = performance.now();
  let peakRss = process.memoryUsage.rss();
  while (!complete(cache!, servers)) {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (performance.now() - t0 > 120_000) {
      throw new Error(
        `the cache is not complete after 2 minutes: ${JSON.stringify(
          cache!.health(),
        )}`,
      );
    }
    await sleep(1);
  }
  return {
    backend,
    baseUrl: `http://127.0.0.1:${backend.server.port()}/api/capa`,
    bootMs: started - t0,
    completeMs: performance.now() - t0,
    /** The highest RSS seen while the cache listed (sampled every millisecond or so). */
    peakRss,
    cache: cache!,
  };
}

export async function startBaseline(
  servers: ServedCluster[],
  scope: BaselineScope,
) {
  const backend = await startTestBackend({
    features: [...commonFeatures(servers), ...listPerRequestFeatures(scope)],
  });
  return {
    backend,
    baseUrl: `http://127.0.0.1:${backend.server.port()}/api/capa`,
  };
}

export function memory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage();
}

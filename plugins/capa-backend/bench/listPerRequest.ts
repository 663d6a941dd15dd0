/*
 * The baseline the watch cache is measured against: what a portal that lists Kubernetes objects on
 * every page view does (Backstage's own Kubernetes plugin works this way). It is the same plugin,
 * router and projection (ObjectStore, toClusterView): only the store is built anew for each portal
 * request, by listing every watched kind from the management clusters the request needs, through
 * the same ManagementClusterClient (paged, 500 per page, every kind in parallel).
 */
import { AsyncLocalStorage } from 'async_hooks';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  type KubernetesObject,
  objectRef,
  type Secret,
  type WatchedKind,
  WATCHED_KIND_INFOS,
} from '@capa-backstage/plugin-capa-common';
import {
  CapaClusterCache,
  capaClusterCacheServiceRef,
  ManagementClusterHealth,
  ManagementClusters,
  ObjectStore,
  readWarningEvents,
} from '@capa-backstage/plugin-capa-node';
import type { NextFunction, Request, Response } from 'express';

/**
 * How much a request for one cluster lists: the whole management cluster (every object of every
 * kind, as the cache does once), or only the cluster's namespace (namespaced kinds listed in it,
 * cluster-scoped kinds in full), the cheapest list-per-request design that still fills the view.
 */
export type BaselineScope = 'managementCluster' | 'namespace';

/** A CapaClusterCache whose stores are listed from the API servers for each portal request. */
export class ListPerRequestCache implements CapaClusterCache {
  private readonly current = new AsyncLocalStorage<Map<string, ObjectStore>>();

  constructor(
    private readonly clusters: ManagementClusters,
    private readonly scope: BaselineScope,
  ) {}

  managementClusters(): string[] {
    return this.clusters.list().map(c => c.name);
  }

  store(managementCluster: string): ObjectStore | undefined {
    if (!this.managementClusters().includes(managementCluster))
      return undefined;
    const store = this.current.getStore()?.get(managementCluster);
    if (!store)
      throw new Error(
        `no store listed for "${managementCluster}" in this request (is the middleware first?)`,
      );
    return store;
  }

  health(): ManagementClusterHealth[] {
    return this.managementClusters().map(name => ({
      name,
      reachable: true,
      crds: { capi: true, capa: true },
      synced: true,
      objects: {},
    }));
  }

  subscribe(): () => void {
    return () => {};
  }

  async readSecretData(
    managementCluster: string,
    namespace: string,
    name: string,
  ) {
    const secret = await this.clusters
      .get(managementCluster)
      .find<Secret>(objectRef('Secret', namespace, name));
    return secret?.data;
  }

  async readWarningEvents(managementCluster: string, namespace: string) {
    return readWarningEvents(this.clusters.get(managementCluster), namespace);
  }

  /** Lists every watched kind of one management cluster (or one namespace of it) into a new store. */
  async list(managementCluster: string, namespace?: string) {
    const client = this.clusters.get(managementCluster);
    const store = new ObjectStore(managementCluster);
    await Promise.all(
      WATCHED_KIND_INFOS.map(async kind => {
        const items: KubernetesObject[] = [];
        let cont: string | undefined;
        do {
          const page = await client.list(
            {
              apiVersion: kind.apiVersion,
              kind: kind.kind,
              ...(kind.namespaced && namespace ? { namespace } : {}),
            },
            { limit: 500, continue: cont },
          );
          items.push(...(page.items as KubernetesObject[]));
          cont = page.continue;
        } while (cont);
        store.replace(kind.kind as WatchedKind, items);
      }),
    );
    return store;
  }

  /** Express middleware, first in the plugin's router: lists what the request reads, then serves it. */
  middleware() {
    return (req: Request, _res: Response, next: NextFunction) => {
      const known = this.managementClusters();
      const [, route, mc, namespace] = req.path
        .split('/')
        .map(decodeURIComponent);
      let wanted: Array<{ mc: string; namespace?: string }> = [];
      if (route === 'clusters' && mc) {
        if (known.includes(mc))
          wanted = [
            {
              mc,
              namespace: this.scope === 'namespace' ? namespace : undefined,
            },
          ];
      } else if (route === 'clusters') {
        const only = req.query.managementCluster;
        wanted = (
          typeof only === 'string' ? known.filter(k => k === only) : known
        ).map(k => ({ mc: k }));
      }
      Promise.all(
        wanted.map(
          async w => [w.mc, await this.list(w.mc, w.namespace)] as const,
        ),
      ).then(stores => this.current.run(new Map(stores), () => next()), next);
    };
  }
}

/**
 * The backend features of the baseline: the cache service and a module of the capa plugin whose
 * middleware lists before the plugin's handlers run (modules initialise before their plugin).
 */
export function listPerRequestFeatures(scope: BaselineScope) {
  const factory = createServiceFactory({
    service: capaClusterCacheServiceRef,
    deps: {
      config: coreServices.rootConfig,
      logger: coreServices.rootLogger,
    },
    factory({ config, logger }) {
      return new ListPerRequestCache(
        ManagementClusters.fromConfig(config, { logger }),
        scope,
      );
    },
  });
  const module = createBackendModule({
    pluginId: 'capa',
    moduleId: 'bench-list-per-request',
    register(reg) {
      reg.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          cache: capaClusterCacheServiceRef,
        },
        async init({ httpRouter, cache }) {
          httpRouter.use((cache as ListPerRequestCache).middleware());
        },
      });
    },
  });
  return [factory, module];
}

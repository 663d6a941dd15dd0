import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { capaClusterCacheServiceRef } from '@capa-backstage/plugin-capa-node';
import { CapaEntityProvider } from './CapaEntityProvider';

/**
 * Adds the CAPA entity providers to the catalog, one per configured management cluster: its
 * workload clusters and tenant identities, following the shared watch cache.
 *
 * @public
 */
export const catalogModuleCapa = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'capa',
  register(env) {
    env.registerInit({
      deps: {
        processing: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        cache: capaClusterCacheServiceRef,
      },
      async init({ processing, config, lifecycle, ...deps }) {
        const providers = CapaEntityProvider.fromConfig(config, deps);
        processing.addEntityProvider(providers);
        lifecycle.addShutdownHook(() => providers.forEach(p => p.close()));
      },
    });
  },
});

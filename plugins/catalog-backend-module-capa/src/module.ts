import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { capaClusterCacheServiceRef } from '@capa-backstage/plugin-capa-node';
import { CapaEntityProvider } from './CapaEntityProvider';

/**
 * Adds the CAPA entity provider to the catalog: workload clusters and tenant identities of every
 * configured management cluster, following the shared watch cache.
 *
 * @public
 */
export const catalogModuleCapa = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'capa',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        cache: capaClusterCacheServiceRef,
      },
      async init({ catalog, config, logger, lifecycle, cache }) {
        const provider = CapaEntityProvider.fromConfig(config, {
          cache,
          logger,
        });
        catalog.addEntityProvider(provider);
        lifecycle.addShutdownHook(() => provider.close());
      },
    });
  },
});

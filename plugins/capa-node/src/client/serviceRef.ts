import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ManagementClusters } from './ManagementClusters';

/**
 * The management clusters of `capa.managementClusters`, as a root backend service: one set of
 * clients (and AWS credential managers) in the backend, used by the watch cache, the CAPA backend
 * plugin, and the scaffolder and catalog modules alike. The default factory reads the root config
 * and fails the backend's start on a bad entry; a backend can replace it with its own factory.
 *
 * @public
 */
export const managementClustersServiceRef =
  createServiceRef<ManagementClusters>({
    id: 'capa.management-clusters',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.rootLogger,
        },
        factory: ({ config, logger }) =>
          ManagementClusters.fromConfig(config, {
            logger: logger.child({ service: 'capa-management-clusters' }),
          }),
      }),
  });

import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ManagementClusters } from './ManagementClusters';

/**
 * The management clusters of `capa.managementClusters`, as a plugin-scoped backend service, so the
 * CAPA backend plugin and the scaffolder and catalog modules share one implementation. The default
 * factory reads the root config; a backend can replace it with its own factory (in tests, for
 * example, one pointing at a KubernetesTestServer).
 *
 * @public
 */
export const managementClustersServiceRef =
  createServiceRef<ManagementClusters>({
    id: 'capa.management-clusters',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { config: coreServices.rootConfig, logger: coreServices.logger },
        factory: ({ config, logger }) =>
          ManagementClusters.fromConfig(config, { logger }),
      }),
  });

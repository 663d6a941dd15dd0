import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import { kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  CapaAuthorizer,
  capaClusterCacheServiceRef,
} from '@capa-backstage/plugin-capa-node';
import { CapaClustersSupplier } from './supplier/CapaClustersSupplier';

/**
 * Supplies every Provisioned CAPA workload cluster the caller may connect to
 * (`capa.cluster.kubeconfig.read`) to
 * Backstage's Kubernetes plugin, next to the
 * clusters of `kubernetes.clusterLocatorMethods` (which the plugin's config schema requires; `[]`
 * for none).
 *
 * @public
 */
export const kubernetesModuleCapa = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'capa',
  register(env) {
    env.registerInit({
      deps: {
        clusterSupplier: kubernetesClusterSupplierExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        cache: capaClusterCacheServiceRef,
      },
      async init({ clusterSupplier, config, logger, cache, ...deps }) {
        const capa = CapaClustersSupplier.fromConfig(config, {
          cache,
          logger,
          // The same decisions as the CAPA API's: a caller sees the clusters it may read.
          authorizer: new CapaAuthorizer(deps),
        });
        clusterSupplier.addClusterSupplier(async ({ getDefault }) => {
          // The plugin reads clusterLocatorMethods only for its default supplier.
          if (!config.has('kubernetes.clusterLocatorMethods')) return capa;
          return combined([await getDefault(), capa]);
        });
      },
    });
  },
});

/** The clusters of several suppliers, in order. */
function combined(
  suppliers: KubernetesClustersSupplier[],
): KubernetesClustersSupplier {
  return {
    async getClusters(options): Promise<ClusterDetails[]> {
      const lists = await Promise.all(
        suppliers.map(s => s.getClusters(options)),
      );
      return lists.flat();
    },
  };
}

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  capaPermissions,
  DEFAULT_KUBERNETES_VERSIONS,
} from '@capa-backstage/plugin-capa-common';
import {
  CapaAuthorizer,
  capaClusterCacheServiceRef,
  managementClustersServiceRef,
} from '@capa-backstage/plugin-capa-node';
import { registerCapaActions } from './actions';
import { ClusterAccess } from './service/clusterAccess';
import { createRouter } from './service/router';

/**
 * The CAPA backend plugin (id `capa`): live status of every workload cluster on every configured
 * management cluster, served from the shared watch cache, and user kubeconfigs behind permissions;
 * the same reads and a dry-run cluster plan as actions of the actions registry (MCP tools).
 *
 * @public
 */
export const capaPlugin = createBackendPlugin({
  pluginId: 'capa',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        cache: capaClusterCacheServiceRef,
        managementClusters: managementClustersServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        auditor,
        catalog,
        cache,
        managementClusters,
        actionsRegistry,
      }) {
        permissionsRegistry.addPermissions(capaPermissions);
        const authorizer = new CapaAuthorizer({ permissions, catalog, auth });
        const kubernetesVersions =
          config.getOptionalStringArray('capa.kubernetesVersions') ??
          DEFAULT_KUBERNETES_VERSIONS;
        httpRouter.use(
          await createRouter({
            httpAuth,
            auditor,
            authorizer,
            cache,
            kubernetesVersions,
          }),
        );
        registerCapaActions({
          actionsRegistry,
          access: new ClusterAccess({ authorizer, cache }),
          auditor,
          authorizer,
          managementClusters,
          validation: { kubernetesVersions },
        });
      },
    });
  },
});

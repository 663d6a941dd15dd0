import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  capaPermissions,
  DEFAULT_KUBERNETES_VERSIONS,
} from '@capa-backstage/plugin-capa-common';
import {
  CapaAuthorizer,
  capaClusterCacheServiceRef,
} from '@capa-backstage/plugin-capa-node';
import { createRouter } from './service/router';

/**
 * The CAPA backend plugin (id `capa`): live status of every workload cluster on every configured
 * management cluster, served from the shared watch cache, and user kubeconfigs behind permissions.
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
      }) {
        permissionsRegistry.addPermissions(capaPermissions);
        httpRouter.use(
          await createRouter({
            httpAuth,
            auditor,
            authorizer: new CapaAuthorizer({ permissions, catalog, auth }),
            cache,
            kubernetesVersions:
              config.getOptionalStringArray('capa.kubernetesVersions') ??
              DEFAULT_KUBERNETES_VERSIONS,
          }),
        );
      },
    });
  },
});

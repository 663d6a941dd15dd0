import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { capaPermissions } from '@capa-backstage/plugin-capa-common';
import { capaClusterCacheServiceRef } from '@capa-backstage/plugin-capa-node';
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
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        cache: capaClusterCacheServiceRef,
      },
      async init({
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        auditor,
        cache,
      }) {
        permissionsRegistry.addPermissions(capaPermissions);
        httpRouter.use(
          await createRouter({ httpAuth, permissions, auditor, cache }),
        );
      },
    });
  },
});

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createClusterRenderAction } from './actions/clusterRender';
import { createIamRenderAction } from './actions/iamRender';
import { createTenantRenderAction } from './actions/tenantRender';

/**
 * Registers the `capa:*` scaffolder actions.
 *
 * @public
 */
export const scaffolderModuleCapa = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'capa',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, config }) {
        const kubernetesVersions = config.getOptionalStringArray(
          'capa.kubernetesVersions',
        );
        scaffolder.addActions(
          createTenantRenderAction(),
          createClusterRenderAction({ kubernetesVersions }),
          createIamRenderAction(),
        );
      },
    });
  },
});

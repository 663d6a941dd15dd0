import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { managementClustersServiceRef } from '@capa-backstage/plugin-capa-node';
import { createAccessGrantAction } from './actions/accessGrant';
import { createAccessRevokeAction } from './actions/accessRevoke';
import { createApplyAction } from './actions/apply';
import { createClusterDeleteAction } from './actions/clusterDelete';
import { createClusterRenderAction } from './actions/clusterRender';
import { createClusterUpgradeAction } from './actions/clusterUpgrade';
import { createIamRenderAction } from './actions/iamRender';
import { createIamVerifyAction } from './actions/iamVerify';
import { createNodePoolSetAction } from './actions/nodePoolSet';
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
        managementClusters: managementClustersServiceRef,
      },
      async init({ scaffolder, config, managementClusters }) {
        const kubernetesVersions = config.getOptionalStringArray(
          'capa.kubernetesVersions',
        );
        scaffolder.addActions(
          createTenantRenderAction(),
          createClusterRenderAction({ kubernetesVersions }),
          createIamRenderAction(),
          createIamVerifyAction({
            // The manager credentials configured for that management cluster; the default chain otherwise.
            managerCredentials: async name =>
              name
                ? managementClusters.get(name).getAwsCredentials()
                : undefined,
          }),
          createApplyAction({ managementClusters }),
          createClusterDeleteAction({ managementClusters }),
          createClusterUpgradeAction({
            managementClusters,
            kubernetesVersions,
          }),
          createNodePoolSetAction({ managementClusters }),
          createAccessGrantAction({ managementClusters }),
          createAccessRevokeAction({ managementClusters }),
        );
      },
    });
  },
});

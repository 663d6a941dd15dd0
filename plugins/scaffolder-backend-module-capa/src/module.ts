import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  CapaAuthorizer,
  managementClustersServiceRef,
} from '@capa-backstage/plugin-capa-node';
import { createTaskAuthorizer } from './authorization/TaskAuthorizer';
import { createAccessGrantAction } from './actions/accessGrant';
import { createAccessRevokeAction } from './actions/accessRevoke';
import { createNetworkExposeAction } from './actions/networkExpose';
import { createNetworkJoinAction } from './actions/networkJoin';
import { createNetworkRevokeAction } from './actions/networkRevoke';
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
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        managementClusters: managementClustersServiceRef,
      },
      async init({
        scaffolder,
        config,
        auth,
        permissions,
        auditor,
        catalog,
        managementClusters,
      }) {
        // Every action that writes (or acts with the platform's credentials) asks this first.
        const authorizer = createTaskAuthorizer({
          authorizer: new CapaAuthorizer({ permissions, catalog, auth }),
          auditor,
        });
        const kubernetesVersions = config.getOptionalStringArray(
          'capa.kubernetesVersions',
        );
        // Callers in another AWS account are refused unless the platform enables RAM sharing.
        const sharing = config.getOptionalConfig(
          'capa.lattice.crossAccountSharing',
        );
        const network = {
          managementClusters,
          authorizer,
          crossAccountSharing: sharing?.getOptionalBoolean('enabled')
            ? {
                allowExternalPrincipals:
                  sharing.getOptionalBoolean('allowExternalPrincipals') ??
                  false,
              }
            : undefined,
        };
        scaffolder.addActions(
          createTenantRenderAction(),
          createClusterRenderAction({ kubernetesVersions }),
          createIamRenderAction(),
          createIamVerifyAction({
            authorizer,
            // The manager credentials configured for that management cluster; the default chain otherwise.
            managerCredentials: async name =>
              name
                ? managementClusters.get(name).getAwsCredentials()
                : undefined,
            // Its STS calls are bounded like every call for that management cluster.
            timeouts: name =>
              name ? managementClusters.get(name).timeouts : undefined,
          }),
          createApplyAction({ managementClusters, authorizer }),
          createClusterDeleteAction({ managementClusters, authorizer }),
          createClusterUpgradeAction({
            managementClusters,
            authorizer,
            kubernetesVersions,
          }),
          createNodePoolSetAction({ managementClusters, authorizer }),
          createAccessGrantAction({ managementClusters, authorizer }),
          createAccessRevokeAction({ managementClusters, authorizer }),
          createNetworkJoinAction(network),
          createNetworkExposeAction(network),
          createNetworkRevokeAction(network),
        );
      },
    });
  },
});

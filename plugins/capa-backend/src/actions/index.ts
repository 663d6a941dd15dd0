import type { AuditorService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { ClusterValidationOptions } from '@capa-backstage/plugin-capa-common';
import type {
  CapaAuthorizer,
  ManagementClusters,
} from '@capa-backstage/plugin-capa-node';
import type { ClusterAccess } from '../service/clusterAccess';
import { registerClusterReadActions } from './clusterReadActions';
import { registerPlanClusterAction } from './planClusterAction';

/**
 * Registers the plugin's actions with the actions registry, which serves them to the actions
 * service (and so, through the MCP actions backend, as MCP tools `capa.<name>`). None changes a
 * management cluster.
 */
export function registerCapaActions(options: {
  actionsRegistry: ActionsRegistryService;
  access: ClusterAccess;
  auditor: AuditorService;
  authorizer: CapaAuthorizer;
  managementClusters: ManagementClusters;
  validation: ClusterValidationOptions;
}) {
  const { actionsRegistry, access, auditor } = options;
  registerClusterReadActions({ actionsRegistry, access, auditor });
  registerPlanClusterAction({
    actionsRegistry,
    auditor,
    authorizer: options.authorizer,
    managementClusters: options.managementClusters,
    validation: options.validation,
  });
}

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { CapaPermissionPolicy } from './CapaPermissionPolicy';

/**
 * Sets {@link CapaPermissionPolicy} as the permission backend's policy, configured from
 * `capa.permissionPolicy`. Start-up fails, naming the key, when the config is invalid.
 *
 * @public
 */
export const permissionModuleCapaPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'capa-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, config, logger }) {
        const capaPolicy = CapaPermissionPolicy.fromConfig(config);
        policy.setPolicy(capaPolicy);
        logger.info(
          `CAPA permission policy active; platform groups: ${capaPolicy.platformGroupRefs.join(
            ', ',
          )}`,
        );
      },
    });
  },
});

import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { capaApiRef, CapaClient } from './api';
import {
  clusterPickerField,
  kubernetesVersionPickerField,
  managementClusterPickerField,
  tenantPickerField,
} from './formFields';
import { rootRouteRef, scaffolderTemplateRouteRef } from './routes';

/**
 * The CAPA frontend plugin for apps on the legacy frontend system. Apps on the new frontend system
 * use the default export of `@capa-backstage/plugin-capa/alpha` instead.
 *
 * @public
 */
export const capaPlugin = createPlugin({
  id: 'capa',
  apis: [
    createApiFactory({
      api: capaApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CapaClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
  externalRoutes: {
    scaffolderTemplate: scaffolderTemplateRouteRef,
  },
});

/**
 * The workload cluster card for a kubernetes-cluster Resource's entity page; guard it with
 * `isCapaClusterEntity` in an `EntitySwitch`.
 *
 * @public
 */
export const EntityCapaClusterCard: () => JSX.Element = capaPlugin.provide(
  createComponentExtension({
    name: 'EntityCapaClusterCard',
    component: {
      lazy: () =>
        import('./components/EntityCapaClusterCard').then(
          m => m.EntityCapaClusterCard,
        ),
    },
  }),
);

/**
 * The tenant's clusters card for a Group's entity page; guard it with `isCapaTenantGroup` in an
 * `EntitySwitch`.
 *
 * @public
 */
export const EntityCapaTenantClustersCard: () => JSX.Element =
  capaPlugin.provide(
    createComponentExtension({
      name: 'EntityCapaTenantClustersCard',
      component: {
        lazy: () =>
          import('./components/EntityCapaTenantClustersCard').then(
            m => m.EntityCapaTenantClustersCard,
          ),
      },
    }),
  );

/**
 * The fleet page: every workload cluster across the management clusters.
 *
 * @public
 */
export const CapaFleetPage: () => JSX.Element = capaPlugin.provide(
  createRoutableExtension({
    name: 'CapaFleetPage',
    component: () =>
      import('./components/CapaFleetPage').then(m => m.CapaFleetPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The scaffolder field `ui:field: CapaTenantPicker`: the tenants the signed-in user may create
 * clusters in; its value is `{ managementCluster, tenant, namespace }`. Add it inside
 * `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const CapaTenantPickerFieldExtension = capaPlugin.provide(
  createScaffolderFieldExtension({
    ...tenantPickerField,
    schema: tenantPickerField.schema.schema,
  }),
);

/**
 * The scaffolder field `ui:field: CapaClusterPicker`: the clusters the signed-in user may do
 * `ui:options.can` on (default `update`); its value is the cluster's catalog entity ref. Add it
 * inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const CapaClusterPickerFieldExtension = capaPlugin.provide(
  createScaffolderFieldExtension({
    ...clusterPickerField,
    schema: clusterPickerField.schema.schema,
  }),
);

/**
 * The scaffolder field `ui:field: CapaManagementClusterPicker`: one of the configured management
 * clusters, by name. Add it inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const CapaManagementClusterPickerFieldExtension = capaPlugin.provide(
  createScaffolderFieldExtension({
    ...managementClusterPickerField,
    schema: managementClusterPickerField.schema.schema,
  }),
);

/**
 * The scaffolder field `ui:field: CapaKubernetesVersionPicker`: one of the Kubernetes versions the
 * cluster actions accept, the newest by default. Add it inside `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const CapaKubernetesVersionPickerFieldExtension = capaPlugin.provide(
  createScaffolderFieldExtension({
    ...kubernetesVersionPickerField,
    schema: kubernetesVersionPickerField.schema.schema,
  }),
);

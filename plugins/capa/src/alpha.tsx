import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { Box } from '@material-ui/core';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import { capaApiRef, CapaClient } from './api';
import {
  capaClusterEntityPredicate,
  capaTenantGroupPredicate,
} from './entities';
import { rootRouteRef, scaffolderTemplateRouteRef } from './routes';

/**
 * The CAPA API client, on the discovery and fetch APIs.
 *
 * @alpha
 */
export const capaApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: capaApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CapaClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The workload cluster card, on the overview of kubernetes-cluster Resources that carry the CAPA
 * annotations. The filter can be overridden in app-config.
 *
 * @alpha
 */
export const capaClusterEntityCard = EntityCardBlueprint.make({
  name: 'cluster',
  params: {
    type: 'content',
    filter: capaClusterEntityPredicate,
    loader: () =>
      import('./components/EntityCapaClusterCard').then(m => (
        <m.EntityCapaClusterCard />
      )),
  },
});

/**
 * The tenant's clusters card, on the overview of Groups labelled `capa.backstage.io/tenant`.
 *
 * @alpha
 */
export const capaTenantClustersEntityCard = EntityCardBlueprint.make({
  name: 'tenant-clusters',
  params: {
    type: 'content',
    filter: capaTenantGroupPredicate,
    loader: () =>
      import('./components/EntityCapaTenantClustersCard').then(m => (
        <m.EntityCapaTenantClustersCard />
      )),
  },
});

/**
 * The fleet page at `/capa`, listed in the app's navigation.
 *
 * @alpha
 */
export const capaFleetPage = PageBlueprint.make({
  params: {
    path: '/capa',
    title: 'EKS clusters',
    icon: <CloudQueueIcon />,
    routeRef: rootRouteRef,
    // The app draws the page header; the content only needs the usual page padding.
    loader: () =>
      import('./components/CapaFleetPage').then(m => (
        <Box p={3}>
          <m.CapaFleetContent />
        </Box>
      )),
  },
});

/**
 * The scaffolder field `ui:field: CapaTenantPicker`: the tenants the signed-in user may create
 * clusters in; its value is `{ managementCluster, tenant, namespace }`.
 *
 * @alpha
 */
export const capaTenantPickerFormField = FormFieldBlueprint.make({
  name: 'tenant-picker',
  params: {
    field: () => import('./alphaFormFields').then(m => m.tenantPickerFormField),
  },
});

/**
 * The scaffolder field `ui:field: CapaClusterPicker`: the clusters the signed-in user may do
 * `ui:options.can` on (default `update`); its value is the cluster's catalog entity ref.
 *
 * @alpha
 */
export const capaClusterPickerFormField = FormFieldBlueprint.make({
  name: 'cluster-picker',
  params: {
    field: () =>
      import('./alphaFormFields').then(m => m.clusterPickerFormField),
  },
});

/**
 * The scaffolder field `ui:field: CapaManagementClusterPicker`: one of the configured management
 * clusters, by name.
 *
 * @alpha
 */
export const capaManagementClusterPickerFormField = FormFieldBlueprint.make({
  name: 'management-cluster-picker',
  params: {
    field: () =>
      import('./alphaFormFields').then(m => m.managementClusterPickerFormField),
  },
});

/**
 * The scaffolder field `ui:field: CapaKubernetesVersionPicker`: one of the Kubernetes versions the
 * cluster actions accept, the newest by default.
 *
 * @alpha
 */
export const capaKubernetesVersionPickerFormField = FormFieldBlueprint.make({
  name: 'kubernetes-version-picker',
  params: {
    field: () =>
      import('./alphaFormFields').then(m => m.kubernetesVersionPickerFormField),
  },
});

/**
 * The CAPA frontend plugin for the new frontend system: the API client, the cluster and tenant
 * entity cards, the fleet page with its navigation item, and the scaffolder form fields.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'capa',
  title: 'CAPA',
  icon: <CloudQueueIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
  },
  externalRoutes: {
    scaffolderTemplate: scaffolderTemplateRouteRef,
  },
  extensions: [
    capaApi,
    capaClusterEntityCard,
    capaTenantClustersEntityCard,
    capaFleetPage,
    capaTenantPickerFormField,
    capaClusterPickerFormField,
    capaManagementClusterPickerFormField,
    capaKubernetesVersionPickerFormField,
  ],
});

import {
  ApiBlueprint,
  PageBlueprint,
  coreExtensionData,
  createFrontendPlugin,
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { clusterEntityRef } from '@capa-backstage/plugin-capa-common';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import capaFrontendPlugin, {
  capaApi,
  capaClusterEntityCard,
  capaClusterPickerFormField,
  capaFleetPage,
  capaKubernetesVersionPickerFormField,
  capaManagementClusterPickerFormField,
  capaTenantClustersEntityCard,
  capaTenantPickerFormField,
} from './alpha';
import { capaApiRef, CapaClient } from './api';
import {
  clusterEntity,
  mockCapaApi,
  provisionedView,
  summary,
  tenantGroup,
} from './__fixtures__';
import { rootRouteRef } from './routes';

function renderEntityPage(entity: Entity) {
  const api = mockCapaApi();
  api.getCluster.mockResolvedValue(provisionedView);
  api.listClusters.mockResolvedValue({
    items: [summary({ name: 'acme-prod' })],
    totalItems: 1,
    phaseCounts: { Provisioned: 1 },
  });
  renderTestApp({
    extensions: [
      createTestEntityPage({ entity }),
      capaClusterEntityCard,
      capaTenantClustersEntityCard,
    ],
    apis: [[capaApiRef, api], mockApis.permission()],
  });
  return api;
}


// Rendering a whole app is slow on a busy machine (the suite runs many test files at once).
jest.setTimeout(60_000);

describe('the new frontend system plugin', () => {
  it('has the capa plugin id', () => {
    expect(capaFrontendPlugin.pluginId).toBe('capa');
  });

  it('shows the cluster card, and only it, on a CAPA cluster entity', async () => {
    const api = renderEntityPage(clusterEntity);
    expect(await screen.findByText('EKS cluster')).toBeInTheDocument();
    expect(await screen.findByLabelText('Status ok')).toHaveTextContent(
      'Provisioned',
    );
    expect(screen.queryByText('EKS clusters')).not.toBeInTheDocument();
    expect(api.listClusters).not.toHaveBeenCalled();
  });

  it('shows the tenant card, and only it, on a tenant group', async () => {
    const api = renderEntityPage(tenantGroup);
    expect(await screen.findByText('EKS clusters')).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'acme-prod' }),
    ).toBeInTheDocument();
    expect(api.getCluster).not.toHaveBeenCalled();
  });

  it('shows neither card on other entities', async () => {
    renderEntityPage({
      ...clusterEntity,
      spec: { type: 'kubernetes-management-cluster', owner: 'platform-team' },
    });
    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
  });

  it("binds the cluster card's template links to the scaffolder by default", async () => {
    // A stand-in for the scaffolder plugin: its id and its selectedTemplate route are what the
    // default binding targets (scaffolder.selectedTemplate).
    const root = createRouteRef();
    const scaffolder = createFrontendPlugin({
      pluginId: 'scaffolder',
      routes: {
        root,
        selectedTemplate: createSubRouteRef({
          parent: root,
          path: '/templates/:namespace/:templateName',
        }),
      },
      extensions: [
        PageBlueprint.make({
          params: {
            path: '/create',
            routeRef: root,
            loader: async () => <div>scaffolder</div>,
          },
        }),
      ],
    });
    const api = mockCapaApi();
    api.getCluster.mockResolvedValue(provisionedView);
    renderTestApp({
      features: [capaFrontendPlugin, scaffolder],
      extensions: [createTestEntityPage({ entity: clusterEntity })],
      apis: [[capaApiRef, api], mockApis.permission()],
    });
    expect(
      await screen.findByRole('link', { name: 'Upgrade the cluster' }),
    ).toHaveAttribute(
      'href',
      `/create/templates/default/capa-upgrade-cluster?formData=${encodeURIComponent(
        JSON.stringify({
          cluster: clusterEntityRef({
            managementCluster: 'local',
            namespace: 'tenant-acme',
            name: 'acme-prod',
          }),
        }),
      )}`,
    );
  });

  it('offers the fleet page with a title and icon for the navigation', () => {
    const tester = createExtensionTester(capaFleetPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/capa');
    expect(tester.get(coreExtensionData.routeRef)).toBe(rootRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('EKS clusters');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('renders the fleet page at /capa', async () => {
    const api = mockCapaApi();
    api.listClusters.mockResolvedValue({
      items: [summary({ name: 'acme-prod' }), summary({ name: 'acme-dev' })],
      totalItems: 2,
      phaseCounts: { Provisioned: 2 },
    });
    renderTestApp({
      features: [capaFrontendPlugin],
      initialRouteEntries: ['/capa'],
      apis: [[capaApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(await screen.findByText('Clusters (2)')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'sidebar nav' });
    expect(
      within(nav).getByRole('link', { name: 'EKS clusters' }),
    ).toHaveAttribute('href', '/capa');
  });

  it.each([
    [
      'CapaTenantPicker',
      createExtensionTester(capaTenantPickerFormField).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ),
    ],
    [
      'CapaClusterPicker',
      createExtensionTester(capaClusterPickerFormField).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ),
    ],
    [
      'CapaManagementClusterPicker',
      createExtensionTester(capaManagementClusterPickerFormField).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ),
    ],
    [
      'CapaKubernetesVersionPicker',
      createExtensionTester(capaKubernetesVersionPickerFormField).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ),
    ],
  ])(
    'offers the scaffolder the form field %s, named as templates use it',
    async (name, load) => {
      expect(await load()).toMatchObject({
        $$type: '@backstage/scaffolder/FormField',
        name,
        component: expect.any(Function),
      });
    },
  );

  it('attaches the form fields to the scaffolder under stable ids', () => {
    for (const id of [
      'scaffolder-form-field:capa/tenant-picker',
      'scaffolder-form-field:capa/cluster-picker',
      'scaffolder-form-field:capa/management-cluster-picker',
      'scaffolder-form-field:capa/kubernetes-version-picker',
    ] as const) {
      const extension = capaFrontendPlugin.getExtension(id);
      expect(String(extension)).toContain('api:scaffolder/form-fields');
    }
  });

  it('provides the CapaClient on the discovery and fetch APIs', async () => {
    const factory = createExtensionTester(capaApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(capaApiRef);
    const fetch = jest.fn().mockResolvedValue(
      new Response(JSON.stringify({ managementClusters: [] }), {
        headers: { 'content-type': 'application/json' },
      }),
    );
    const client = factory.factory({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://example.test' }),
      fetchApi: { fetch },
    });
    expect(client).toBeInstanceOf(CapaClient);
    await (client as CapaClient).getHealth();
    expect(fetch).toHaveBeenCalledWith('http://example.test/api/capa/health');
  });
});

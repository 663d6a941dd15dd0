import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { clusterEntityName } from '@capa-backstage/plugin-capa-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { capaApiRef, type CapaApi } from '../../api';
import {
  mockCapaApi,
  pending,
  responseError,
  summary,
  tenantGroup,
} from '../../__fixtures__';
import { EntityCapaTenantClustersCard } from './EntityCapaTenantClustersCard';

function renderCard(api: CapaApi, entity: Entity = tenantGroup) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [capaApiRef, api],
        mockApis.config({
          data: {
            capa: { accountNames: { '111122223333': 'acme-production' } },
          },
        }),
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityCapaTenantClustersCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityCapaTenantClustersCard', () => {
  it("lists the tenant's clusters with phase, account, region and version, linked to their entities", async () => {
    const api = mockCapaApi();
    // In the order the server sorts them by (name).
    api.listClusters.mockResolvedValue({
      items: [
        summary({ name: 'acme-prod' }),
        summary({
          name: 'acme-staging',
          phase: 'Provisioning',
          kubernetesVersion: 'v1.32.1',
          region: 'eu-central-1',
        }),
      ],
      totalItems: 2,
      phaseCounts: { Provisioned: 1, Provisioning: 1 },
    });
    renderCard(api);

    const table = await screen.findByRole('table', {
      name: 'Clusters of tenant acme',
    });
    expect(api.listClusters).toHaveBeenCalledWith({
      tenant: 'acme',
      sort: 'name',
      limit: 20,
      facets: true,
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);

    expect(rows[0]).toHaveTextContent('acme-prod');
    expect(within(rows[0]).getByLabelText('Status ok')).toHaveTextContent(
      'Provisioned',
    );
    expect(rows[0]).toHaveTextContent('111122223333 (acme-production)');
    expect(rows[0]).toHaveTextContent('eu-west-1');
    expect(rows[0]).toHaveTextContent('v1.31.0');
    expect(
      within(rows[0]).getByRole('link', { name: 'acme-prod' }),
    ).toHaveAttribute(
      'href',
      `/catalog/default/resource/${clusterEntityName(
        'local',
        'tenant-acme',
        'acme-prod',
      )}`,
    );

    expect(rows[1]).toHaveTextContent('acme-staging');
    expect(within(rows[1]).getByLabelText('Status running')).toHaveTextContent(
      'Provisioning',
    );
    expect(rows[1]).toHaveTextContent('eu-central-1');
    expect(rows[1]).toHaveTextContent('v1.32.1');

    expect(
      screen.getByText(
        'Tenant acme - 2 clusters: 1 Provisioned, 1 Provisioning',
      ),
    ).toBeInTheDocument();
  });

  it("pages through the tenant's clusters with the server's cursors", async () => {
    const api = mockCapaApi();
    api.listClusters.mockImplementation(async request =>
      request?.cursor === 'page-2'
        ? {
            items: [summary({ name: 'b' })],
            totalItems: 21,
            phaseCounts: { Provisioned: 21 },
          }
        : {
            items: [summary({ name: 'a' })],
            totalItems: 21,
            phaseCounts: { Provisioned: 21 },
            nextCursor: 'page-2',
          },
    );
    renderCard(api);
    const table = await screen.findByRole('table', {
      name: 'Clusters of tenant acme',
    });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(
      screen.getByText('Tenant acme - 21 clusters: 21 Provisioned'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: 'b' })).toBeInTheDocument();
    expect(api.listClusters).toHaveBeenLastCalledWith({
      tenant: 'acme',
      sort: 'name',
      limit: 20,
      facets: true,
      cursor: 'page-2',
    });
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByRole('link', { name: 'a' })).toBeInTheDocument();
    await waitFor(() =>
      expect(api.listClusters).toHaveBeenLastCalledWith({
        tenant: 'acme',
        sort: 'name',
        limit: 20,
        facets: true,
      }),
    );
  });

  it('says so when the tenant has no clusters', async () => {
    const api = mockCapaApi();
    api.listClusters.mockResolvedValue({
      items: [],
      totalItems: 0,
      phaseCounts: {},
    });
    renderCard(api);
    expect(
      await screen.findByText('Tenant acme has no clusters yet.'),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    const api = mockCapaApi();
    api.listClusters.mockReturnValue(pending());
    renderCard(api);
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('says the backend is unreachable', async () => {
    const api = mockCapaApi();
    api.listClusters.mockRejectedValue(new TypeError('Failed to fetch'));
    renderCard(api);
    expect(
      await screen.findByText('Error: CAPA backend unreachable'),
    ).toBeInTheDocument();
  });

  it('says permission was denied', async () => {
    const api = mockCapaApi();
    api.listClusters.mockRejectedValue(
      await responseError(403, 'Forbidden', 'NotAllowedError', 'Unauthorized'),
    );
    renderCard(api);
    expect(
      await screen.findByText('Warning: Permission denied'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('You may not list the clusters of tenant acme.'),
    ).toBeInTheDocument();
  });

  it('explains a group that is not a tenant without calling the backend', async () => {
    const api = mockCapaApi();
    renderCard(api, {
      ...tenantGroup,
      metadata: { name: 'platform-team', namespace: 'default' },
    });
    expect(
      await screen.findByText(
        /This group is not a CAPA tenant: it has no capa.backstage.io\/tenant label/,
      ),
    ).toBeInTheDocument();
    expect(api.listClusters).not.toHaveBeenCalled();
  });

  it('marks the clusters that need attention, counts each cause and lists only them on request', async () => {
    const api = mockCapaApi();
    const broken = summary({
      name: 'acme-broken',
      phase: 'Provisioning',
      causes: ['quota-vpcs', 'identity-namespace-not-allowed'],
    });
    api.listClusters.mockImplementation(async request => ({
      items:
        request?.cause === 'any'
          ? [broken]
          : [summary({ name: 'acme-prod' }), broken],
      totalItems: request?.cause === 'any' ? 1 : 2,
      phaseCounts: { Provisioned: 1, Provisioning: 1 },
      facets: {
        tenant: [],
        managementCluster: [],
        accountId: [],
        region: [],
        kubernetesVersion: [],
        cause: [
          { value: 'identity-namespace-not-allowed', count: 1 },
          { value: 'quota-vpcs', count: 1 },
        ],
      },
    }));
    renderCard(api);

    const table = await screen.findByRole('table', {
      name: 'Clusters of tenant acme',
    });
    expect(
      screen.getByText(/Needs attention: .*namespace.* \(1\), .*VPC.* \(1\)/i),
    ).toBeInTheDocument();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]).queryByLabelText(/Needs attention/)).toBeNull();
    expect(
      within(rows[1]).getByLabelText(/Needs attention: .*VPC.*; /i),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show only these' }),
    );
    await waitFor(() =>
      expect(api.listClusters).toHaveBeenLastCalledWith({
        tenant: 'acme',
        sort: 'name',
        limit: 20,
        facets: true,
        cause: 'any',
      }),
    );
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('table', { name: 'Clusters of tenant acme' }),
        ).getAllByRole('row'),
      ).toHaveLength(2),
    );
    expect(
      screen.getByRole('button', { name: 'Show all clusters' }),
    ).toBeInTheDocument();
  });
});

import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { clusterEntityName } from '@capa-backstage/plugin-capa-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { capaApiRef, type CapaApi } from '../../api';
import {
  mockCapaApi,
  pending,
  responseError,
  summary,
} from '../../__fixtures__';
import { CapaFleetContent, CapaFleetPage } from './CapaFleetPage';

const fleet = [
  summary({
    name: 'acme-prod',
    kubernetesVersion: 'v1.30.4',
    createdAt: '2024-03-01T00:00:00Z',
  }),
  summary({
    name: 'acme-dev',
    phase: 'Provisioning',
    kubernetesVersion: 'v1.9.0',
    region: 'eu-central-1',
    createdAt: '2025-05-01T00:00:00Z',
  }),
  summary({
    name: 'globex-prod',
    namespace: 'tenant-globex',
    tenant: 'globex',
    accountId: '444455556666',
    region: 'us-east-1',
    kubernetesVersion: 'v1.10.2',
    phase: 'Failed',
    createdAt: '2024-01-01T00:00:00Z',
  }),
  summary({
    name: 'globex-old',
    managementCluster: 'us',
    namespace: 'tenant-globex',
    tenant: 'globex',
    accountId: '444455556666',
    region: 'us-east-1',
    kubernetesVersion: undefined,
    phase: 'Deleting',
    deleting: true,
    createdAt: '2023-01-01T00:00:00Z',
  }),
];

function renderFleet(api: CapaApi, element = <CapaFleetContent />) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [capaApiRef, api],
        mockApis.config({
          data: {
            capa: {
              accountNames: {
                '111122223333': 'acme-production',
                '444455556666': 'globex-main',
              },
            },
          },
        }),
      ]}
    >
      {element}
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

function fleetApi(items = fleet) {
  const api = mockCapaApi();
  api.listClusters.mockResolvedValue({
    items,
    totalItems: items.length,
    phaseCounts: {},
  });
  return api;
}

/** The cluster names in the table, top to bottom. */
function shownClusters(): string[] {
  const table = screen.getByRole('table');
  return within(table)
    .queryAllByRole('link')
    .map(link => link.textContent ?? '');
}

/** Clicks a column's sort label (material-table nests a drag handle inside it, also a button). */
async function sortBy(column: RegExp) {
  const header = screen.getByRole('columnheader', { name: column });
  await userEvent.click(within(header).getAllByRole('button')[0]);
}

function phaseCount(phase: string) {
  const group = screen.getByRole('group', { name: 'Clusters per phase' });
  return within(group)
    .getAllByRole('button')
    .find(b => b.textContent?.startsWith(phase))!;
}

describe('CapaFleetContent', () => {
  it('lists every cluster with links to their entities', async () => {
    renderFleet(fleetApi());
    expect(await screen.findByText('Clusters (4)')).toBeInTheDocument();
    expect(shownClusters().sort()).toEqual([
      'acme-dev',
      'acme-prod',
      'globex-old',
      'globex-prod',
    ]);
    expect(screen.getByRole('link', { name: 'globex-old' })).toHaveAttribute(
      'href',
      `/catalog/default/resource/${clusterEntityName(
        'us',
        'tenant-globex',
        'globex-old',
      )}`,
    );
    expect(
      within(screen.getByRole('table')).getAllByText(
        '111122223333 (acme-production)',
      ),
    ).toHaveLength(2);
  });

  it('counts the clusters per phase', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    expect(phaseCount('Provisioned')).toHaveTextContent(/Provisioned\s*1$/);
    expect(phaseCount('Provisioning')).toHaveTextContent(/Provisioning\s*1$/);
    expect(phaseCount('Pending')).toHaveTextContent(/Pending\s*0$/);
    expect(phaseCount('Deleting')).toHaveTextContent(/Deleting\s*1$/);
    expect(phaseCount('Failed')).toHaveTextContent(/Failed\s*1$/);
    expect(phaseCount('Unknown')).toHaveTextContent(/Unknown\s*0$/);
  });

  it('filters by phase through the counts, and back', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    await userEvent.click(phaseCount('Failed'));
    expect(phaseCount('Failed')).toHaveAttribute('aria-pressed', 'true');
    expect(shownClusters()).toEqual(['globex-prod']);
    await userEvent.click(phaseCount('Failed'));
    expect(shownClusters()).toHaveLength(4);
  });

  it('filters by tenant and counts phases within the filter', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    await userEvent.selectOptions(screen.getByLabelText('Tenant'), 'globex');
    expect(shownClusters().sort()).toEqual(['globex-old', 'globex-prod']);
    expect(phaseCount('Provisioned')).toHaveTextContent(/Provisioned\s*0$/);
    expect(phaseCount('Failed')).toHaveTextContent(/Failed\s*1$/);
  });

  it('filters by AWS account, offering the friendly names', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    const account = screen.getByLabelText('AWS account');
    expect(
      within(account).getByRole('option', {
        name: '444455556666 (globex-main)',
      }),
    ).toBeInTheDocument();
    await userEvent.selectOptions(account, '111122223333');
    expect(shownClusters().sort()).toEqual(['acme-dev', 'acme-prod']);
  });

  it('filters by region, version and management cluster together', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    await userEvent.selectOptions(screen.getByLabelText('Region'), 'us-east-1');
    expect(shownClusters().sort()).toEqual(['globex-old', 'globex-prod']);
    await userEvent.selectOptions(
      screen.getByLabelText('Management cluster'),
      'us',
    );
    expect(shownClusters()).toEqual(['globex-old']);
    await userEvent.selectOptions(
      screen.getByLabelText('Management cluster'),
      '',
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Kubernetes version'),
      'v1.10.2',
    );
    expect(shownClusters()).toEqual(['globex-prod']);
  });

  it('offers versions in version order', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    const options = within(screen.getByLabelText('Kubernetes version'))
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(options).toEqual(['All', 'v1.9.0', 'v1.10.2', 'v1.30.4']);
  });

  it('clears all filters at once', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    await userEvent.selectOptions(screen.getByLabelText('Tenant'), 'acme');
    await userEvent.click(phaseCount('Provisioning'));
    expect(shownClusters()).toEqual(['acme-dev']);
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    expect(shownClusters()).toHaveLength(4);
    expect(screen.getByLabelText('Tenant')).toHaveValue('');
  });

  it('says so when no cluster matches', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    await userEvent.selectOptions(screen.getByLabelText('Tenant'), 'acme');
    await userEvent.click(phaseCount('Failed'));
    expect(
      screen.getByText('No cluster matches these filters.'),
    ).toBeInTheDocument();
  });

  it('sorts versions numerically, both ways', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    await sortBy(/Kubernetes version/);
    expect(shownClusters()).toEqual([
      'acme-dev',
      'globex-prod',
      'acme-prod',
      'globex-old',
    ]);
    await sortBy(/Kubernetes version/);
    expect(shownClusters()).toEqual([
      'globex-old',
      'acme-prod',
      'globex-prod',
      'acme-dev',
    ]);
  });

  it('sorts by tenant, by phase and by age', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    await sortBy(/Tenant/);
    expect(shownClusters().slice(0, 2).sort()).toEqual([
      'acme-dev',
      'acme-prod',
    ]);
    await sortBy(/Phase/);
    expect(shownClusters()).toEqual([
      'acme-prod',
      'acme-dev',
      'globex-old',
      'globex-prod',
    ]);
    await sortBy(/Age/);
    expect(shownClusters()).toEqual([
      'globex-old',
      'globex-prod',
      'acme-prod',
      'acme-dev',
    ]);
  });

  it('warns about management clusters the backend cannot serve', async () => {
    const api = fleetApi();
    api.getHealth.mockResolvedValue({
      managementClusters: [
        {
          name: 'local',
          reachable: true,
          crds: { capi: true, capa: true },
          cacheAgeSeconds: 3,
        },
        {
          name: 'us',
          reachable: false,
          error: 'connect ECONNREFUSED',
          crds: { capi: false, capa: false },
        },
        { name: 'eu', reachable: true, crds: { capi: true, capa: false } },
      ],
    });
    renderFleet(api);
    const problems = await screen.findByRole('list', {
      name: 'Management cluster problems',
    });
    expect(
      within(problems)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'us: unreachable (connect ECONNREFUSED)',
      'eu: the CAPA CRDs are not installed',
    ]);
  });

  it('shows the clusters even when the health check fails', async () => {
    const api = fleetApi();
    api.getHealth.mockRejectedValue(new TypeError('Failed to fetch'));
    renderFleet(api);
    expect(await screen.findByText('Clusters (4)')).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Management cluster problems' }),
    ).not.toBeInTheDocument();
  });

  it('says when the fleet is too large to load at once', async () => {
    const api = mockCapaApi();
    api.listClusters.mockResolvedValue({
      items: [summary({ name: 'a' })],
      totalItems: 50000,
      phaseCounts: { Provisioned: 50000 },
      nextCursor: 'more',
    });
    renderFleet(api);
    expect(
      await screen.findByText('Info: Showing 100 of 50000 clusters'),
    ).toBeInTheDocument();
    expect(api.listClusters).toHaveBeenCalledTimes(100);
  });

  it('shows progress while loading', async () => {
    const api = mockCapaApi();
    api.listClusters.mockReturnValue(pending());
    renderFleet(api);
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('says the backend is unreachable', async () => {
    const api = mockCapaApi();
    api.listClusters.mockRejectedValue(
      await responseError(
        502,
        'Bad Gateway',
        'Error',
        'upstream connect error',
      ),
    );
    renderFleet(api);
    expect(
      await screen.findByText('Error: CAPA backend unreachable'),
    ).toBeInTheDocument();
  });

  it('says permission was denied', async () => {
    const api = mockCapaApi();
    api.listClusters.mockRejectedValue(
      await responseError(403, 'Forbidden', 'NotAllowedError', 'Unauthorized'),
    );
    renderFleet(api);
    expect(
      await screen.findByText('Warning: Permission denied'),
    ).toBeInTheDocument();
  });

  it('says so when there are no clusters', async () => {
    renderFleet(fleetApi([]));
    expect(
      await screen.findByText('No workload clusters yet, or none you may see.'),
    ).toBeInTheDocument();
  });
});

describe('CapaFleetPage', () => {
  it('wraps the fleet in a page with a header', async () => {
    renderFleet(fleetApi(), <CapaFleetPage />);
    expect(
      await screen.findByRole('heading', { name: 'EKS clusters' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Clusters (4)')).toBeInTheDocument();
  });
});

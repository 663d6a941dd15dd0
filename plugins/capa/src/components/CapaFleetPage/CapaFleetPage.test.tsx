import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { clusterEntityName } from '@capa-backstage/plugin-capa-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { capaApiRef, type CapaApi } from '../../api';
import {
  mockCapaApi,
  pending,
  responseError,
  summary,
} from '../../__fixtures__';
import { fleetAnswer } from '../../__fixtures__/fleetServer';
import { clusterEntityRef } from '../../entities';
import { CapaFleetContent, CapaFleetPage } from './CapaFleetPage';

// Called once per rendered row (its link): counts the rows' renders.
jest.mock('../../entities', () => {
  const actual = jest.requireActual('../../entities');
  return { ...actual, clusterEntityRef: jest.fn(actual.clusterEntityRef) };
});

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
    causes: ['quota-vpcs'],
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
    causes: ['quota-vpcs', 'quota-elastic-ips'],
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

/** An API whose cluster list answers as the backend would for `items`. */
function fleetApi(items = fleet) {
  const api = mockCapaApi();
  api.listClusters.mockImplementation(async request =>
    fleetAnswer(items, request),
  );
  return api;
}

/** The last request the page sent for the cluster list. */
function lastRequest(api: ReturnType<typeof mockCapaApi>) {
  return api.listClusters.mock.lastCall?.[0];
}

/** The cluster names in the table, top to bottom. */
function shownClusters(): string[] {
  // The pager, when shown, is a second table.
  // (querySelectorAll: role queries over a 20-row table are slow enough to time tests out.)
  const [table] = screen.getAllByRole('table');
  return Array.from(table.querySelectorAll('a')).map(a => a.textContent ?? '');
}

/** Clicks a column's sort label. */
async function sortBy(column: RegExp) {
  const header = screen.getByRole('columnheader', { name: column });
  await userEvent.click(within(header).getAllByRole('button')[0]);
}

/** Waits until the table shows these clusters, top to bottom. */
async function shows(names: string[]) {
  await waitFor(() => expect(shownClusters()).toEqual(names));
}

function phaseCount(phase: string) {
  const group = screen.getByRole('group', { name: 'Clusters per phase' });
  return within(group)
    .getAllByRole('button')
    .find(b => b.textContent?.startsWith(phase))!;
}

// Every change is a round trip to the (mocked) server: slower than filtering in the browser.
jest.setTimeout(20_000);

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
    const api = fleetApi();
    renderFleet(api);
    await screen.findByText('Clusters (4)');
    await userEvent.click(phaseCount('Failed'));
    expect(phaseCount('Failed')).toHaveAttribute('aria-pressed', 'true');
    await shows(['globex-prod']);
    expect(lastRequest(api)).toMatchObject({ phase: 'Failed' });
    // The server counts every phase without the phase filter, so the chips stay put.
    expect(phaseCount('Provisioned')).toHaveTextContent(/Provisioned\s*1$/);
    await userEvent.click(phaseCount('Failed'));
    await waitFor(() => expect(shownClusters()).toHaveLength(4));
    expect(lastRequest(api)?.phase).toBeUndefined();
  });

  it('filters by tenant and counts phases within the filter', async () => {
    const api = fleetApi();
    renderFleet(api);
    await screen.findByText('Clusters (4)');
    await userEvent.selectOptions(screen.getByLabelText('Tenant'), 'globex');
    await shows(['globex-prod', 'globex-old']);
    expect(lastRequest(api)).toMatchObject({ tenant: 'globex' });
    expect(phaseCount('Provisioned')).toHaveTextContent(/Provisioned\s*0$/);
    expect(phaseCount('Failed')).toHaveTextContent(/Failed\s*1$/);
  });

  it('marks clusters that need attention and filters by cause, counting each', async () => {
    const api = fleetApi();
    renderFleet(api);
    await screen.findByText('Clusters (4)');
    expect(
      screen.getByLabelText(
        'Needs attention: VPC quota reached; Elastic IP quota reached',
      ),
    ).toHaveTextContent('VPC quota reached +1');
    const cause = screen.getByLabelText('Needs attention');
    expect(
      within(cause)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'All',
      'Any cause',
      'Elastic IP quota reached (1)',
      'VPC quota reached (2)',
    ]);
    await userEvent.selectOptions(cause, 'quota-vpcs');
    await shows(['acme-dev', 'globex-prod']);
    expect(lastRequest(api)).toMatchObject({ cause: 'quota-vpcs' });
    await userEvent.selectOptions(screen.getByLabelText('Tenant'), 'globex');
    await shows(['globex-prod']);
    await userEvent.selectOptions(
      screen.getByLabelText('Needs attention'),
      'any',
    );
    await shows(['globex-prod']);
    expect(lastRequest(api)).toMatchObject({ cause: 'any', tenant: 'globex' });
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
    await shows(['acme-prod', 'acme-dev']);
  });

  it('filters by region, version and management cluster together', async () => {
    const api = fleetApi();
    renderFleet(api);
    await screen.findByText('Clusters (4)');
    await userEvent.selectOptions(screen.getByLabelText('Region'), 'us-east-1');
    await shows(['globex-prod', 'globex-old']);
    await userEvent.selectOptions(
      screen.getByLabelText('Management cluster'),
      'us',
    );
    await shows(['globex-old']);
    await userEvent.selectOptions(
      screen.getByLabelText('Management cluster'),
      '',
    );
    await shows(['globex-prod', 'globex-old']);
    await userEvent.selectOptions(
      screen.getByLabelText('Kubernetes version'),
      'v1.10.2',
    );
    await shows(['globex-prod']);
    expect(lastRequest(api)).toEqual({
      region: 'us-east-1',
      kubernetesVersion: 'v1.10.2',
      facets: true,
      limit: 20,
    });
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
    await shows(['acme-prod', 'acme-dev']);
    await userEvent.click(phaseCount('Provisioning'));
    await shows(['acme-dev']);
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() => expect(shownClusters()).toHaveLength(4));
    expect(screen.getByLabelText('Tenant')).toHaveValue('');
  });

  it('says so when no cluster matches', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    await userEvent.selectOptions(screen.getByLabelText('Tenant'), 'acme');
    await shows(['acme-prod', 'acme-dev']);
    await userEvent.click(phaseCount('Failed'));
    expect(
      await screen.findByText('No cluster matches these filters.'),
    ).toBeInTheDocument();
  });

  it('sorts versions numerically, both ways', async () => {
    const api = fleetApi();
    renderFleet(api);
    await screen.findByText('Clusters (4)');
    await sortBy(/Kubernetes version/);
    await shows(['acme-dev', 'globex-prod', 'acme-prod', 'globex-old']);
    expect(lastRequest(api)).toMatchObject({
      sort: 'kubernetesVersion',
      order: 'asc',
    });
    await sortBy(/Kubernetes version/);
    await shows(['globex-old', 'acme-prod', 'globex-prod', 'acme-dev']);
    expect(lastRequest(api)).toMatchObject({
      sort: 'kubernetesVersion',
      order: 'desc',
    });
    // A third click goes back to the server's default order.
    await sortBy(/Kubernetes version/);
    await waitFor(() => expect(lastRequest(api)?.sort).toBeUndefined());
  });

  it("shows rows in the server's order, never re-sorting them", async () => {
    const api = mockCapaApi();
    const [a, b, c] = fleet;
    api.listClusters.mockImplementation(async request => ({
      // Not sorted by name in any way the browser would sort.
      items: request?.sort === 'name' ? [c, a, b] : [a, b, c],
      totalItems: 3,
      phaseCounts: {},
    }));
    renderFleet(api);
    await screen.findByText('Clusters (3)');
    await sortBy(/Cluster/);
    await shows([c.name, a.name, b.name]);
    expect(lastRequest(api)).toMatchObject({ sort: 'name', order: 'asc' });
  });

  it('sorts by tenant, by phase and by age', async () => {
    const api = fleetApi();
    renderFleet(api);
    await screen.findByText('Clusters (4)');
    await sortBy(/Tenant/);
    await waitFor(() =>
      expect(lastRequest(api)).toMatchObject({ sort: 'tenant' }),
    );
    await waitFor(() =>
      expect(shownClusters().slice(0, 2).sort()).toEqual([
        'acme-dev',
        'acme-prod',
      ]),
    );
    await sortBy(/Phase/);
    await shows(['acme-prod', 'acme-dev', 'globex-old', 'globex-prod']);
    expect(lastRequest(api)).toMatchObject({ sort: 'phase', order: 'asc' });
    await sortBy(/Age/);
    await shows(['globex-old', 'globex-prod', 'acme-prod', 'acme-dev']);
    expect(lastRequest(api)).toMatchObject({
      sort: 'createdAt',
      order: 'asc',
    });
  });

  it('warns about management clusters the backend cannot serve', async () => {
    const api = fleetApi();
    api.getHealth.mockResolvedValue({
      managementClusters: [
        {
          name: 'local',
          reachable: true,
          synced: true,
          crds: { capi: true, capa: true },
          cacheAgeSeconds: 3,
          objects: {},
        },
        {
          name: 'us',
          reachable: false,
          synced: false,
          error: 'connect ECONNREFUSED',
          crds: { capi: false, capa: false },
          objects: {},
        },
        {
          name: 'eu',
          reachable: true,
          synced: true,
          crds: { capi: true, capa: false },
          objects: {},
        },
        {
          name: 'ap',
          reachable: false,
          synced: true,
          failingSince: '2026-11-30T10:00:00.000Z',
          error: 'Cluster: timeout',
          crds: { capi: true, capa: true },
          objects: {},
        },
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
      `ap: unreachable since ${new Date(
        '2026-11-30T10:00:00.000Z',
      ).toLocaleString()}, showing its last known clusters (Cluster: timeout)`,
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

  it('loads one page at a time, following the server cursors both ways', async () => {
    const many = Array.from({ length: 45 }, (_, i) =>
      summary({ name: `c${String(i).padStart(2, '0')}` }),
    );
    const api = fleetApi(many);
    renderFleet(api);
    expect(await screen.findByText('Clusters (45)')).toBeInTheDocument();
    expect(shownClusters()).toHaveLength(20);
    expect(shownClusters()[0]).toBe('c00');
    expect(api.listClusters).toHaveBeenCalledTimes(1);
    expect(lastRequest(api)).toEqual({ facets: true, limit: 20 });

    await userEvent.click(screen.getByLabelText('Next Page'));
    await waitFor(() => expect(shownClusters()[0]).toBe('c20'));
    expect(lastRequest(api)).toEqual({
      facets: true,
      limit: 20,
      cursor: 'offset-20',
    });
    await userEvent.click(screen.getByLabelText('Next Page'));
    await shows(['c40', 'c41', 'c42', 'c43', 'c44']);
    expect(lastRequest(api)?.cursor).toBe('offset-40');

    await userEvent.click(screen.getByLabelText('Previous Page'));
    await waitFor(() => expect(shownClusters()[0]).toBe('c20'));
    expect(lastRequest(api)?.cursor).toBe('offset-20');

    // A filter starts again at the first page.
    await userEvent.click(phaseCount('Provisioned'));
    await waitFor(() => expect(shownClusters()[0]).toBe('c00'));
    expect(lastRequest(api)).toEqual({
      phase: 'Provisioned',
      facets: true,
      limit: 20,
    });
  });

  it('offers the filter values the server counted, in its order', async () => {
    const api = mockCapaApi();
    api.listClusters.mockResolvedValue({
      items: [fleet[0]],
      totalItems: 1,
      phaseCounts: { Provisioned: 1 },
      facets: {
        tenant: [
          { value: 'initech', count: 7 },
          { value: 'acme', count: 1 },
        ],
        managementCluster: [],
        accountId: [],
        region: [],
        kubernetesVersion: [{ value: 'v1.31.0', count: 1 }],
        cause: [],
      },
    });
    renderFleet(api);
    await screen.findByText('Clusters (1)');
    const options = (label: string) =>
      within(screen.getByLabelText(label))
        .getAllByRole('option')
        .map(o => o.textContent);
    // initech has no cluster on this page: the dropdown needs no download of the fleet.
    expect(options('Tenant')).toEqual(['All', 'initech', 'acme']);
    expect(options('Region')).toEqual(['All']);
    expect(api.listClusters).toHaveBeenCalledWith(
      expect.objectContaining({ facets: true }),
    );
  });

  it('searches on the server', async () => {
    const api = fleetApi();
    renderFleet(api);
    await screen.findByText('Clusters (4)');
    await userEvent.type(screen.getByLabelText('Search'), 'globex');
    await shows(['globex-prod', 'globex-old']);
    expect(lastRequest(api)).toMatchObject({ search: 'globex' });
    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() => expect(shownClusters()).toHaveLength(4));
    expect(screen.getByLabelText('Search')).toHaveValue('');
  });

  it('sends the search 100 ms after the last key, as one request', async () => {
    jest.useFakeTimers();
    try {
      const api = fleetApi();
      renderFleet(api);
      await screen.findByText('Clusters (4)');
      const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
      await user.type(screen.getByLabelText('Search'), 'globex');
      const searches = () =>
        api.listClusters.mock.calls.filter(([r]) => r?.search).length;
      act(() => jest.advanceTimersByTime(99));
      expect(searches()).toBe(0);
      act(() => jest.advanceTimersByTime(1));
      expect(searches()).toBe(1);
      expect(lastRequest(api)).toMatchObject({ search: 'globex' });
      await shows(['globex-prod', 'globex-old']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('renders no row again for a key typed in the search field', async () => {
    renderFleet(fleetApi());
    await screen.findByText('Clusters (4)');
    const renders = jest.mocked(clusterEntityRef).mock.calls.length;
    await userEvent.type(screen.getByLabelText('Search'), 'glo');
    // Typed, not yet searched: the rows are as they were, not rendered again.
    expect(jest.mocked(clusterEntityRef).mock.calls.length).toBe(renders);
    await waitFor(() => expect(shownClusters()).toHaveLength(2));
  });

  it('keeps the rows under a progress bar while the next order loads', async () => {
    const api = fleetApi();
    renderFleet(api);
    await screen.findByText('Clusters (4)');
    api.listClusters.mockReturnValue(pending());
    await sortBy(/Kubernetes version/);
    expect(
      await screen.findByRole('progressbar', { name: 'Loading clusters' }),
    ).toBeInTheDocument();
    expect(shownClusters()).toHaveLength(4);
    expect(screen.getByText('Clusters (4)')).toBeInTheDocument();
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

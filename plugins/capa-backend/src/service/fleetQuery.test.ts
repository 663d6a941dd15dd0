import { InputError } from '@backstage/errors';
import type { ClusterSummary } from '@capa-backstage/plugin-capa-common';
import { FleetOrder } from './fleetOrder';
import {
  candidatesOf,
  fleetPage,
  type FleetQuery,
  type ClusterFilters,
} from './fleetQuery';

const MCS = ['local', 'us'];

function row(overrides: Partial<ClusterSummary> & { name: string }) {
  return {
    managementCluster: 'local',
    namespace: 'tenant-acme',
    tenant: 'acme',
    phase: 'Provisioned',
    deleting: false,
    accountId: '111122223333',
    region: 'eu-west-1',
    kubernetesVersion: 'v1.31.0',
    nodePools: { count: 1, desiredReplicas: 2, readyReplicas: 2 },
    unhealthyConditions: 0,
    problems: 0,
    causes: [],
    ...overrides,
  } as ClusterSummary;
}

// The fleet page's test fleet, in the stores' order (management cluster, namespace, name).
const FLEET = [
  row({
    name: 'acme-dev',
    phase: 'Provisioning',
    kubernetesVersion: 'v1.9.0',
    region: 'eu-central-1',
    createdAt: '2025-05-01T00:00:00Z',
    causes: ['quota-vpcs'],
  }),
  row({
    name: 'acme-prod',
    kubernetesVersion: 'v1.30.4',
    createdAt: '2024-03-01T00:00:00Z',
  }),
  row({
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
  row({
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

function ask(
  query: Partial<FleetQuery> & { filters?: ClusterFilters } = {},
  rows: ClusterSummary[] = FLEET,
) {
  const q: FleetQuery = {
    filters: {},
    order: 'asc',
    limit: 100,
    facets: false,
    ...query,
  };
  const order = new FleetOrder(MCS, q.sort, q.order);
  return fleetPage(order.apply(rows), q, order);
}

const names = (list: { items: ClusterSummary[] }) =>
  list.items.map(i => i.name);

describe('fleet query', () => {
  it('lists every row in the stores order, with totals and phase counts', () => {
    const list = ask();
    expect(names(list)).toEqual([
      'acme-dev',
      'acme-prod',
      'globex-prod',
      'globex-old',
    ]);
    expect(list.totalItems).toBe(4);
    expect(list.phaseCounts).toEqual({
      Provisioned: 1,
      Provisioning: 1,
      Failed: 1,
      Deleting: 1,
    });
    expect(list.nextCursor).toBeUndefined();
    expect(list.facets).toBeUndefined();
  });

  it.each<[ClusterFilters, string[]]>([
    [{ managementCluster: 'us' }, ['globex-old']],
    [{ namespace: 'tenant-acme' }, ['acme-dev', 'acme-prod']],
    [{ tenant: 'globex' }, ['globex-prod', 'globex-old']],
    [{ phase: 'Failed' }, ['globex-prod']],
    [{ accountId: '111122223333' }, ['acme-dev', 'acme-prod']],
    [{ region: 'us-east-1' }, ['globex-prod', 'globex-old']],
    [{ kubernetesVersion: 'v1.10.2' }, ['globex-prod']],
    [{ kubernetesVersion: 'v1.10' }, []],
    [{ region: 'us-east-1', managementCluster: 'local' }, ['globex-prod']],
  ])('filters by exact match: %j', (filters, expected) => {
    expect(names(ask({ filters }))).toEqual(expected);
  });

  it('counts phases over the rows matching every filter but phase', () => {
    const list = ask({ filters: { tenant: 'globex', phase: 'Failed' } });
    expect(names(list)).toEqual(['globex-prod']);
    expect(list.totalItems).toBe(1);
    expect(list.phaseCounts).toEqual({ Failed: 1, Deleting: 1 });
  });

  it('counts each facet over the rows matching every other filter', () => {
    const list = ask({
      filters: { tenant: 'acme', region: 'us-east-1' },
      facets: true,
    });
    expect(list.items).toEqual([]);
    expect(list.facets).toEqual({
      // region us-east-1 only: globex's two clusters
      tenant: [{ value: 'globex', count: 2 }],
      // tenant acme only
      region: [
        { value: 'eu-central-1', count: 1 },
        { value: 'eu-west-1', count: 1 },
      ],
      // both filters
      managementCluster: [],
      accountId: [],
      kubernetesVersion: [],
      cause: [],
    });
  });

  it('filters by one cause or any, and counts each cause of a row', () => {
    const all = ask({ facets: true });
    // globex-prod counts for both of its causes.
    expect(all.facets?.cause).toEqual([
      { value: 'quota-elastic-ips', count: 1 },
      { value: 'quota-vpcs', count: 2 },
    ]);
    expect(names(ask({ filters: { cause: 'quota-vpcs' } }))).toEqual([
      'acme-dev',
      'globex-prod',
    ]);
    expect(names(ask({ filters: { cause: 'quota-elastic-ips' } }))).toEqual([
      'globex-prod',
    ]);
    expect(names(ask({ filters: { cause: 'any' } }))).toEqual([
      'acme-dev',
      'globex-prod',
    ]);
    // Counted over the rows matching every other filter.
    const acme = ask({
      filters: { tenant: 'acme', cause: 'any' },
      facets: true,
    });
    expect(names(acme)).toEqual(['acme-dev']);
    expect(acme.facets?.cause).toEqual([{ value: 'quota-vpcs', count: 1 }]);
    expect(acme.facets?.tenant).toEqual([
      { value: 'acme', count: 1 },
      { value: 'globex', count: 1 },
    ]);
  });

  it('offers every value with its count when nothing is filtered, versions in version order', () => {
    const { facets } = ask({ facets: true });
    expect(facets?.kubernetesVersion).toEqual([
      { value: 'v1.9.0', count: 1 },
      { value: 'v1.10.2', count: 1 },
      { value: 'v1.30.4', count: 1 },
    ]);
    expect(facets?.managementCluster).toEqual([
      { value: 'local', count: 3 },
      { value: 'us', count: 1 },
    ]);
    expect(facets?.accountId).toEqual([
      { value: '111122223333', count: 2 },
      { value: '444455556666', count: 2 },
    ]);
  });

  it('keeps as candidates only rows that can change the answer', () => {
    const query = {
      filters: { tenant: 'acme', namespace: 'tenant-acme', phase: 'Failed' },
      facets: true,
    };
    // globex-prod misses tenant and namespace; the acme rows miss only phase; globex-old misses three.
    expect(candidatesOf(FLEET, query).map(c => [c.row.name, c.miss])).toEqual([
      ['acme-dev', 'phase'],
      ['acme-prod', 'phase'],
    ]);
    // namespace has no facet: a row missing only it counts for nothing.
    expect(
      candidatesOf(FLEET, { filters: { namespace: 'tenant-globex' } }).map(
        c => c.row.name,
      ),
    ).toEqual(['globex-prod', 'globex-old']);
    // without facets, a row missing only the tenant counts for nothing either.
    expect(
      candidatesOf(FLEET, { filters: { tenant: 'acme' } }).map(c => c.miss),
    ).toEqual([undefined, undefined]);
  });

  it('searches name, namespace and tenant case-insensitively, counts included', () => {
    const list = ask({ search: 'GLOBEX', facets: true });
    expect(names(list)).toEqual(['globex-prod', 'globex-old']);
    expect(list.phaseCounts).toEqual({ Failed: 1, Deleting: 1 });
    expect(list.facets?.tenant).toEqual([{ value: 'globex', count: 2 }]);
    expect(names(ask({ search: 'prod' }))).toEqual([
      'acme-prod',
      'globex-prod',
    ]);
  });

  it('sorts versions numerically, missing last ascending and first descending', () => {
    expect(names(ask({ sort: 'kubernetesVersion' }))).toEqual([
      'acme-dev',
      'globex-prod',
      'acme-prod',
      'globex-old',
    ]);
    expect(names(ask({ sort: 'kubernetesVersion', order: 'desc' }))).toEqual([
      'globex-old',
      'acme-prod',
      'globex-prod',
      'acme-dev',
    ]);
  });

  it('sorts phases in the portal order and ages oldest first', () => {
    expect(names(ask({ sort: 'phase' }))).toEqual([
      'acme-prod',
      'acme-dev',
      'globex-old',
      'globex-prod',
    ]);
    expect(names(ask({ sort: 'createdAt' }))).toEqual([
      'globex-old',
      'globex-prod',
      'acme-prod',
      'acme-dev',
    ]);
  });

  it('breaks ties by management cluster (configuration order), namespace and name', () => {
    const rows = [
      row({ name: 'b', managementCluster: 'us' }),
      row({ name: 'b', managementCluster: 'local' }),
      row({ name: 'a', managementCluster: 'us' }),
    ];
    const sorted = ask({ sort: 'tenant', order: 'desc' }, rows).items;
    expect(sorted.map(r => `${r.managementCluster}/${r.name}`)).toEqual([
      'local/b',
      'us/a',
      'us/b',
    ]);
  });

  it('leaves rows in the default order unsorted', () => {
    const rows = [...FLEET].reverse();
    expect(new FleetOrder(MCS, undefined, 'asc').apply(rows)).toBe(rows);
  });

  describe('cursors', () => {
    /** Every row, one page of `limit` at a time. */
    function pages(query: Partial<FleetQuery>, rows = FLEET, limit = 1) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let requests = 0;
      do {
        const list = ask({ ...query, limit, cursor }, rows);
        seen.push(...names(list));
        cursor = list.nextCursor;
        requests++;
      } while (cursor && requests < 10);
      return seen;
    }

    it.each<Partial<FleetQuery>>([
      {},
      { sort: 'kubernetesVersion' },
      { sort: 'kubernetesVersion', order: 'desc' },
      { sort: 'phase', order: 'desc' },
      { sort: 'tenant' },
      { filters: { region: 'us-east-1' }, sort: 'createdAt' },
    ])('page through the whole list in order: %j', query => {
      expect(pages(query)).toEqual(names(ask(query)));
      expect(pages(query, FLEET, 3)).toEqual(names(ask(query)));
    });

    it('continue after the last row seen when rows are added or removed meanwhile', () => {
      const first = ask({ sort: 'name', limit: 2 });
      expect(names(first)).toEqual(['acme-dev', 'acme-prod']);
      // A row sorting before the cursor appears, and the last row seen disappears.
      const changed = [
        row({ name: 'aaa' }),
        ...FLEET.slice(0, 1),
        ...FLEET.slice(2),
      ];
      const next = ask(
        { sort: 'name', limit: 2, cursor: first.nextCursor },
        changed,
      );
      expect(names(next)).toEqual(['globex-old', 'globex-prod']);
    });

    it('refuse a cursor of another sort or order', () => {
      const { nextCursor } = ask({ sort: 'name', limit: 1 });
      expect(() => ask({ sort: 'region', cursor: nextCursor })).toThrow(
        /cursor belongs to another sort or order/,
      );
      expect(() =>
        ask({ sort: 'name', order: 'desc', cursor: nextCursor }),
      ).toThrow(InputError);
      expect(() => ask({ cursor: nextCursor })).toThrow(InputError);
    });

    it.each([
      'bogus',
      Buffer.from('12').toString('base64url'),
      Buffer.from('["","asc",null,"local","ns"]').toString('base64url'),
      Buffer.from('["","asc",{},"local","ns","n"]').toString('base64url'),
    ])('refuse a cursor this API did not write: %s', cursor => {
      expect(() => ask({ cursor })).toThrow(
        'cursor is not one this API returned',
      );
    });
  });
});

import type { ClusterSummary } from '@capa-backstage/plugin-capa-common';
import { FleetOrder } from './fleetOrder';
import { fleetCounts, fleetPage, type FleetQuery } from './fleetQuery';
import { FleetRows } from './fleetRows';

const MCS = ['local', 'us'];
const T = Date.parse('2026-01-01T12:00:00Z');

function row(name: string, overrides: Partial<ClusterSummary> = {}) {
  return {
    name,
    managementCluster: 'local',
    namespace: 'tenant-acme',
    tenant: 'acme',
    phase: 'Provisioning',
    deleting: false,
    kubernetesVersion: 'v1.31.0',
    nodePools: { count: 1, desiredReplicas: 2, readyReplicas: 2 },
    unhealthyConditions: 0,
    problems: 0,
    causes: [],
    ...overrides,
  } as ClusterSummary;
}

const query: FleetQuery = {
  filters: {},
  order: 'asc',
  limit: 10,
  facets: true,
};

/** One request as ClusterAccess makes it for a caller who sees every cluster. */
function ask(memo: FleetRows, sources: ClusterSummary[][], now: number) {
  const order = new FleetOrder(MCS, 'kubernetesVersion', 'desc');
  const snapshot = memo.snapshot(MCS, sources);
  const rows = snapshot.ordered(order);
  const counts = snapshot.countsOf('q', now, () =>
    fleetCounts(rows, query, { now }),
  );
  return fleetPage(rows, query, order, { now }, counts);
}

describe('FleetRows', () => {
  it('sorts once per order until a store hands out new rows', () => {
    const memo = new FleetRows();
    const local = [row('a'), row('b', { kubernetesVersion: 'v1.32.0' })];
    const us = [row('c', { managementCluster: 'us' })];
    const order = new FleetOrder(MCS, 'kubernetesVersion', 'desc');
    const first = memo.snapshot(MCS, [local, us]).ordered(order);
    expect(first.map(r => r.name)).toEqual(['b', 'a', 'c']);
    expect(memo.snapshot(MCS, [local, us]).ordered(order)).toBe(first);
    // A change on one management cluster: its store's rows are a new array.
    const changed = [row('a', { kubernetesVersion: 'v1.33.0' }), local[1]];
    expect(
      memo
        .snapshot(MCS, [changed, us])
        .ordered(order)
        .map(r => r.name),
    ).toEqual(['a', 'b', 'c']);
    // Default order: the stores' order, management clusters as configured.
    const plain = new FleetOrder(['us', 'local'], undefined, 'asc');
    expect(
      memo
        .snapshot(['us', 'local'], [us, changed])
        .ordered(plain)
        .map(r => r.name),
    ).toEqual(['c', 'a', 'b']);
  });

  it('keeps counts until the rows change, and counts a stuck cause from its time on', () => {
    const memo = new FleetRows();
    const stuck = row('stuck', {
      stuck: {
        cause: 'no-aws-session',
        since: new Date(T - 3_600_000).toISOString(),
        after: new Date(T).toISOString(),
      },
    });
    const sources = [[row('a'), stuck], []];
    const before = ask(memo, sources, T - 1000);
    expect(before.facets?.cause).toEqual([]);
    expect(before.items.find(r => r.name === 'stuck')?.causes).toEqual([]);
    // Counted once, kept while nothing changes.
    let computed = 0;
    memo.snapshot(MCS, sources).countsOf('q', T - 500, () => {
      computed++;
      return before;
    });
    expect(computed).toBe(0);

    const after = ask(memo, sources, T + 1);
    expect(after.facets?.cause).toEqual([
      { value: 'no-aws-session', count: 1 },
    ]);
    expect(after.items.find(r => r.name === 'stuck')?.causes).toEqual([
      'no-aws-session',
    ]);

    // A status change: new rows, new counts at once.
    const provisioned = [[row('a', { phase: 'Provisioned' }), stuck], []];
    expect(ask(memo, provisioned, T + 2).phaseCounts).toEqual({
      Provisioned: 1,
      Provisioning: 1,
    });
  });
});

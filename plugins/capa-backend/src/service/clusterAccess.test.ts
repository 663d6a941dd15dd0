import type { CapaAuthorizer } from '@capa-backstage/plugin-capa-node';
import { fakeCache, seededStore } from '../__fixtures__/fleet';
import { ClusterAccess } from './clusterAccess';

describe('ClusterAccess fleet pages', () => {
  it('never keeps counts computed from rows that changed while a request awaited its decision', async () => {
    const { store, secrets } = seededStore('local');
    const { cache } = fakeCache([store], secrets);
    let duringFirstDecision: (() => Promise<void>) | undefined;
    const authorizer = {
      async allowsEverywhere(permissions: unknown[]) {
        const run = duringFirstDecision;
        duringFirstDecision = undefined;
        // Another request is served while this one waits for the permission backend.
        await run?.();
        return permissions.map(() => true);
      },
    } as unknown as CapaAuthorizer;
    const access = new ClusterAccess({ authorizer, cache });
    const ask = () => access.listClusters({} as any, { facets: true });

    const before = store.objects('Cluster').length;
    expect(before).toBeGreaterThan(1);
    duringFirstDecision = async () => {
      store.remove('Cluster', store.objects('Cluster')[0]);
      expect((await ask()).totalItems).toBe(before - 1);
    };
    // The slow request answers from the rows it started with...
    expect((await ask()).totalItems).toBe(before);
    // ...and every request after it from the rows as they are now.
    const after = await ask();
    expect(after.totalItems).toBe(before - 1);
    expect(after.items).toHaveLength(before - 1);
    expect(
      Object.values(after.phaseCounts).reduce((a, b) => a + (b ?? 0), 0),
    ).toBe(before - 1);
  });
});

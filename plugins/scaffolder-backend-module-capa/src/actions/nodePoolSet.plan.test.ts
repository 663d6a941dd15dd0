import { liveCluster, livePool } from './__testUtils__/liveObjects';
import {
  checkManaged,
  checkRemoveInput,
  checkResize,
  newPool,
  poolVersion,
  removalTargets,
  replicasPlan,
  scalingPlan,
} from './nodePoolSet.plan';

const WHERE = 'general of Cluster acme/prod';

describe('capa:nodepool:set planning', () => {
  it("gives a new pool the control plane's version, never newer than what EKS runs", () => {
    expect(poolVersion(liveCluster({ version: 'v1.34' }))).toBe('1.34');
    expect(
      poolVersion(liveCluster({ version: 'v1.34', reported: 'v1.33.5' })),
    ).toBe('1.33');
    expect(() => poolVersion(liveCluster({}))).toThrow(
      "AWSManagedControlPlane acme/prod-control-plane has no Kubernetes version, so a new node pool's version is unknown. Nothing was changed",
    );
  });

  it("renders a new pool with the cluster's tenant and tags", () => {
    const { objects, version } = newPool(
      { nodePool: 'gpu', instanceType: 'g6.xlarge' },
      liveCluster({ version: 'v1.33', tags: { team: 'acme' } }),
      { namespace: 'acme', name: 'prod' },
      'gpu of Cluster acme/prod',
    );
    expect(version).toBe('1.33');
    expect(objects.map(o => [o.kind, o.metadata.name])).toEqual([
      ['MachinePool', 'prod-gpu'],
      ['AWSManagedMachinePool', 'prod-gpu'],
    ]);
    expect(objects[1].metadata.labels).toMatchObject({
      'capa.backstage.io/tenant': 'acme',
    });
    expect(objects[1].spec.additionalTags).toEqual({ team: 'acme' });
  });

  it('plans only the sizes given, each on the object that holds it', () => {
    const { machinePool, managedPool } = livePool('general');
    expect(
      scalingPlan({ nodePool: 'general', maxSize: 5 }, managedPool!),
    ).toMatchObject({
      ref: { kind: 'AWSManagedMachinePool', name: 'prod-general' },
      changes: [{ path: ['spec', 'scaling', 'maxSize'], value: 5 }],
    });
    expect(
      replicasPlan({ nodePool: 'general', maxSize: 5 }, machinePool).changes,
    ).toEqual([]);
  });

  it('refuses a resize that does not fit the live pool', () => {
    const pool = checkManaged(
      livePool('general', { replicas: 3, scaling: { minSize: 2, maxSize: 6 } }),
      WHERE,
    );
    expect(() =>
      checkResize({ nodePool: 'general', maxSize: 2 }, pool, WHERE),
    ).toThrow(/node pool sizes of general of Cluster acme\/prod/);
    expect(() =>
      checkResize(
        { nodePool: 'general', instanceType: 'm7i.large' },
        pool,
        WHERE,
      ),
    ).toThrow(
      /only minSize, desiredSize and maxSize of an existing pool can change/,
    );
    expect(() =>
      checkResize({ nodePool: 'general', minSize: 1 }, pool, WHERE),
    ).not.toThrow();
    expect(() =>
      checkManaged({ ...pool, managedPool: undefined }, WHERE),
    ).toThrow(/has no AWSManagedMachinePool \(its infrastructure is missing\)/);
  });

  it('removes a pool only without sizes, with confirm for the last one, and when no other tool applies it', () => {
    expect(() =>
      checkRemoveInput({ nodePool: 'general', minSize: 1, labels: {} }),
    ).toThrow(
      'Invalid capa:nodepool:set input: remove takes no minSize, labels',
    );
    const pool = livePool('general');
    expect(() =>
      removalTargets(
        liveCluster({ pools: [pool] }),
        pool,
        { nodePool: 'general' },
        WHERE,
      ),
    ).toThrow(/is the cluster's last node pool/);
    expect(
      removalTargets(
        liveCluster({ pools: [pool] }),
        pool,
        { nodePool: 'general', confirm: 'general' },
        WHERE,
      ).map(o => o.kind),
    ).toEqual(['MachinePool', 'AWSManagedMachinePool']);
    const applied = livePool('batch', {
      managedFields: [
        { manager: 'flux', operation: 'Apply', fieldsV1: { 'f:spec': {} } },
      ],
    });
    expect(() =>
      removalTargets(
        liveCluster({ pools: [pool, applied] }),
        applied,
        { nodePool: 'batch' },
        'batch of Cluster acme/prod',
      ),
    ).toThrow(
      /is also applied by field manager "flux", which would bring it back/,
    );
  });
});

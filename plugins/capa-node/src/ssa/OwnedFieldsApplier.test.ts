import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  nodePoolInputSchema,
  objectRef,
  renderNodePool,
  type StoredObject,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusterClient } from '../client/ManagementClusterClient';
import { ManagementClusters } from '../client/ManagementClusters';
import { KubernetesTestServer } from '../testUtils';
import { OwnedFieldsApplier } from './OwnedFieldsApplier';
import type { ObjectPlan } from './plan';

type Pool = StoredObject<'AWSManagedMachinePool'>;

const REF = objectRef('AWSManagedMachinePool', 'acme', 'prod-general');
const PATH =
  '/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/acme/awsmanagedmachinepools/prod-general';
const MANAGER = 'backstage-capa-nodepool';

const [, MANAGED_POOL] = renderNodePool({
  cluster: 'prod',
  namespace: 'acme',
  kubernetesVersion: '1.33',
  labels: {},
  additionalTags: {},
  pool: nodePoolInputSchema.parse({ name: 'general', minSize: 1, maxSize: 3 }),
});

const TOKEN = 'test-token';

describe('OwnedFieldsApplier', () => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  let client: ManagementClusterClient;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let keys: string[];
  beforeEach(async () => {
    server = await KubernetesTestServer.start({ token: TOKEN });
    client = ManagementClusters.fromConfig(
      new ConfigReader({
        capa: {
          managementClusters: [
            { name: 'local', url: server.url, token: TOKEN },
          ],
        },
      }),
      { logger: mockServices.logger.mock() },
    ).get('local');
    server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
    ]);
    // Created as capa:apply creates it: every rendered field owned by backstage-capa.
    await client.apply(MANAGED_POOL);
    server.requests.length = 0;
    logger = mockServices.logger.mock();
    keys = [];
  }, 30_000);
  afterEach(() => server.close());

  const applier = (dryRun = false) =>
    new OwnedFieldsApplier({
      client,
      fieldManager: MANAGER,
      dryRun,
      logger,
      checkpoint: async ({ key, fn }) => {
        keys.push(key);
        return fn();
      },
      checkpointPrefix: 'capa-test',
    });
  const live = () => client.get<Pool>(REF);
  const minSize = (value: number, pool: Pool): ObjectPlan => ({
    ref: REF,
    live: pool,
    changes: [{ path: ['spec', 'scaling', 'minSize'], value }],
  });
  /** Plans the same change again from a fresh read, as the actions do after a 409. */
  const replanning = (value: number) => async () =>
    minSize(value, await live());
  const patches = () => server.requests.filter(r => r.method === 'PATCH');
  const infos = () => logger.info.mock.calls.map(c => c[0]);

  it("applies only its fields under its manager, taking them over from this project's, once per checkpoint", async () => {
    const result = await applier().apply(
      minSize(2, await live()),
      replanning(2),
    );
    expect(result).toEqual({
      kind: 'AWSManagedMachinePool',
      namespace: 'acme',
      name: 'prod-general',
      action: 'configured',
      changes: ['spec.scaling.minSize: 1 -> 2'],
    });
    expect(patches().map(r => [r.path, r.query, r.body])).toEqual([
      [
        PATH,
        expect.objectContaining({ fieldManager: MANAGER, force: 'true' }),
        {
          apiVersion: REF.apiVersion,
          kind: REF.kind,
          metadata: { name: REF.name, namespace: REF.namespace },
          spec: { scaling: { minSize: 2 } },
        },
      ],
    ]);
    expect(infos()).toEqual([
      'AWSManagedMachinePool acme/prod-general: spec.scaling.minSize: 1 -> 2',
      'AWSManagedMachinePool acme/prod-general: taking over .spec.scaling.minSize from field manager "backstage-capa" (this project\'s)',
      `AWSManagedMachinePool acme/prod-general: configured (field manager ${MANAGER})`,
    ]);
    expect(keys).toEqual([
      expect.stringMatching(
        /^capa-test\.local\.acme\.AWSManagedMachinePool\.prod-general\.[0-9a-f]{16}$/,
      ),
    ]);
  });

  it('keeps the fields it owns when it changes another one, without force', async () => {
    await applier().apply(minSize(2, await live()), replanning(2));
    const maxSize: ObjectPlan = {
      ref: REF,
      live: await live(),
      changes: [{ path: ['spec', 'scaling', 'maxSize'], value: 5 }],
    };
    await applier().apply(maxSize, async () => ({
      ...maxSize,
      live: await live(),
    }));
    expect(patches()[1].body).toMatchObject({
      spec: { scaling: { minSize: 2, maxSize: 5 } },
    });
    expect(patches()[1].query.force).toBe('true');
    // Once it owns both, a change of either needs no force.
    await applier().apply(minSize(0, await live()), replanning(0));
    expect(patches()[2].query.force).toBe('false');
  });

  it('sends nothing for an object that would not change', async () => {
    const result = await applier().apply(
      minSize(1, await live()),
      replanning(1),
    );
    expect(result.action).toBe('unchanged');
    expect(patches()).toEqual([]);
    expect(infos()).toEqual([
      'AWSManagedMachinePool acme/prod-general: unchanged',
    ]);
  });

  it('runs a dry run as a server-side dry run, without a checkpoint', async () => {
    await applier(true).apply(minSize(2, await live()), replanning(2));
    expect(patches().map(r => r.query.dryRun)).toEqual(['All']);
    expect(keys).toEqual([]);
    expect((await live()).spec?.scaling?.minSize).toBe(1);
    expect(infos()).toContain(
      'AWSManagedMachinePool acme/prod-general: spec.scaling.minSize: 1 -> 2 (dry run)',
    );
  });

  it('refuses fields owned outside this project, before anything is sent', async () => {
    await client.apply(
      {
        apiVersion: REF.apiVersion,
        kind: REF.kind,
        metadata: { name: REF.name, namespace: REF.namespace },
        spec: { scaling: { minSize: 1 } },
      },
      { fieldManager: 'flux', force: true },
    );
    server.requests.length = 0;
    const plan = minSize(2, await live());
    expect(() => applier().preflight([plan])).toThrow(
      /^Nothing was changed: fields this action would change belong to other field managers, and are not taken over:\n- AWSManagedMachinePool acme\/prod-general: field manager "flux" owns \.spec\.scaling\.minSize\n/,
    );
    await expect(applier().apply(plan, replanning(2))).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/does not take fields over from them/),
    });
    expect(patches()).toEqual([]);
  });

  it('plans again and retries once after a 409, then gives up', async () => {
    server.failNext({ method: 'PATCH', path: /prod-general$/, status: 409 });
    const replan = jest.fn(async () => minSize(2, await live()));
    const result = await applier().apply(minSize(2, await live()), replan);
    expect(result.action).toBe('configured');
    expect(replan).toHaveBeenCalledTimes(1);
    expect(patches()).toHaveLength(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^AWSManagedMachinePool acme\/prod-general: .*; reading it again and retrying once$/,
      ),
    );

    server.failNext({
      method: 'PATCH',
      path: /prod-general$/,
      status: 409,
      times: 2,
    });
    await expect(
      applier().apply(minSize(3, await live()), async () =>
        minSize(3, await live()),
      ),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('creates a new object as it is', async () => {
    const create = {
      ...MANAGED_POOL,
      metadata: { ...MANAGED_POOL.metadata, name: 'prod-gpu' },
      spec: { ...MANAGED_POOL.spec, eksNodegroupName: 'prod-gpu' },
    };
    const ref = objectRef('AWSManagedMachinePool', 'acme', 'prod-gpu');
    const result = await applier().apply({ ref, create }, async () => ({
      ref,
      create,
    }));
    expect(result).toMatchObject({
      action: 'created',
      changes: ['new object'],
    });
    expect(patches()[0].body).toEqual(create);
  });
});

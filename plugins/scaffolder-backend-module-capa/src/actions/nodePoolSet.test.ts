/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expect*"] }] -- helpers named expect* assert */
import type { JsonObject } from '@backstage/types';
import type { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import {
  createCluster,
  crdProblems,
  ownership,
  REFS,
  runAction,
  startServer,
  writes,
} from './__testUtils__/day2';
import { createNodePoolSetAction } from './nodePoolSet';
import { decidingAuthorizer } from './__testUtils__/authorizer';

const TARGET = {
  managementCluster: 'local',
  namespace: 'acme',
  cluster: 'prod',
};
const MP_PATH = (pool: string) =>
  `/apis/cluster.x-k8s.io/v1beta2/namespaces/acme/machinepools/prod-${pool}`;
const MMP_PATH = (pool: string) =>
  `/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/acme/awsmanagedmachinepools/prod-${pool}`;

describe('capa:nodepool:set', () => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  beforeEach(async () => {
    ({ server, clusters } = await startServer());
    await createCluster(clusters);
    server.requests.length = 0;
  }, 30_000); // the first start loads every CRD: slow on a busy machine
  afterEach(() => server.close());

  const set = (input: JsonObject, options: { isDryRun?: boolean } = {}) =>
    runAction(
      createNodePoolSetAction({
        managementClusters: clusters,
        authorizer: decidingAuthorizer(),
      }),
      { ...TARGET, ...input },
      options,
    );

  const gpu = {
    nodePool: 'gpu',
    instanceType: 'g6.xlarge',
    amiType: 'AL2023_x86_64_NVIDIA',
    minSize: 0,
    maxSize: 4,
    desiredSize: 1,
    labels: { accelerator: 'nvidia' },
    taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
  };

  describe('add', () => {
    it("creates the pool's two objects as renderCluster would, with the control plane's version", async () => {
      const { error, out, logs } = await set(gpu);
      expect(error).toBeUndefined();
      const sent = writes(server);
      expect(sent.map(r => [r.method, r.path])).toEqual([
        ['PATCH', MP_PATH('gpu')],
        ['PATCH', MMP_PATH('gpu')],
      ]);
      for (const r of sent)
        expect(r.query).toMatchObject({
          fieldManager: 'backstage-capa-nodepool',
          force: 'false',
        });
      const labels = {
        'app.kubernetes.io/managed-by': 'backstage-capa',
        'capa.backstage.io/tenant': 'acme',
        'cluster.x-k8s.io/cluster-name': 'prod',
      };
      expect(sent[0].body).toEqual({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'MachinePool',
        metadata: { name: 'prod-gpu', namespace: 'acme', labels },
        spec: {
          clusterName: 'prod',
          replicas: 1,
          template: {
            spec: {
              clusterName: 'prod',
              version: 'v1.33.0',
              bootstrap: { dataSecretName: '' },
              infrastructureRef: {
                apiGroup: 'infrastructure.cluster.x-k8s.io',
                kind: 'AWSManagedMachinePool',
                name: 'prod-gpu',
              },
            },
          },
        },
      });
      expect(sent[1].body).toEqual({
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
        kind: 'AWSManagedMachinePool',
        metadata: { name: 'prod-gpu', namespace: 'acme', labels },
        spec: {
          eksNodegroupName: 'prod-gpu',
          instanceType: 'g6.xlarge',
          amiType: 'AL2023_x86_64_NVIDIA',
          capacityType: 'onDemand',
          scaling: { minSize: 0, maxSize: 4 },
          labels: { accelerator: 'nvidia' },
          taints: [{ key: 'nvidia.com/gpu', value: '', effect: 'no-schedule' }],
          // The cluster's tags, read from its control plane.
          additionalTags: { 'capa.backstage.io/tenant': 'acme' },
        },
      });
      expect(out.operation).toBe('added');
      expect(logs).toEqual(
        expect.arrayContaining([
          'Adding node pool gpu of Cluster acme/prod: g6.xlarge onDemand, 0-4 nodes (1 now), Kubernetes 1.33',
          'MachinePool acme/prod-gpu: new object',
          'MachinePool acme/prod-gpu: created (field manager backstage-capa-nodepool)',
          'AWSManagedMachinePool acme/prod-gpu: created (field manager backstage-capa-nodepool)',
        ]),
      );
      expect(
        crdProblems(server, [REFS.machinePool('gpu'), REFS.managedPool('gpu')]),
      ).toEqual([]);
    });

    it('changes nothing the second time', async () => {
      await set(gpu);
      const rv = server.resourceVersion;
      const before = writes(server).length;
      const { error, out, logs } = await set(gpu);
      expect(error).toBeUndefined();
      expect(writes(server)).toHaveLength(before);
      expect(server.resourceVersion).toBe(rv);
      expect(out.operation).toBe('unchanged');
      expect(logs).toContain(
        'Node pool gpu of Cluster acme/prod already has these sizes',
      );
    });

    it('creates nothing in a dry run', async () => {
      const { error, out } = await set({ ...gpu, dryRun: true });
      expect(error).toBeUndefined();
      expect(writes(server).map(r => r.query.dryRun)).toEqual(['All', 'All']);
      expect(server.getObject(REFS.machinePool('gpu'))).toBeUndefined();
      expect(out).toMatchObject({ dryRun: true, operation: 'added' });
    });

    it("refuses a pool that breaks capa-common's rules, naming every problem", async () => {
      const { error } = await set({
        nodePool: 'legacy',
        instanceType: 'm7g.large',
        amiType: 'AL2_x86_64',
        minSize: 3,
        maxSize: 2,
      });
      expect(error?.name).toBe('InputError');
      expect(error?.message).toBe(
        'Invalid node pool legacy of Cluster acme/prod: 3 problems\n' +
          '- minSize: must be <= maxSize (2)\n' +
          '- amiType: Amazon Linux 2 AMIs are not published for Kubernetes 1.33 and later; use an AL2023_* or BOTTLEROCKET_* type\n' +
          '- amiType: AL2_x86_64 is for x86_64 but m7g.large is an arm64 (Graviton) instance type',
      );
      const bad = await set({ nodePool: 'Bad_Name', instanceType: 'large' });
      expect(bad.error?.message).toMatch(/name: must be a DNS-1123 label/);
      expect(bad.error?.message).toMatch(
        /instanceType: must be an EC2 instance type/,
      );
      expect(writes(server)).toHaveLength(0);
    });
  });

  describe('resize', () => {
    it('applies only the sizes, taking them over from the creator', async () => {
      const { error, out, logs } = await set({
        nodePool: 'general',
        minSize: 3,
        desiredSize: 5,
        maxSize: 8,
      });
      expect(error).toBeUndefined();
      const sent = writes(server);
      expect(sent.map(r => r.body)).toEqual([
        {
          apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
          kind: 'AWSManagedMachinePool',
          metadata: { name: 'prod-general', namespace: 'acme' },
          spec: { scaling: { minSize: 3, maxSize: 8 } },
        },
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'MachinePool',
          metadata: { name: 'prod-general', namespace: 'acme' },
          spec: { replicas: 5 },
        },
      ]);
      expect(sent.map(r => r.query)).toEqual([
        {
          fieldManager: 'backstage-capa-nodepool',
          fieldValidation: 'Strict',
          force: 'true',
        },
        {
          fieldManager: 'backstage-capa-nodepool',
          fieldValidation: 'Strict',
          force: 'true',
        },
      ]);
      expect(logs).toEqual(
        expect.arrayContaining([
          'AWSManagedMachinePool acme/prod-general: spec.scaling.minSize: 2 -> 3',
          'AWSManagedMachinePool acme/prod-general: spec.scaling.maxSize: 6 -> 8',
          'MachinePool acme/prod-general: spec.replicas: 3 -> 5',
        ]),
      );
      expect(out.operation).toBe('resized');
      expect(ownership(server, REFS.managedPool('general'))).toMatchObject({
        'backstage-capa-nodepool': [
          '.spec.scaling.minSize',
          '.spec.scaling.maxSize',
        ],
      });
      expect(
        crdProblems(server, [
          REFS.machinePool('general'),
          REFS.managedPool('general'),
        ]),
      ).toEqual([]);

      const rv = server.resourceVersion;
      const again = await set({
        nodePool: 'general',
        minSize: 3,
        desiredSize: 5,
        maxSize: 8,
      });
      expect(again.out.operation).toBe('unchanged');
      expect(writes(server)).toHaveLength(2);
      expect(server.resourceVersion).toBe(rv);
    });

    it('keeps sizes it set before when a later run changes another one', async () => {
      await set({ nodePool: 'general', maxSize: 9 });
      await set({ nodePool: 'general', minSize: 1 });
      // A field left out of an apply is deleted when its manager owned it alone: the action sends
      // maxSize again, at its live value.
      expect(writes(server).pop()!.body).toMatchObject({
        spec: { scaling: { minSize: 1, maxSize: 9 } },
      });
      expect(
        (server.getObject(REFS.managedPool('general'))!.spec as any).scaling,
      ).toEqual({ minSize: 1, maxSize: 9 });
    });

    it('reads again and retries once after a 409', async () => {
      server.failNext({
        method: 'PATCH',
        path: /awsmanagedmachinepools\/prod-general$/,
        status: 409,
        message: 'Operation cannot be fulfilled: the object has been modified',
      });
      const { error, warnings } = await set({
        nodePool: 'general',
        maxSize: 7,
      });
      expect(error).toBeUndefined();
      expect(writes(server).map(r => r.path)).toEqual([
        MMP_PATH('general'),
        MMP_PATH('general'),
      ]);
      expect(warnings[0]).toMatch(/reading it again and retrying once$/);
      expect(
        (server.getObject(REFS.managedPool('general'))!.spec as any).scaling
          .maxSize,
      ).toBe(7);
    });

    describe('refusals, before anything is changed', () => {
      async function expectRefused(input: JsonObject, message: RegExp) {
        const { error } = await set(input);
        expect(error?.message).toMatch(message);
        expect(writes(server)).toHaveLength(0);
        return error!;
      }

      it('refuses sizes that do not fit together', async () => {
        await expectRefused(
          { nodePool: 'general', minSize: 7 },
          /minSize: must be <= maxSize \(6\)/,
        );
        await expectRefused(
          { nodePool: 'general', desiredSize: 9 },
          /desiredSize: must be between minSize \(2\) and maxSize \(6\)/,
        );
        await expectRefused(
          { nodePool: 'general', maxSize: 2 },
          /desiredSize: is needed: the pool runs 3 replicas, outside the new range 2-2/,
        );
        await expectRefused(
          { nodePool: 'general', minSize: -1 },
          /minSize: must be 0 or more/,
        );
      });

      it('refuses to change what EKS cannot change in place', async () => {
        await expectRefused(
          { nodePool: 'general', instanceType: 'm6i.xlarge', maxSize: 8 },
          /Node pool general of Cluster acme\/prod exists; only minSize, desiredSize and maxSize of an existing pool can change, but these differ: instanceType \(the pool has "m6i.large"\)/,
        );
      });

      it('leaves replicas to an autoscaler that manages them', async () => {
        server.update(REFS.machinePool('general'), o => ({
          ...o,
          metadata: {
            ...o.metadata,
            annotations: {
              'cluster.x-k8s.io/replicas-managed-by': 'cluster-autoscaler',
            },
          },
        }));
        server.requests.length = 0;
        await expectRefused(
          { nodePool: 'general', desiredSize: 4 },
          /its replicas are managed by an autoscaler \(annotation cluster\.x-k8s\.io\/replicas-managed-by=cluster-autoscaler\)/,
        );
      });

      it('refuses sizes another field manager owns', async () => {
        await clusters.get('local').apply(
          {
            apiVersion: REFS.managedPool('general').apiVersion,
            kind: 'AWSManagedMachinePool',
            metadata: { name: 'prod-general', namespace: 'acme' },
            spec: { scaling: { maxSize: 6 } },
          },
          { fieldManager: 'argocd-controller', force: true },
        );
        server.requests.length = 0;
        const error = await expectRefused(
          { nodePool: 'general', maxSize: 8 },
          /field manager "argocd-controller" owns \.spec\.scaling\.maxSize/,
        );
        expect(error.name).toBe('ConflictError');
      });

      it('refuses a cluster that is being deleted or does not exist', async () => {
        await expectRefused(
          { cluster: 'ghost', nodePool: 'general', maxSize: 8 },
          /Cluster acme\/ghost on management cluster "local" does not exist; nothing was changed/,
        );
        server.update(REFS.cluster, o => ({
          ...o,
          metadata: { ...o.metadata, finalizers: ['cluster.cluster.x-k8s.io'] },
        }));
        await clusters.get('local').delete(REFS.cluster);
        server.requests.length = 0;
        await expectRefused(
          { nodePool: 'general', maxSize: 8 },
          /Cluster acme\/prod on management cluster "local" is being deleted; nothing was changed/,
        );
      });
    });
  });

  describe('remove', () => {
    it('deletes the MachinePool and its AWSManagedMachinePool', async () => {
      const { error, out, logs } = await set({
        nodePool: 'batch',
        remove: true,
      });
      expect(error).toBeUndefined();
      expect(writes(server).map(r => [r.method, r.path])).toEqual([
        ['DELETE', MP_PATH('batch')],
        ['DELETE', MMP_PATH('batch')],
      ]);
      expect(server.getObject(REFS.machinePool('batch'))).toBeUndefined();
      expect(out.operation).toBe('removed');
      expect(logs).toContain('MachinePool acme/prod-batch: deleted');

      const again = await set({ nodePool: 'batch', remove: true });
      expect(again.out.operation).toBe('unchanged');
      expect(again.logs).toContain(
        'Node pool batch of Cluster acme/prod does not exist; nothing to remove',
      );
      expect(writes(server)).toHaveLength(2);
    });

    it('deletes nothing in a dry run', async () => {
      await set({ nodePool: 'batch', remove: true }, { isDryRun: true });
      expect(writes(server).map(r => r.query.dryRun)).toEqual(['All', 'All']);
      expect(server.getObject(REFS.machinePool('batch'))).toBeDefined();
    });

    it('removes the last node pool only with confirm', async () => {
      await set({ nodePool: 'batch', remove: true });
      server.requests.length = 0;
      const refused = await set({ nodePool: 'general', remove: true });
      expect(refused.error?.message).toBe(
        `Node pool general of Cluster acme/prod is the cluster's last node pool: without it workloads have nowhere to run. Set confirm to "general" to remove it anyway. Nothing was changed`,
      );
      const wrong = await set({
        nodePool: 'general',
        remove: true,
        confirm: 'batch',
      });
      expect(wrong.error?.message).toMatch(/Set confirm to "general"/);
      expect(writes(server)).toHaveLength(0);

      const confirmed = await set({
        nodePool: 'general',
        remove: true,
        confirm: 'general',
      });
      expect(confirmed.error).toBeUndefined();
      expect(server.getObject(REFS.machinePool('general'))).toBeUndefined();
    });

    it('refuses a pool that a GitOps tool applies, which would bring it back', async () => {
      await clusters.get('local').apply(
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'MachinePool',
          metadata: {
            name: 'prod-batch',
            namespace: 'acme',
            labels: { 'kustomize.toolkit.fluxcd.io/name': 'acme' },
          },
        },
        { fieldManager: 'kustomize-controller' },
      );
      server.requests.length = 0;
      const { error } = await set({ nodePool: 'batch', remove: true });
      expect(error?.name).toBe('ConflictError');
      expect(error?.message).toMatch(
        /is also applied by field manager "kustomize-controller", which would bring it back/,
      );
      expect(writes(server)).toHaveLength(0);
    });

    it('takes no sizes', async () => {
      const { error } = await set({
        nodePool: 'batch',
        remove: true,
        maxSize: 3,
      });
      expect(error?.message).toBe(
        'Invalid capa:nodepool:set input: remove takes no maxSize',
      );
      expect(server.requests).toHaveLength(0);
    });
  });
});

import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  renderCluster,
  renderControllerIdentity,
  renderTenant,
  toYaml,
} from '@capa-backstage/plugin-capa-common';
import { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { createApplyAction } from './apply';
import { examples } from './apply.examples';
import { createClusterDeleteAction } from './clusterDelete';
import { decidingAuthorizer } from './__testUtils__/authorizer';

const TOKEN = 'apply-test-token';
const tenant = renderTenant({
  name: 'acme',
  owner: 'team-acme',
  aws: { accountId: '111122223333' },
}).objects;
const cluster = renderCluster({
  name: 'prod',
  tenant: 'acme',
  region: 'eu-west-1',
  kubernetesVersion: '1.33',
  nodePools: [{ name: 'general' }],
}).objects;
const manifest = toYaml([...cluster, ...tenant]); // deliberately out of order
const CLUSTER_REF = {
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  namespace: 'acme',
  name: 'prod',
};

// Each test is several round trips to the test server; a busy machine needs more than 5 s.
jest.setTimeout(30_000);

describe('capa:apply and capa:cluster:delete against the Kubernetes test server', () => {
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  const workspace = createMockDirectory();
  // Loading and compiling the CRD schemas takes seconds on a busy machine: not in the first test.
  beforeAll(() => KubernetesTestServer.preload(), 60_000);

  beforeEach(async () => {
    server = await KubernetesTestServer.start({ token: TOKEN });
    // The platform's controller identity, as on any management cluster CAPA runs on.
    server.seed(renderControllerIdentity().objects);
    clusters = ManagementClusters.fromConfig(
      new ConfigReader({
        capa: {
          managementClusters: [
            { name: 'local', url: server.url, token: TOKEN },
          ],
        },
      }),
      { logger: mockServices.logger.mock() },
    );
  });
  afterEach(() => server.close());

  async function run(input: JsonObject, options: { isDryRun?: boolean } = {}) {
    const ctx = createMockActionContext({
      input,
      workspacePath: workspace.path,
    });
    if (options.isDryRun) (ctx as any).isDryRun = true;
    const logs: string[] = [];
    jest
      .spyOn(ctx.logger, 'info')
      .mockImplementation(((m: string) => logs.push(m)) as any);
    const error = await createApplyAction({
      managementClusters: clusters,
      authorizer: decidingAuthorizer(),
    })
      .handler(ctx as any)
      .then(
        () => undefined,
        e => e as Error,
      );
    return {
      error,
      logs,
      out: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  }

  const applyPatches = () => server.requests.filter(r => r.method === 'PATCH');

  it('applies in dependency order with server-side apply and a fixed field manager', async () => {
    const { error, out, logs } = await run({
      managementCluster: 'local',
      manifest,
    });
    expect(error).toBeUndefined();
    const patches = applyPatches();
    expect(patches.map(p => (p.body as any).kind)).toEqual([
      'Namespace',
      'AWSClusterRoleIdentity',
      'Cluster',
      'AWSManagedControlPlane',
      'AWSManagedCluster',
      'MachinePool',
      'AWSManagedMachinePool',
    ]);
    for (const p of patches) {
      expect(p.contentType).toBe('application/apply-patch+yaml');
      expect(p.query.fieldManager).toBe('backstage-capa');
      expect(p.query.force ?? 'false').toBe('false');
      expect(p.query.dryRun).toBeUndefined();
    }
    expect(patches[2].path).toBe(
      '/apis/cluster.x-k8s.io/v1beta2/namespaces/acme/clusters/prod',
    );
    expect(
      out.applied.every((a: { action: string }) => a.action === 'created'),
    ).toBe(true);
    expect(logs).toContain('Cluster acme/prod: created');
    expect(server.getObject(CLUSTER_REF)).toBeDefined();
  });

  it('changes nothing the second time', async () => {
    await run({ managementCluster: 'local', manifest });
    const before = server.resourceVersion;
    const sent = server.requests.length;
    const { out, logs } = await run({ managementCluster: 'local', manifest });
    expect(out.applied.map((a: { action: string }) => a.action)).toEqual(
      Array(7).fill('unchanged'),
    );
    expect(server.resourceVersion).toBe(before);
    expect(logs).toContain('Namespace acme: unchanged');
    // Not even a write that changes nothing: only reads and dry runs (a task run again after its
    // replica stopped must not send again what the first run sent).
    expect(
      server.requests
        .slice(sent)
        .filter(r => r.method !== 'GET' && r.query.dryRun !== 'All'),
    ).toEqual([]);
  });

  it('performs a server-side dry run that stores nothing', async () => {
    const { out, logs, error } = await run({
      managementCluster: 'local',
      manifest,
      dryRun: true,
    });
    expect(error).toBeUndefined();
    expect(applyPatches().every(p => p.query.dryRun === 'All')).toBe(true);
    expect(out.dryRun).toBe(true);
    expect(logs).toContain('Namespace acme: created (dry run)');
    expect(logs).toContain(
      'Cluster acme/prod: created (dry run; checked against the CRD the management cluster serves, as namespace acme does not exist yet)',
    );
    expect(server.getObject(CLUSTER_REF)).toBeUndefined();
  });

  it('checks every object with the server in a dry run once the namespace exists', async () => {
    await run({ managementCluster: 'local', manifest: toYaml(tenant) });
    const { error, out } = await run({
      managementCluster: 'local',
      manifest,
      dryRun: true,
    });
    expect(error).toBeUndefined();
    expect(
      applyPatches()
        .slice(-7)
        .map(p => p.query.dryRun),
    ).toEqual(Array(7).fill('All'));
    expect(out.applied.map((a: { action: string }) => a.action)).toEqual([
      'unchanged',
      'unchanged',
      'created',
      'created',
      'created',
      'created',
      'created',
    ]);
    expect(server.getObject(CLUSTER_REF)).toBeUndefined();
  });

  it('reports a dry run that the server rejects (422) with its causes', async () => {
    await run({ managementCluster: 'local', manifest: toYaml(tenant) });
    // An unknown field in the control plane's spec: the server's strict schema check refuses it.
    const bad = manifest.replace(
      '  eksClusterName: acme-prod\n',
      '  eksClusterName: acme-prod\n  notAField: true\n',
    );
    const { error } = await run({
      managementCluster: 'local',
      manifest: bad,
      dryRun: true,
    });
    expect(error?.message).toMatch(/notAField/);
    expect(error?.message).toMatch(/Dry run: nothing was stored\./);
  });

  it("treats the template editor's dry run as a dry run", async () => {
    await run({ managementCluster: 'local', manifest }, { isDryRun: true });
    expect(applyPatches().every(p => p.query.dryRun === 'All')).toBe(true);
    expect(server.getObject(CLUSTER_REF)).toBeUndefined();
  });

  it('stops at the first failure and reports what was and was not applied', async () => {
    server.failNext({
      method: 'PATCH',
      path: /\/clusters\/prod$/,
      status: 403,
      message: 'clusters.cluster.x-k8s.io "prod" is forbidden',
    });
    const { error } = await run({ managementCluster: 'local', manifest });
    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toMatch(
      /Applied: Namespace acme \(created\), AWSClusterRoleIdentity acme \(created\)\./,
    );
    expect(error?.message).toMatch(
      /Not applied: Cluster acme\/prod, AWSManagedControlPlane acme\/prod-control-plane, AWSManagedCluster acme\/prod, MachinePool acme\/prod-general, AWSManagedMachinePool acme\/prod-general\./,
    );
    expect(applyPatches()).toHaveLength(3);
  });

  it('reports a 409 conflict with another field manager, and force takes the field over', async () => {
    server.seed(
      [
        {
          ...cluster[0],
          spec: {
            ...(cluster[0] as any).spec,
            clusterNetwork: { pods: { cidrBlocks: ['10.0.0.0/16'] } },
          },
        },
      ],
      { fieldManager: 'flux' },
    );
    const { error } = await run({ managementCluster: 'local', manifest });
    expect(error?.name).toBe('ConflictError');
    expect(error?.message).toMatch(/flux/);
    const forced = await run({
      managementCluster: 'local',
      manifest,
      force: true,
    });
    expect(forced.error).toBeUndefined();
    expect(
      applyPatches()
        .slice(-7)
        .every(p => p.query.force === 'true'),
    ).toBe(true);
    expect(
      (server.getObject(CLUSTER_REF) as any).spec.clusterNetwork.pods
        .cidrBlocks,
    ).toEqual(['192.168.0.0/16']);
  });

  it('says CAPA is not installed when the CRDs are missing, before applying anything', async () => {
    await server.close();
    server = await KubernetesTestServer.start({ token: TOKEN, crds: [] });
    clusters = ManagementClusters.fromConfig(
      new ConfigReader({
        capa: {
          managementClusters: [
            { name: 'local', url: server.url, token: TOKEN },
          ],
        },
      }),
      { logger: mockServices.logger.mock() },
    );
    const { error } = await run({ managementCluster: 'local', manifest });
    expect(error?.message).toMatch(
      /not installed on management cluster "local"/i,
    );
    expect(applyPatches()).toHaveLength(0);
  });

  it('refuses an unknown management cluster without naming the configured ones', async () => {
    const { error } = await run({ managementCluster: 'elsewhere', manifest });
    expect(error?.message).toMatch(/"elsewhere" is not configured/);
    expect(error?.message).not.toMatch(/local/);
  });

  it('refuses kinds it does not apply and bad YAML, before any request', async () => {
    const secret =
      'apiVersion: v1\nkind: Secret\nmetadata: { name: prod-kubeconfig, namespace: acme }\n';
    const { error } = await run({
      managementCluster: 'local',
      manifest: `${secret}---\nkind: [oops\n`,
    });
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(
      /manifest document 1: Secret v1 is not applied by capa:apply/,
    );
    expect(error?.message).toMatch(/manifest document 2: not valid YAML/);
    expect(server.requests).toHaveLength(0);
  });

  it('applies files from the workspace and follows the Cluster until it is provisioned', async () => {
    const example = parse(examples[1].example).steps[0].input;
    fs.mkdirSync(path.join(workspace.path, 'capa/clusters/acme'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(workspace.path, 'capa/clusters/acme/prod.yaml'),
      toYaml([...tenant, ...cluster]),
    );
    const progress = setInterval(() => {
      const phase = (server.getObject(CLUSTER_REF)?.status as any)?.phase;
      if (server.getObject(CLUSTER_REF) && !phase)
        server.setStatus(CLUSTER_REF, { phase: 'Provisioning' });
      else if (phase === 'Provisioning')
        server.setStatus(CLUSTER_REF, { phase: 'Provisioned' });
    }, 100);
    try {
      const { error, out, logs } = await run(example);
      expect(error).toBeUndefined();
      expect(out.clusterPhase).toBe('Provisioned');
      // Provisioning may have passed before the first read.
      expect(logs).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^Cluster acme\/prod: phase (Provisioning -> )?Provisioned$/,
          ),
        ]),
      );
    } finally {
      clearInterval(progress);
    }
  });

  it('gives up waiting after the timeout, naming the last phase', async () => {
    const { error } = await run({
      managementCluster: 'local',
      manifest,
      waitFor: { phase: 'Provisioned', timeoutMinutes: 0.01 },
    });
    expect(error?.message).toMatch(
      /did not reach Provisioned within .* \(last phase: Pending\)/,
    );
  });

  it('fails the wait at once with the diagnosis and its fix, logging it', async () => {
    const CONTROL_PLANE = {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'AWSManagedControlPlane',
      namespace: 'acme',
      name: 'prod-control-plane',
    };
    // What CAPA writes when the account has no VPC left (the message is EC2's, through CAPA's
    // VpcReconciliationFailed condition): the wait ends on it, not after its 30 minutes.
    setTimeout(
      () =>
        server.setStatus(CONTROL_PLANE, {
          ready: false,
          conditions: [
            {
              type: 'VpcReady',
              status: 'False',
              severity: 'Error',
              reason: 'VpcReconciliationFailed',
              message:
                'failed to create new vpc: VpcLimitExceeded: The maximum number of VPCs has been reached.',
              lastTransitionTime: new Date().toISOString(),
            },
          ],
        }),
      300,
    );
    const started = Date.now();
    const ctx = createMockActionContext({
      input: {
        managementCluster: 'local',
        manifest,
        waitFor: { phase: 'Provisioned', timeoutMinutes: 30 },
      },
      workspacePath: workspace.path,
    });
    const warnings: string[] = [];
    jest
      .spyOn(ctx.logger, 'warn')
      .mockImplementation(((m: string) => warnings.push(m)) as any);
    const action = createApplyAction({
      managementClusters: clusters,
      authorizer: decidingAuthorizer(),
      diagnoseEveryMs: 200,
    });
    const error = await action.handler(ctx as any).then(
      () => undefined,
      e => e as Error,
    );
    expect(error?.message).toMatch(
      /^Cluster acme\/prod will not reach Provisioned: VPC quota reached\. .* Fix: /,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Diagnosis: VPC quota reached\. .*Evidence: AWSManagedControlPlane prod-control-plane VpcReady False \(VpcReconciliationFailed\): failed to create new vpc/,
      ),
    ]);
  }, 20_000);

  it('stops waiting when the Cluster reports a failure', async () => {
    setTimeout(
      () =>
        server.setStatus(CLUSTER_REF, {
          phase: 'Failed',
          deprecated: {
            v1beta1: {
              failureReason: 'CreateError',
              failureMessage: 'EKS said no',
            },
          },
        }),
      200,
    );
    const { error } = await run({
      managementCluster: 'local',
      manifest,
      waitFor: { phase: 'Provisioned', timeoutMinutes: 1 },
    });
    expect(error?.message).toMatch(
      /failed while waiting for Provisioned: EKS said no/,
    );
  });

  describe('capa:cluster:delete', () => {
    async function del(
      input: JsonObject,
      options: { isDryRun?: boolean } = {},
    ) {
      const ctx = createMockActionContext({ input });
      if (options.isDryRun) (ctx as any).isDryRun = true;
      const error = await createClusterDeleteAction({
        managementClusters: clusters,
        authorizer: decidingAuthorizer(),
      })
        .handler(ctx as any)
        .then(
          () => undefined,
          e => e as Error,
        );
      return {
        error,
        out: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
      };
    }

    it('refuses without a matching confirm, before any request', async () => {
      const { error } = await del({
        managementCluster: 'local',
        namespace: 'acme',
        name: 'prod',
        confirm: 'prd',
      });
      expect(error?.message).toMatch(
        /confirm must equal the cluster name "prod"/,
      );
      expect(server.requests).toHaveLength(0);
    });

    it('deletes the Cluster and waits until it is gone', async () => {
      await run({ managementCluster: 'local', manifest });
      server.update(CLUSTER_REF, o => ({
        ...o,
        metadata: { ...o.metadata, finalizers: ['cluster.cluster.x-k8s.io'] },
      }));
      setTimeout(() => server.remove(CLUSTER_REF), 150);
      const { error, out } = await del({
        managementCluster: 'local',
        namespace: 'acme',
        name: 'prod',
        confirm: 'prod',
        wait: { timeoutMinutes: 1 },
      });
      expect(error).toBeUndefined();
      expect(out.result).toBe('deleted');
      expect(
        server.requests.filter(r => r.method === 'DELETE').map(r => r.path),
      ).toEqual([
        '/apis/cluster.x-k8s.io/v1beta2/namespaces/acme/clusters/prod',
      ]);
    });

    it('deletes nothing in a dry run', async () => {
      await run({ managementCluster: 'local', manifest });
      const { out } = await del(
        {
          managementCluster: 'local',
          namespace: 'acme',
          name: 'prod',
          confirm: 'prod',
        },
        { isDryRun: true },
      );
      expect(out.result).toBe('dry-run');
      expect(server.getObject(CLUSTER_REF)).toBeDefined();
    });

    it('says which cluster does not exist', async () => {
      const { error } = await del({
        managementCluster: 'local',
        namespace: 'acme',
        name: 'ghost',
        confirm: 'ghost',
      });
      expect(error?.name).toBe('NotFoundError');
      expect(error?.message).toMatch(/Cluster acme\/ghost does not exist/);
    });
  });
});

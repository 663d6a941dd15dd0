import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  CrdSchemaValidator,
  loadWorkloadCrds,
} from '@capa-backstage/plugin-capa-common/testUtils';
import type { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { decidingAuthorizer } from './__testUtils__/authorizer';
import {
  createCluster,
  crdProblems,
  startServer,
  writes,
} from './__testUtils__/day2';
import { createApplyAction } from './apply';
import { createNetworkExposeAction } from './networkExpose';
import { createNetworkJoinAction } from './networkJoin';
import { createNetworkRevokeAction } from './networkRevoke';

const TENANT = { managementCluster: 'local', namespace: 'acme' };
const ref = (apiVersion: string, kind: string, name: string) => ({
  apiVersion,
  kind,
  namespace: 'acme',
  name,
});
const CM = (name: string) => ref('v1', 'ConfigMap', name);
const CRS = (name: string) =>
  ref('addons.cluster.x-k8s.io/v1beta2', 'ClusterResourceSet', name);
const EXPOSED = 'lattice-expose.dev.payments.payments-api';
const SERVICE = { name: 'payments-api', namespace: 'payments', port: 8080 };
const workloadCrds = new CrdSchemaValidator(loadWorkloadCrds());

/** The objects a ClusterResourceSet would apply: the stored ConfigMap's documents. */
function delivered(server: KubernetesTestServer, name: string) {
  const cm = server.getObject(CM(name)) as any;
  return parseAllDocuments(cm.data['lattice.yaml']).map(d => d.toJS());
}

describe('capa:network:join, expose and revoke', () => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  let workspacePath: string;
  beforeEach(async () => {
    ({ server, clusters } = await startServer());
    workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-network-'));
  }, 30_000);
  afterEach(async () => {
    await server.close();
    fs.rmSync(workspacePath, { recursive: true, force: true });
  });

  async function run(
    action: { handler(ctx: any): Promise<void> },
    input: JsonObject,
  ) {
    const ctx = createMockActionContext({ input, workspacePath });
    const logs: string[] = [];
    const warnings: string[] = [];
    jest
      .spyOn(ctx.logger, 'info')
      .mockImplementation(((m: string) => logs.push(m)) as any);
    jest
      .spyOn(ctx.logger, 'warn')
      .mockImplementation(((m: string) => warnings.push(m)) as any);
    const error = await action.handler(ctx as any).then(
      () => undefined,
      e => e as Error,
    );
    return {
      error,
      logs,
      warnings,
      out: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  }

  const options = (
    result:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) => ({
    managementClusters: clusters,
    authorizer: decidingAuthorizer(result),
  });
  const join = (input: JsonObject = {}, o = options()) =>
    run(createNetworkJoinAction(o), {
      ...TENANT,
      clusters: ['prod', 'dev'],
      serviceNetwork: 'acme-mesh',
      ...input,
    });
  const expose = (input: JsonObject = {}, o = options()) =>
    run(createNetworkExposeAction(o), {
      ...TENANT,
      cluster: 'dev',
      serviceNetwork: 'acme-mesh',
      service: SERVICE,
      callers: [{ cluster: 'prod', namespace: 'payments' }],
      ...input,
    });
  const revoke = (input: JsonObject = {}) =>
    run(createNetworkRevokeAction(options()), {
      ...TENANT,
      cluster: 'dev',
      service: { name: 'payments-api', namespace: 'payments' },
      callers: [{ cluster: 'prod', namespace: 'payments' }],
      ...input,
    });

  async function twoClusters(phase = 'Provisioned') {
    await createCluster(clusters);
    await createCluster(clusters, { name: 'dev' });
    for (const name of ['prod', 'dev'])
      server.setStatus(ref('cluster.x-k8s.io/v1beta2', 'Cluster', name), {
        phase,
      });
    server.requests.length = 0;
  }

  it('join: a dry run stores nothing; the run labels the Clusters, merges the Pod Identity agent and delivers the Gateway; a second run sends no write', async () => {
    await twoClusters();
    const dry = await join({ dryRun: true });
    expect(dry.error).toBeUndefined();
    expect(writes(server).every(w => w.query.dryRun === 'All')).toBe(true);
    expect(server.getObject(CM('lattice-join.prod'))).toBeUndefined();

    server.requests.length = 0;
    const first = await join();
    expect(first.error).toBeUndefined();
    expect(
      first.out.objects.map((o: any) => `${o.kind} ${o.name} ${o.action}`),
    ).toEqual([
      'ConfigMap lattice-join.prod created',
      'ClusterResourceSet lattice-join.prod created',
      'Cluster prod configured',
      'AWSManagedControlPlane prod-control-plane configured',
      'ConfigMap lattice-join.dev created',
      'ClusterResourceSet lattice-join.dev created',
      'Cluster dev configured',
      'AWSManagedControlPlane dev-control-plane configured',
    ]);
    const cluster = server.getObject(
      ref('cluster.x-k8s.io/v1beta2', 'Cluster', 'prod'),
    )!;
    expect(cluster.metadata.labels).toMatchObject({
      'capa.backstage.io/lattice-cluster': 'prod',
    });
    const addons = (
      server.getObject(
        ref(
          'controlplane.cluster.x-k8s.io/v1beta2',
          'AWSManagedControlPlane',
          'prod-control-plane',
        ),
      ) as any
    ).spec.addons.map((a: any) => a.name);
    expect(addons).toEqual(['vpc-cni', 'eks-pod-identity-agent']);
    expect(crdProblems(server, [CRS('lattice-join.prod')])).toEqual([]);
    const gateway = delivered(server, 'lattice-join.prod').find(
      o => o.kind === 'Gateway',
    );
    expect(gateway).toMatchObject({ metadata: { name: 'acme-mesh' } });
    expect(workloadCrds.validate(gateway)).toEqual([]);
    expect(first.out.files).toEqual([
      'lattice/acme/prod/management-cluster/join.yaml',
      'lattice/acme/prod/workload-cluster/service-network.yaml',
      'lattice/acme/dev/management-cluster/join.yaml',
      'lattice/acme/dev/workload-cluster/service-network.yaml',
    ]);

    server.requests.length = 0;
    const second = await join();
    expect(second.error).toBeUndefined();
    expect(writes(server)).toEqual([]);
    expect(second.out.objects.every((o: any) => o.action === 'unchanged')).toBe(
      true,
    );
  }, 60_000);

  it('join: refuses clusters that are not Provisioned or do not exist, all at once, before any write', async () => {
    await twoClusters('Provisioning');
    const { error } = await join({ clusters: ['prod', 'ghost'] });
    expect(error?.message).toMatch(
      /Invalid capa:network:join input: 2 problems/,
    );
    expect(error?.message).toMatch(
      /clusters\[0\]: Cluster acme\/prod is Provisioning/,
    );
    expect(error?.message).toMatch(
      /clusters\[1\]: Cluster acme\/ghost does not exist/,
    );
    expect(writes(server)).toEqual([]);
  }, 60_000);

  it('is denied before any request reaches the management cluster', async () => {
    await twoClusters();
    const joined = await join({}, options(AuthorizeResult.DENY));
    expect(joined.error?.name).toBe('NotAllowedError');
    const exposed = await expose({}, options(AuthorizeResult.DENY));
    expect(exposed.error?.name).toBe('NotAllowedError');
    expect(server.requests).toEqual([]);
  }, 60_000);

  it('expose: delivers a route and a policy admitting the caller; idempotent; a second grant adds a caller; revoke removes one, then the last', async () => {
    await twoClusters();
    expect((await join()).error).toBeUndefined();
    server.requests.length = 0;

    const dry = await expose({ dryRun: true });
    expect(dry.error).toBeUndefined();
    expect(dry.out.dryRun).toBe(true);
    expect(writes(server).every(w => w.query.dryRun === 'All')).toBe(true);
    expect(server.getObject(CM(EXPOSED))).toBeUndefined();
    server.requests.length = 0;

    const first = await expose();
    expect(first.error).toBeUndefined();
    expect(
      first.out.objects.map((o: any) => `${o.kind} ${o.name} ${o.action}`),
    ).toEqual([
      'Cluster dev unchanged',
      `ConfigMap ${EXPOSED} created`,
      `ClusterResourceSet ${EXPOSED} created`,
    ]);
    const [route, policy] = delivered(server, EXPOSED);
    expect(route.kind).toBe('HTTPRoute');
    expect(workloadCrds.validate(route)).toEqual([]);
    expect(workloadCrds.validate(policy)).toEqual([]);
    expect(JSON.parse(policy.spec.policy).Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Condition: {
          StringEquals: {
            'aws:PrincipalTag/eks-cluster-name': 'acme-prod',
            'aws:PrincipalTag/kubernetes-namespace': 'payments',
          },
        },
      }),
    ]);
    expect(crdProblems(server, [CRS(EXPOSED)])).toEqual([]);
    expect(first.out.callers).toEqual(['acme/prod payments']);
    expect(first.out.files).toEqual(
      expect.arrayContaining([
        'lattice/acme/dev/services/payments.payments-api/management-cluster.yaml',
        'lattice/acme/dev/services/payments.payments-api/workload-cluster.yaml',
        'lattice/acme/dev/services/payments.payments-api/auth-policy.json',
        expect.stringMatching(
          /callers\/lattice-caller-payments-[0-9a-f]{12}\/create\.sh$/,
        ),
      ]),
    );

    server.requests.length = 0;
    const again = await expose();
    expect(again.error).toBeUndefined();
    expect(writes(server)).toEqual([]);
    expect(again.out.changed).toBe(false);

    const more = await expose({
      callers: [{ cluster: 'dev', namespace: 'web' }],
    });
    expect(more.error).toBeUndefined();
    expect(more.out.callers).toEqual(['acme/dev web', 'acme/prod payments']);
    // Granting again, in another order, changes nothing.
    server.requests.length = 0;
    expect((await expose()).out.changed).toBe(false);
    expect(writes(server)).toEqual([]);

    const one = await revoke();
    expect(one.error).toBeUndefined();
    expect(one.out).toMatchObject({
      revoked: ['acme/prod payments'],
      callers: ['acme/dev web'],
      changed: true,
    });
    const statements = JSON.parse(
      delivered(server, EXPOSED)[1].spec.policy,
    ).Statement;
    expect(
      statements.map(
        (s: any) =>
          s.Condition.StringEquals['aws:PrincipalTag/kubernetes-namespace'],
      ),
    ).toEqual(['web']);

    const last = await revoke({
      callers: [{ cluster: 'acme/dev', namespace: 'web' }],
    });
    expect(last.error).toBeUndefined();
    const remaining = delivered(server, EXPOSED);
    expect(remaining.map(o => o.kind)).toEqual(['IAMAuthPolicy']);
    expect(JSON.parse(remaining[0].spec.policy).Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Principal: '*' }),
    ]);
    expect(last.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /kubectl -n payments delete httproute payments-api/,
        ),
      ]),
    );

    server.requests.length = 0;
    const none = await revoke({
      callers: [{ cluster: 'acme/dev', namespace: 'web' }],
    });
    expect(none.error).toBeUndefined();
    expect(none.out.changed).toBe(false);
    expect(writes(server)).toEqual([]);
  }, 90_000);

  it('expose: refuses a caller that has not joined, a bad port and an empty caller list, before any write', async () => {
    await twoClusters();
    await join({ clusters: ['dev'] });
    server.requests.length = 0;
    const { error } = await expose({
      service: { ...SERVICE, port: 0 },
      callers: [{ cluster: 'prod', namespace: 'payments' }],
    });
    expect(error?.message).toMatch(
      /service.port: must be a port number from 1 to 65535/,
    );
    expect(error?.message).toMatch(
      /callers\[0\].cluster: Cluster acme\/prod has not joined service network "acme-mesh"/,
    );
    const empty = await expose({ callers: [] });
    expect(empty.error?.message).toMatch(
      /callers: must name at least one caller/,
    );
    expect(writes(server)).toEqual([]);
  }, 60_000);

  it('capa:apply refuses the ConfigMaps and ClusterResourceSets: they could deliver any object into a workload cluster', async () => {
    await twoClusters();
    await join();
    server.requests.length = 0;
    const { error } = await run(createApplyAction(options()), {
      managementCluster: 'local',
      files: ['lattice/acme/prod/management-cluster/join.yaml'],
      dryRun: true,
    });
    expect(error?.message).toMatch(/ConfigMap v1 is not applied by capa:apply/);
    expect(error?.message).toMatch(
      /ClusterResourceSet addons.cluster.x-k8s.io\/v1beta2 is not applied by capa:apply/,
    );
    expect(writes(server)).toEqual([]);
  }, 60_000);
});

import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  renderCluster,
  renderControllerIdentity,
  renderTenant,
  toYaml,
} from '@capa-backstage/plugin-capa-common';
import {
  loadClientNode,
  type ManagementClusters,
} from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import { createClusterDeleteAction } from './clusterDelete';
import { createNodePoolSetAction } from './nodePoolSet';
import { decidingAuthorizer } from './__testUtils__/authorizer';
import { localClusters, runApply } from './__testUtils__/applyRun';

const TOKEN = 'cancellation-token';
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
const manifest = toYaml([...tenant, ...cluster]);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A signal aborted `ms` from now, and when it was aborted. */
function abortAfter(ms: number) {
  const controller = new AbortController();
  const state = { at: 0 };
  setTimeout(() => {
    state.at = Date.now();
    controller.abort();
  }, ms);
  return { signal: controller.signal, state };
}

describe('cancelling a task stops its calls to the management cluster', () => {
  beforeAll(async () => {
    KubernetesTestServer.preload();
    await loadClientNode();
  }, 60_000);
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  beforeEach(async () => {
    server = await KubernetesTestServer.start({ token: TOKEN });
    // The platform's controller identity, as on any management cluster CAPA runs on.
    server.seed(renderControllerIdentity().objects);
    clusters = localClusters(server, TOKEN);
  });
  afterEach(() => server.close());

  /** Asserts that the server gets no request from now on. */
  async function expectNoFurtherRequest() {
    const seen = server.requests.length;
    server.delay(0);
    await sleep(400);
    expect(server.requests.slice(seen)).toEqual([]);
  }

  it('capa:apply: a hanging apply ends at once with a cancellation, and nothing is applied after it', async () => {
    server.delay(Infinity, { method: 'PATCH', path: /\/clusters\/prod$/ });
    const { signal, state } = abortAfter(500);
    const { error } = await runApply(
      clusters,
      { managementCluster: 'local', manifest },
      { signal },
    );
    expect(Date.now() - state.at).toBeLessThan(300);
    expect(error?.name).toBe('CancelledError');
    expect(error?.message).toMatch(
      /^management cluster "local": cannot apply Cluster acme\/prod: cancelled; nothing more is sent to the management cluster\nApplied: Namespace acme \(created\), AWSClusterRoleIdentity acme \(created\)\.\nNot applied: Cluster acme\/prod, /,
    );
    await expectNoFurtherRequest();
    expect(server.getObject(cluster[1] as any)).toBeUndefined();
  });

  it('capa:apply: waiting for the Cluster ends at once, and its watch with it', async () => {
    const { signal, state } = abortAfter(1000);
    const { error } = await runApply(
      clusters,
      {
        managementCluster: 'local',
        manifest,
        waitFor: { phase: 'Provisioned', timeoutMinutes: 10 },
      },
      { signal },
    );
    expect(Date.now() - state.at).toBeLessThan(300);
    expect(error?.name).toBe('CancelledError');
    expect(error?.message).toBe(
      'The task was cancelled while waiting for the Cluster',
    );
    await expectNoFurtherRequest();
    // The watch's connection was closed: the server no longer holds it.
    expect(server.openWatches).toBe(0);
  });

  it('capa:cluster:delete: a hanging delete ends at once, and it does not wait after it', async () => {
    server.seed([...tenant, ...cluster]);
    server.delay(Infinity, { method: 'DELETE' });
    const { signal, state } = abortAfter(500);
    const ctx = createMockActionContext({
      input: {
        managementCluster: 'local',
        namespace: 'acme',
        name: 'prod',
        confirm: 'prod',
        wait: { timeoutMinutes: 10 },
      },
    });
    (ctx as any).signal = signal;
    const error = await createClusterDeleteAction({
      managementClusters: clusters,
      authorizer: decidingAuthorizer(),
    })
      .handler(ctx as any)
      .then(
        () => undefined,
        e => e as Error,
      );
    expect(Date.now() - state.at).toBeLessThan(300);
    expect(error?.name).toBe('CancelledError');
    expect(error?.message).toBe(
      'management cluster "local": cannot delete Cluster acme/prod: cancelled; nothing more is sent to the management cluster',
    );
    await expectNoFurtherRequest();
  });

  it('day-2 actions: a task cancelled while reading the cluster sends no change', async () => {
    server.seed([...tenant, ...cluster]);
    server.delay(Infinity, { method: 'GET', path: /\/machinepools$/ });
    const { signal, state } = abortAfter(500);
    const ctx = createMockActionContext({
      input: {
        managementCluster: 'local',
        namespace: 'acme',
        cluster: 'prod',
        nodePool: 'general',
        maxSize: 5,
      },
    });
    (ctx as any).signal = signal;
    const error = await createNodePoolSetAction({
      managementClusters: clusters,
      authorizer: decidingAuthorizer(),
    })
      .handler(ctx as any)
      .then(
        () => undefined,
        e => e as Error,
      );
    expect(Date.now() - state.at).toBeLessThan(300);
    expect(error?.name).toBe('CancelledError');
    expect(error?.message).toBe(
      'management cluster "local": cannot list MachinePool objects in namespace acme: cancelled; nothing more is sent to the management cluster',
    );
    await expectNoFurtherRequest();
    expect(server.requests.some(r => r.method === 'PATCH')).toBe(false);
  });
});

/*
 * Two replicas of the production backend on one real PostgreSQL: the bundle of
 * `yarn build:backend`, laid out and installed as packages/backend/Dockerfile does, run twice with
 * the image's command line against a throwaway PostgreSQL server and two management clusters (the
 * Kubernetes test server). Checks that both replicas answer alike, that the catalog holds each
 * cluster once without flapping, and that a task whose replica is killed mid-action is finished by
 * the other one. Run with `yarn test:replicas` in packages/backend after `yarn build:backend`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, startPostgres, type PostgresServer } from './postgres';
import {
  prepareProductionBackend,
  startReplica,
  type Replica,
} from './productionBackend';
import { killAndRecover, type RecoveredTask } from './taskRecovery';
import {
  api,
  capaEntities,
  type CatalogEntry,
  guestToken,
  type ManagementCluster,
  replicaConfig,
  startManagementClusters,
  until,
} from './replicaWorld';

const log = (m: string) => console.log(`[replicas] ${m}`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

let postgres: PostgresServer | undefined;
let managementClusters: ManagementCluster[] = [];
let replicas: Replica[] = [];
let dir = '';
let token = '';
const figures: Record<string, unknown> = {};

/** Starts replica `name` on a new port with the shared database and management clusters. */
async function start(name: string): Promise<Replica> {
  const port = await freePort();
  return startReplica({
    name,
    dir,
    port,
    config: replicaConfig({ port, managementClusters }),
    env: {
      ...postgres!.env,
      // The production sign-in is configured (with an OAuth app that does not exist).
      AUTH_GITHUB_CLIENT_ID: 'replicas-test-client',
      AUTH_GITHUB_CLIENT_SECRET: 'replicas-test-secret',
    },
    log,
  });
}

before(
  async () => {
    const started = Date.now();
    const prepared = await prepareProductionBackend(log);
    dir = prepared.dir;
    figures['production install (s)'] = prepared.installSeconds || 'reused';
    [postgres, managementClusters] = await Promise.all([
      startPostgres({ log }),
      startManagementClusters(),
    ]);
    const t0 = Date.now();
    // One after the other, as a rolling deployment does: started together on an empty database,
    // one of them finds the other's migration lock taken and exits (to be started again).
    replicas = [await start('a')];
    replicas.push(await start('b'));
    figures['replica start (s)'] = seconds(Date.now() - t0);
    token = await until('guest sign-in', 120_000, () =>
      guestToken(replicas[0].url),
    );
    log(`ready after ${seconds(Date.now() - started)} s`);
  },
  { timeout: 900_000 },
);

after(async () => {
  await Promise.all(replicas.map(r => r.kill('SIGTERM')));
  await Promise.all(managementClusters.map(m => m.server.close()));
  await postgres?.stop();
  log(`figures: ${JSON.stringify(figures, null, 2)}`);
});

test('the production build serves the app, the plugin and the GitHub sign-in', async () => {
  const [a] = replicas;
  const html = await (await fetch(`${a.url}/`)).text();
  assert.match(html, /<div id="root">/);
  // The config the app-backend hands the frontend: which sign-ins exist, never their secrets.
  const injected = html.match(
    /<script type="backstage.io\/config">([\s\S]*?)<\/script>/,
  );
  assert.ok(injected, 'the app carries its config');
  const [{ data }] = JSON.parse(injected[1]);
  assert.equal(data.auth.environment, 'production');
  assert.deepEqual(data.auth.providers.github, {});
  assert.doesNotMatch(injected[1], /replicas-test-secret|replicas-test-client/);

  const health = await api(a.url, '/api/capa/health', token);
  assert.deepEqual(
    health.managementClusters.map((m: { name: string }) => m.name),
    ['mgmt-a', 'mgmt-b'],
  );
  const githubStart = await fetch(
    `${a.url}/api/auth/github/start?env=production&scope=read:user`,
    { redirect: 'manual', headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  assert.equal(githubStart.status, 302);
  const location = new URL(githubStart.headers.get('location')!);
  assert.equal(
    `${location.origin}${location.pathname}`,
    'https://github.com/login/oauth/authorize',
  );
  assert.equal(location.searchParams.get('client_id'), 'replicas-test-client');
  assert.equal(
    location.searchParams.get('redirect_uri'),
    `${a.url}/api/auth/github/handler/frame`,
  );
});

test('both replicas answer /clusters with the same rows', async () => {
  const expected = managementClusters
    .flatMap(m => m.clusters.map(c => `${m.name}/${c}`))
    .sort();
  const rows = await Promise.all(
    replicas.map(r =>
      until(`${r.name} lists every cluster`, 120_000, async () => {
        const list = await api(r.url, '/api/capa/clusters?limit=100', token);
        const names = list.items
          .map((c: any) => `${c.managementCluster}/${c.namespace}/${c.name}`)
          .sort();
        return JSON.stringify(names) === JSON.stringify(expected)
          ? list
          : undefined;
      }),
    ),
  );
  // The token replica a issued is good on replica b: the signing keys are in the database.
  assert.deepEqual(rows[1], rows[0]);
  figures['clusters per replica'] = rows[0].items.length;
});

/** management cluster/namespace/name of every seeded cluster. */
const seededClusters = () =>
  managementClusters.flatMap(m => m.clusters.map(c => `${m.name}/${c}`)).sort();

let baseline: CatalogEntry[] = [];

test('the catalog holds each cluster once and does not flap', async () => {
  const expected = seededClusters();
  const clustersOf = (entries: CatalogEntry[]) =>
    entries.flatMap(e => (e.cluster ? [e.cluster] : [])).sort();
  // Until both replicas serve every seeded cluster.
  await Promise.all(
    replicas.map(r =>
      until(`${r.name}'s catalog has every cluster`, 180_000, async () =>
        JSON.stringify(clustersOf(await capaEntities(r.url))) ===
        JSON.stringify(expected)
          ? true
          : undefined,
      ),
    ),
  );
  // Then sample both replicas through several catalog processing rounds and provider writes.
  const processedAt = () =>
    new Map(
      postgres!
        .query(
          'backstage_plugin_catalog',
          "select entity_ref, next_update_at from refresh_state where entity_ref like 'resource:%'",
        )
        .map(([ref, at]) => [ref, at]),
    );
  const rounds = new Map<string, Set<string>>();
  const samples: CatalogEntry[][] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const r of replicas) samples.push(await capaEntities(r.url));
    for (const [ref, at] of processedAt())
      rounds.set(ref, (rounds.get(ref) ?? new Set()).add(at));
    await new Promise(res => setTimeout(res, 2000));
  }
  baseline = samples[0];
  const changes = samples.filter(
    s => JSON.stringify(s) !== JSON.stringify(baseline),
  );
  const capaRefs = baseline.map(e => e.ref);
  const minRounds = Math.min(
    ...capaRefs.map(ref => rounds.get(ref)?.size ?? 0),
  );
  figures['catalog entities (capa)'] = baseline.length;
  figures['catalog clusters'] = clustersOf(baseline).length;
  figures['catalog samples'] = samples.length;
  figures['catalog samples that differ (count, uid or etag)'] = changes.length;
  figures['processing rounds seen per entity (min)'] = minRounds;
  log(`catalog: ${JSON.stringify(baseline.map(e => [e.ref, e.etag]))}`);

  for (const sample of samples)
    assert.deepEqual(clustersOf(sample), expected, 'each cluster exactly once');
  assert.ok(
    minRounds >= 2,
    `every entity should be processed more than once while sampled (saw ${minRounds})`,
  );
  assert.deepEqual(
    changes.map(s => s.map(e => `${e.ref} ${e.uid} ${e.etag}`)),
    [],
    'entities, uids and etags stay the same on both replicas',
  );
});

/** A recovered run must not send again any write the killed run sent: each write is sent once. */
function assertWritesSentOnce(t: RecoveredTask) {
  assert.ok(t.firstRunWrites.length > 0, 'the killed run had written');
  assert.deepEqual(
    t.rerunWrites.filter(w => t.firstRunWrites.includes(w)),
    [],
    `the recovered run sends none of the killed run's writes again (it sent ${JSON.stringify(
      t.rerunWrites,
    )})`,
  );
}

const clusterObject = (namespace: string, name: string) => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  namespace,
  name,
});

test("a task killed during capa:apply's wait is finished by the other replica", async () => {
  const [a, b] = replicas;
  const mgmt = managementClusters[0];
  const ref = clusterObject('acme', 'recovered');
  let rvAfterController = '';
  const t = await killAndRecover({
    runner: a,
    survivor: b,
    token,
    managementCluster: mgmt,
    template: 'capa-create-eks-cluster',
    values: {
      tenant: {
        managementCluster: mgmt.name,
        tenant: 'acme',
        namespace: 'acme',
      },
      name: ref.name,
      region: 'eu-west-1',
      kubernetesVersion: '1.33',
      nodePools: [
        {
          name: 'general',
          instanceType: 'm6i.large',
          minSize: 1,
          desiredSize: 1,
          maxSize: 2,
        },
      ],
    },
    // capa:apply has applied every object and follows the Cluster's phase.
    killWhen: /Waiting up to .* to reach Provisioning/,
    // The CAPA controller carries on meanwhile.
    meanwhile: () => {
      const cluster = mgmt.server.getObject(ref)!;
      mgmt.server.setStatus(ref, {
        ...(cluster.status as object),
        phase: 'Provisioning',
      });
      rvAfterController = mgmt.server.resourceVersion;
    },
    log,
  });
  mgmt.clusters.push('acme/recovered');
  figures['create: recovery pick-up after kill (s)'] = t.pickUpSeconds;
  figures['create: task end after kill (s)'] = t.completionSeconds;
  figures['create: rerun writes'] = t.rerunWrites;

  assert.equal(t.status, 'completed', t.rerunLog.join('\n'));
  // The recovered run changed nothing: it reports every object unchanged and stored nothing...
  assert.ok(
    t.rerunLog.some(l => / unchanged$/.test(l)),
    t.rerunLog.join('\n'),
  );
  assert.ok(
    !t.rerunLog.some(l => /: (created|configured)\b/.test(l)),
    t.rerunLog.join('\n'),
  );
  assert.equal(mgmt.server.resourceVersion, rvAfterController);
  // ...and sends no write: a server-side apply that changes nothing is still a write request.
  assertWritesSentOnce(t);
});

test('a replica started again (a deploy) serves the same fleet and catalog', async () => {
  const t0 = Date.now();
  replicas[0] = await start('a');
  figures['replica restart (s)'] = seconds(Date.now() - t0);
  const expected = seededClusters();
  const rows = await Promise.all(
    replicas.map(r =>
      until(`${r.name} lists the recovered cluster`, 120_000, async () => {
        const list = await api(r.url, '/api/capa/clusters?limit=100', token);
        return list.items.length === expected.length ? list : undefined;
      }),
    ),
  );
  assert.deepEqual(rows[1], rows[0]);
  // No entity was lost or replaced while a replica was killed and started again.
  for (const r of replicas) {
    const entries = await until(
      `${r.name}'s catalog has the new cluster`,
      120_000,
      async () => {
        const e = await capaEntities(r.url);
        return e.filter(x => x.cluster).length === expected.length
          ? e
          : undefined;
      },
    );
    assert.deepEqual(
      entries.flatMap(e => (e.cluster ? [e.cluster] : [])).sort(),
      expected,
    );
    const uids = new Map(entries.map(e => [e.ref, e.uid]));
    assert.deepEqual(
      baseline.filter(e => uids.get(e.ref) !== e.uid).map(e => e.ref),
      [],
      'every entity keeps its uid',
    );
  }
});

test('a day-2 task killed during its wait is finished by the other replica', async () => {
  const [a, b] = replicas;
  const mgmt = managementClusters[0];
  const controlPlane = {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedControlPlane',
    namespace: 'acme',
    name: 'prod-control-plane',
  };
  const t = await killAndRecover({
    runner: a,
    survivor: b,
    token,
    managementCluster: mgmt,
    template: 'capa-upgrade-cluster',
    values: {
      cluster: 'resource:default/mgmt-a.acme.prod',
      version: '1.34',
      waitMinutes: 5,
    },
    // The control plane was asked for 1.34; the node pools wait for it.
    killWhen:
      /Waiting up to .* for AWSManagedControlPlane acme\/prod-control-plane to report 1\.34/,
    // EKS finishes the control plane meanwhile.
    meanwhile: () => {
      const cp = mgmt.server.getObject(controlPlane)!;
      mgmt.server.setStatus(controlPlane, {
        ready: true,
        ...(cp.status as object),
        version: 'v1.34.1',
      });
    },
    log,
  });
  figures['upgrade: recovery pick-up after kill (s)'] = t.pickUpSeconds;
  figures['upgrade: task end after kill (s)'] = t.completionSeconds;
  figures['upgrade: first run writes'] = t.firstRunWrites;
  figures['upgrade: rerun writes'] = t.rerunWrites;

  assert.equal(t.status, 'completed', t.rerunLog.join('\n'));
  assert.ok(
    t.rerunLog.some(l =>
      /AWSManagedControlPlane acme\/prod-control-plane: unchanged/.test(l),
    ),
    t.rerunLog.join('\n'),
  );
  assertWritesSentOnce(t);
  // What the killed run had not reached yet (the node pools) is done once, by the recovered run.
  assert.deepEqual(t.rerunWrites, [
    'PATCH /apis/cluster.x-k8s.io/v1beta2/namespaces/acme/machinepools/prod-general',
  ]);
});

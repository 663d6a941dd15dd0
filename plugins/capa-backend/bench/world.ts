/*
 * The benchmark's world, run as a child process of the benchmark: three management clusters
 * (KubernetesTestServers on loopback) holding the fleet, a CAPA controller writing statuses, and
 * the portal's users sending requests to the backend one at a time over a keep-alive connection.
 * It answers the messages of ./protocol.ts.
 */
import http from 'http';
import {
  KubernetesTestServer,
  RecordedRequest,
} from '@capa-backstage/plugin-capa-node/testUtils';
import {
  buildFleet,
  ClusterRef,
  FleetShape,
  renderWorkloadCluster,
  shapeOf,
} from './fleetObjects';
import type {
  FromWorld,
  LoadRequest,
  LoadResult,
  ServedCluster,
  ToWorld,
} from './protocol';

const WATCHED = [
  ['cluster.x-k8s.io/v1beta2', 'Cluster'],
  ['controlplane.cluster.x-k8s.io/v1beta2', 'AWSManagedControlPlane'],
  ['cluster.x-k8s.io/v1beta2', 'MachinePool'],
  ['infrastructure.cluster.x-k8s.io/v1beta2', 'AWSManagedMachinePool'],
  ['infrastructure.cluster.x-k8s.io/v1beta2', 'AWSClusterRoleIdentity'],
  ['infrastructure.cluster.x-k8s.io/v1beta2', 'AWSClusterControllerIdentity'],
  ['v1', 'Namespace'],
  ['v1', 'Secret'],
] as const;

const servers = new Map<string, KubernetesTestServer>();
let clusters: ClusterRef[] = [];
let shape: FleetShape | undefined;

function send(message: FromWorld) {
  process.send!(message);
}

/** A small deterministic PRNG, so every run picks the same clusters. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function start(size: number) {
  const t = performance.now();
  shape = shapeOf(size);
  const fleet = buildFleet(shape);
  clusters = fleet.clusters;
  KubernetesTestServer.preload();
  const served: ServedCluster[] = [];
  let objects = 0;
  for (const [name, objs] of fleet.objects) {
    const token = `bench-token-${name}`;
    const server = await KubernetesTestServer.start({
      token,
      // Every request of a measured phase is counted; the baseline sends tens of thousands.
      maxRecordedRequests: 1_000_000,
    });
    server.seed(objs);
    servers.set(name, server);
    const counts: Record<string, number> = {};
    for (const [apiVersion, kind] of WATCHED) {
      counts[kind] = server.listObjects(apiVersion, kind).length;
      objects += counts[kind];
    }
    served.push({ name, url: server.url, token, counts });
  }
  send({
    type: 'ready',
    servers: served,
    clusters,
    objects,
    seedMs: performance.now() - t,
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET to the backend: status, body and the time to its last byte. */
function get(
  baseUrl: string,
  path: string,
): Promise<{ status: number; body: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.get(`${baseUrl}${path}`, { agent }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
          ms: performance.now() - t,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function expectOk(r: { status: number; body: Buffer }, path: string) {
  if (r.status !== 200)
    throw new Error(
      `GET ${path} answered ${r.status}: ${r.body.toString().slice(0, 300)}`,
    );
}

function allRequests(): RecordedRequest[][] {
  return [...servers.values()].map(s => s.requests);
}

function resetRequests() {
  for (const r of allRequests()) r.length = 0;
}

function countRequests(): number {
  return allRequests().reduce((n, r) => n + r.length, 0);
}

const encode = (c: ClusterRef) =>
  `/clusters/${encodeURIComponent(c.managementCluster)}/${encodeURIComponent(
    c.namespace,
  )}/${encodeURIComponent(c.name)}`;

interface Sample {
  ms: number;
  requests: number;
  bytes: number;
  check: string;
}

/**
 * The fleet page after a user picked a phase, typed a search and sorted by version (newest
 * first): a filtered, sorted page with the facet counts of the dropdowns.
 */
export const FILTERED_QUERY =
  'phase=Provisioned&search=prod&sort=kubernetesVersion&order=desc&facets=true';

async function firstPage(
  baseUrl: string,
  limit: number,
  query = '',
): Promise<Sample> {
  const path = `/clusters?limit=${limit}${query ? `&${query}` : ''}`;
  const r = await get(baseUrl, path);
  expectOk(r, path);
  const body = JSON.parse(r.body.toString());
  return {
    ms: r.ms,
    requests: 1,
    bytes: r.body.length,
    check: `${body.items.length} of ${body.totalItems} rows`,
  };
}

async function wholeFleet(baseUrl: string, limit: number): Promise<Sample> {
  let cursor: string | undefined;
  let ms = 0;
  let requests = 0;
  let bytes = 0;
  let rows = 0;
  let total = 0;
  do {
    const path = `/clusters?limit=${limit}${
      cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    }`;
    const r = await get(baseUrl, path);
    expectOk(r, path);
    ms += r.ms;
    requests++;
    bytes += r.body.length;
    const body = JSON.parse(r.body.toString());
    rows += body.items.length;
    total = body.totalItems;
    cursor = body.nextCursor;
  } while (cursor);
  return {
    ms,
    requests,
    bytes,
    check: `${rows} of ${total} rows in ${requests} pages`,
  };
}

async function oneCluster(baseUrl: string, c: ClusterRef): Promise<Sample> {
  const path = encode(c);
  const r = await get(baseUrl, path);
  expectOk(r, path);
  const view = JSON.parse(r.body.toString());
  if (view.name !== c.name || view.nodePools.length !== 2)
    throw new Error(`GET ${path} answered another cluster or lacks pools`);
  return {
    ms: r.ms,
    requests: 1,
    bytes: r.body.length,
    check: `view with ${view.nodePools.length} node pools, account ${view.aws.accountId}`,
  };
}

let updateSeq = 0;

/**
 * A controller writes a Cluster's status on its management cluster; the user keeps reloading the
 * cluster's page until the change shows. Measured from just before the write to the answer that
 * shows it.
 */
async function update(baseUrl: string, c: ClusterRef): Promise<Sample> {
  const marker = `bench update ${++updateSeq}`;
  const path = encode(c);
  const t = performance.now();
  writeClusterStatus(c, current => ({
    ...current,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'Available',
        message: marker,
        lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    ],
  }));
  let requests = 0;
  let bytes = 0;
  for (;;) {
    const r = await get(baseUrl, path);
    expectOk(r, path);
    requests++;
    bytes += r.body.length;
    const view = JSON.parse(r.body.toString());
    // The Cluster's conditions: the first object of the view.
    if (
      view.objects?.[0]?.conditions?.some(
        (x: { message?: string }) => x.message === marker,
      )
    )
      return {
        ms: performance.now() - t,
        requests,
        bytes,
        check: `visible after ${requests} reads`,
      };
    if (performance.now() - t > 30_000)
      throw new Error(`the status change of ${path} never became visible`);
  }
}

let added = 0;

/** A new workload cluster of the first tenant, with its statuses and Secrets, created at once. */
function addCluster(): { cluster: ClusterRef; at: number } {
  const first = clusters[0];
  const server = servers.get(first.managementCluster)!;
  const { objects, cluster } = renderWorkloadCluster(
    shape!,
    0,
    `added-${++added}`,
    0,
  );
  const at = performance.timeOrigin + performance.now();
  server.seed(objects);
  clusters.push(cluster);
  return { cluster, at };
}

let statusSeq = 0;

/** A controller's status write to one Cluster (its Available condition's message). */
function changeStatus(): { cluster: ClusterRef; at: number } {
  const c = clusters[(statusSeq * 7919) % clusters.length];
  const at = performance.timeOrigin + performance.now();
  writeClusterStatus(c, current => ({
    ...current,
    conditions: (current.conditions ?? []).map(
      (x: Record<string, unknown>, i: number) =>
        i === 0 ? { ...x, message: `status change ${++statusSeq}` } : x,
    ),
  }));
  return { cluster: c, at };
}

/** Writes a Cluster's status on its management cluster, as its controller would. */
function writeClusterStatus(
  c: ClusterRef,
  next: (current: Record<string, any>) => Record<string, unknown>,
) {
  const server = servers.get(c.managementCluster)!;
  const ref = {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    namespace: c.namespace,
    name: c.name,
  };
  server.setStatus(
    ref,
    next(server.getObject(ref)!.status as Record<string, any>),
  );
}

async function load(m: LoadRequest): Promise<LoadResult> {
  const random = prng(m.id * 7919 + 17);
  const pick = () => clusters[Math.floor(random() * clusters.length)];
  const spec = m.spec;
  const one = (): Promise<Sample> => {
    switch (spec.kind) {
      case 'firstPage':
        return firstPage(m.baseUrl, spec.limit);
      case 'filteredPage':
        return firstPage(m.baseUrl, spec.limit, FILTERED_QUERY);
      case 'wholeFleet':
        return wholeFleet(m.baseUrl, spec.limit);
      case 'oneCluster':
        return oneCluster(m.baseUrl, pick());
      case 'update':
        return update(m.baseUrl, pick());
      default:
        throw new Error('unknown load');
    }
  };
  for (let i = 0; i < m.warmup; i++) await one();
  resetRequests();
  const samples: number[] = [];
  let portalRequests = 0;
  let bytes = 0;
  const checks = new Set<string>();
  for (let i = 0; i < m.samples; i++) {
    const s = await one();
    samples.push(s.ms);
    portalRequests += s.requests;
    bytes += s.bytes;
    if (checks.size < 3) checks.add(s.check);
  }
  return {
    type: 'loadResult',
    id: m.id,
    samples,
    portalRequests,
    kubernetesRequests: countRequests(),
    bytes,
    check: [...checks].join('; '),
  };
}

// The benchmark died or ended without saying stop: do not outlive it.
process.on('disconnect', () => process.exit(0));

process.on('message', (m: ToWorld) => {
  const run = async () => {
    switch (m.type) {
      case 'start':
        await start(m.clusters);
        return;
      case 'addCluster':
        send({ type: 'done', id: m.id, ...addCluster() });
        return;
      case 'changeStatus':
        send({ type: 'done', id: m.id, ...changeStatus() });
        return;
      case 'load':
        send(await load(m));
        return;
      case 'kubernetesRequests':
        send({
          type: 'kubernetesRequestCount',
          id: m.id,
          count: countRequests(),
        });
        resetRequests();
        return;
      case 'stop':
        agent.destroy();
        await Promise.all([...servers.values()].map(s => s.close()));
        process.exit(0);
        return;
      default:
        return;
    }
  };
  run().catch(e =>
    send({
      type: 'error',
      id: 'id' in m ? m.id : undefined,
      message: (e as Error).stack ?? String(e),
    }),
  );
});

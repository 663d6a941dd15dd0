/*
 * The fleet benchmark (`yarn bench`): the capa backend plugin serving 2,000 workload clusters of
 * three management clusters from the shared watch cache, against a list-per-request baseline
 * through the same plugin, router and projection. Prints a Markdown table; exits 0 when it ran
 * (a missed target is reported in the table, not as a failure).
 *
 * This process is the backend under test (startTestBackend). The management clusters (three
 * KubernetesTestServers), the controller writing statuses and the portal's users (one request at a
 * time over keep-alive HTTP) run in a child process (./world.ts), so this process's memory and
 * CPU are the backend's own.
 *
 * Environment: BENCH_SAMPLES (default 200): measured samples per phase of the cache, after warm-up
 * (a whole-fleet sample pages through the fleet: 4 requests). BENCH_BASELINE_SAMPLES (default 60):
 * measured portal requests per phase of the baseline, whose requests take a quarter of a second
 * to a second each (200 makes the run about 8 minutes instead of 3). BENCH_COLD_STARTS (default
 * 3): backend starts timed until the cache is complete.
 */
import os from 'os';
import { loadClientNode } from '@capa-backstage/plugin-capa-node';
import { memory, startBaseline, startCached } from './backends';
import type { LoadResult, LoadSpec } from './protocol';
import { mb, ms, ratio, summarize, Summary, table } from './stats';
import { World } from './worldClient';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const BASELINE_SAMPLES = Number(process.env.BENCH_BASELINE_SAMPLES ?? 60);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 3);
const PAGE = 500;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

interface Phase {
  summary: Summary;
  result: LoadResult;
}

async function phase(
  world: World,
  label: string,
  baseUrl: string,
  spec: LoadSpec,
  warmup: number,
  samples: number,
): Promise<Phase> {
  const t = performance.now();
  const result = await world.load(baseUrl, spec, warmup, samples);
  const summary = summarize(result.samples);
  log(
    `${label}: median ${ms(summary.median)}, p95 ${ms(summary.p95)} (n=${
      summary.n
    }, ${result.kubernetesRequests} Kubernetes API requests for ${
      result.portalRequests
    } portal requests; ${result.check}) in ${ms(performance.now() - t)}`,
  );
  return { summary, result };
}

const per100 = (p: Phase) =>
  (100 * p.result.kubernetesRequests) / p.result.portalRequests;

function formatPer100(n: number): string {
  if (n === 0) return '0';
  return n >= 100 ? String(Math.round(n)) : n.toFixed(1);
}

/** "n" of a row: samples, and portal requests when a sample is several. */
function count(p: Phase): string {
  return p.result.portalRequests === p.summary.n
    ? String(p.summary.n)
    : `${p.summary.n} (${p.result.portalRequests} req.)`;
}

async function main() {
  const tStart = performance.now();
  const gcAvailable = typeof (globalThis as { gc?: unknown }).gc === 'function';
  if (!gcAvailable) log('run node with --expose-gc for memory after GC');
  const world = new World();
  const ready = await world.start();
  const servers = ready.servers;
  log(
    `world ready: ${servers.length} management clusters, ${
      ready.clusters.length
    } workload clusters, ${ready.objects} watched objects, seeded in ${ms(
      ready.seedMs,
    )}`,
  );
  // Every library the backend uses is loaded before the baseline figure, so that the difference
  // is what the backend and its cache hold, not code.
  await loadClientNode();
  const before = memory();

  // --- The watch cache -------------------------------------------------------------------------
  const cached = await startCached(servers);
  log(
    `cache complete ${ms(cached.completeMs)} after start (backend up after ${ms(
      cached.bootMs,
    )}, peak RSS ${mb(cached.peakRss)})`,
  );
  const coldStarts = [cached.completeMs];
  const c = {
    firstPage: await phase(
      world,
      'cache: first page',
      cached.baseUrl,
      { kind: 'firstPage', limit: PAGE },
      50,
      SAMPLES,
    ),
    wholeFleet: await phase(
      world,
      'cache: whole fleet',
      cached.baseUrl,
      { kind: 'wholeFleet', limit: PAGE },
      20,
      SAMPLES,
    ),
    oneCluster: await phase(
      world,
      'cache: one cluster',
      cached.baseUrl,
      { kind: 'oneCluster' },
      50,
      SAMPLES,
    ),
  };
  const withFleet = memory();
  log(
    `memory with the fleet cached: RSS ${mb(withFleet.rss)}, heap used ${mb(
      withFleet.heapUsed,
    )}; before the backend started: RSS ${mb(before.rss)}, heap used ${mb(
      before.heapUsed,
    )}`,
  );
  const cUpdate = await phase(
    world,
    'cache: update visible',
    cached.baseUrl,
    { kind: 'update' },
    10,
    SAMPLES,
  );
  await cached.backend.stop();

  // --- List per request ------------------------------------------------------------------------
  const baseline = await startBaseline(servers, 'managementCluster');
  const b = {
    firstPage: await phase(
      world,
      'baseline: first page',
      baseline.baseUrl,
      { kind: 'firstPage', limit: PAGE },
      5,
      BASELINE_SAMPLES,
    ),
    wholeFleet: await phase(
      world,
      'baseline: whole fleet',
      baseline.baseUrl,
      { kind: 'wholeFleet', limit: PAGE },
      1,
      Math.ceil(BASELINE_SAMPLES / Math.ceil(ready.clusters.length / PAGE)),
    ),
    oneCluster: await phase(
      world,
      'baseline: one cluster',
      baseline.baseUrl,
      { kind: 'oneCluster' },
      5,
      BASELINE_SAMPLES,
    ),
    update: await phase(
      world,
      'baseline: update visible',
      baseline.baseUrl,
      { kind: 'update' },
      5,
      BASELINE_SAMPLES,
    ),
  };
  await baseline.backend.stop();
  const scoped = await startBaseline(servers, 'namespace');
  const bScoped = await phase(
    world,
    'baseline listing one namespace: one cluster',
    scoped.baseUrl,
    { kind: 'oneCluster' },
    10,
    SAMPLES,
  );
  await scoped.backend.stop();

  // --- More cold starts (in-process restarts: code already loaded and compiled) ----------------
  for (let i = 1; i < COLD_STARTS; i++) {
    const again = await startCached(servers);
    coldStarts.push(again.completeMs);
    log(`cold start ${i + 1}: cache complete after ${ms(again.completeMs)}`);
    await again.backend.stop();
  }
  await world.stop();

  // --- Report ----------------------------------------------------------------------------------
  const pair = (s: Summary) => `${ms(s.median)} / ${ms(s.p95)}`;
  const ratios = (base: Summary, cache: Summary) =>
    `${ratio(base.median, cache.median)} / ${ratio(base.p95, cache.p95)}`;
  const met = (ok: boolean) => (ok ? 'yes' : '**no**');
  const read = (
    label: string,
    cache: Phase,
    base: Phase,
    target: string,
    p95Limit: number | undefined,
    minRatio: number | undefined,
  ) => {
    const r = Math.min(
      base.summary.median / cache.summary.median,
      base.summary.p95 / cache.summary.p95,
    );
    return [
      label,
      `${count(cache)} / ${count(base)}`,
      pair(cache.summary),
      pair(base.summary),
      ratios(base.summary, cache.summary),
      target,
      met(
        (p95Limit === undefined || cache.summary.p95 < p95Limit) &&
          (minRatio === undefined || r >= minRatio),
      ),
    ];
  };
  const cold = summarize(coldStarts);
  const cachedPhases = [c.firstPage, c.wholeFleet, c.oneCluster, cUpdate];
  const baselinePhases = [b.firstPage, b.wholeFleet, b.oneCluster, b.update];
  const rows = [
    [
      `Start to complete cache (${ready.objects} objects)`,
      `${cold.n} starts`,
      pair(cold),
      'no cache',
      '',
      '',
      '',
    ],
    read(
      `GET /clusters?limit=${PAGE} (first page)`,
      c.firstPage,
      b.firstPage,
      'p95 < 20 ms, >= 20x',
      20,
      20,
    ),
    read(
      `GET /clusters, whole fleet (${Math.ceil(
        ready.clusters.length / PAGE,
      )} pages of ${PAGE})`,
      c.wholeFleet,
      b.wholeFleet,
      '>= 20x',
      undefined,
      20,
    ),
    read(
      'GET /clusters/:mc/:ns/:name',
      c.oneCluster,
      b.oneCluster,
      'p95 < 5 ms, >= 20x',
      5,
      20,
    ),
    read(
      'same, baseline listing only its namespace',
      c.oneCluster,
      bScoped,
      '(reference)',
      undefined,
      undefined,
    ).map((cell, i) => (i === 6 ? '' : cell)),
    [
      'Status change visible through the API',
      `${count(cUpdate)} / ${count(b.update)}`,
      pair(cUpdate.summary),
      pair(b.update.summary),
      ratios(b.update.summary, cUpdate.summary),
      '< 1 s',
      met(cUpdate.summary.p95 < 1000),
    ],
    [
      'Kubernetes API requests per 100 portal requests (page, fleet, one, update)',
      '',
      cachedPhases.map(p => formatPer100(per100(p))).join(', '),
      baselinePhases.map(p => formatPer100(per100(p))).join(', '),
      '',
      '0 when warm',
      met(cachedPhases.every(p => p.result.kubernetesRequests === 0)),
    ],
    [
      `Backend process memory, fleet cached${gcAvailable ? ' (after GC)' : ''}`,
      '',
      `RSS ${mb(withFleet.rss)}, heap ${mb(withFleet.heapUsed)}`,
      '',
      '',
      '< 250 MB RSS',
      met(withFleet.rss < 250 * 1024 * 1024),
    ],
    [
      '- of which before the backend started (Node, TS loader, test backend, client-node)',
      '',
      `RSS ${mb(before.rss)}, heap ${mb(before.heapUsed)}`,
      '',
      '',
      '',
      '',
    ],
    [
      '- added by the backend and its cache; peak RSS during the first sync',
      '',
      `RSS +${mb(withFleet.rss - before.rss)}, heap +${mb(
        withFleet.heapUsed - before.heapUsed,
      )}; peak ${mb(cached.peakRss)}`,
      '',
      '',
      '',
      '',
    ],
  ];
  const header = [
    'Measure',
    'n (cache / baseline)',
    'Watch cache: median / p95',
    'List per request: median / p95',
    'Baseline / cache',
    'Target',
    'Met',
  ];
  process.stdout.write(
    [
      '',
      `${servers.length} management clusters, ${
        ready.clusters.length
      } workload clusters (${servers
        .map(s => s.counts.Namespace)
        .reduce((a, n) => a + n, 0)} tenant namespaces), ${
        ready.objects
      } watched objects. Node ${process.version}, ${
        os.cpus().length
      } CPUs. Requests one at a time after warm-up; times to the last byte.`,
      '',
      table(header, rows),
      '',
      `Benchmark run time ${ms(performance.now() - tStart)}.`,
      '',
    ].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  e => {
    process.stderr.write(`[bench] failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);

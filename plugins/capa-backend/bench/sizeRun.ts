/*
 * One size of the benchmark's curve: a world of that many workload clusters (./world.ts), the
 * backend with the watch cache measured against the list-per-request baseline, and the table of
 * that size.
 */
import { loadClientNode } from '@capa-backstage/plugin-capa-node';
import { memory, startBaseline, startCached } from './backends';
import type { LoadResult, LoadSpec } from './protocol';
import { mb, ms, ratio, summarize, Summary } from './stats';
import { World } from './worldClient';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const BASELINE_SAMPLES = Number(process.env.BENCH_BASELINE_SAMPLES ?? 60);
const BASELINE_SAMPLES_LARGE = Number(
  process.env.BENCH_BASELINE_SAMPLES_LARGE ?? 10,
);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 3);
/** Above this size the baseline is sampled less: one of its fleet requests takes many seconds. */
const LARGE = 2000;
export const PAGE = 500;

export const log = (message: string) =>
  process.stderr.write(`[bench] ${message}\n`);

export interface Phase {
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

type Measures = 'firstPage' | 'filteredPage' | 'wholeFleet' | 'oneCluster';

/** What one size measured: the figures of the curve and the size's table. */
export interface SizeResult {
  clusters: number;
  managementClusters: number;
  tenants: number;
  objects: number;
  coldStarts: Summary;
  /** The highest RSS of this process while the first cache listed. */
  peakRss: number;
  /** Memory after GC before the backend started, and with the fleet cached after the phases. */
  before: NodeJS.MemoryUsage;
  settled: NodeJS.MemoryUsage;
  cache: Record<Measures | 'update', Phase>;
  /** The baseline's whole fleet is not run above 2,000 clusters (it takes minutes a sample). */
  baseline: Record<Exclude<Measures, 'wholeFleet'> | 'update', Phase> & {
    wholeFleet?: Phase;
  };
  scoped?: Phase;
  rows: string[][];
}

/** Measures one size; `world` is a started world of that size. */
export async function runSize(
  world: World,
  ready: Awaited<ReturnType<World['start']>>,
): Promise<SizeResult> {
  const servers = ready.servers;
  const size = ready.clusters.length;
  const large = size > LARGE;
  const pages = Math.ceil(size / PAGE);
  // Every library the backend uses is loaded before the baseline figure, so that the difference
  // is what the backend and its cache hold, not code.
  await loadClientNode();
  const before = memory();

  // --- The watch cache -------------------------------------------------------------------------
  const cached = await startCached(servers);
  log(
    `${size}: cache complete ${ms(
      cached.completeMs,
    )} after start (backend up after ${ms(cached.bootMs)}, peak RSS ${mb(
      cached.peakRss,
    )})`,
  );
  const coldStarts = [cached.completeMs];
  const cachePhase = (
    label: string,
    spec: LoadSpec,
    warmup: number,
    n: number,
  ) => phase(world, `${size} cache: ${label}`, cached.baseUrl, spec, warmup, n);
  const firstPage = await cachePhase(
    'first page',
    { kind: 'firstPage', limit: PAGE },
    50,
    SAMPLES,
  );
  const filteredPage = await cachePhase(
    'filtered page',
    { kind: 'filteredPage', limit: PAGE },
    50,
    SAMPLES,
  );
  // A whole-fleet sample is `pages` requests: fewer samples at 10,000 keep the phase short.
  const wholeFleet = await cachePhase(
    'whole fleet',
    { kind: 'wholeFleet', limit: PAGE },
    10,
    large ? Math.ceil(SAMPLES / 4) : SAMPLES,
  );
  const oneCluster = await cachePhase(
    'one cluster',
    { kind: 'oneCluster' },
    50,
    SAMPLES,
  );
  const update = await cachePhase(
    'update visible',
    { kind: 'update' },
    10,
    SAMPLES,
  );
  const settled = memory();
  log(
    `${size}: memory with the fleet cached: RSS ${mb(
      settled.rss,
    )}, heap used ${mb(settled.heapUsed)}; before the backend started: RSS ${mb(
      before.rss,
    )}, heap used ${mb(before.heapUsed)}`,
  );
  await cached.backend.stop();

  // --- List per request ------------------------------------------------------------------------
  const n = large ? BASELINE_SAMPLES_LARGE : BASELINE_SAMPLES;
  const baseline = await startBaseline(servers, 'managementCluster');
  const basePhase = (
    label: string,
    spec: LoadSpec,
    warmup: number,
    k: number,
  ) =>
    phase(
      world,
      `${size} baseline: ${label}`,
      baseline.baseUrl,
      spec,
      warmup,
      k,
    );
  const b = {
    firstPage: await basePhase(
      'first page',
      { kind: 'firstPage', limit: PAGE },
      large ? 1 : 5,
      n,
    ),
    filteredPage: await basePhase(
      'filtered page',
      { kind: 'filteredPage', limit: PAGE },
      large ? 1 : 5,
      n,
    ),
    // Every page lists the whole fleet again: at 10,000 clusters a sample takes minutes.
    wholeFleet: large
      ? undefined
      : await basePhase(
          'whole fleet',
          { kind: 'wholeFleet', limit: PAGE },
          1,
          Math.max(1, Math.ceil(n / pages)),
        ),
    oneCluster: await basePhase(
      'one cluster',
      { kind: 'oneCluster' },
      large ? 1 : 5,
      n,
    ),
    update: await basePhase(
      'update visible',
      { kind: 'update' },
      large ? 1 : 5,
      n,
    ),
  };
  await baseline.backend.stop();
  let scoped: Phase | undefined;
  if (!large) {
    const s = await startBaseline(servers, 'namespace');
    scoped = await phase(
      world,
      `${size} baseline listing one namespace: one cluster`,
      s.baseUrl,
      { kind: 'oneCluster' },
      10,
      SAMPLES,
    );
    await s.backend.stop();
  }

  // --- More cold starts (in-process restarts: code already loaded and compiled) ----------------
  for (let i = 1; i < COLD_STARTS; i++) {
    const again = await startCached(servers);
    coldStarts.push(again.completeMs);
    log(
      `${size}: cold start ${i + 1}: cache complete after ${ms(
        again.completeMs,
      )}`,
    );
    await again.backend.stop();
  }

  const c = { firstPage, filteredPage, wholeFleet, oneCluster, update };
  const result: Omit<SizeResult, 'rows'> = {
    clusters: size,
    managementClusters: servers.length,
    tenants: servers.reduce((a, s) => a + (s.counts.Namespace ?? 0), 0),
    objects: ready.objects,
    coldStarts: summarize(coldStarts),
    peakRss: cached.peakRss,
    before,
    settled,
    cache: c,
    baseline: b,
    scoped,
  };
  return { ...result, rows: sizeRows(result, pages) };
}

export const pair = (s: Summary) => `${ms(s.median)} / ${ms(s.p95)}`;
export const met = (ok: boolean) => (ok ? 'yes' : '**no**');

/** The rows of one size's table (the header is SIZE_HEADER). */
function sizeRows(r: Omit<SizeResult, 'rows'>, pages: number): string[][] {
  const ratios = (base: Summary, cache: Summary) =>
    `${ratio(base.median, cache.median)} / ${ratio(base.p95, cache.p95)}`;
  const read = (
    label: string,
    cache: Phase,
    base: Phase | undefined,
    target: string,
    p95Limit: number | undefined,
    minRatio: number | undefined,
  ) => {
    if (!base)
      return [
        label,
        `${count(cache)} / -`,
        pair(cache.summary),
        `not run (${pages} x first page)`,
        '',
        target,
        // Without a baseline only a latency limit can be judged.
        p95Limit === undefined ? 'n/a' : met(cache.summary.p95 < p95Limit),
      ];
    const x = Math.min(
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
          (minRatio === undefined || x >= minRatio),
      ),
    ];
  };
  const { cache: c, baseline: b } = r;
  const cachedPhases = [
    c.firstPage,
    c.filteredPage,
    c.wholeFleet,
    c.oneCluster,
    c.update,
  ];
  const baselinePhases = [
    b.firstPage,
    b.filteredPage,
    ...(b.wholeFleet ? [b.wholeFleet] : []),
    b.oneCluster,
    b.update,
  ];
  return [
    [
      `Start to complete cache (${r.objects} objects)`,
      `${r.coldStarts.n} starts`,
      pair(r.coldStarts),
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
      `same, filtered, sorted, with facets`,
      c.filteredPage,
      b.filteredPage,
      'p95 < 20 ms, >= 20x',
      20,
      20,
    ),
    read(
      `GET /clusters, whole fleet (${pages} pages of ${PAGE})`,
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
    ...(r.scoped
      ? [
          read(
            'same, baseline listing only its namespace',
            c.oneCluster,
            r.scoped,
            '(reference)',
            undefined,
            undefined,
          ).map((cell, i) => (i === 6 ? '' : cell)),
        ]
      : []),
    [
      'Status change visible through the API',
      `${count(c.update)} / ${count(b.update)}`,
      pair(c.update.summary),
      pair(b.update.summary),
      ratios(b.update.summary, c.update.summary),
      '< 1 s',
      met(c.update.summary.p95 < 1000),
    ],
    [
      `Kubernetes API requests per 100 portal requests (page, filtered, fleet, one, update${
        b.wholeFleet ? '' : '; baseline without fleet'
      })`,
      '',
      cachedPhases.map(p => formatPer100(per100(p))).join(', '),
      baselinePhases.map(p => formatPer100(per100(p))).join(', '),
      '',
      '0 when warm',
      met(cachedPhases.every(p => p.result.kubernetesRequests === 0)),
    ],
    [
      'Benchmark process memory before the backend started (after GC)',
      '',
      `RSS ${mb(r.before.rss)}, heap ${mb(r.before.heapUsed)}`,
      '',
      '',
      '',
      '',
    ],
    [
      '- added with the fleet cached, settled after GC; peak RSS during the first sync',
      '',
      `RSS +${mb(r.settled.rss - r.before.rss)}, heap +${mb(
        r.settled.heapUsed - r.before.heapUsed,
      )}; peak ${mb(r.peakRss)}`,
      '',
      '',
      '',
      '',
    ],
  ];
}

export const SIZE_HEADER = [
  'Measure',
  'n (cache / baseline)',
  'Watch cache: median / p95',
  'List per request: median / p95',
  'Baseline / cache',
  'Target',
  'Met',
];

/*
 * The fleet benchmark (`yarn bench`): the capa backend plugin serving workload clusters from the
 * shared watch cache, against a list-per-request baseline through the same plugin, router and
 * projection, at several fleet sizes (the curve); then the production backend process's memory
 * and the catalog at the largest size (./production.ts). Prints Markdown tables; exits 0 when it
 * ran (a missed target is reported in the tables, not as a failure).
 *
 * This process is the backend under test (startTestBackend). The management clusters
 * (KubernetesTestServers), the controller writing statuses and the portal's users (one request at
 * a time over keep-alive HTTP) run in a child process (./world.ts), one per size, so this
 * process's memory and CPU are the backend's own.
 *
 * Environment:
 * - BENCH_10K=1: adds the 10,000-cluster world (5 management clusters) to the curve, and its
 *   targets; the default curve is 500 and 2,000 clusters (about 5 minutes on 2 CPUs; with 10,000
 *   about 15). BENCH_SIZES (e.g. `500,2000,10000`) sets the sizes outright.
 * - BENCH_SAMPLES (default 200): measured samples per phase of the cache, after warm-up (a
 *   whole-fleet sample pages through the fleet).
 * - BENCH_BASELINE_SAMPLES (default 60): measured portal requests per phase of the baseline up to
 *   2,000 clusters; BENCH_BASELINE_SAMPLES_LARGE (default 10) above, where one baseline request
 *   takes seconds.
 * - BENCH_COLD_STARTS (default 3): backend starts timed until the cache is complete.
 * - BENCH_PRODUCTION=0 skips the production process (./production.ts), which needs
 *   `yarn tsc && yarn build:backend` and PostgreSQL (.ci/postgres.sh).
 */
import os from 'os';
import {
  ProductionBench,
  type ProductionResult,
  type ProductionSize,
} from './production';
import { log, met, PAGE, runSize, SIZE_HEADER, SizeResult } from './sizeRun';
import { mb, ms, summarize, table } from './stats';
import { World } from './worldClient';

const SIZES = (
  process.env.BENCH_SIZES ??
  (process.env.BENCH_10K === '1' ? '500,2000,10000' : '500,2000')
)
  .split(',')
  .map(Number);
const PRODUCTION = process.env.BENCH_PRODUCTION !== '0';

/** Kilobytes per cluster of a memory difference. */
const kbPer = (bytes: number, clusters: number) =>
  `${(bytes / 1024 / clusters).toFixed(1)} KB`;

async function main() {
  const tStart = performance.now();
  const gcAvailable = typeof (globalThis as { gc?: unknown }).gc === 'function';
  if (!gcAvailable) log('run node with --expose-gc for memory after GC');
  process.stdout.write(
    `\nNode ${process.version}, ${
      os.cpus().length
    } CPUs. Requests one at a time after warm-up; times to the last byte.\n`,
  );
  const results: SizeResult[] = [];
  let production: ProductionResult | undefined;
  let productionError: string | undefined;
  let bench: ProductionBench | undefined;
  if (PRODUCTION) {
    try {
      bench = await ProductionBench.start();
      production = { idle: bench.idle, sizes: [] };
    } catch (e) {
      productionError = (e as Error).message.split('\n')[0];
      log(`production process not measured: ${(e as Error).stack}`);
    }
  }
  for (const size of SIZES) {
    const world = new World();
    const ready = await world.start(size);
    log(
      `world ready: ${ready.servers.length} management clusters, ${
        ready.clusters.length
      } workload clusters, ${ready.objects} watched objects, seeded in ${ms(
        ready.seedMs,
      )}`,
    );
    const r = await runSize(world, ready);
    results.push(r);
    // Each size's table as soon as it is measured, so a long run shows its figures early.
    process.stdout.write(
      [
        '',
        `### ${r.clusters} workload clusters (${r.managementClusters} management clusters, ${r.tenants} tenant namespaces, ${r.objects} watched objects)`,
        '',
        table(SIZE_HEADER, r.rows),
        '',
      ].join('\n'),
    );
    // The production process with the same world: the smallest and largest sizes (the memory
    // curve's ends), the catalog figures at the largest.
    const last = size === SIZES[SIZES.length - 1];
    if (bench && production && (size === SIZES[0] || last)) {
      try {
        const m = await bench.measure(world, ready.servers, last);
        production.sizes.push(m.size);
        if (m.catalog) production.catalog = m.catalog;
        if (m.browser) production.browser = m.browser;
      } catch (e) {
        productionError = (e as Error).message.split('\n')[0];
        log(`production process at ${size}: ${(e as Error).stack}`);
      }
    }
    await world.stop();
  }
  await bench?.stop();

  const out: string[] = [];

  // --- The curve -----------------------------------------------------------------------------
  const prodOf = (n: number) => production?.sizes.find(p => p.clusters === n);
  const curveHeader = [
    'Clusters',
    'Complete cache (median)',
    'p95 one cluster',
    'p95 500-row page',
    'p95 filtered page',
    'p95 whole fleet',
    'p95 status change visible',
    'Production process, settled: RSS / heap over no clusters (per cluster)',
    'Production: peak RSS',
    'Catalog complete after start',
    'Bench process: heap added (peak RSS)',
  ];
  const curveRows = results.map(r => {
    const p = prodOf(r.clusters);
    return [
      String(r.clusters),
      ms(r.coldStarts.median),
      ms(r.cache.oneCluster.summary.p95),
      ms(r.cache.firstPage.summary.p95),
      ms(r.cache.filteredPage.summary.p95),
      ms(r.cache.wholeFleet.summary.p95),
      ms(r.cache.update.summary.p95),
      p && production
        ? `+${mb(p.memory.rss - production.idle.rss)} / +${mb(
            p.memory.heapUsed - production.idle.heapUsed,
          )} (${kbPer(
            p.memory.rss - production.idle.rss,
            r.clusters,
          )} / ${kbPer(
            p.memory.heapUsed - production.idle.heapUsed,
            r.clusters,
          )})`
        : '-',
      p ? mb(p.memory.peakRss) : '',
      p
        ? `${ms(p.catalogCompleteMs)} (RSS settled ${ms(
            p.memory.settledAfterMs ?? NaN,
          )} later)`
        : '',
      `+${mb(r.settled.heapUsed - r.before.heapUsed)} (${mb(r.peakRss)})`,
    ];
  });
  out.push(
    '',
    '### The curve',
    '',
    production
      ? `Production backend process (packages/backend from \`yarn build:backend\`, every default plugin, PostgreSQL), measured at the smallest and largest sizes once RSS has settled (two readings 30 s apart within 2%, each after a full GC); without management clusters: RSS ${mb(
          production.idle.rss,
        )}, heap ${mb(production.idle.heapUsed)}.${
          productionError ? ` Failed: ${productionError}` : ''
        }`
      : `Production backend process not measured${
          productionError ? `: ${productionError}` : ' (BENCH_PRODUCTION=0)'
        }.`,
    '',
    table(curveHeader, curveRows),
  );

  // --- Catalog --------------------------------------------------------------------------------
  const cat = production?.catalog;
  if (cat) {
    const s = summarize(cat.newClusterToEntityMs);
    out.push(
      '',
      `### The catalog at ${cat.clusters} clusters (production process, PostgreSQL)`,
      '',
      table(
        ['Measure', 'Value'],
        [
          [
            `New cluster on a management cluster to its entity in the catalog API (n=${s.n})`,
            `median ${ms(s.median)}, max ${ms(
              Math.max(...cat.newClusterToEntityMs),
            )}`,
          ],
          [
            `Catalog database rows written in ${cat.windowSeconds} s with ${cat.statusChanges} status changes`,
            String(cat.rowsWithStatusChanges),
          ],
          [
            `same, ${cat.windowSeconds} s without changes`,
            String(cat.rowsWithout),
          ],
          [
            'Provider mutations after the status changes',
            String(cat.providerWritesAfterStatusChanges),
          ],
        ],
      ),
    );
  }

  // --- Browser -------------------------------------------------------------------------------
  const br = production?.browser;
  if (br) {
    const top = results[results.length - 1];
    out.push(
      '',
      `### The fleet page in headless Chromium, ${top.clusters} clusters (production process)`,
      '',
      typeof br === 'string'
        ? `Not measured: ${br}`
        : table(
            ['Measure', 'n', 'median / max', 'Target', 'Met'],
            [
              [
                'Navigation to /capa until the first rows are painted',
                br.firstRowsMs,
                1500,
              ],
              [
                'Click on the Kubernetes version header until the sorted rows are painted',
                br.sortMs,
                300,
              ],
              [
                'Click on a phase count until its rows are painted',
                br.phaseFilterMs,
                300,
              ],
              [
                'Search typed until the matching rows are painted (100 ms typing pause included)',
                br.filterMs,
                300,
              ],
            ].map(([label, xs, limit]) => {
              const v = xs as number[];
              const max = Math.max(...v);
              return [
                label as string,
                String(v.length),
                `${ms(summarize(v).median)} / ${ms(max)}`,
                `< ${ms(limit as number)}`,
                met(max < (limit as number)),
              ];
            }),
          ),
    );
  }

  // --- Targets at the largest size -----------------------------------------------------------
  const top = results[results.length - 1];
  const first = results[0];
  const pTop = prodOf(top.clusters);
  const pFirst = prodOf(first.clusters);
  // The plugin's own memory is judged on the heap after GC and on the settled RSS, which also
  // holds what V8 and the allocator keep after the start-up peak (tens of MB between runs).
  const own = (p?: ProductionSize) =>
    p && production ? p.memory.heapUsed - production.idle.heapUsed : NaN;
  const ownRss = (p?: ProductionSize) =>
    p && production ? p.memory.rss - production.idle.rss : NaN;
  const growth =
    pTop && pFirst
      ? own(pTop) / top.clusters / (own(pFirst) / first.clusters)
      : NaN;
  const targets: string[][] = [
    [
      'p95 one cluster',
      ms(top.cache.oneCluster.summary.p95),
      '< 5 ms',
      met(top.cache.oneCluster.summary.p95 < 5),
    ],
    [
      `p95 ${PAGE}-row page (first / filtered)`,
      `${ms(top.cache.firstPage.summary.p95)} / ${ms(
        top.cache.filteredPage.summary.p95,
      )}`,
      '< 20 ms',
      met(
        top.cache.firstPage.summary.p95 < 20 &&
          top.cache.filteredPage.summary.p95 < 20,
      ),
    ],
    [
      'p95 status change visible',
      ms(top.cache.update.summary.p95),
      '< 1 s',
      met(top.cache.update.summary.p95 < 1000),
    ],
    [
      'Complete cache (slowest start)',
      ms(Math.max(top.coldStarts.median, top.coldStarts.p95)),
      '< 15 s',
      met(Math.max(top.coldStarts.median, top.coldStarts.p95) < 15_000),
    ],
    [
      "Plugin's own memory: production heap after GC over no clusters",
      pTop
        ? `${mb(own(pTop))} (${kbPer(own(pTop), top.clusters)})`
        : 'not measured',
      '< 150 MB',
      pTop ? met(own(pTop) < 150 * 1024 * 1024) : 'n/a',
    ],
    [
      'same, RSS of the production process',
      pTop
        ? `${mb(ownRss(pTop))} (${kbPer(ownRss(pTop), top.clusters)})`
        : 'not measured',
      '< 150 MB',
      pTop ? met(ownRss(pTop) < 150 * 1024 * 1024) : 'n/a',
    ],
    [
      `Heap per cluster at ${top.clusters} / at ${first.clusters}`,
      Number.isFinite(growth) ? `${growth.toFixed(2)}x` : 'not measured',
      '<= 1 (no faster than linear)',
      Number.isFinite(growth) ? met(growth <= 1.05) : 'n/a',
    ],
  ];
  out.push(
    '',
    `### Targets at ${top.clusters} clusters`,
    '',
    table(['Target', 'Measured', 'Limit', 'Met'], targets),
    '',
    `Benchmark run time ${ms(performance.now() - tStart)}.`,
    '',
  );
  process.stdout.write(out.join('\n'));
}

main().then(
  () => process.exit(0),
  e => {
    process.stderr.write(`[bench] failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);

/*
 * The production backend process (packages/backend, every default plugin, laid out from
 * `yarn build:backend` by packages/backend/e2e-tests/productionBackend.ts, on PostgreSQL as
 * app-config.production.yaml has it): its memory without management clusters and with each world,
 * so that the difference is the plugin's own cost; and, at the largest world, the catalog: the time
 * from a new cluster on a management cluster to its entity in the catalog API, and the catalog
 * rows written after status changes.
 *
 * Memory is read inside the backend process after a full GC: NODE_OPTIONS preloads a few lines
 * that, on SIGUSR2, run gc() and write process.memoryUsage() to a file. Nothing else changes.
 */
import { clusterEntityName } from '@capa-backstage/plugin-capa-common';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The production layout and PostgreSQL of the backend's end-to-end tests, reused as they are.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  prepareProductionBackend,
  type Replica,
  startReplica,
} from '../../../packages/backend/e2e-tests/productionBackend';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  freePort,
  type PostgresServer,
  startPostgres,
} from '../../../packages/backend/e2e-tests/postgres';
import { type BrowserFigures, measureBrowser } from './browser';
import type { ServedCluster } from './protocol';
import { log } from './sizeRun';
import { World } from './worldClient';

export interface ProcessMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** The highest RSS of the process (VmHWM). */
  peakRss: number;
  /** How long after its work was done the memory stopped falling. */
  settledAfterMs?: number;
}

export interface ProductionSize {
  clusters: number;
  memory: ProcessMemory;
  /** From the process's start to every cluster's entity in the catalog. */
  catalogCompleteMs: number;
}

export interface CatalogFigures {
  clusters: number;
  /** Milliseconds from a new cluster's creation to its entity answering in the catalog API. */
  newClusterToEntityMs: number[];
  statusChanges: number;
  /** Rows inserted, updated and deleted in the catalog's database in equal windows. */
  rowsWithStatusChanges: number;
  rowsWithout: number;
  windowSeconds: number;
  /** The provider's mutations during the status-change window (from its log). */
  providerWritesAfterStatusChanges: number;
}

export interface ProductionResult {
  idle: ProcessMemory;
  sizes: ProductionSize[];
  catalog?: CatalogFigures;
  /** The fleet page's figures, or why they are missing. */
  browser?: BrowserFigures | string;
}

const SERVICE_TOKEN = crypto.randomBytes(18).toString('base64url');
const sleep = (t: number) => new Promise(r => setTimeout(r, t));

const PROBE = `
const fs = require('fs');
process.on('SIGUSR2', () => {
  global.gc && global.gc();
  global.gc && global.gc();
  const m = process.memoryUsage();
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const hwm = Number((status.match(/VmHWM:\\s+(\\d+)/) || [])[1] || 0) * 1024;
  const spaces = {};
  for (const x of require('v8').getHeapSpaceStatistics())
    spaces[x.space_name] = [x.space_used_size, x.space_size];
  fs.writeFileSync(process.env.BENCH_MEMORY_FILE, JSON.stringify({ ...m, peakRss: hwm, spaces, v8: require('v8').getHeapStatistics(), threads: fs.readdirSync('/proc/self/task').length }));
});
`;

function config(port: number, servers: ServedCluster[]) {
  const url = `http://127.0.0.1:${port}`;
  return {
    app: { baseUrl: url },
    backend: {
      baseUrl: url,
      listen: `127.0.0.1:${port}`,
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: SERVICE_TOKEN, subject: 'capa-bench' },
          },
        ],
      },
    },
    // The browser signs in as the guest, a platform engineer (production itself has no guest).
    auth: {
      providers: {
        guest: {
          userEntityRef: 'user:default/guest',
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    // The catalog's periodic reprocessing of every entity (100-150 s by default) would write
    // rows in the measured windows; it is pushed out so they show the provider's writes alone.
    catalog: { processingInterval: { minutes: 30 } },
    capa: {
      managementClusters: servers.map(s => ({
        name: s.name,
        url: s.url,
        token: s.token,
      })),
    },
  };
}

async function readMemory(replica: Replica, file: string) {
  fs.rmSync(file, { force: true });
  replica.process.kill('SIGUSR2');
  for (let i = 0; i < 200 && !fs.existsSync(file); i++) await sleep(50);
  await sleep(50);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ProcessMemory;
}

const SETTLE_INTERVAL_MS = 30_000;
const SETTLE_MAX_MS = 240_000;

/**
 * Memory once the process has settled after its start-up work: read every 30 s until two readings
 * in a row are within 2% of each other in RSS. V8 keeps the pages of the start-up burst (the first
 * lists, the catalog's first processing of every entity) until the process has been quiet for a
 * while: at 10,000 clusters RSS stayed at 1.37 GB for 95 s with a forced GC every 6 s, and fell to
 * 0.42-0.46 GB within 30 s of one GC when left alone. So the readings are spaced out, and one early
 * reading would measure the burst rather than the plugin.
 */
async function settledMemory(
  replica: Replica,
  file: string,
): Promise<ProcessMemory> {
  const t0 = Date.now();
  const rss: number[] = [];
  for (;;) {
    await sleep(SETTLE_INTERVAL_MS);
    const memory = await readMemory(replica, file);
    rss.push(memory.rss);
    const [before, last] = rss.slice(-2);
    const settled = rss.length >= 2 && Math.abs(last - before) <= before * 0.02;
    if (settled || Date.now() - t0 > SETTLE_MAX_MS) {
      if (!settled)
        log(`RSS not settled after ${SETTLE_MAX_MS / 1000} s: ${rss}`);
      return { ...memory, settledAfterMs: Date.now() - t0 };
    }
  }
}

async function catalogGet(replica: Replica, route: string) {
  return fetch(`${replica.url}/api/catalog${route}`, {
    headers: { Authorization: `Bearer ${SERVICE_TOKEN}` },
  });
}

/** Entities of the capa providers the catalog holds, counted in its database. */
function capaEntityCount(pg: PostgresServer): number {
  const rows = pg.query(
    'backstage_plugin_catalog',
    "select count(*) from final_entities f join refresh_state r on r.entity_id = f.entity_id where f.final_entity is not null and r.location_key like 'capa-provider:%'",
  );
  return Number(rows[0]?.[0] ?? 0);
}

/** Rows inserted, updated and deleted in the catalog's database since the last reset. */
function rowsWritten(pg: PostgresServer): number {
  const rows = pg.query(
    'backstage_plugin_catalog',
    'select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables',
  );
  return Number(rows[0]?.[0] ?? 0);
}

function resetStats(pg: PostgresServer) {
  pg.query('backstage_plugin_catalog', 'select pg_stat_reset()');
}

/** A window: reset the counters, act, wait for statistics to be flushed, count. */
async function window(
  pg: PostgresServer,
  seconds: number,
  act: () => Promise<void>,
) {
  resetStats(pg);
  const t = Date.now();
  await act();
  await sleep(Math.max(0, seconds * 1000 - (Date.now() - t)));
  return rowsWritten(pg);
}

/**
 * The production process for each world the benchmark builds: `start` lays it out and measures it
 * without management clusters, `measure` with a world (and the catalog figures when asked).
 */
export class ProductionBench {
  private constructor(
    private readonly pg: PostgresServer,
    private readonly appDir: string,
    private readonly dir: string,
    private readonly env: Record<string, string>,
    readonly idle: ProcessMemory,
  ) {}

  static async start(): Promise<ProductionBench> {
    const prepared = await prepareProductionBackend(log);
    const pg = await startPostgres({ log });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-bench-prod-'));
    try {
      const probe = path.join(dir, 'memory-probe.js');
      fs.writeFileSync(probe, PROBE);
      const env = {
        ...pg.env,
        NODE_OPTIONS: `--expose-gc --require ${probe}`,
        BENCH_MEMORY_FILE: path.join(dir, 'memory.json'),
        AUTH_GITHUB_CLIENT_ID: 'capa-bench',
        AUTH_GITHUB_CLIENT_SECRET: 'capa-bench',
      };
      const replica = await startProduction(
        prepared.dir,
        env,
        'bench-idle',
        [],
      );
      const idle = await settledMemory(replica, env.BENCH_MEMORY_FILE);
      log(`production, no management cluster: ${JSON.stringify(idle)}`);
      await replica.kill();
      return new ProductionBench(pg, prepared.dir, dir, env, idle);
    } catch (e) {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** The process with a world, from start to a complete catalog; catalog figures if `catalog`. */
  async measure(
    world: World,
    servers: ServedCluster[],
    catalog: boolean,
  ): Promise<{
    size: ProductionSize;
    catalog?: CatalogFigures;
    browser?: BrowserFigures | string;
  }> {
    const { pg } = this;
    const clusters = servers.reduce((n, s) => n + s.counts.Cluster, 0);
    const expected = servers.reduce(
      (n, s) => n + s.counts.Cluster + s.counts.AWSClusterRoleIdentity,
      0,
    );
    const t0 = Date.now();
    const replica = await startProduction(
      this.appDir,
      this.env,
      `bench-${clusters}`,
      servers,
    );
    try {
      let entities = capaEntityCount(pg);
      while (entities < expected) {
        if (Date.now() - t0 > 900_000)
          throw new Error(
            `only ${entities} of ${expected} entities after 15 min`,
          );
        await sleep(500);
        entities = capaEntityCount(pg);
      }
      const catalogCompleteMs = Date.now() - t0;
      const memory = await settledMemory(replica, this.env.BENCH_MEMORY_FILE);
      log(
        `production, ${clusters} clusters: ${JSON.stringify(
          memory,
        )}; catalog complete after ${catalogCompleteMs} ms`,
      );
      let browser: BrowserFigures | string | undefined;
      if (catalog) {
        try {
          browser = await measureBrowser(replica.url);
          log(`browser: ${JSON.stringify(browser)}`);
        } catch (e) {
          browser = (e as Error).message.split('\n')[0];
          log(`browser not measured: ${(e as Error).stack}`);
        }
      }
      return {
        size: { clusters, memory, catalogCompleteMs },
        catalog: catalog
          ? await catalogAtScale(pg, world, replica, clusters)
          : undefined,
        browser,
      };
    } finally {
      await replica.kill();
      // The next world starts on an empty catalog.
      pg.query(
        'postgres',
        'drop database if exists backstage_plugin_catalog with (force)',
      );
    }
  }

  async stop() {
    await this.pg.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

async function startProduction(
  appDir: string,
  env: Record<string, string>,
  name: string,
  servers: ServedCluster[],
) {
  const port = await freePort();
  return startReplica({
    name,
    dir: appDir,
    port,
    config: config(port, servers),
    env,
    log,
    readyTimeoutMs: 300_000,
  });
}

async function catalogAtScale(
  pg: PostgresServer,
  world: World,
  replica: Replica,
  size: number,
): Promise<CatalogFigures> {
  const newClusterToEntityMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { cluster, at } = await world.change('addCluster');
    const name = clusterEntityName(
      cluster.managementCluster,
      cluster.namespace,
      cluster.name,
    );
    for (;;) {
      const r = await catalogGet(
        replica,
        `/entities/by-name/resource/default/${encodeURIComponent(name)}`,
      );
      if (r.ok) break;
      if (performance.timeOrigin + performance.now() - at > 120_000)
        throw new Error(`entity ${name} not in the catalog after 2 minutes`);
      await sleep(20);
    }
    newClusterToEntityMs.push(performance.timeOrigin + performance.now() - at);
    log(`new cluster ${name} readable after ${newClusterToEntityMs.at(-1)} ms`);
  }
  // Equal windows, long enough for the notification (0.5 s), the provider's check (2 s), a
  // triggered task and PostgreSQL's statistics flush (up to 10 s for an idle connection).
  const windowSeconds = 20;
  const statusChanges = 10;
  const rowsWithout = await window(pg, windowSeconds, async () => {});
  const logBefore = replica.output().length;
  const rowsWithStatusChanges = await window(pg, windowSeconds, async () => {
    for (let i = 0; i < statusChanges; i++) {
      await world.change('changeStatus');
      await sleep(300);
    }
  });
  const providerWritesAfterStatusChanges = (
    replica
      .output()
      .slice(logBefore)
      .match(/Wrote .* of management cluster/g) ?? []
  ).length;
  return {
    clusters: size,
    newClusterToEntityMs,
    statusChanges,
    rowsWithStatusChanges,
    rowsWithout,
    windowSeconds,
    providerWritesAfterStatusChanges,
  };
}

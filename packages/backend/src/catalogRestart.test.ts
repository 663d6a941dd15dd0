/*
 * The catalog never loses a cluster: the real catalog and scheduler on a database file that
 * outlives the backend, the CAPA entity provider on the watch cache of a Kubernetes test server.
 * The backend is restarted while the management cluster is down; every entity stays throughout,
 * is marked stale, and only a complete list after the management cluster is back removes the
 * cluster deleted meanwhile.
 */
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleCapa from '@capa-backstage/plugin-catalog-backend-module-capa';
import {
  CAPA_ANNOTATIONS,
  renderCluster,
  renderTenant,
} from '@capa-backstage/plugin-capa-common';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import fs from 'fs';
import os from 'os';
import path from 'path';

const TOKEN = 'catalog-restart-token';
const SERVICE_TOKEN = 'catalog-restart-service-token';

const cluster = (name: string) =>
  renderCluster({
    name,
    tenant: 'acme',
    region: 'eu-west-1',
    kubernetesVersion: '1.33',
    nodePools: [{ name: 'general' }],
  }).objects;
const acme = renderTenant({
  name: 'acme',
  owner: 'group:default/team-acme',
  aws: { accountId: '111122223333' },
}).objects;

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('catalog entities across a backend restart with the management cluster down', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-catalog-restart-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function startBackend(url: string) {
    return startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleCapa,
        databaseServiceFactory,
        schedulerServiceFactory,
        authServiceFactory,
        httpAuthServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              // A database that outlives the backend, as PostgreSQL does.
              database: {
                client: 'better-sqlite3',
                connection: { directory: dir },
              },
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token: SERVICE_TOKEN, subject: 'restart-test' },
                  },
                ],
              },
            },
            catalog: { processingInterval: { seconds: 1 } },
            capa: {
              managementClusters: [{ name: 'local', url, token: TOKEN }],
              catalog: {
                schedule: {
                  frequency: { seconds: 1 },
                  timeout: { seconds: 30 },
                },
                markStaleAfter: { seconds: 2 },
              },
            },
          },
        }),
      ],
    });
  }

  /** The provider's entities as the catalog serves them, by name. */
  async function entitiesOf(port: number): Promise<Map<string, Entity>> {
    const res = await fetch(
      `http://localhost:${port}/api/catalog/entities?filter=metadata.annotations.backstage.io/managed-by-location=capa:local`,
      { headers: { Authorization: `Bearer ${SERVICE_TOKEN}` } },
    );
    if (!res.ok) throw new Error(`catalog answered ${res.status}`);
    const entities: Entity[] = await res.json();
    return new Map(entities.map(e => [e.metadata.name, e]));
  }

  const ALL = ['local.acme.dev', 'local.acme.prod', 'local_acme'];
  const stale = (e?: Entity) =>
    e?.metadata.annotations?.[CAPA_ANNOTATIONS.staleSince];

  it('keeps every entity while the backend restarts and the management cluster is down, marks them stale, and removes only what a complete list lacks', async () => {
    const first = await KubernetesTestServer.start({ token: TOKEN });
    const port = Number(new URL(first.url).port);
    first.seed([...acme, ...cluster('prod'), ...cluster('dev')]);
    const a = await startBackend(first.url);
    await until('the first backend to write the entities', async () => {
      const names = [...(await entitiesOf(a.server.port())).keys()].sort();
      return names.join() === ALL.join() ? names : undefined;
    });
    await a.stop();
    const downAt = Date.now();
    await first.close();

    // The second backend starts with the management cluster down: from its first answer on,
    // every entity is there.
    const b = await startBackend(first.url);
    cleanups.push(() => b.stop());
    let watching = true;
    const seen: string[] = [];
    const watcher = (async () => {
      while (watching) {
        const names = [...(await entitiesOf(b.server.port())).keys()];
        seen.push(names.sort().join());
        await new Promise(r => setTimeout(r, 50));
      }
    })();

    const marked = await until('the stale mark', async () => {
      const entities = await entitiesOf(b.server.port());
      return ALL.every(n => stale(entities.get(n))) ? entities : undefined;
    });
    const since = Date.parse(stale(marked.get('local.acme.prod'))!);
    expect(since).toBeGreaterThanOrEqual(downAt - 1000);
    expect(since).toBeLessThanOrEqual(Date.now());
    // The same time on every entity, kept across later runs.
    expect(new Set(ALL.map(n => stale(marked.get(n)))).size).toBe(1);
    await new Promise(r => setTimeout(r, 2500));
    const later = await entitiesOf(b.server.port());
    expect(ALL.map(n => stale(later.get(n)))).toEqual(
      ALL.map(n => stale(marked.get(n))),
    );

    // Back, without the dev cluster (deleted meanwhile): prod loses its mark, dev leaves.
    const second = await KubernetesTestServer.start({ token: TOKEN, port });
    cleanups.push(() => second.close());
    second.seed([...acme, ...cluster('prod')]);
    await until('a complete list to be written', async () => {
      const entities = await entitiesOf(b.server.port());
      return !entities.has('local.acme.dev') &&
        !stale(entities.get('local.acme.prod')) &&
        !stale(entities.get('local_acme'))
        ? entities
        : undefined;
    });
    watching = false;
    await watcher;
    const final = await entitiesOf(b.server.port());
    expect([...final.keys()].sort()).toEqual(['local.acme.prod', 'local_acme']);
    // Until the complete list, nothing went missing, not even for one poll.
    const beforeRemoval = seen.filter(s => s.includes('local.acme.dev'));
    expect(beforeRemoval.length).toBeGreaterThan(10);
    expect(seen.slice(0, seen.lastIndexOf(beforeRemoval.at(-1)!) + 1)).toEqual(
      beforeRemoval.map(() => ALL.join()),
    );
  }, 240_000);
});

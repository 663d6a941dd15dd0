/*
 * The world of the two-replica test: management clusters (the Kubernetes test server) seeded with
 * tenants and clusters, each replica's extra config, and small clients of the backend's HTTP API.
 */
import {
  renderCluster,
  renderControllerIdentity,
  renderTenant,
} from '@capa-backstage/plugin-capa-common';
import { CAPA_FIELD_MANAGER } from '@capa-backstage/plugin-capa-node';
import {
  KubernetesTestServer,
  type RecordedRequest,
} from '@capa-backstage/plugin-capa-node/testUtils';
import crypto from 'node:crypto';

const randomToken = () => crypto.randomBytes(18).toString('base64url');

const cluster = (tenant: string, name: string, version = '1.33') =>
  renderCluster({
    name,
    tenant,
    region: 'eu-west-1',
    kubernetesVersion: version,
    nodePools: [{ name: 'general', minSize: 1, desiredSize: 1, maxSize: 3 }],
  }).objects;

/** One management cluster the replicas watch. */
export interface ManagementCluster {
  name: string;
  token: string;
  server: KubernetesTestServer;
  /** `namespace/name` of every seeded workload cluster. */
  clusters: string[];
}

/**
 * Two management clusters as the templates would have left them: mgmt-a holds tenant acme with
 * two clusters, mgmt-b tenant globex with one.
 */
export async function startManagementClusters(): Promise<ManagementCluster[]> {
  const worlds = [
    {
      name: 'mgmt-a',
      tenants: [['acme', '111122223333']],
      clusters: [
        ['acme', 'prod'],
        ['acme', 'dev'],
      ],
    },
    {
      name: 'mgmt-b',
      tenants: [['globex', '444455556666']],
      clusters: [['globex', 'prod']],
    },
  ];
  return Promise.all(
    worlds.map(async world => {
      const secret = randomToken();
      const server = await KubernetesTestServer.start({ token: secret });
      server.seed(
        [
          ...renderControllerIdentity().objects,
          ...world.tenants.flatMap(
            ([name, accountId]) =>
              renderTenant({
                name,
                owner: `group:default/team-${name}`,
                aws: { accountId },
              }).objects,
          ),
          ...world.clusters.flatMap(([ns, name]) => cluster(ns, name)),
        ],
        { fieldManager: CAPA_FIELD_MANAGER },
      );
      return {
        name: world.name,
        token: secret,
        server,
        clusters: world.clusters.map(([ns, name]) => `${ns}/${name}`),
      };
    }),
  );
}

export const SERVICE_TOKEN = randomToken();

/** A replica's config on top of the image's app-config.yaml and app-config.production.yaml. */
export function replicaConfig(options: {
  port: number;
  managementClusters: ManagementCluster[];
}) {
  const url = `http://127.0.0.1:${options.port}`;
  return {
    app: { baseUrl: url },
    backend: {
      baseUrl: url,
      listen: `127.0.0.1:${options.port}`,
      // The test's own credentials, to read the catalog before anyone can sign in.
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: SERVICE_TOKEN, subject: 'replicas-test' },
          },
        ],
      },
    },
    // The test signs in as the guest (a platform engineer); production itself has no guest.
    auth: {
      providers: {
        guest: {
          userEntityRef: 'user:default/guest',
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    // Shortened so the test sees several processing rounds and provider writes.
    catalog: { processingInterval: { seconds: 3 } },
    capa: {
      managementClusters: options.managementClusters.map(m => ({
        name: m.name,
        url: m.server.url,
        token: m.token,
      })),
      catalog: {
        schedule: { frequency: { seconds: 5 }, timeout: { seconds: 30 } },
      },
    },
    // A task whose replica stopped heartbeating for 8 s is taken over by another replica.
    scaffolder: { taskRecovery: { staleTimeout: { seconds: 8 } } },
  };
}

/** Calls a replica's API; throws with the answer when it is not 2xx. */
export async function api<T = any>(
  base: string,
  route: string,
  token: string,
  init: RequestInit = {},
): Promise<T> {
  const res = await fetch(`${base}${route}`, {
    ...init,
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
      ...(init.headers ?? {}),
    },
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(
      `${init.method ?? 'GET'} ${base}${route}: ${res.status} ${text}`,
    );
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Signs in as the guest, as the sign-in page does; returns the Backstage token. */
export async function guestToken(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok)
    throw new Error(
      `guest sign-in on ${base} failed: ${res.status} ${await res.text()}`,
    );
  return (await res.json()).backstageIdentity.token;
}

/** One CAPA entity as the catalog serves it. */
export interface CatalogEntry {
  ref: string;
  uid: string;
  etag: string;
  /** management cluster/namespace/name of a cluster's entity; undefined for others. */
  cluster?: string;
  type: string;
}

/** Every entity of the CAPA provider (Resources of its two types), sorted by ref. */
export async function capaEntities(base: string): Promise<CatalogEntry[]> {
  const fields =
    'kind,metadata.name,metadata.namespace,metadata.uid,metadata.etag,metadata.annotations,spec.type';
  const body = await api<{ items: any[] }>(
    base,
    `/api/catalog/entities/by-query?filter=kind=resource,spec.type=kubernetes-cluster&filter=kind=resource,spec.type=aws-cluster-role-identity&fields=${fields}&limit=1000`,
    SERVICE_TOKEN,
  );
  return body.items
    .map(e => {
      const a = e.metadata.annotations ?? {};
      return {
        ref: `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLocaleLowerCase(
          'en-US',
        ),
        uid: e.metadata.uid,
        etag: e.metadata.etag,
        type: e.spec.type,
        cluster:
          e.spec.type === 'kubernetes-cluster'
            ? `${a['capa.backstage.io/management-cluster']}/${a['capa.backstage.io/namespace']}/${a['capa.backstage.io/cluster-name']}`
            : undefined,
      };
    })
    .sort((x, y) => x.ref.localeCompare(y.ref));
}

/** A task's events as a replica serves them (after the last recovery, for recoverable tasks). */
export async function taskEvents(
  base: string,
  token: string,
  taskId: string,
): Promise<
  Array<{
    type: string;
    createdAt: string;
    body: { message?: string; stepId?: string; status?: string };
  }>
> {
  return api(base, `/api/scaffolder/v2/tasks/${taskId}/events`, token);
}

/** The task log's messages, without the logger's colour escapes. */
export function logLines(
  events: Array<{ type: string; body: { message?: string } }>,
): string[] {
  const ansi = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');
  return events
    .filter(e => e.type === 'log' && e.body.message)
    .map(e => e.body.message!.replace(ansi, ''));
}

/** Requests that change (or, as a dry run, probe) a management cluster. */
export const writesIn = (requests: RecordedRequest[]) =>
  requests.filter(r => !['GET', 'HEAD'].includes(r.method));

/** Polls `check` until it returns a value other than undefined. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${timeoutMs / 1000} s${
          last ? ` (last error: ${(last as Error).message})` : ''
        }`,
      );
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

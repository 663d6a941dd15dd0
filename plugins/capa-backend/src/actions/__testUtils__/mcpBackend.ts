import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  renderCluster,
  renderControllerIdentity,
  renderTenant,
} from '@capa-backstage/plugin-capa-common';
import { CAPA_FIELD_MANAGER } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import fs from 'fs';
import path from 'path';
import { USER_KUBECONFIG } from '../../__fixtures__/fleet';
import { capaPlugin } from '../../plugin';

const TOKEN = 'capa-mcp-test-token';

/**
 * A platform engineer (every CAPA permission), a developer of tenant acme, and someone the policy
 * gives no CAPA permission at all.
 */
export const USERS = {
  platform: 'user:default/platform-engineer',
  acmeDev: 'user:default/acme-dev',
  outsider: 'user:default/outsider',
} as const;

/** What the acme developer owns or belongs to, as a conditional policy decides it. */
const ACME_DEV_OWNS = new Set([
  'resource:default/local.acme.prod',
  'group:default/team-acme',
]);

/** The catalog entities the catalog module would write for the seeded clusters and tenants. */
const clusterEntity = (ns: string, name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `local.${ns}.${name}`,
    namespace: 'default',
    annotations: {
      'capa.backstage.io/management-cluster': 'local',
      'capa.backstage.io/namespace': ns,
      'capa.backstage.io/cluster-name': name,
    },
  },
  spec: { type: 'kubernetes-cluster', owner: `group:default/team-${ns}` },
});
const tenantGroup = (tenant: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: `team-${tenant}`,
    namespace: 'default',
    labels: { 'capa.backstage.io/tenant': tenant },
  },
  spec: { type: 'tenant', children: [] },
});

/**
 * Permission decisions as an ownership policy makes them: the platform engineer is allowed every
 * CAPA permission outright; the acme developer gets conditional decisions (the CAPA authorizer
 * then checks the entity and asks again for it), allowed on what acme owns; the outsider is denied
 * every CAPA permission.
 */
function permissionsMock() {
  const userOf = (options: any) =>
    options?.credentials?.principal?.userEntityRef as string | undefined;
  const capa = (name: string) => name.startsWith('capa.');
  return mockServices.permissions.mock({
    authorizeConditional: jest.fn(async (requests: any[], options: any) =>
      requests.map(r => {
        if (!capa(r.permission.name) || userOf(options) === USERS.platform)
          return { result: AuthorizeResult.ALLOW };
        if (userOf(options) !== USERS.acmeDev)
          return { result: AuthorizeResult.DENY };
        return {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: {},
          },
        };
      }),
    ) as any,
    authorize: jest.fn(async (requests: any[], options: any) =>
      requests.map(r => ({
        result:
          !capa(r.permission.name) ||
          userOf(options) === USERS.platform ||
          (userOf(options) === USERS.acmeDev &&
            ACME_DEV_OWNS.has(r.resourceRef))
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
    ) as any,
  });
}

/** The objects of management cluster "local": tenants acme and globex with a cluster each. */
export function seed(server: KubernetesTestServer) {
  const cluster = (tenant: string, name: string, kubernetesVersion: string) =>
    renderCluster({
      name,
      tenant,
      region: 'eu-west-1',
      kubernetesVersion,
      access: {
        adminRoleArns: [`arn:aws:iam::111122223333:role/${tenant}-admin`],
      },
      nodePools: [{ name: 'general', minSize: 1, desiredSize: 2, maxSize: 3 }],
    }).objects;
  server.seed(
    [
      ...renderControllerIdentity().objects,
      ...renderTenant({
        name: 'acme',
        owner: 'group:default/team-acme',
        aws: { accountId: '111122223333' },
      }).objects,
      ...renderTenant({
        name: 'globex',
        owner: 'group:default/team-globex',
        aws: { accountId: '444455556666' },
      }).objects,
      ...cluster('acme', 'prod', '1.33'),
      ...cluster('globex', 'dev', '1.34'),
    ],
    { fieldManager: CAPA_FIELD_MANAGER },
  );
  server.setStatus(
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      namespace: 'acme',
      name: 'prod',
    },
    { phase: 'Provisioned' },
  );
  // What CAPA writes once the control plane is ready.
  server.seed([
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'prod-user-kubeconfig',
        namespace: 'acme',
        labels: { 'cluster.x-k8s.io/cluster-name': 'prod' },
      },
      data: { value: Buffer.from(USER_KUBECONFIG).toString('base64') },
    },
  ]);
}

/** Audit events of the whole backend, as the auditor received them. */
export interface AuditRecord {
  eventId: string;
  meta: Record<string, any>;
  outcome?: 'success' | 'fail';
  error?: string;
}

/**
 * A backend with the real actions registry and actions service, the MCP actions plugin and the
 * capa plugin on the watch cache of a Kubernetes test server.
 */
export async function startMcpBackend() {
  const server = await KubernetesTestServer.start({ token: TOKEN });
  seed(server);
  const audit: AuditRecord[] = [];
  const auditor = mockServices.auditor.mock();
  auditor.createEvent.mockImplementation(async opts => {
    const record: AuditRecord = {
      eventId: opts.eventId,
      meta: (opts.meta ?? {}) as Record<string, any>,
    };
    audit.push(record);
    return {
      success: async o => {
        record.outcome = 'success';
        Object.assign(record.meta, o?.meta);
      },
      fail: async o => {
        record.outcome = 'fail';
        record.error = o.error.message;
        Object.assign(record.meta, o.meta);
      },
    };
  });
  const backend = await startTestBackend({
    features: [
      capaPlugin,
      mcpActionsPlugin,
      actionsRegistryServiceFactory,
      actionsServiceFactory,
      permissionsMock().factory,
      auditor.factory,
      catalogServiceMock.factory({
        entities: [
          clusterEntity('acme', 'prod'),
          clusterEntity('globex', 'dev'),
          tenantGroup('acme'),
          tenantGroup('globex'),
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { actions: { pluginSources: ['capa'] } },
          capa: {
            kubernetesVersions: ['1.33', '1.34'],
            managementClusters: [
              { name: 'local', url: server.url, token: TOKEN },
            ],
          },
        },
      }),
    ],
  });
  const base = `http://localhost:${backend.server.port()}`;
  const token = (user: string) => mockCredentials.user.token(user);

  /** Calls the capa HTTP API as a user. */
  const http = (user: string, route: string) =>
    fetch(`${base}/api/capa${route}`, {
      headers: { Authorization: `Bearer ${token(user)}` },
    });

  /** A connected MCP client of the portal's MCP endpoint, as a user. */
  async function mcpClient(user: string): Promise<Client> {
    const client = new Client({ name: 'capa-mcp-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/api/mcp-actions/v1`), {
        requestInit: { headers: { Authorization: `Bearer ${token(user)}` } },
      }),
    );
    return client;
  }

  /** Waits until the watch cache holds both clusters. */
  async function waitForCache(timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await http(USERS.acmeDev, '/health');
      const body = res.ok ? await res.json() : undefined;
      // Synced: every kind was listed completely, so both clusters are in.
      if (body?.managementClusters?.[0]?.synced) return;
      if (Date.now() > deadline)
        throw new Error(`the cache did not sync: ${JSON.stringify(body)}`);
      await new Promise(r => setTimeout(r, 100));
    }
  }

  return {
    server,
    backend,
    base,
    audit,
    http,
    mcpClient,
    waitForCache,
    async stop() {
      await backend.stop();
      await server.close();
    },
  };
}

/** What a tool call answered. */
export interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: any;
}

/**
 * MCP sessions of several users against one backend, recording every list and call as a Markdown
 * transcript. With CAPA_MCP_TRANSCRIPT set to a folder, `save` writes it there.
 */
export function mcpSessions(
  portal: Awaited<ReturnType<typeof startMcpBackend>>,
) {
  const clients = new Map<string, Client>();
  const transcript: string[] = [];
  const json = (v: unknown) => ['```json', JSON.stringify(v, null, 2), '```'];

  async function client(user: string): Promise<Client> {
    if (!clients.has(user)) clients.set(user, await portal.mcpClient(user));
    return clients.get(user)!;
  }

  return {
    client,
    async listTools(user: string) {
      const { tools } = await (await client(user)).listTools();
      transcript.push(
        `### ${user}: tools/list`,
        ...json(
          tools.map(t => ({
            name: t.name,
            title: t.annotations?.title,
            readOnlyHint: t.annotations?.readOnlyHint,
            idempotentHint: t.annotations?.idempotentHint,
            destructiveHint: t.annotations?.destructiveHint,
            inputs: Object.keys(t.inputSchema.properties ?? {}),
            required: t.inputSchema.required ?? [],
          })),
        ),
        '',
      );
      return tools;
    },
    async call(
      user: string,
      name: string,
      args: Record<string, unknown>,
    ): Promise<ToolResult> {
      const result = (await (
        await client(user)
      ).callTool({ name, arguments: args })) as ToolResult;
      const text = result.content.map(c => c.text).join('\n');
      transcript.push(
        `### ${user}: tools/call ${name}`,
        ...json(args),
        result.isError ? '→ error:' : '→ result:',
        ...(result.isError
          ? ['```', text, '```']
          : json(result.structuredContent)),
        '',
      );
      return result;
    },
    async close(name: string) {
      for (const c of clients.values()) await c.close();
      const dir = process.env.CAPA_MCP_TRANSCRIPT;
      if (dir) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, `${name}.md`), transcript.join('\n'));
      }
    },
  };
}

import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import { authModuleDevTenantSignIn } from '../modules/devTenantSignIn';
import {
  KubernetesTestServer,
  type RecordedRequest,
} from '@capa-backstage/plugin-capa-node/testUtils';
import fs from 'fs';
import os from 'os';
import path from 'path';

/** The repository's templates/ folder: the catalog reads the real templates and example org. */
export const TEMPLATES = path.resolve(__dirname, '../../../../templates');

export const TOKEN = 'tenant-isolation-token';
const SERVICE_TOKEN = 'tenant-isolation-test-service-token';

/** The two people of the local portal: a platform engineer and a developer of tenant acme. */
export const USERS = {
  platform: 'user:default/guest',
  acmeDev: 'user:default/acme-dev',
} as const;

/** Audit events of the whole backend, as the auditor received them. */
export interface AuditRecord {
  eventId: string;
  meta: Record<string, any>;
  outcome?: 'success' | 'fail';
}

/**
 * The inputs of each write action that the tests send. A template's step input must be an object,
 * so each pass-through template names its keys; every call gives all of them.
 */
export const RAW_INPUTS: Record<string, string[]> = {
  'capa:apply': ['managementCluster', 'manifest', 'dryRun', 'force'],
  'capa:cluster:delete': ['managementCluster', 'namespace', 'name', 'confirm'],
  'capa:cluster:upgrade': [
    'managementCluster',
    'namespace',
    'cluster',
    'version',
  ],
  'capa:nodepool:set': [
    'managementCluster',
    'namespace',
    'cluster',
    'nodePool',
    'maxSize',
  ],
  'capa:access:grant': [
    'managementCluster',
    'namespace',
    'cluster',
    'principalArn',
    'level',
  ],
  'capa:access:revoke': [
    'managementCluster',
    'namespace',
    'cluster',
    'principalArn',
  ],
  'capa:iam:verify': ['managementCluster', 'accountId'],
};

/**
 * A template per write action that passes its `input` parameter through, so the tests can replay
 * any input a crafted template could send.
 */
function passThroughTemplates(): string {
  const docs = Object.entries(RAW_INPUTS).map(
    ([action, keys]) => `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: raw-${action.replace(/:/g, '-')}
spec:
  owner: group:default/platform-team
  type: test
  parameters:
    - properties:
        input: { type: object }
  steps:
    - id: run
      name: Run ${action}
      action: ${action}
      input:
${keys.map(k => `        ${k}: \${{ parameters.input.${k} }}`).join('\n')}
`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-templates-'));
  const file = path.join(dir, 'raw-templates.yaml');
  fs.writeFileSync(file, docs.join('---\n'));
  return file;
}

/**
 * A backend as packages/backend runs it, on what decides authorization: the real catalog (with
 * the repository's templates and example org, and the CAPA entity provider on the watch cache of
 * a Kubernetes test server), the real permission backend with the shipped CAPA policy, the real
 * scaffolder with the capa actions, and the capa backend plugin.
 */
export async function startPortalBackend(features: Array<any>) {
  const server = await KubernetesTestServer.start({ token: TOKEN });
  const audit: AuditRecord[] = [];
  const auditor = mockServices.auditor.mock();
  auditor.createEvent.mockImplementation(async opts => {
    const record: AuditRecord = {
      eventId: opts.eventId,
      meta: (opts.meta ?? {}) as Record<string, any>,
    };
    audit.push(record);
    return {
      success: async () => {
        record.outcome = 'success';
      },
      fail: async () => {
        record.outcome = 'fail';
      },
    };
  });
  const backend = await startTestBackend({
    features: [
      ...features,
      // Real tokens: the permission backend tells a plugin acting for a user (the scaffolder, the
      // catalog) from the user by the token's actor, which mock tokens do not carry.
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      authPlugin,
      guestProvider,
      authModuleDevTenantSignIn,
      auditor.factory,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: {
                    token: SERVICE_TOKEN,
                    subject: 'tenant-isolation-test',
                  },
                },
              ],
            },
          },
          auth: {
            providers: {
              guest: {
                userEntityRef: USERS.platform,
                dangerouslyAllowOutsideDevelopment: true,
              },
              'tenant-dev': {
                userEntityRef: USERS.acmeDev,
                dangerouslyAllowOutsideDevelopment: true,
              },
            },
          },
          capa: {
            managementClusters: [
              { name: 'local', url: server.url, token: TOKEN },
            ],
          },
          catalog: {
            rules: [{ allow: ['Component', 'System', 'API', 'Location'] }],
            locations: [
              {
                type: 'file',
                target: path.join(TEMPLATES, 'catalog-examples.yaml'),
                rules: [{ allow: ['User', 'Group', 'System', 'Resource'] }],
              },
              ...fs
                .readdirSync(TEMPLATES)
                .filter(d =>
                  fs.existsSync(path.join(TEMPLATES, d, 'template.yaml')),
                )
                .map(d => ({
                  type: 'file',
                  target: path.join(TEMPLATES, d, 'template.yaml'),
                  rules: [{ allow: ['Template'] }],
                })),
              {
                type: 'file',
                target: passThroughTemplates(),
                rules: [{ allow: ['Template'] }],
              },
            ],
          },
        },
      }),
    ],
  });
  const base = `http://localhost:${backend.server.port()}`;
  /** The test's own service token, to watch the catalog fill before anyone can sign in. */
  const serviceToken = async () => SERVICE_TOKEN;

  /** Signs in as the local portal's sign-in page does; tokens carry the catalog's memberships. */
  const tokens = new Map<string, string>();
  async function tokenOf(user: string): Promise<string> {
    if (!tokens.has(user)) {
      const provider = user === USERS.platform ? 'guest' : 'tenant-dev';
      const res = await fetch(`${base}/api/auth/${provider}/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      if (!res.ok)
        throw new Error(`sign-in as ${user} failed: ${await res.text()}`);
      const body = await res.json();
      tokens.set(user, body.backstageIdentity.token);
    }
    return tokens.get(user)!;
  }

  /** Calls the backend as a user. */
  const call = async (user: string, route: string, init: RequestInit = {}) =>
    fetch(`${base}${route}`, {
      ...init,
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${await tokenOf(user)}`,
        ...(init.headers ?? {}),
      },
    });

  /**
   * Waits until the catalog holds an entity (processing is asynchronous). Users sign in only once
   * their User entity is there, so the first call waits for them.
   */
  async function waitForEntity(ref: string, timeoutMs = 60_000) {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await fetch(
        `${base}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
        { headers: { Authorization: `Bearer ${await serviceToken()}` } },
      );
      if (res.ok) return;
      if (Date.now() > deadline)
        throw new Error(
          `${ref} did not appear in the catalog (last answer ${
            res.status
          } ${await res.text()})`,
        );
      await new Promise(r => setTimeout(r, 250));
    }
  }

  /**
   * Starts a task as `user` and waits for it to end. Returns its status, its log and the
   * management cluster requests made meanwhile; `created: false` when the scaffolder refused it.
   */
  async function runTask(
    user: string,
    template: string,
    values: Record<string, unknown>,
  ): Promise<{
    created: boolean;
    httpStatus: number;
    status?: string;
    log: string;
    requests: RecordedRequest[];
  }> {
    const before = server.requests.length;
    const created = await call(user, '/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({
        templateRef: `template:default/${template}`,
        values,
      }),
    });
    if (created.status !== 201) {
      return {
        created: false,
        httpStatus: created.status,
        log: await created.text(),
        requests: server.requests.slice(before),
      };
    }
    const { id } = await created.json();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const task = await (
        await call(user, `/api/scaffolder/v2/tasks/${id}`)
      ).json();
      if (['completed', 'failed', 'cancelled'].includes(task.status)) {
        const events: Array<{ type: string; body: { message?: string } }> =
          await (
            await call(user, `/api/scaffolder/v2/tasks/${id}/events`)
          ).json();
        return {
          created: true,
          httpStatus: 201,
          status: task.status,
          // The task logger colours levels with ANSI escapes.
          log: events
            .filter(e => e.type === 'log' && e.body.message)
            .map(e =>
              e.body.message!.replace(
                new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'),
                '',
              ),
            )
            .join('\n'),
          requests: server.requests.slice(before),
        };
      }
      if (Date.now() > deadline) {
        const events = await (
          await call(user, `/api/scaffolder/v2/tasks/${id}/events`)
        ).json();
        throw new Error(
          `task ${id} did not end: ${JSON.stringify(events).slice(-3000)}`,
        );
      }
      await new Promise(r => setTimeout(r, 100));
    }
  }

  return {
    server,
    backend,
    audit,
    call,
    runTask,
    waitForEntity,
    async stop() {
      await backend.stop();
      await server.close();
    },
  };
}

/** Requests that would change (or, as a dry run, probe) a management cluster. */
export const writesIn = (requests: RecordedRequest[]) =>
  requests.filter(r => !['GET', 'HEAD'].includes(r.method));

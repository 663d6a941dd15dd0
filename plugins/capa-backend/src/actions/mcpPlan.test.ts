/*
 * capa.plan-cluster through a real MCP client against a backend whose management cluster is a
 * Kubernetes test server (see mcp.test.ts for the read tools): every problem with its field, the
 * objects the server-side dry run would create, nothing stored, and the same refusal for a user
 * who may not create clusters in the tenant.
 */
import type { RecordedRequest } from '@capa-backstage/plugin-capa-node/testUtils';
import {
  mcpSessions,
  startMcpBackend,
  USERS,
} from './__testUtils__/mcpBackend';

jest.setTimeout(60_000);

/** A valid input of the portal's cluster template, for a new cluster of acme. */
const STAGING = {
  name: 'staging',
  tenant: 'acme',
  region: 'eu-west-1',
  kubernetesVersion: '1.33',
  nodePools: [{ name: 'general', minSize: 1, desiredSize: 1, maxSize: 3 }],
};

const KINDS = [
  'Cluster',
  'AWSManagedControlPlane',
  'AWSManagedCluster',
  'MachinePool',
  'AWSManagedMachinePool',
];

/** Requests that would change a management cluster, or probe it with a dry run. */
const writesIn = (requests: RecordedRequest[]) =>
  requests.filter(r => !['GET', 'HEAD'].includes(r.method));

describe('capa.plan-cluster as an MCP tool', () => {
  let portal: Awaited<ReturnType<typeof startMcpBackend>>;
  let mcp: ReturnType<typeof mcpSessions>;

  beforeAll(async () => {
    portal = await startMcpBackend();
    mcp = mcpSessions(portal);
    await portal.waitForCache();
  }, 60_000);
  afterAll(async () => {
    await mcp?.close('plan');
    await portal?.stop();
  });

  /** Plans as a user; also returns the management cluster requests made meanwhile. */
  async function plan(
    user: string,
    cluster: object,
    managementCluster = 'local',
  ) {
    const before = portal.server.requests.length;
    const result = await mcp.call(user, 'capa.plan-cluster', {
      managementCluster,
      cluster,
    });
    return { result, requests: portal.server.requests.slice(before) };
  }

  it('dry-runs every rendered object and stores nothing', async () => {
    const { result, requests } = await plan(USERS.acmeDev, STAGING);
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent;
    expect(out).toMatchObject({
      valid: true,
      managementCluster: 'local',
      namespace: 'acme',
      name: 'staging',
      entityRef: 'resource:default/local.acme.staging',
      problems: [],
    });
    expect(out.objects.map((o: any) => o.kind)).toEqual(KINDS);
    expect(out.objects.every((o: any) => o.dryRun === 'created')).toBe(true);
    expect(out.manifest).toContain('kind: AWSManagedControlPlane');

    // Every object went to the API server, each as a dry run only.
    const writes = writesIn(requests);
    expect(writes).toHaveLength(KINDS.length);
    for (const w of writes) {
      expect(w.method).toBe('PATCH');
      expect(w.query.dryRun).toBe('All');
    }
    expect(
      portal.server.getObject({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        namespace: 'acme',
        name: 'staging',
      }),
    ).toBeUndefined();
    expect(portal.audit).toContainEqual(
      expect.objectContaining({
        eventId: 'cluster-plan',
        outcome: 'success',
        meta: expect.objectContaining({
          actor: USERS.acmeDev,
          valid: true,
          entityRef: 'resource:default/local.acme.staging',
        }),
      }),
    );
  });

  it('reports every input problem by its field, before any request', async () => {
    const { result, requests } = await plan(USERS.acmeDev, {
      ...STAGING,
      region: 'mars-north-1',
      kubernetesVersion: '1.20',
      nodePools: [{ name: 'general', minSize: 3, desiredSize: 1, maxSize: 2 }],
      colour: 'blue',
    });
    const out = result.structuredContent;
    expect(out.valid).toBe(false);
    const paths = out.problems.map((p: any) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'cluster.region',
        'cluster.kubernetesVersion',
        expect.stringMatching(/^cluster\.nodePools\[0\]/),
        'cluster',
      ]),
    );
    expect(out.problems).toContainEqual({
      path: 'cluster.kubernetesVersion',
      message: expect.stringContaining('1.33, 1.34'),
    });
    expect(out.problems).toContainEqual({
      path: 'cluster',
      message: expect.stringContaining('"colour"'),
    });
    expect(out.objects).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('reports what the management cluster refuses, by object and field', async () => {
    // As an admission webhook refuses an object: 422 with the field in the Status causes.
    portal.server.failNext({
      method: 'PATCH',
      path: /\/awsmanagedcontrolplanes\/staging-control-plane$/,
      status: 422,
      reason: 'Invalid',
      message: 'AWSManagedControlPlane "staging-control-plane" is invalid',
      details: {
        name: 'staging-control-plane',
        kind: 'AWSManagedControlPlane',
        causes: [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.version',
            message: 'Invalid value: "v1.33": refused by the test webhook',
          },
        ],
      },
    });
    const { result, requests } = await plan(USERS.acmeDev, STAGING);
    const out = result.structuredContent;
    expect(out.valid).toBe(false);
    expect(out.problems).toEqual([
      {
        path: 'spec.version',
        message: 'Invalid value: "v1.33": refused by the test webhook',
        object: 'AWSManagedControlPlane acme/staging-control-plane',
      },
    ]);
    // The other objects were still checked.
    expect(out.objects.map((o: any) => `${o.kind}:${o.dryRun}`)).toEqual([
      'Cluster:created',
      'AWSManagedControlPlane:rejected',
      'AWSManagedCluster:created',
      'MachinePool:created',
      'AWSManagedMachinePool:created',
    ]);
    expect(writesIn(requests).every(r => r.query.dryRun === 'All')).toBe(true);
  });

  it('reports an existing name, a missing tenant and a foreign identity', async () => {
    const existing = await plan(USERS.acmeDev, { ...STAGING, name: 'prod' });
    expect(existing.result.structuredContent.problems).toEqual([
      {
        path: 'cluster.name',
        message: expect.stringContaining(
          'Cluster acme/prod already exists on management cluster "local"',
        ),
      },
    ]);
    expect(
      existing.result.structuredContent.objects.every(
        (o: any) => o.dryRun === 'not-checked',
      ),
    ).toBe(true);
    expect(writesIn(existing.requests)).toEqual([]);

    const missing = await plan(USERS.acmeDev, {
      ...STAGING,
      tenant: 'initech',
    });
    expect(missing.result.structuredContent.problems).toEqual([
      {
        path: 'cluster.tenant',
        message: expect.stringContaining(
          'namespace initech does not exist on management cluster "local"',
        ),
      },
    ]);
    expect(writesIn(missing.requests)).toEqual([]);

    const foreign = await plan(USERS.acmeDev, {
      ...STAGING,
      identityName: 'globex',
    });
    expect(foreign.result.structuredContent).toMatchObject({
      valid: false,
      problems: [
        {
          path: 'cluster.identityName',
          message: expect.stringContaining(
            'AWSClusterRoleIdentity globex belongs to tenant globex, not tenant acme',
          ),
        },
      ],
    });

    const unknown = await plan(USERS.acmeDev, STAGING, 'nowhere');
    expect(unknown.result.structuredContent.problems).toEqual([
      {
        path: 'managementCluster',
        message: expect.stringContaining('"nowhere" is not configured'),
      },
    ]);
  });

  it('refuses a user who may not create clusters in the tenant, before any dry run', async () => {
    for (const [user, cluster, group] of [
      [USERS.outsider, STAGING, 'team-acme'],
      [USERS.acmeDev, { ...STAGING, tenant: 'globex' }, 'team-globex'],
    ] as const) {
      const { result, requests } = await plan(user, cluster);
      expect(result.isError).toBe(true);
      const text = result.content.map(c => c.text).join('\n');
      expect(text).toContain(
        `NotAllowedError: capa:plan-cluster: ${user} may not create clusters in tenant ${cluster.tenant} (namespace ${cluster.tenant}) (permission capa.cluster.create on group:default/${group})`,
      );
      expect(text).toContain('Nothing was sent to management cluster "local"');
      expect(writesIn(requests)).toEqual([]);
      expect(portal.audit).toContainEqual(
        expect.objectContaining({
          eventId: 'cluster-plan',
          outcome: 'fail',
          meta: expect.objectContaining({ actor: user, result: 'denied' }),
        }),
      );
    }
  });
});

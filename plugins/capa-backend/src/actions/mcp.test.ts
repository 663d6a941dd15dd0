/*
 * The capa actions through a real MCP client (the official TypeScript SDK over Streamable HTTP)
 * against the MCP endpoint of a backend running the real actions registry and actions service, the
 * MCP actions plugin and the capa plugin on the watch cache of a Kubernetes test server. Each tool
 * is called as a developer of tenant acme and as a user without any CAPA permission, and compared
 * with what the HTTP API answers the same user. The plan is tested in mcpPlan.test.ts.
 */
import {
  mcpSessions,
  startMcpBackend,
  USERS,
  type ToolResult,
} from './__testUtils__/mcpBackend';

jest.setTimeout(60_000);

const CLUSTER = { managementCluster: 'local', namespace: 'acme', name: 'prod' };

describe('capa read actions as MCP tools', () => {
  let portal: Awaited<ReturnType<typeof startMcpBackend>>;
  let mcp: ReturnType<typeof mcpSessions>;
  const call = (...args: Parameters<typeof mcp.call>) => mcp.call(...args);

  beforeAll(async () => {
    portal = await startMcpBackend();
    mcp = mcpSessions(portal);
    await portal.waitForCache();
  }, 60_000);
  afterAll(async () => {
    await mcp?.close('reads');
    await portal?.stop();
  });

  /** The text of an error result. */
  const errorOf = (r: ToolResult) => {
    expect(r.isError).toBe(true);
    return r.content.map(c => c.text).join('\n');
  };

  const httpJson = async (user: string, route: string) => {
    const res = await portal.http(user, route);
    return { status: res.status, body: await res.json() };
  };

  it('lists the four cluster tools, read-only, with their input schemas', async () => {
    const tools = await mcp.listTools(USERS.acmeDev);
    const byName = new Map(tools.map(t => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual([
      'capa.get-cluster',
      'capa.get-cluster-kubeconfig',
      'capa.list-clusters',
      'capa.plan-cluster',
    ]);
    for (const tool of tools) {
      expect(tool.annotations).toMatchObject({
        readOnlyHint: true,
        idempotentHint: true,
        destructiveHint: false,
      });
      expect(tool.description!.length).toBeGreaterThan(300);
    }
    const list = byName.get('capa.list-clusters')!.inputSchema as any;
    expect(list.properties.limit).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 100,
    });
    expect(list.properties.phase.enum).toContain('Provisioned');
    expect(list.properties.sort.enum).toContain('kubernetesVersion');
    expect(list.required ?? []).toEqual([]);
    expect(byName.get('capa.get-cluster')!.inputSchema.required).toEqual([
      'managementCluster',
      'namespace',
      'name',
    ]);
    const plan = byName.get('capa.plan-cluster')!.inputSchema as any;
    expect(plan.required).toEqual(['managementCluster', 'cluster']);
    // The template's own schema: an agent sees every field and rule.
    expect(plan.properties.cluster.required).toEqual(
      expect.arrayContaining(['name', 'tenant', 'region', 'kubernetesVersion']),
    );
    expect(plan.properties.cluster.properties.nodePools.type).toBe('array');

    // Tools are listed to anyone; each call decides for its caller.
    const outsiderTools = await mcp.listTools(USERS.outsider);
    expect(outsiderTools.map(t => t.name).sort()).toEqual(
      [...byName.keys()].sort(),
    );
  });

  it('list-clusters answers as GET /clusters, with the same filters, paging and permissions', async () => {
    const result = await call(USERS.acmeDev, 'capa.list-clusters', {
      sort: 'name',
    });
    const http = await httpJson(USERS.acmeDev, '/clusters?sort=name');
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(http.body);
    expect(result.structuredContent.items.map((i: any) => i.name)).toEqual([
      'prod',
    ]);
    expect(result.structuredContent).toMatchObject({
      totalItems: 1,
      phaseCounts: { Provisioned: 1 },
    });

    const withFacets = await call(USERS.acmeDev, 'capa.list-clusters', {
      tenant: 'acme',
      facets: true,
      limit: 1,
    });
    expect(withFacets.structuredContent).toEqual(
      (
        await httpJson(
          USERS.acmeDev,
          '/clusters?tenant=acme&facets=true&limit=1',
        )
      ).body,
    );
    expect(withFacets.structuredContent.facets.tenant).toEqual([
      { value: 'acme', count: 1 },
    ]);

    // The platform engineer reads both clusters, a page at a time.
    const page = { sort: 'kubernetesVersion', order: 'desc', limit: 1 };
    const first = await call(USERS.platform, 'capa.list-clusters', page);
    const cursor = first.structuredContent.nextCursor;
    const second = await call(USERS.platform, 'capa.list-clusters', {
      ...page,
      cursor,
    });
    expect([first, second].map(r => r.structuredContent.items[0].name)).toEqual(
      ['dev', 'prod'],
    );
    expect(second.structuredContent).toEqual(
      (
        await httpJson(
          USERS.platform,
          `/clusters?sort=kubernetesVersion&order=desc&limit=1&cursor=${cursor}`,
        )
      ).body,
    );
    expect(second.structuredContent.nextCursor).toBeUndefined();
    expect(
      errorOf(
        await call(USERS.platform, 'capa.list-clusters', { limit: 1, cursor }),
      ),
    ).toContain('cursor belongs to another sort or order');

    // Someone without capa.cluster.read sees and counts nothing.
    const outsider = await call(USERS.outsider, 'capa.list-clusters', {});
    expect(outsider.structuredContent).toEqual(
      (await httpJson(USERS.outsider, '/clusters')).body,
    );
    expect(outsider.structuredContent).toMatchObject({
      items: [],
      totalItems: 0,
    });
  });

  it('list-clusters names every broken parameter and its rule', async () => {
    const text = errorOf(
      await call(USERS.acmeDev, 'capa.list-clusters', {
        limit: 5000,
        phase: 'Running',
        managementCluster: 'local',
      }),
    );
    expect(text).toMatch(
      /^InputError: Invalid capa:list-clusters input: 2 problems/,
    );
    expect(text).toMatch(/- phase: Invalid enum value.*'Provisioned'/);
    expect(text).toMatch(/- limit: Number must be less than or equal to 1000/);
    const missing = errorOf(
      await call(USERS.acmeDev, 'capa.get-cluster', {
        managementCluster: 'local',
        namespace: 'acme',
      }),
    );
    // A missing required field is refused by the actions registry itself, naming it.
    expect(missing).toMatch(
      /^InputError: Invalid input to action "capa:get-cluster"; caused by \[[\s\S]*"message": "Required",\s*"path": \[\s*"name"/,
    );
    const cursor = errorOf(
      await call(USERS.acmeDev, 'capa.list-clusters', { cursor: 'bogus' }),
    );
    expect(cursor).toContain('cursor is not one this API returned');
  });

  it('get-cluster answers the cluster view as GET /clusters/:mc/:ns/:name, and refuses alike', async () => {
    const result = await call(USERS.acmeDev, 'capa.get-cluster', CLUSTER);
    const http = await httpJson(USERS.acmeDev, '/clusters/local/acme/prod');
    expect(http.status).toBe(200);
    expect(result.structuredContent).toEqual(http.body);
    expect(result.structuredContent).toMatchObject({
      name: 'prod',
      tenant: 'acme',
      phase: 'Provisioned',
      aws: { accountId: '111122223333', region: 'eu-west-1' },
      kubeconfig: { secretName: 'prod-user-kubeconfig', available: true },
    });

    // Another tenant's cluster, and one that does not exist: the same refusal as over HTTP.
    for (const [args, ref] of [
      [{ ...CLUSTER, namespace: 'globex', name: 'dev' }, 'local.globex.dev'],
      [{ ...CLUSTER, name: 'nope' }, 'local.acme.nope'],
    ] as const) {
      const text = errorOf(await call(USERS.acmeDev, 'capa.get-cluster', args));
      const denied = await httpJson(
        USERS.acmeDev,
        `/clusters/local/${args.namespace}/${args.name}`,
      );
      expect(denied.status).toBe(403);
      expect(text).toBe(`NotAllowedError: ${denied.body.error.message}`);
      expect(text).toBe(
        `NotAllowedError: Not allowed to read resource:default/${ref}`,
      );
    }
    const outsider = errorOf(
      await call(USERS.outsider, 'capa.get-cluster', CLUSTER),
    );
    expect(outsider).toBe(
      'NotAllowedError: Not allowed to read resource:default/local.acme.prod',
    );
    const audited = portal.audit.filter(
      e => e.eventId === 'cluster-read' && e.meta.actor === USERS.outsider,
    );
    expect(audited).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        meta: expect.objectContaining({
          action: 'capa:get-cluster',
          entityRef: 'resource:default/local.acme.prod',
          result: 'denied',
        }),
      }),
    ]);
  });

  it('get-cluster-kubeconfig answers as the kubeconfig route, audited alike', async () => {
    const result = await call(
      USERS.acmeDev,
      'capa.get-cluster-kubeconfig',
      CLUSTER,
    );
    const http = await httpJson(
      USERS.acmeDev,
      '/clusters/local/acme/prod/kubeconfig',
    );
    expect(http.status).toBe(200);
    expect(result.structuredContent).toEqual(http.body);
    expect(result.structuredContent).toMatchObject({
      secretName: 'prod-user-kubeconfig',
      updateKubeconfigCommand: expect.stringMatching(
        /^aws eks update-kubeconfig --name \S+ --region eu-west-1/,
      ),
      roleCommands: [
        {
          roleArn: 'arn:aws:iam::111122223333:role/acme-admin',
          command: expect.stringContaining(
            '--role-arn arn:aws:iam::111122223333:role/acme-admin',
          ),
        },
      ],
    });
    expect(result.structuredContent.kubeconfig).toContain('command: aws');

    const text = errorOf(
      await call(USERS.outsider, 'capa.get-cluster-kubeconfig', CLUSTER),
    );
    expect(text).toBe(
      'NotAllowedError: Not allowed to read the kubeconfig of resource:default/local.acme.prod',
    );
    const events = portal.audit.filter(e => e.eventId === 'kubeconfig-read');
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          outcome: 'success',
          meta: expect.objectContaining({
            actor: USERS.acmeDev,
            entityRef: 'resource:default/local.acme.prod',
            result: 'allowed',
          }),
        }),
        expect.objectContaining({
          outcome: 'fail',
          meta: expect.objectContaining({
            actor: USERS.outsider,
            entityRef: 'resource:default/local.acme.prod',
            result: 'denied',
          }),
        }),
      ]),
    );
  });
});

import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { fakeCache, seededStore, USER_KUBECONFIG } from './__fixtures__/fleet';
import { capaPlugin } from './plugin';

type Decision = AuthorizeResult.ALLOW | AuthorizeResult.DENY;

/** Permission decisions per permission name and entity ref ("*" for any ref). */
function permissionsMock(
  decide: (permission: string, resourceRef?: string) => Decision,
  conditional?: 'ALLOW' | 'DENY' | 'CONDITIONAL',
) {
  return mockServices.permissions.mock({
    authorize: jest.fn(async (requests: any[]) =>
      requests.map(r => ({
        result: decide(
          r.permission.name,
          (r as { resourceRef?: string }).resourceRef,
        ),
      })),
    ) as any,
    authorizeConditional: jest.fn(async (requests: any[]) =>
      requests.map(r =>
        conditional === 'CONDITIONAL'
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: {},
              },
            }
          : {
              result:
                conditional === 'DENY'
                  ? AuthorizeResult.DENY
                  : decide(r.permission.name),
            },
      ),
    ) as any,
  });
}

/** The entities the catalog module writes for the seeded clusters and tenants. */
const clusterEntity = (mc: string, ns: string, name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `${mc}.${ns}.${name}`,
    namespace: 'default',
    annotations: {
      'capa.backstage.io/management-cluster': mc,
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
const ENTITIES = [
  clusterEntity('local', 'acme', 'prod'),
  clusterEntity('local', 'globex', 'dev'),
  tenantGroup('acme'),
  tenantGroup('globex'),
];

async function start(
  options: {
    decide?: (p: string, ref?: string) => Decision;
    conditional?: 'ALLOW' | 'DENY' | 'CONDITIONAL';
    entities?: Entity[];
    /** More management clusters, after `local`, each seeded like it. */
    more?: string[];
  } = {},
) {
  const { store, secrets } = seededStore();
  const more = (options.more ?? []).map(mc => seededStore(mc).store);
  const fake = fakeCache([store, ...more], secrets);
  const auditor = mockServices.auditor.mock();
  const events: Array<{
    eventId: string;
    meta?: unknown;
    outcome?: string;
    error?: string;
  }> = [];
  auditor.createEvent.mockImplementation(async opts => {
    const event = {
      eventId: opts.eventId,
      meta: opts.meta,
    } as (typeof events)[number];
    events.push(event);
    return {
      success: async () => {
        event.outcome = 'success';
      },
      fail: async ({ error }) => {
        event.outcome = 'fail';
        event.error = error.message;
      },
    };
  });
  const permissions = permissionsMock(
    options.decide ?? (() => AuthorizeResult.ALLOW),
    options.conditional,
  );
  const { server } = await startTestBackend({
    features: [
      capaPlugin,
      fake.factory,
      permissions.factory,
      auditor.factory,
      catalogServiceMock.factory({ entities: options.entities ?? ENTITIES }),
      mockServices.rootConfig.factory({
        data: { capa: { kubernetesVersions: ['1.34', '1.35'] } },
      }),
    ],
  });
  return {
    server,
    events,
    permissions,
    secretReads: fake.secretReads,
    cache: fake.cache,
  };
}

describe('capa backend plugin', () => {
  it('lists the fleet with summaries, filters, phase counts and paging', async () => {
    const { server } = await start();
    const all = await request(server).get('/api/capa/clusters');
    expect(all.status).toBe(200);
    expect(all.body.totalItems).toBe(2);
    expect(all.body.phaseCounts).toEqual({ Provisioned: 1, Provisioning: 1 });
    expect(all.body.items[0]).toMatchObject({
      managementCluster: 'local',
      namespace: 'acme',
      name: 'prod',
      tenant: 'acme',
      owner: 'group:default/team-acme',
      phase: 'Provisioned',
      accountId: '111122223333',
      region: 'eu-west-1',
      kubernetesVersion: 'v1.33',
      nodePools: { count: 1, desiredReplicas: 2, readyReplicas: 0 },
    });

    const filtered = await request(server).get(
      '/api/capa/clusters?tenant=globex&phase=Provisioning&accountId=444455556666',
    );
    expect(filtered.body.items.map((i: { name: string }) => i.name)).toEqual([
      'dev',
    ]);

    const first = await request(server).get('/api/capa/clusters?limit=1');
    expect(first.body.items).toHaveLength(1);
    const second = await request(server).get(
      `/api/capa/clusters?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items[0].name).toBe('dev');
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('rejects bad paging parameters with 400', async () => {
    const { server } = await start();
    expect(
      (await request(server).get('/api/capa/clusters?limit=0')).status,
    ).toBe(400);
    expect(
      (await request(server).get('/api/capa/clusters?limit=5000')).status,
    ).toBe(400);
    expect(
      (await request(server).get('/api/capa/clusters?cursor=bogus!')).status,
    ).toBe(400);
  });

  it('sorts, filters by version and pages with a cursor per sort', async () => {
    const { server } = await start();
    const byVersion = await request(server).get(
      '/api/capa/clusters?sort=kubernetesVersion&order=desc',
    );
    expect(byVersion.status).toBe(200);
    expect(byVersion.body.items.map((i: { name: string }) => i.name)).toEqual([
      'dev',
      'prod',
    ]);
    const first = await request(server).get(
      '/api/capa/clusters?sort=name&limit=1',
    );
    expect(first.body.items[0].name).toBe('dev');
    const second = await request(server).get(
      `/api/capa/clusters?sort=name&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items[0].name).toBe('prod');
    expect(second.body.nextCursor).toBeUndefined();
    const wrongSort = await request(server).get(
      `/api/capa/clusters?sort=region&cursor=${first.body.nextCursor}`,
    );
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.error.message).toMatch(
      /cursor belongs to another sort/,
    );

    const version = await request(server).get(
      '/api/capa/clusters?kubernetesVersion=v1.34',
    );
    expect(version.body.items.map((i: { name: string }) => i.name)).toEqual([
      'dev',
    ]);
  });

  it('counts phases without the phase filter, and facets without their own filter', async () => {
    const { server } = await start();
    const res = await request(server).get(
      '/api/capa/clusters?phase=Provisioned&facets=true',
    );
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual([
      'prod',
    ]);
    expect(res.body.totalItems).toBe(1);
    expect(res.body.phaseCounts).toEqual({ Provisioned: 1, Provisioning: 1 });
    expect(res.body.facets).toEqual({
      tenant: [{ value: 'acme', count: 1 }],
      managementCluster: [{ value: 'local', count: 1 }],
      accountId: [{ value: '111122223333', count: 1 }],
      region: [{ value: 'eu-west-1', count: 1 }],
      kubernetesVersion: [{ value: 'v1.33', count: 1 }],
      cause: [],
    });
    const tenant = await request(server).get(
      '/api/capa/clusters?tenant=acme&facets=true',
    );
    expect(tenant.body.facets.tenant).toEqual([
      { value: 'acme', count: 1 },
      { value: 'globex', count: 1 },
    ]);
    expect(tenant.body.facets.region).toEqual([
      { value: 'eu-west-1', count: 1 },
    ]);
    const none = await request(server).get('/api/capa/clusters');
    expect(none.body.facets).toBeUndefined();
  });

  it('lists management clusters in configuration order, pages across them and counts each', async () => {
    const { server } = await start({ more: ['eu'] });
    const first = await request(server).get('/api/capa/clusters?limit=3');
    expect(
      first.body.items.map(
        (i: { managementCluster: string; name: string }) =>
          `${i.managementCluster}/${i.name}`,
      ),
    ).toEqual(['local/prod', 'local/dev', 'eu/prod']);
    const rest = await request(server).get(
      `/api/capa/clusters?limit=3&cursor=${first.body.nextCursor}`,
    );
    expect(
      rest.body.items.map(
        (i: { managementCluster: string; name: string }) =>
          `${i.managementCluster}/${i.name}`,
      ),
    ).toEqual(['eu/dev']);

    const eu = await request(server).get(
      '/api/capa/clusters?managementCluster=eu&facets=true',
    );
    expect(eu.body.totalItems).toBe(2);
    expect(eu.body.facets.managementCluster).toEqual([
      { value: 'eu', count: 2 },
      { value: 'local', count: 2 },
    ]);
    expect(eu.body.facets.tenant).toEqual([
      { value: 'acme', count: 1 },
      { value: 'globex', count: 1 },
    ]);
  });

  it('counts only the clusters the caller may see', async () => {
    const { server } = await start({
      conditional: 'CONDITIONAL',
      decide: (_p, ref) =>
        ref === 'resource:default/local.globex.dev'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    });
    const res = await request(server).get(
      '/api/capa/clusters?phase=Provisioned&facets=true',
    );
    expect(res.body.items).toEqual([]);
    expect(res.body.phaseCounts).toEqual({ Provisioning: 1 });
    expect(res.body.facets.tenant).toEqual([]);
    const all = await request(server).get('/api/capa/clusters?facets=true');
    expect(all.body.facets.tenant).toEqual([{ value: 'globex', count: 1 }]);
  });

  it.each([
    ['limit=abc', /limit must be integer/],
    ['limit=0', /limit must be >= 1/],
    ['can=everything', /can must be equal to one of the allowed values/],
    ['sort=size', /sort must be equal to one of the allowed values/],
    ['order=up', /order must be equal to one of the allowed values/],
    ['facets=maybe', /facets must be boolean/],
    ['phase=Broken', /phase must be equal to one of the allowed values/],
    ['cursor=bogus!', /cursor/],
    ['cursor=bm90LWEtY3Vyc29y', /cursor is not one this API returned/],
    ['colour=blue', /Unknown query parameter 'colour'/],
  ])('rejects %s with a 400 naming the parameter', async (query, message) => {
    const { server } = await start();
    const res = await request(server).get(`/api/capa/clusters?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
  });

  it('serves one cluster: identity-resolved account, region, pools, access', async () => {
    const { server } = await start();
    const res = await request(server).get('/api/capa/clusters/local/acme/prod');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      phase: 'Provisioned',
      aws: {
        accountId: '111122223333',
        identityResolution: 'role',
        region: 'eu-west-1',
      },
      eks: { clusterName: 'acme-prod', version: { desired: 'v1.33' } },
      kubeconfig: { secretName: 'prod-user-kubeconfig', available: true },
    });
    expect(res.body.nodePools).toHaveLength(1);
  });

  it('answers 404 naming an unknown management cluster (but not the configured ones) or cluster', async () => {
    const { server } = await start();
    const mc = await request(server).get(
      '/api/capa/clusters/elsewhere/acme/prod',
    );
    expect(mc.status).toBe(404);
    expect(mc.body.error.message).toBe(
      'Unknown management cluster "elsewhere"',
    );
    const cluster = await request(server).get(
      '/api/capa/clusters/local/acme/nope',
    );
    expect(cluster.status).toBe(404);
    expect(cluster.body.error.message).toMatch(
      /Cluster acme\/nope not found on management cluster "local"/,
    );
    expect(
      (
        await request(server).get(
          '/api/capa/clusters?managementCluster=elsewhere',
        )
      ).status,
    ).toBe(404);
  });

  it('says since when a status may be out of date, and answers 503 rather than 404 for a cluster an incomplete cache lacks', async () => {
    const { server, cache } = await start();
    const since = '2026-11-30T10:00:00.000Z';
    const healthy = cache.health()[0];
    cache.health = () => [
      { ...healthy, reachable: false, failingSince: since, error: 'down' },
    ];
    const stale = await request(server).get(
      '/api/capa/clusters/local/acme/prod',
    );
    expect(stale.status).toBe(200);
    expect(stale.body).toMatchObject({ name: 'prod', staleSince: since });
    const unknown = await request(server).get(
      '/api/capa/clusters/local/acme/nope',
    );
    expect(unknown.status).toBe(503);
    expect(unknown.body.error.message).toBe(
      'Management cluster "local" cannot be reached (since 2026-11-30T10:00:00.000Z): whether cluster acme/nope exists is not known',
    );

    cache.health = () => [{ ...healthy, reachable: false, synced: false }];
    const listing = await request(server).get(
      '/api/capa/clusters/local/acme/nope',
    );
    expect(listing.status).toBe(503);
    expect(listing.body.error.message).toMatch(/has not been listed yet/);

    cache.health = () => [healthy];
    const fresh = await request(server).get(
      '/api/capa/clusters/local/acme/prod',
    );
    expect(fresh.body.staleSince).toBeUndefined();
  });

  it('answers 401 without credentials', async () => {
    const { server } = await start();
    const res = await request(server)
      .get('/api/capa/clusters')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('answers 403 with no cluster data when reading is denied', async () => {
    const { server } = await start({ decide: () => AuthorizeResult.DENY });
    const res = await request(server).get('/api/capa/clusters/local/acme/prod');
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(JSON.stringify(res.body)).not.toMatch(
      /111122223333|eu-west-1|clusterName|phase/,
    );
  });

  it('authorizes each cluster against its catalog entity when the policy is conditional', async () => {
    const { server, permissions } = await start({ conditional: 'CONDITIONAL' });
    await request(server).get('/api/capa/clusters/local/acme/prod');
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        expect.objectContaining({
          permission: expect.objectContaining({ name: 'capa.cluster.read' }),
          resourceRef: 'resource:default/local.acme.prod',
        }),
      ],
      expect.anything(),
    );
  });

  it('authorizes before looking up: a denied caller gets the same answer whether or not the cluster exists', async () => {
    const { server } = await start({
      conditional: 'CONDITIONAL',
      decide: () => AuthorizeResult.DENY,
    });
    const existing = await request(server).get(
      '/api/capa/clusters/local/acme/prod',
    );
    const missing = await request(server).get(
      '/api/capa/clusters/local/acme/nope',
    );
    const elsewhere = await request(server).get(
      '/api/capa/clusters/elsewhere/acme/nope',
    );
    for (const res of [existing, missing, elsewhere]) {
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
    }
    expect(missing.body.error.message).toBe(
      existing.body.error.message.replace('prod', 'nope'),
    );
  });

  it('does not count ownership of an entity whose annotations name another cluster', async () => {
    // Someone registered local.acme.prod pointing at globex's cluster: owning it must not count.
    const shadow = clusterEntity('local', 'acme', 'prod');
    shadow.metadata.annotations!['capa.backstage.io/namespace'] = 'globex';
    const { server, permissions } = await start({
      conditional: 'CONDITIONAL',
      decide: () => AuthorizeResult.ALLOW,
      entities: [shadow],
    });
    const res = await request(server).get('/api/capa/clusters/local/acme/prod');
    expect(res.status).toBe(403);
    expect(permissions.authorize).not.toHaveBeenCalledWith(
      [
        expect.objectContaining({
          resourceRef: 'resource:default/local.acme.prod',
        }),
      ],
      expect.anything(),
    );
  });

  it('lists nothing when reading is denied outright', async () => {
    const { server } = await start({ conditional: 'DENY' });
    const res = await request(server).get('/api/capa/clusters');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], totalItems: 0 });
  });

  it('filters the list per entity when the policy is conditional', async () => {
    const { server } = await start({
      conditional: 'CONDITIONAL',
      decide: (_p, ref) =>
        ref === 'resource:default/local.globex.dev'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    });
    const res = await request(server).get('/api/capa/clusters');
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual([
      'dev',
    ]);
    expect(res.body.totalItems).toBe(1);
  });

  describe('kubeconfig', () => {
    it('serves the exec-based user kubeconfig and the update-kubeconfig commands, and audits it', async () => {
      const { server, events, secretReads } = await start();
      const res = await request(server).get(
        '/api/capa/clusters/local/acme/prod/kubeconfig',
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        kubeconfig: USER_KUBECONFIG,
        secretName: 'prod-user-kubeconfig',
        updateKubeconfigCommand:
          'aws eks update-kubeconfig --name acme-prod --region eu-west-1',
        roleCommands: [
          {
            roleArn: 'arn:aws:iam::111122223333:role/acme-admin',
            command:
              'aws eks update-kubeconfig --name acme-prod --region eu-west-1 --role-arn arn:aws:iam::111122223333:role/acme-admin',
          },
        ],
      });
      expect(secretReads).toEqual(['local/acme/prod-user-kubeconfig']);
      expect(events).toEqual([
        expect.objectContaining({
          eventId: 'kubeconfig-read',
          outcome: 'success',
          meta: expect.objectContaining({
            cluster: 'prod',
            entityRef: 'resource:default/local.acme.prod',
          }),
        }),
      ]);
    });

    it('answers 403, reads no Secret and audits the denial', async () => {
      const { server, events, secretReads } = await start({
        decide: p =>
          p === 'capa.cluster.kubeconfig.read'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      });
      const res = await request(server).get(
        '/api/capa/clusters/local/acme/prod/kubeconfig',
      );
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toMatch(/apiVersion|exec|token/);
      expect(secretReads).toEqual([]);
      expect(events).toEqual([
        expect.objectContaining({
          outcome: 'fail',
          error: expect.stringMatching(/Not allowed/),
        }),
      ]);
    });

    it('never falls back to the admin kubeconfig: 404 with a reason while the user Secret is missing', async () => {
      const { server, secretReads } = await start();
      const res = await request(server).get(
        '/api/capa/clusters/local/globex/dev/kubeconfig',
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(
        /not available yet: Secret dev-user-kubeconfig does not exist/,
      );
      expect(JSON.stringify(res.body)).not.toMatch(/ADMIN-TOKEN/);
      expect(secretReads).toEqual(['local/globex/dev-user-kubeconfig']);
    });

    it('answers 404 for an unknown cluster without reading any Secret', async () => {
      const { server, secretReads } = await start();
      expect(
        (
          await request(server).get(
            '/api/capa/clusters/local/acme/prod-user/kubeconfig',
          )
        ).status,
      ).toBe(404);
      expect(secretReads).toEqual([]);
    });
  });

  it('reports the health of every management cluster', async () => {
    const { server } = await start();
    const res = await request(server).get('/api/capa/health');
    expect(res.status).toBe(200);
    expect(res.body.managementClusters).toEqual([
      expect.objectContaining({
        name: 'local',
        reachable: true,
        crds: { capi: true, capa: true },
        objects: { Cluster: 2 },
      }),
    ]);
  });

  it('keeps object counts and errors from callers who may not read every cluster', async () => {
    for (const conditional of ['DENY', 'CONDITIONAL'] as const) {
      const { server } = await start({ conditional });
      const res = await request(server).get('/api/capa/health');
      expect(res.status).toBe(200);
      expect(res.body.managementClusters).toEqual([
        {
          name: 'local',
          reachable: true,
          synced: true,
          crds: { capi: true, capa: true },
          cacheAgeSeconds: 1,
          objects: {},
        },
      ]);
    }
  });

  it('serves the settings templates choose from', async () => {
    const { server } = await start();
    const res = await request(server).get('/api/capa/settings');
    expect(res.body).toEqual({
      managementClusters: ['local'],
      kubernetesVersions: ['1.34', '1.35'],
    });
  });

  it('lists tenants, and with can=create-cluster only those the caller may create clusters in', async () => {
    const { server, permissions } = await start({
      conditional: 'CONDITIONAL',
      decide: (_p, ref) =>
        ref === 'group:default/team-acme'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    });
    const all = await request(server).get('/api/capa/tenants');
    expect(all.body.items).toEqual([
      {
        managementCluster: 'local',
        tenant: 'acme',
        namespace: 'acme',
        owner: 'group:default/team-acme',
        accountId: '111122223333',
      },
      {
        managementCluster: 'local',
        tenant: 'globex',
        namespace: 'globex',
        owner: 'group:default/team-globex',
        accountId: '444455556666',
      },
    ]);
    const mine = await request(server).get(
      '/api/capa/tenants?can=create-cluster',
    );
    expect(mine.body.items.map((t: { tenant: string }) => t.tenant)).toEqual([
      'acme',
    ]);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        expect.objectContaining({
          permission: expect.objectContaining({ name: 'capa.cluster.create' }),
          resourceRef: 'group:default/team-acme',
        }),
        expect.objectContaining({ resourceRef: 'group:default/team-globex' }),
      ],
      expect.anything(),
    );
    expect(
      (await request(server).get('/api/capa/tenants?can=fly')).status,
    ).toBe(400);
  });

  it('filters the clusters list by what the caller may do with each (can=)', async () => {
    const { server } = await start({
      conditional: 'CONDITIONAL',
      decide: (p, ref) =>
        p === 'capa.cluster.read' ||
        (p === 'capa.cluster.update' &&
          ref === 'resource:default/local.acme.prod')
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    });
    const res = await request(server).get('/api/capa/clusters?can=update');
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual([
      'prod',
    ]);
    const all = await request(server).get('/api/capa/clusters');
    expect(all.body.totalItems).toBe(2);
    expect(
      (await request(server).get('/api/capa/clusters?can=everything')).status,
    ).toBe(400);
  });
});

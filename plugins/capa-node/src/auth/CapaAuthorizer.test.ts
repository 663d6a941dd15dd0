import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  capaClusterCreatePermission,
  capaClusterUpdatePermission,
  capaPlatformManagePermission,
} from '@capa-backstage/plugin-capa-common';
import { CapaAuthorizer } from './CapaAuthorizer';

const clusterEntity = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/team-acme' },
});

const PROD = clusterEntity('local.acme.prod', {
  'capa.backstage.io/management-cluster': 'local',
  'capa.backstage.io/namespace': 'acme',
  'capa.backstage.io/cluster-name': 'prod',
});
/** An entity under the name of acme/dev whose annotations name another cluster. */
const SHADOW = clusterEntity('local.acme.dev', {
  'capa.backstage.io/management-cluster': 'local',
  'capa.backstage.io/namespace': 'globex',
  'capa.backstage.io/cluster-name': 'dev',
});
const TEAM_ACME: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'team-acme',
    namespace: 'default',
    labels: { 'capa.backstage.io/tenant': 'acme' },
  },
  spec: { type: 'tenant', children: [] },
};
const UNLABELLED: Entity = {
  ...TEAM_ACME,
  metadata: { name: 'outsiders', namespace: 'default' },
};

const CONDITIONAL = {
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    rule: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    params: {},
  },
};

function setup(
  overall: 'ALLOW' | 'DENY' | 'CONDITIONAL',
  owned: string[] = [],
) {
  const permissions = mockServices.permissions.mock({
    authorizeConditional: jest.fn(async (requests: any[]) =>
      requests.map(() =>
        overall === 'CONDITIONAL'
          ? CONDITIONAL
          : { result: AuthorizeResult[overall] },
      ),
    ) as any,
    authorize: jest.fn(async (requests: any[]) =>
      requests.map((r: any) => {
        const allowed =
          r.resourceRef === undefined
            ? overall === 'ALLOW'
            : owned.includes(r.resourceRef);
        return {
          result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      }),
    ) as any,
  });
  const catalog = catalogServiceMock({
    entities: [PROD, SHADOW, TEAM_ACME, UNLABELLED],
  });
  const getByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
  const authorizer = new CapaAuthorizer({
    permissions,
    catalog,
    auth: mockServices.auth(),
  });
  return { authorizer, permissions, getByRefs };
}

const user = mockCredentials.user('user:default/acme-dev');
const cluster = (name: string) => ({
  type: 'cluster' as const,
  cluster: { managementCluster: 'local', namespace: 'acme', name },
});
const tenant = (group: string | undefined) => ({
  type: 'tenant' as const,
  managementCluster: 'local',
  tenant: 'acme',
  namespace: 'acme',
  group,
});

describe('CapaAuthorizer', () => {
  it('decides basic permissions with the policy alone', async () => {
    const { authorizer } = setup('DENY');
    const [d] = await authorizer.authorize(
      [
        {
          permission: capaPlatformManagePermission,
          target: { type: 'platform' },
        },
      ],
      user,
    );
    expect(d.allowed).toBe(false);
  });

  it('settles every target at once when the policy is unconditional, without reading the catalog', async () => {
    const { authorizer, getByRefs, permissions } = setup('ALLOW');
    const decisions = await authorizer.authorize(
      [
        { permission: capaClusterUpdatePermission, target: cluster('prod') },
        { permission: capaClusterUpdatePermission, target: cluster('other') },
      ],
      user,
    );
    expect(decisions.map(d => d.allowed)).toEqual([true, true]);
    expect(decisions[0].resourceRef).toBe('resource:default/local.acme.prod');
    expect(getByRefs).not.toHaveBeenCalled();
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
  });

  it('checks a conditional policy on the entity that stands for the cluster', async () => {
    const { authorizer, permissions } = setup('CONDITIONAL', [
      'resource:default/local.acme.prod',
    ]);
    const [prod] = await authorizer.authorize(
      [{ permission: capaClusterUpdatePermission, target: cluster('prod') }],
      user,
    );
    expect(prod).toMatchObject({
      allowed: true,
      resourceRef: 'resource:default/local.acme.prod',
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: capaClusterUpdatePermission,
          resourceRef: 'resource:default/local.acme.prod',
        },
      ],
      { credentials: user },
    );
  });

  it('does not count ownership of an entity whose annotations name another cluster', async () => {
    const { authorizer, permissions } = setup('CONDITIONAL', [
      'resource:default/local.acme.dev',
    ]);
    const [dev, missing] = await authorizer.authorize(
      [
        { permission: capaClusterUpdatePermission, target: cluster('dev') },
        { permission: capaClusterUpdatePermission, target: cluster('nope') },
      ],
      user,
    );
    expect(dev).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/does not stand for this cluster/),
    });
    expect(missing).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/not in the catalog/),
    });
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('reads entities with its own credentials, not the caller\u2019s', async () => {
    const { authorizer, getByRefs } = setup('CONDITIONAL');
    await authorizer.authorize(
      [{ permission: capaClusterUpdatePermission, target: cluster('prod') }],
      user,
    );
    expect(getByRefs).toHaveBeenCalledWith(
      { entityRefs: ['resource:default/local.acme.prod'] },
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ type: 'service' }),
        }),
      },
    );
  });

  it("checks a tenant on its namespace's owner group, labelled for the tenant", async () => {
    const { authorizer } = setup('CONDITIONAL', [
      'group:default/team-acme',
      'group:default/outsiders',
    ]);
    const decisions = await authorizer.authorize(
      [
        {
          permission: capaClusterCreatePermission,
          target: tenant('group:default/team-acme'),
        },
        {
          permission: capaClusterCreatePermission,
          target: tenant('group:default/outsiders'),
        },
        { permission: capaClusterCreatePermission, target: tenant(undefined) },
      ],
      user,
    );
    expect(decisions.map(d => d.allowed)).toEqual([true, false, false]);
    expect(decisions[1].reason).toMatch(
      /not labelled capa.backstage.io\/tenant: acme/,
    );
    expect(decisions[2].reason).toMatch(/names no owner group/);
  });

  it('tells whether a permission is held outright', async () => {
    expect(
      await setup('CONDITIONAL').authorizer.allowsEverywhere(
        [capaClusterUpdatePermission],
        user,
      ),
    ).toEqual([false]);
    expect(
      await setup('ALLOW').authorizer.allowsEverywhere(
        [capaClusterUpdatePermission, capaPlatformManagePermission],
        user,
      ),
    ).toEqual([true, true]);
  });
});

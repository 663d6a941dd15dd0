import type { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
  type ConditionalPolicyDecision,
  type Permission,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  capaClusterAccessManagePermission,
  capaClusterCreatePermission,
  capaClusterDeletePermission,
  capaClusterKubeconfigReadPermission,
  capaClusterReadPermission,
  capaClusterUpdatePermission,
  capaPermissions,
  capaPlatformManagePermission,
} from '@capa-backstage/plugin-capa-common';
import { CapaPermissionPolicy } from './CapaPermissionPolicy';

function userOf(
  userEntityRef: string,
  ownershipEntityRefs: string[],
): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs },
  };
}

const platformEngineer = userOf('user:default/guest', [
  'user:default/guest',
  'group:default/platform-team',
]);
const acmeDev = userOf('user:default/acme-dev', [
  'user:default/acme-dev',
  'group:default/team-acme',
]);
const outsider = userOf('user:default/visitor', ['user:default/visitor']);

const policy = new CapaPermissionPolicy({
  platformGroups: ['group:default/platform-team'],
});

const decide = (permission: Permission, user?: PolicyQueryUser) =>
  policy.handle({ permission }, user);

function conditional(decision: PolicyDecision): ConditionalPolicyDecision {
  expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
  return decision as ConditionalPolicyDecision;
}

/** Applies conditions to an entity with the catalog's own rules, as the catalog would. */
function matches(
  criteria: PermissionCriteria<PermissionCondition>,
  entity: Entity,
): boolean {
  if ('allOf' in criteria) return criteria.allOf.every(c => matches(c, entity));
  if ('anyOf' in criteria) return criteria.anyOf.some(c => matches(c, entity));
  if ('not' in criteria) return !matches(criteria.not, entity);
  const rule = Object.values(permissionRules).find(
    r => r.name === criteria.rule,
  );
  if (!rule) throw new Error(`unknown rule ${criteria.rule}`);
  return rule.apply(entity, criteria.params as never);
}

function cluster(owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: `prod-${owner}`, namespace: 'default' },
    spec: { type: 'kubernetes-cluster', owner },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

function group(name: string, namespace = 'default'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace },
    spec: { type: 'tenant', children: [] },
  };
}

function template(labels?: Record<string, string>): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'onboard-tenant', namespace: 'default', labels },
    spec: {},
  };
}

const otherPermission = createPermission({
  name: 'scaffolder.action.execute',
  attributes: {},
});

describe('CapaPermissionPolicy', () => {
  describe('a platform group member', () => {
    it.each([
      ...capaPermissions,
      catalogEntityReadPermission,
      catalogEntityDeletePermission,
      otherPermission,
    ])('is allowed $name outright', async permission => {
      expect(await decide(permission, platformEngineer)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    });

    it('is recognised whatever the case of the ref, among several groups', async () => {
      const several = new CapaPermissionPolicy({
        platformGroups: ['group:default/sre', 'Group:Default/Platform-Team'],
      });
      expect(
        await several.handle(
          { permission: capaPlatformManagePermission },
          userOf('user:default/ops', ['group:default/platform-team']),
        ),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    });
  });

  describe('a tenant member', () => {
    it('may read every cluster', async () => {
      expect(await decide(capaClusterReadPermission, acmeDev)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    });

    it.each([
      capaClusterKubeconfigReadPermission,
      capaClusterUpdatePermission,
      capaClusterDeletePermission,
      capaClusterAccessManagePermission,
    ])('gets $name only on the clusters their groups own', async permission => {
      const decision = conditional(await decide(permission, acmeDev));
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/acme-dev', 'group:default/team-acme'],
          },
        },
      });
      expect(matches(decision.conditions, cluster('team-acme'))).toBe(true);
      expect(matches(decision.conditions, cluster('team-globex'))).toBe(false);
    });

    it('may create clusters only in their own tenant groups', async () => {
      const twoTenants = userOf('user:default/dev', [
        'user:default/dev',
        'group:default/team-acme',
        'group:tenants/team-initech',
      ]);
      const decision = conditional(
        await decide(capaClusterCreatePermission, twoTenants),
      );
      expect(decision.conditions).toEqual({
        anyOf: [
          {
            allOf: [
              {
                rule: 'IS_ENTITY_KIND',
                resourceType: 'catalog-entity',
                params: { kinds: ['group'] },
              },
              {
                rule: 'HAS_METADATA',
                resourceType: 'catalog-entity',
                params: { key: 'name', value: 'team-acme' },
              },
              {
                rule: 'HAS_METADATA',
                resourceType: 'catalog-entity',
                params: { key: 'namespace', value: 'default' },
              },
            ],
          },
          {
            allOf: [
              {
                rule: 'IS_ENTITY_KIND',
                resourceType: 'catalog-entity',
                params: { kinds: ['group'] },
              },
              {
                rule: 'HAS_METADATA',
                resourceType: 'catalog-entity',
                params: { key: 'name', value: 'team-initech' },
              },
              {
                rule: 'HAS_METADATA',
                resourceType: 'catalog-entity',
                params: { key: 'namespace', value: 'tenants' },
              },
            ],
          },
        ],
      });
      const c = decision.conditions;
      expect(matches(c, group('team-acme'))).toBe(true);
      expect(matches(c, group('team-initech', 'tenants'))).toBe(true);
      expect(matches(c, group('team-globex'))).toBe(false);
      expect(matches(c, group('team-initech'))).toBe(false);
      // Not a user of that name, nor a cluster the user's group owns.
      expect(
        matches(c, { ...group('team-acme'), kind: 'User', spec: {} }),
      ).toBe(false);
      expect(matches(c, cluster('team-acme'))).toBe(false);
    });

    it('is denied capa.platform.manage and unknown capa permissions', async () => {
      expect(await decide(capaPlatformManagePermission, acmeDev)).toEqual({
        result: AuthorizeResult.DENY,
      });
      const future = createPermission({
        name: 'capa.tenant.delete',
        attributes: { action: 'delete' },
        resourceType: 'catalog-entity',
      });
      expect(await decide(future, acmeDev)).toEqual({
        result: AuthorizeResult.DENY,
      });
    });

    it('does not see platform-only templates', async () => {
      const decision = conditional(
        await decide(catalogEntityReadPermission, acmeDev),
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          not: {
            rule: 'HAS_LABEL',
            resourceType: 'catalog-entity',
            params: { label: 'capa.backstage.io/platform-only' },
          },
        },
      });
      expect(
        matches(
          decision.conditions,
          template({ 'capa.backstage.io/platform-only': 'true' }),
        ),
      ).toBe(false);
      expect(matches(decision.conditions, template())).toBe(true);
      expect(matches(decision.conditions, group('team-acme'))).toBe(true);
    });

    it('may unregister only catalog entities it owns', async () => {
      const decision = conditional(
        await decide(catalogEntityDeletePermission, acmeDev),
      );
      expect(matches(decision.conditions, cluster('team-acme'))).toBe(true);
      expect(matches(decision.conditions, cluster('team-globex'))).toBe(false);
    });

    it('is allowed every other permission', async () => {
      expect(await decide(otherPermission, acmeDev)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    });
  });

  describe('a user in no group', () => {
    it('may read the fleet but create nowhere and act only on what they own', async () => {
      expect(await decide(capaClusterReadPermission, outsider)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
      expect(await decide(capaClusterCreatePermission, outsider)).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(await decide(capaPlatformManagePermission, outsider)).toEqual({
        result: AuthorizeResult.DENY,
      });
      const update = conditional(
        await decide(capaClusterUpdatePermission, outsider),
      );
      expect(update.conditions).toMatchObject({
        rule: 'IS_ENTITY_OWNER',
        params: { claims: ['user:default/visitor'] },
      });
      expect(matches(update.conditions, cluster('team-acme'))).toBe(false);
    });

    it('is denied owner permissions with no ownership refs at all', async () => {
      const nobody = userOf('user:default/nobody', []);
      expect(await decide(capaClusterDeletePermission, nobody)).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(await decide(capaClusterCreatePermission, nobody)).toEqual({
        result: AuthorizeResult.DENY,
      });
    });
  });

  describe('a request without a user', () => {
    it.each(capaPermissions)('is denied $name', async permission => {
      expect(await decide(permission)).toEqual({
        result: AuthorizeResult.DENY,
      });
    });

    it('gets the non-platform catalog view and other permissions', async () => {
      const read = conditional(await decide(catalogEntityReadPermission));
      expect(read.conditions).toEqual({
        not: expect.objectContaining({ rule: 'HAS_LABEL' }),
      });
      expect(await decide(otherPermission)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    });
  });

  describe('fromConfig', () => {
    const fromConfig = (capa?: object) =>
      CapaPermissionPolicy.fromConfig(
        new ConfigReader(capa ? { capa } : {}, 'app-config.yaml'),
      );

    it('defaults to group:default/platform-team', async () => {
      const p = fromConfig();
      expect(p.platformGroupRefs).toEqual(['group:default/platform-team']);
      expect(
        await p.handle(
          { permission: capaPlatformManagePermission },
          platformEngineer,
        ),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it('reads and normalises the configured groups', async () => {
      const p = fromConfig({
        permissionPolicy: {
          platformGroups: ['sre', 'group:ops/Cloud', 'Group:default/admins'],
        },
      });
      expect(p.platformGroupRefs).toEqual([
        'group:default/sre',
        'group:ops/cloud',
        'group:default/admins',
      ]);
      // platform-team is no longer special once the config names other groups.
      expect(
        await p.handle(
          { permission: capaPlatformManagePermission },
          platformEngineer,
        ),
      ).toEqual({ result: AuthorizeResult.DENY });
      expect(
        await p.handle(
          { permission: capaPlatformManagePermission },
          userOf('user:default/x', ['group:ops/cloud']),
        ),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it.each([
      [
        'a string',
        'group:default/platform-team',
        /^Invalid config capa\.permissionPolicy\.platformGroups: must be a list of group entity refs \(Invalid type in config for key 'capa\.permissionPolicy\.platformGroups'/,
      ],
      [
        'a number in the list',
        ['group:default/platform-team', 3],
        /^Invalid config capa\.permissionPolicy\.platformGroups: must be a list/,
      ],
      [
        'an empty list',
        [],
        'Invalid config capa.permissionPolicy.platformGroups: must name at least one group',
      ],
      [
        'a user ref',
        ['user:default/guest'],
        'Invalid config capa.permissionPolicy.platformGroups: [0] "user:default/guest" is a user ref; only groups can be platform groups',
      ],
      [
        'a malformed ref',
        ['group:default/platform-team', 'group:'],
        /^Invalid config capa\.permissionPolicy\.platformGroups: \[1\] "group:" is not an entity ref/,
      ],
    ])('rejects %s', (_, platformGroups, message) => {
      let error: unknown;
      try {
        fromConfig({ permissionPolicy: { platformGroups } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
    });
  });
});

import { parseEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  RESOURCE_TYPE_CATALOG_ENTITY,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  CAPA_LABELS,
  capaClusterAccessManagePermission,
  capaClusterCreatePermission,
  capaClusterDeletePermission,
  capaClusterKubeconfigReadPermission,
  capaClusterReadPermission,
  capaClusterUpdatePermission,
} from '@capa-backstage/plugin-capa-common';
import {
  CapaPermissionPolicyOptions,
  normalizePlatformGroups,
  readCapaPermissionPolicyOptions,
} from './config';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** Permissions on a cluster's Resource entity that its owners hold. */
const CLUSTER_OWNER_PERMISSIONS = [
  capaClusterKubeconfigReadPermission,
  capaClusterUpdatePermission,
  capaClusterDeletePermission,
  capaClusterAccessManagePermission,
];

type CatalogCriteria = PermissionCriteria<
  PermissionCondition<typeof RESOURCE_TYPE_CATALOG_ENTITY>
>;

/**
 * The permission policy of a multi-tenant CAPA portal.
 *
 * - Members of a platform group (`capa.permissionPolicy.platformGroups`) may do everything.
 * - Other signed-in users may read every cluster; read kubeconfigs of, update, delete and manage
 *   access to the clusters their groups own (the cluster entity's owner); create clusters only in
 *   the tenant Groups they belong to; never hold `capa.platform.manage`; and do not see catalog
 *   entities labelled `capa.backstage.io/platform-only` (the platform's own templates); they may
 *   delete only catalog entities they own. Every other permission is allowed.
 * - Requests without a user get no CAPA permission at all, and the same catalog view as other
 *   non-platform users.
 *
 * Permissions named `capa.*` that this policy does not know are denied to non-platform users, so a
 * newer CAPA plugin fails closed until the policy learns them.
 *
 * @public
 */
export class CapaPermissionPolicy implements PermissionPolicy {
  private readonly platformGroups: ReadonlySet<string>;

  /** Creates the policy from `capa.permissionPolicy`; throws an InputError naming a bad key. */
  static fromConfig(config: Config): CapaPermissionPolicy {
    return new CapaPermissionPolicy(readCapaPermissionPolicyOptions(config));
  }

  constructor(options: CapaPermissionPolicyOptions) {
    this.platformGroups = new Set(
      normalizePlatformGroups(options.platformGroups),
    );
  }

  /** The platform groups, as normalised full entity refs. */
  get platformGroupRefs(): string[] {
    return [...this.platformGroups];
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    // The permission backend resolves `info` through the UserInfoService for user principals.
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (user && this.isPlatformMember(claims)) {
      return ALLOW;
    }

    if (permission.name.startsWith('capa.')) {
      return user ? this.decideCapa(permission, claims) : DENY;
    }

    if (isPermission(permission, catalogEntityDeletePermission)) {
      // Unregistering a cluster or a tenant's group is its owners' business (or the platform's).
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    if (isPermission(permission, catalogEntityReadPermission)) {
      // Hides platform-only templates whatever the label's value, so a mistyped value fails closed.
      return createCatalogConditionalDecision(permission, {
        not: catalogConditions.hasLabel({ label: CAPA_LABELS.platformOnly }),
      });
    }
    return ALLOW;
  }

  private isPlatformMember(claims: string[]): boolean {
    return claims.some(ref =>
      this.platformGroups.has(ref.toLocaleLowerCase('en-US')),
    );
  }

  private decideCapa(
    permission: PolicyQuery['permission'],
    claims: string[],
  ): PolicyDecision {
    if (isPermission(permission, capaClusterReadPermission)) {
      return ALLOW;
    }
    if (!isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
      // capa.platform.manage, and any basic capa.* permission this policy does not know.
      return DENY;
    }
    if (CLUSTER_OWNER_PERMISSIONS.some(p => isPermission(permission, p))) {
      if (claims.length === 0) return DENY;
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    if (isPermission(permission, capaClusterCreatePermission)) {
      return this.decideCreate(permission, claims);
    }
    return DENY;
  }

  /** The resource is the tenant's Group: it must be one of the user's own groups. */
  private decideCreate(
    permission: ResourcePermission<typeof RESOURCE_TYPE_CATALOG_ENTITY>,
    claims: string[],
  ): PolicyDecision {
    const groups: CatalogCriteria[] = [];
    for (const ref of claims) {
      let parsed;
      try {
        parsed = parseEntityRef(ref);
      } catch {
        continue; // a malformed claim grants nothing
      }
      if (parsed.kind.toLocaleLowerCase('en-US') !== 'group') continue;
      groups.push({
        allOf: [
          catalogConditions.isEntityKind({ kinds: ['group'] }),
          catalogConditions.hasMetadata({ key: 'name', value: parsed.name }),
          catalogConditions.hasMetadata({
            key: 'namespace',
            value: parsed.namespace,
          }),
        ],
      });
    }
    const [first, ...rest] = groups;
    if (!first) return DENY;
    return createCatalogConditionalDecision(permission, {
      anyOf: [first, ...rest],
    });
  }
}

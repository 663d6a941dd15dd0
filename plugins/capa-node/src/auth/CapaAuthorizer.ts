import type {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  BasicPermission,
  isResourcePermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRef,
  clusterEntityRef,
  EntityLike,
  isEntityOfCluster,
  isGroupOfTenant,
} from '@capa-backstage/plugin-capa-common';

/**
 * What a permission is checked against.
 *
 * @public
 */
export type CapaAuthTarget =
  /** Nothing in particular: a basic permission (the platform permission). */
  | { type: 'platform' }
  /** A tenant, by the Group its namespace names as owner (undefined when it names none). */
  | {
      type: 'tenant';
      managementCluster: string;
      tenant: string;
      namespace: string;
      group: string | undefined;
    }
  /** A workload cluster, by its catalog Resource. */
  | { type: 'cluster'; cluster: ClusterRef };

/**
 * One permission to check for one target.
 *
 * @public
 */
export type CapaAuthRequest =
  | { permission: BasicPermission; target: { type: 'platform' } }
  | {
      permission: ResourcePermission<'catalog-entity'>;
      target: Exclude<CapaAuthTarget, { type: 'platform' }>;
    };

/**
 * The decision on one {@link CapaAuthRequest}.
 *
 * @public
 */
export interface CapaAuthDecision {
  request: CapaAuthRequest;
  allowed: boolean;
  /** The catalog entity the decision was made on, for resource permissions. */
  resourceRef?: string;
  /** Why the request was denied when the policy was not the reason. */
  reason?: string;
}

/** The entity ref a resource request is checked against; undefined when there is none. */
export function resourceRefOf(
  target: Exclude<CapaAuthTarget, { type: 'platform' }>,
): string | undefined {
  return target.type === 'cluster'
    ? clusterEntityRef(target.cluster)
    : target.group;
}

/**
 * Decides CAPA permissions for a caller, for exact tenants and clusters.
 *
 * A policy may decide a resource permission conditionally, e.g. "if the user owns the entity". The
 * ownership of an entity counts only when the entity really stands for the target: a cluster's
 * Resource must carry the `capa.backstage.io/*` annotations of that very cluster, and a tenant's
 * Group the tenant's label. Entities are read with the plugin's own credentials, so a caller who
 * may not read an entity gets the same answer as for one that does not exist.
 *
 * @public
 */
export class CapaAuthorizer {
  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      catalog: CatalogService;
      auth: AuthService;
    },
  ) {}

  /**
   * Whether the caller holds each permission outright, whatever the resource: a basic permission
   * allowed, or a resource permission the policy allows unconditionally.
   */
  async allowsEverywhere(
    permissions: Array<BasicPermission | ResourcePermission<'catalog-entity'>>,
    credentials: BackstageCredentials,
  ): Promise<boolean[]> {
    return Promise.all(
      permissions.map(async permission => {
        const [decision] = isResourcePermission(permission)
          ? await this.deps.permissions.authorizeConditional([{ permission }], {
              credentials,
            })
          : await this.deps.permissions.authorize([{ permission }], {
              credentials,
            });
        return decision.result === AuthorizeResult.ALLOW;
      }),
    );
  }

  /** Decides every request, in order. Makes no request to any management cluster. */
  async authorize(
    requests: CapaAuthRequest[],
    credentials: BackstageCredentials,
  ): Promise<CapaAuthDecision[]> {
    const decisions: Array<CapaAuthDecision | undefined> = requests.map(
      () => undefined,
    );
    const basic = requests
      .map((request, i) => ({ request, i }))
      .filter(({ request }) => !isResourcePermission(request.permission));
    if (basic.length) {
      const results = await this.deps.permissions.authorize(
        basic.map(({ request }) => ({
          permission: request.permission as BasicPermission,
        })),
        { credentials },
      );
      basic.forEach(({ request, i }, j) => {
        decisions[i] = {
          request,
          allowed: results[j].result === AuthorizeResult.ALLOW,
        };
      });
    }

    const resource = requests
      .map((request, i) => ({ request, i }))
      .filter(({ request }) =>
        isResourcePermission(request.permission),
      ) as Array<{
      request: Extract<
        CapaAuthRequest,
        { target: { type: 'tenant' | 'cluster' } }
      >;
      i: number;
    }>;
    if (resource.length) {
      await this.authorizeResources(resource, decisions, credentials);
    }
    return decisions as CapaAuthDecision[];
  }

  private async authorizeResources(
    items: Array<{
      request: Extract<
        CapaAuthRequest,
        { target: { type: 'tenant' | 'cluster' } }
      >;
      i: number;
    }>,
    decisions: Array<CapaAuthDecision | undefined>,
    credentials: BackstageCredentials,
  ) {
    // One unconditional answer per permission settles every target at once.
    const names = [...new Set(items.map(x => x.request.permission.name))];
    const byName = new Map(
      items.map(x => [x.request.permission.name, x.request.permission]),
    );
    const overall = await this.deps.permissions.authorizeConditional(
      names.map(n => ({ permission: byName.get(n)! })),
      { credentials },
    );
    const overallOf = new Map(names.map((n, j) => [n, overall[j].result]));
    const conditional: Array<(typeof items)[number] & { ref?: string }> = [];
    for (const item of items) {
      const result = overallOf.get(item.request.permission.name);
      if (result === AuthorizeResult.CONDITIONAL) {
        conditional.push({ ...item, ref: resourceRefOf(item.request.target) });
      } else {
        const request = item.request;
        decisions[item.i] = {
          request,
          allowed: result === AuthorizeResult.ALLOW,
          // Only messages and audit events read it: a fleet page of thousands of clusters
          // decided at once never does.
          get resourceRef() {
            return resourceRefOf(request.target);
          },
        };
      }
    }
    if (!conditional.length) return;

    const refs = [
      ...new Set(conditional.map(x => x.ref).filter((r): r is string => !!r)),
    ];
    const { items: entities } = refs.length
      ? await this.deps.catalog.getEntitiesByRefs(
          { entityRefs: refs },
          { credentials: await this.deps.auth.getOwnServiceCredentials() },
        )
      : { items: [] };
    const entityOf = new Map(refs.map((r, j) => [r, entities[j]]));

    const toCheck: typeof conditional = [];
    for (const item of conditional) {
      const resourceRef = item.ref;
      const entity = resourceRef ? entityOf.get(resourceRef) : undefined;
      const reason = mismatch(item.request.target, resourceRef, entity);
      if (reason) {
        decisions[item.i] = {
          request: item.request,
          allowed: false,
          resourceRef,
          reason,
        };
      } else {
        toCheck.push(item);
      }
    }
    if (!toCheck.length) return;
    const results = await this.deps.permissions.authorize(
      toCheck.map(x => ({
        permission: x.request.permission,
        resourceRef: x.ref!,
      })),
      { credentials },
    );
    toCheck.forEach((item, j) => {
      decisions[item.i] = {
        request: item.request,
        allowed: results[j].result === AuthorizeResult.ALLOW,
        resourceRef: item.ref,
      };
    });
  }
}

/** Why an entity's ownership must not count for a target; undefined when it may. */
function mismatch(
  target: Exclude<CapaAuthTarget, { type: 'platform' }>,
  resourceRef: string | undefined,
  entity: EntityLike | undefined,
): string | undefined {
  if (target.type === 'tenant') {
    if (!resourceRef)
      return `namespace ${target.namespace} names no owner group (annotation capa.backstage.io/owner)`;
    if (!entity)
      return `the tenant's group ${resourceRef} is not in the catalog`;
    if (!isGroupOfTenant(entity, target.tenant))
      return `${resourceRef} is not labelled capa.backstage.io/tenant: ${target.tenant}`;
    return undefined;
  }
  if (!entity)
    return `the cluster's entity ${resourceRef} is not in the catalog`;
  if (!isEntityOfCluster(entity, target.cluster))
    return `${resourceRef} does not stand for this cluster (its capa.backstage.io annotations name another)`;
  return undefined;
}

import type {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  type ClusterRef,
  capaClusterAccessManagePermission,
  capaClusterCreatePermission,
  capaClusterDeletePermission,
  capaClusterUpdatePermission,
} from '@capa-backstage/plugin-capa-common';
import type {
  CapaAuthDecision,
  CapaAuthorizer,
  CapaAuthRequest,
} from '@capa-backstage/plugin-capa-node';

/** One permission a step needs, and the objects it covers (for the audit trail and the error). @public */
export interface WriteRequest {
  request: CapaAuthRequest;
  /** E.g. "Cluster acme/prod"; empty when the action names no objects. */
  objects: string[];
  /** Why this permission is needed, when it is not obvious (e.g. an identityRef to the manager). */
  because?: string;
}

/** What the helper needs of an action's context. @public */
export interface AuthorizingContext {
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}

/**
 * Authorizes the writes of a step for the person who started the task, before anything is sent
 * to a management cluster. Every action that writes calls it; none checks by hand.
 *
 * @public
 */
export interface TaskAuthorizer {
  /**
   * Decides every request for the task's initiator, records each decision as an auditor event
   * (`capa-write-authorization`), and throws one NotAllowedError naming the user, every denied
   * permission with its tenant or cluster, and whom to ask, when any is denied.
   */
  authorize(
    ctx: AuthorizingContext,
    step: { action: string; managementCluster?: string },
    requests: WriteRequest[],
  ): Promise<void>;
}

/** The request to change one workload cluster with a cluster permission. */
export function clusterWrite(
  permission: ResourcePermission<'catalog-entity'>,
  cluster: ClusterRef,
): WriteRequest {
  return {
    request: { permission, target: { type: 'cluster', cluster } },
    objects: [`Cluster ${cluster.namespace}/${cluster.name}`],
  };
}

/** Who a principal is, for messages and the audit trail. */
export function principalOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
  if (p.type === 'service') return `service ${p.subject ?? '(unknown)'}`;
  return 'an unauthenticated caller';
}

const VERBS: Record<string, string> = {
  [capaClusterCreatePermission.name]: 'create clusters in',
  [capaClusterUpdatePermission.name]: 'change',
  [capaClusterDeletePermission.name]: 'delete',
  [capaClusterAccessManagePermission.name]: 'manage access to',
};

/** The denied request in words: what, on which tenant or cluster, and whom to ask. */
function describeDenial(d: CapaAuthDecision, write: WriteRequest): string {
  const { permission, target } = d.request;
  const objects = write.objects.length ? ` (${write.objects.join(', ')})` : '';
  const because = write.because ? ` because ${write.because}` : '';
  const reason = d.reason ? `; ${d.reason}` : '';
  if (target.type === 'platform') {
    return `lacks the platform permission ${permission.name}, needed for ${
      write.objects.length ? write.objects.join(', ') : 'this step'
    }${because}: only the platform team may onboard tenants and change namespaces, identities or anything outside a tenant's clusters; ask it to make the change`;
  }
  if (target.type === 'tenant') {
    return `may not ${VERBS[permission.name] ?? permission.name} tenant ${
      target.tenant
    } (namespace ${target.namespace})${objects} (permission ${
      permission.name
    } on ${d.resourceRef ?? 'its group'}${reason}); ask to join ${
      target.group ?? "the tenant's group"
    }, or ask the platform team`;
  }
  const c = target.cluster;
  return `may not ${VERBS[permission.name] ?? permission.name} cluster ${
    c.namespace
  }/${c.name}${objects} (permission ${permission.name} on ${
    d.resourceRef
  }${reason}); ask the cluster's owners (the owner of ${
    d.resourceRef
  } in the catalog) or the platform team`;
}

function auditMeta(
  d: CapaAuthDecision,
  write: WriteRequest,
): Record<string, string | string[]> {
  const { permission, target } = d.request;
  return {
    permission: permission.name,
    objects: write.objects,
    ...(d.resourceRef ? { entityRef: d.resourceRef } : {}),
    ...(target.type === 'tenant'
      ? { tenant: target.tenant, namespace: target.namespace }
      : {}),
    ...(target.type === 'cluster'
      ? { namespace: target.cluster.namespace, cluster: target.cluster.name }
      : {}),
    ...(d.reason ? { reason: d.reason } : {}),
    result: d.allowed ? 'allowed' : 'denied',
  };
}

/**
 * The {@link TaskAuthorizer} on the CAPA authorizer (permission policy plus the catalog entity
 * checks) and the scaffolder's auditor.
 *
 * @public
 */
export function createTaskAuthorizer(deps: {
  authorizer: CapaAuthorizer;
  auditor: AuditorService;
}): TaskAuthorizer {
  return {
    async authorize(ctx, step, writes) {
      const credentials = await ctx.getInitiatorCredentials();
      const who = principalOf(credentials);
      const decisions = await deps.authorizer.authorize(
        writes.map(w => w.request),
        credentials,
      );
      const denials: string[] = [];
      for (const [i, d] of decisions.entries()) {
        const event = await deps.auditor.createEvent({
          eventId: 'capa-write-authorization',
          severityLevel: d.allowed ? 'medium' : 'high',
          meta: {
            actor: who,
            action: step.action,
            ...(step.managementCluster
              ? { managementCluster: step.managementCluster }
              : {}),
            ...auditMeta(d, writes[i]),
          },
        });
        if (d.allowed) {
          await event.success();
        } else {
          const denial = describeDenial(d, writes[i]);
          denials.push(denial);
          await event.fail({ error: new NotAllowedError(`${who} ${denial}`) });
        }
      }
      if (denials.length) {
        throw new NotAllowedError(
          `${step.action}: ${who} ${
            denials.length === 1
              ? denials[0]
              : `is not allowed to make this change:\n- ${denials.join('\n- ')}`
          }.\nNothing was sent${
            step.managementCluster
              ? ` to management cluster "${step.managementCluster}"`
              : ''
          }.`,
        );
      }
    },
  };
}

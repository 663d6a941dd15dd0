import { z } from 'zod/v3';
import { CAPA_DEFAULTS, CAPA_LABELS, MANAGED_BY } from '../constants';
import {
  EXTERNAL_ID,
  EXTERNAL_ID_RULE,
  SESSION_NAME,
  SESSION_NAME_RULE,
  labelKeyProblem,
  labelValueProblem,
} from './rules';
import {
  dnsLabel,
  dnsSubdomain,
  accountId,
  iamName,
  partition,
  labels,
  optionalText,
  issue,
} from './fields';

/* The inputs of renderTenant and renderControllerIdentity, and the identities' allowedNamespaces. */

const allowedNamespacesSchema = z
  .object({
    list: z.array(dnsLabel()).optional(),
    selector: z
      .object({ matchLabels: labels().optional() })
      .strict()
      .optional(),
  })
  .strict();

/** @public */
export type AllowedNamespacesInput = z.input<typeof allowedNamespacesSchema>;

/** True when the value admits every namespace: `{}` or `{selector: {}}` with no list. */
export function admitsEveryNamespace(value: AllowedNamespacesInput): boolean {
  return (
    value.list === undefined &&
    (value.selector === undefined || value.selector.matchLabels === undefined)
  );
}

function checkAllowedNamespaces(
  ctx: z.RefinementCtx,
  value: AllowedNamespacesInput | undefined,
  dangerouslyAllowAllNamespaces: boolean,
) {
  if (value === undefined) return;
  if (value.list !== undefined && value.list.length === 0) {
    issue(
      ctx,
      ['allowedNamespaces', 'list'],
      'an empty list admits no namespace at all (CAPA compares it with the zero value); name the namespaces or remove "list"',
    );
  }
  const matchLabels = value.selector?.matchLabels;
  if (matchLabels !== undefined && Object.keys(matchLabels).length === 0) {
    issue(
      ctx,
      ['allowedNamespaces', 'selector', 'matchLabels'],
      'an empty matchLabels map admits no namespace at all (CAPA compares it with the zero value); give at least one label or remove "selector"',
    );
  }
  if (admitsEveryNamespace(value) && !dangerouslyAllowAllNamespaces) {
    issue(
      ctx,
      ['allowedNamespaces'],
      'admits every namespace of the management cluster, so any tenant could use this AWS account; restrict it with "list" or "selector.matchLabels", or set dangerouslyAllowAllNamespaces: true if that is really intended',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Tenant

const identityRefSchema = z
  .object({
    kind: z.enum(['AWSClusterControllerIdentity', 'AWSClusterRoleIdentity']),
    name: dnsSubdomain(),
  })
  .strict();

/** Backstage group refs: `group:namespace/name`, `group:name` or `name`. */
const GROUP_REF =
  /^(?:group:)?(?:([a-z0-9][-a-z0-9_.]{0,62})\/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61}[A-Za-z0-9]|[A-Za-z0-9])$/;

const tenantAwsSchema = z
  .object({
    accountId: accountId(),
    partition: partition().default('aws'),
    roleName: iamName().default(CAPA_DEFAULTS.controllersRoleName),
    externalId: optionalText(z.string().regex(EXTERNAL_ID, EXTERNAL_ID_RULE)),
    sessionName: optionalText(
      z.string().regex(SESSION_NAME, SESSION_NAME_RULE),
    ),
    durationSeconds: z
      .number()
      .int('must be a whole number of seconds')
      .min(900, 'must be between 900 and 43200 seconds (STS limits)')
      .max(43200, 'must be between 900 and 43200 seconds (STS limits)')
      .optional(),
  })
  .strict();

/** Input of renderTenant. @public */
export const tenantInputSchema = z
  .object({
    name: dnsLabel(),
    owner: z
      .string()
      .regex(
        GROUP_REF,
        'must be a Backstage group reference such as "group:default/team-a" or "team-a"',
      ),
    namespace: dnsLabel().optional(),
    namespaceLabels: labels().optional(),
    aws: tenantAwsSchema,
    identityName: dnsSubdomain().optional(),
    sourceIdentity: identityRefSchema.optional(),
    allowedNamespaces: allowedNamespacesSchema.optional(),
    dangerouslyAllowAllNamespaces: z.boolean().default(false),
  })
  .strict()
  .superRefine((t, ctx) => {
    const reserved = [
      CAPA_LABELS.tenant,
      CAPA_LABELS.ownerGroup,
      CAPA_LABELS.managedBy,
    ];
    for (const key of Object.keys(t.namespaceLabels ?? {})) {
      if (reserved.includes(key as (typeof reserved)[number])) {
        issue(
          ctx,
          ['namespaceLabels', key],
          'is set by the renderer (tenant, owner, managed-by); remove it',
        );
      }
    }
    checkAllowedNamespaces(
      ctx,
      t.allowedNamespaces,
      t.dangerouslyAllowAllNamespaces,
    );
    const namespace = t.namespace ?? t.name;
    const allowed = t.allowedNamespaces;
    if (allowed && !admitsEveryNamespace(allowed)) {
      const selected = allowed.selector?.matchLabels;
      if (
        selected &&
        Object.keys(selected).length > 0 &&
        selected[CAPA_LABELS.tenant] !== t.name
      ) {
        issue(
          ctx,
          ['allowedNamespaces', 'selector', 'matchLabels'],
          `must contain ${CAPA_LABELS.tenant}: ${t.name}, so that only this tenant's namespaces are selected`,
        );
      }
      // The labels the rendered Namespace will carry: a selector must match them to admit it.
      const rendered: Record<string, string> = {
        ...t.namespaceLabels,
        [CAPA_LABELS.tenant]: t.name,
        [CAPA_LABELS.managedBy]: MANAGED_BY,
        [CAPA_LABELS.ownerGroup]: t.owner
          .replace(/^group:/, '')
          .split('/')
          .pop()!,
      };
      // Entries that break the label rules are reported by those rules already.
      const unmatched = Object.entries(selected ?? {}).filter(
        ([k, v]) =>
          !labelKeyProblem(k) && !labelValueProblem(v) && rendered[k] !== v,
      );
      if (selected?.[CAPA_LABELS.tenant] === t.name && unmatched.length > 0) {
        issue(
          ctx,
          ['allowedNamespaces', 'selector', 'matchLabels'],
          `the tenant's namespace "${namespace}" would not carry ${unmatched
            .map(([k, v]) => `${k}=${v}`)
            .join(
              ', ',
            )}, so the identity would not admit it; add them to namespaceLabels`,
        );
      }
      const admitsOwn =
        (allowed.list ?? []).includes(namespace) ||
        (selected !== undefined && unmatched.length === 0);
      if (!admitsOwn && (allowed.list?.length ?? 0) > 0) {
        issue(
          ctx,
          ['allowedNamespaces', 'list'],
          `must include the tenant's own namespace "${namespace}"`,
        );
      }
    }
    if (
      t.sourceIdentity?.kind === 'AWSClusterRoleIdentity' &&
      t.sourceIdentity.name === (t.identityName ?? t.name)
    ) {
      issue(
        ctx,
        ['sourceIdentity', 'name'],
        'must not be the identity being rendered (it would assume itself)',
      );
    }
  });

/** @public */
export type TenantInput = z.input<typeof tenantInputSchema>;
/** @public */
export type ResolvedTenantInput = z.output<typeof tenantInputSchema>;

// ---------------------------------------------------------------------------------------------
// Controller identity

/** Input of renderControllerIdentity. Without allowedNamespaces no namespace may use it. @public */
export const controllerIdentityInputSchema = z
  .object({
    allowedNamespaces: allowedNamespacesSchema.optional(),
    dangerouslyAllowAllNamespaces: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) =>
    checkAllowedNamespaces(
      ctx,
      c.allowedNamespaces,
      c.dangerouslyAllowAllNamespaces,
    ),
  );

/** @public */
export type ControllerIdentityInput = z.input<
  typeof controllerIdentityInputSchema
>;

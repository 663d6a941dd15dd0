import type {
  AllowedNamespaces,
  DeepPartial,
  IdentityReference,
  StoredObject,
} from '../objects';
import type { DiagnosisSignal } from './engine';

/**
 * The identities an identity check may need, as the watch cache holds them.
 *
 * @public
 */
export interface IdentityLookup {
  roleIdentity(
    name: string,
  ): StoredObject<'AWSClusterRoleIdentity'> | undefined;
  controllerIdentity(
    name: string,
  ): StoredObject<'AWSClusterControllerIdentity'> | undefined;
}

type LabelSelector = NonNullable<DeepPartial<AllowedNamespaces>['selector']> & {
  matchExpressions?: ReadonlyArray<
    DeepPartial<{ key: string; operator: string; values: string[] }>
  >;
};

function selectorMatches(
  selector: LabelSelector,
  labels: Record<string, string>,
): boolean {
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  // An empty selector admits nothing, as CAPA decides it (not everything, as elsewhere in Kubernetes).
  if (!matchLabels.length && !expressions.length) return false;
  return (
    matchLabels.every(([k, v]) => labels[k] === v) &&
    expressions.every(e => {
      const has = e.key !== undefined && e.key in labels;
      const value = e.key !== undefined ? labels[e.key] : undefined;
      const values = (e.values ?? []) as string[];
      switch (e.operator as string) {
        case 'In':
          return has && values.includes(value!);
        case 'NotIn':
          return !has || !values.includes(value!);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        default:
          return false;
      }
    })
  );
}

/**
 * Whether an identity's `allowedNamespaces` admits a namespace, as CAPA's session code decides
 * (pkg/cloud/scope/session.go, isClusterPermittedToUsePrincipal): absent admits none, `{}` admits
 * all, then the list, then a non-empty selector.
 *
 * @public
 */
export function identityAdmits(
  allowed: DeepPartial<AllowedNamespaces> | undefined,
  namespace: string,
  labels: Record<string, string>,
): boolean {
  if (!allowed || typeof allowed !== 'object') return false;
  const list = Array.isArray(allowed.list) ? allowed.list : [];
  const selector = (allowed.selector ?? {}) as LabelSelector;
  if (
    !list.length &&
    !Object.keys(selector.matchLabels ?? {}).length &&
    !(selector.matchExpressions ?? []).length &&
    allowed.selector === undefined &&
    allowed.list === undefined
  )
    return true;
  if (list.includes(namespace)) return true;
  return selectorMatches(selector, labels);
}

const MAX_CHAIN = 5;

/**
 * Findings on the identity chain of a control plane's identityRef, as signals (source `spec`):
 * CAPA refuses a namespace that any identity of the chain does not admit, and an identity that
 * does not exist, before it makes any AWS call; it writes neither on the objects (the session is
 * built before the status is patched), so only the specs tell.
 *
 * @public
 */
export function identitySignals(
  controlPlane: { kind: string; name: string },
  identityRef: DeepPartial<IdentityReference> | undefined,
  namespace: string,
  namespaceLabels: Record<string, string>,
  lookup: IdentityLookup,
): DiagnosisSignal[] {
  const signals: DiagnosisSignal[] = [];
  let ref = identityRef;
  /** The object whose reference is being followed. */
  let referrer = controlPlane;
  for (let depth = 0; ref && depth < MAX_CHAIN; depth++) {
    const first = depth === 0;
    const kind = String(ref.kind);
    const name = String(ref.name);
    if (kind === 'AWSClusterStaticIdentity') break;
    let identity:
      | ReturnType<IdentityLookup['roleIdentity']>
      | ReturnType<IdentityLookup['controllerIdentity']>;
    if (kind === 'AWSClusterRoleIdentity') identity = lookup.roleIdentity(name);
    else if (kind === 'AWSClusterControllerIdentity')
      identity = lookup.controllerIdentity(name);
    if (!identity) {
      signals.push({
        source: 'spec',
        kind: referrer.kind,
        name: referrer.name,
        type: 'IdentityMissing',
        reason: first
          ? 'PrincipalCredentialRetrievalFailed'
          : 'SourceIdentityMissing',
        message: `${kind} ${name} does not exist`,
      });
      break;
    }
    if (
      !identityAdmits(
        identity.spec?.allowedNamespaces,
        namespace,
        namespaceLabels,
      )
    ) {
      signals.push({
        source: 'spec',
        kind,
        name,
        type: 'NamespaceNotAllowed',
        reason: first
          ? 'PrincipalUsageUnauthorized'
          : 'SourcePrincipalUsageUnauthorized',
        message: `Namespace is not permitted to use ${kind}: ${name} (allowedNamespaces ${JSON.stringify(
          identity.spec?.allowedNamespaces ?? null,
        )} does not admit namespace ${namespace})`,
      });
    }
    if (identity.kind === 'AWSClusterRoleIdentity') {
      const duration = identity.spec?.durationSeconds;
      if (typeof duration === 'number' && duration > 3600)
        signals.push({
          source: 'spec',
          kind,
          name,
          type: 'SessionDurationOverChainLimit',
          message: `durationSeconds is ${duration}; a role assumed from another role's session (role chaining) may last at most 3600 seconds`,
        });
      ref = identity.spec?.sourceIdentityRef;
      referrer = { kind, name };
    } else {
      ref = undefined;
    }
  }
  return signals;
}

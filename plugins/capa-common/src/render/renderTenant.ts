import {
  API_VERSIONS,
  CAPA_ANNOTATIONS,
  CAPA_DEFAULTS,
  CAPA_LABELS,
  MANAGED_BY,
} from '../constants';
import type {
  AllowedNamespaces,
  AWSClusterRoleIdentity,
  Namespace,
  RenderResult,
} from '../objects';
import { parseInput } from '../validation/parse';
import {
  admitsEveryNamespace,
  AllowedNamespacesInput,
  tenantInputSchema,
} from '../validation/tenantSchemas';
import { pruneUndefined, roleArn, sortedMap } from './util';

/** Renders allowedNamespaces after validation, warning when it is open to every namespace. */
export function renderAllowedNamespaces(
  value: AllowedNamespacesInput,
  subject: string,
  warnings: string[],
): AllowedNamespaces {
  if (admitsEveryNamespace(value)) {
    warnings.push(
      `${subject} admits every namespace of the management cluster (allowedNamespaces: {}): any namespace, and so any tenant, can create clusters with it.`,
    );
    return {};
  }
  return pruneUndefined({
    list: value.list ? [...new Set(value.list)].sort() : undefined,
    selector: value.selector?.matchLabels
      ? { matchLabels: sortedMap(value.selector.matchLabels) }
      : undefined,
  });
}

/** Parses `group:ns/name`, `group:name` or `name` into the group's name. */
function groupName(ref: string): string {
  return ref
    .replace(/^group:/, '')
    .split('/')
    .pop()!;
}

/** Normalises an owner ref to `group:<namespace>/<name>`. */
function groupRef(ref: string): string {
  const bare = ref.replace(/^group:/, '');
  return `group:${bare.includes('/') ? bare : `default/${bare}`}`;
}

/**
 * Renders a tenant: its Namespace (labelled with the tenant and owner) and a cluster-scoped
 * AWSClusterRoleIdentity that assumes the tenant account's CAPA controllers role, usable only from
 * this tenant's namespaces. Throws CapaValidationError before rendering anything.
 *
 * @public
 */
export function renderTenant(
  input: unknown,
): RenderResult<Namespace | AWSClusterRoleIdentity> {
  const t = parseInput(tenantInputSchema, input, 'tenant input');
  const warnings: string[] = [];
  const namespace = t.namespace ?? t.name;
  const identityName = t.identityName ?? t.name;
  const tenantLabels = {
    [CAPA_LABELS.tenant]: t.name,
    [CAPA_LABELS.managedBy]: MANAGED_BY,
  };

  const ns: Namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespace,
      labels: sortedMap({
        ...t.namespaceLabels,
        ...tenantLabels,
        [CAPA_LABELS.ownerGroup]: groupName(t.owner),
      }),
      annotations: sortedMap({
        [CAPA_ANNOTATIONS.owner]: groupRef(t.owner),
        [CAPA_ANNOTATIONS.awsAccountId]: t.aws.accountId,
      }),
    },
  };

  const allowedNamespaces = renderAllowedNamespaces(
    t.allowedNamespaces ?? {
      selector: { matchLabels: { [CAPA_LABELS.tenant]: t.name } },
    },
    `AWSClusterRoleIdentity ${identityName}`,
    warnings,
  );

  const identity: AWSClusterRoleIdentity = pruneUndefined({
    apiVersion: API_VERSIONS.infrastructure,
    kind: 'AWSClusterRoleIdentity',
    metadata: { name: identityName, labels: sortedMap(tenantLabels) },
    spec: {
      allowedNamespaces,
      roleARN: roleArn(t.aws.partition, t.aws.accountId, t.aws.roleName),
      sourceIdentityRef: t.sourceIdentity ?? {
        kind: 'AWSClusterControllerIdentity',
        name: CAPA_DEFAULTS.controllerIdentityName,
      },
      externalID: t.aws.externalId,
      sessionName: t.aws.sessionName,
      durationSeconds: t.aws.durationSeconds,
    },
  });

  if ((t.aws.durationSeconds ?? 0) > 3600) {
    warnings.push(
      `durationSeconds ${t.aws.durationSeconds}: when the CAPA controller itself runs with assumed-role credentials (IRSA, an instance or pod role), AWS caps chained sessions at 3600 seconds and AssumeRole fails; the tenant role's MaxSessionDuration must allow it too.`,
    );
  }
  return { objects: [ns, identity], warnings };
}

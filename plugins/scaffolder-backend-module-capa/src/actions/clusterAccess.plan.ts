import { InputError } from '@backstage/errors';
import {
  clusterAccessMapping,
  ClusterAccessLevel,
  objectRef,
  partitionOfRegion,
  ROLE_ARN,
  ROLE_ARN_RULE,
  USER_ARN,
  USER_ARN_RULE,
  type StoredObject,
} from '@capa-backstage/plugin-capa-common';
import {
  type FieldChange,
  jsonEqual,
  type ObjectPlan,
} from '@capa-backstage/plugin-capa-node';
import type { z as zod } from 'zod/v3';

type ControlPlane = StoredObject<'AWSManagedControlPlane'>;

/** How EKS lets IAM principals in: the aws-auth ConfigMap, access entries, or both. */
export type AuthenticationMode = 'config_map' | 'api' | 'api_and_config_map';

/** The three lists of an AWSManagedControlPlane that let principals in, and their item keys. */
export const ACCESS_LISTS = {
  mapRoles: {
    path: ['spec', 'iamAuthenticatorConfig', 'mapRoles'],
    key: 'rolearn',
    mechanism: 'aws-auth',
  },
  mapUsers: {
    path: ['spec', 'iamAuthenticatorConfig', 'mapUsers'],
    key: 'userarn',
    mechanism: 'aws-auth',
  },
  accessEntries: {
    path: ['spec', 'accessEntries'],
    key: 'principalARN',
    mechanism: 'access-entry',
  },
} as const;

/** One of the three lists. */
export type AccessList = keyof typeof ACCESS_LISTS;

type Item = Record<string, unknown>;

/** The principal ARN input of the access actions. */
export function principalArnSchema(z: typeof zod) {
  return z
    .string()
    .describe(
      'ARN of the IAM role (arn:aws:iam::<account>:role/<name>) or user (arn:aws:iam::<account>:user/<name>)',
    );
}

/** Checks a principal ARN with capa-common's IAM rules; a role or a user. */
export function principalKind(arn: string, action: string): 'role' | 'user' {
  if (ROLE_ARN.test(arn)) return 'role';
  if (USER_ARN.test(arn)) return 'user';
  throw new InputError(
    `Invalid ${action} input: principalArn ${ROLE_ARN_RULE}, or ${USER_ARN_RULE.replace(
      /^must be /,
      '',
    )}`,
  );
}

/** The cluster's authentication mode; CAPA's default when unset. */
export function authenticationModeOf(cp: ControlPlane): AuthenticationMode {
  const mode = cp.spec?.accessConfig?.authenticationMode;
  return mode === 'api' || mode === 'api_and_config_map' ? mode : 'config_map';
}

/** Names a list item in the task log. */
function describeItem(list: AccessList) {
  return (item: unknown) => {
    const i = (item ?? {}) as Item;
    if (list === 'accessEntries') {
      const policies = Array.isArray(i.accessPolicies)
        ? (i.accessPolicies as Item[]).map(p =>
            String(p.policyARN ?? '')
              .split('/')
              .pop(),
          )
        : [];
      const groups = Array.isArray(i.kubernetesGroups)
        ? (i.kubernetesGroups as string[])
        : [];
      return `${String(i.principalARN)} (access entry${
        i.username ? ` as ${String(i.username)}` : ''
      }${policies.length ? `, policies ${policies.join(', ')}` : ''}${
        groups.length ? `, groups ${groups.join(', ')}` : ''
      })`;
    }
    const groups = Array.isArray(i.groups) ? (i.groups as string[]) : [];
    return `${String(i[ACCESS_LISTS[list].key])} (aws-auth as ${String(
      i.username,
    )}, groups ${groups.join(', ')})`;
  };
}

function liveList(cp: ControlPlane, list: AccessList): Item[] {
  let cur: unknown = cp;
  for (const k of ACCESS_LISTS[list].path)
    cur = (cur as Record<string, unknown> | undefined)?.[k];
  return Array.isArray(cur) ? (cur as Item[]) : [];
}

/**
 * The control plane plan of a list edit: one change per list that the edit changes, so a list
 * the action has no business with is neither sent nor taken over.
 */
function listPlan(
  cp: ControlPlane,
  edit: (list: AccessList, items: Item[]) => Item[],
): ObjectPlan {
  const changes: FieldChange[] = [];
  for (const list of Object.keys(ACCESS_LISTS) as AccessList[]) {
    const before = liveList(cp, list);
    const after = edit(list, before);
    if (jsonEqual(before, after)) continue;
    changes.push({
      path: [...ACCESS_LISTS[list].path],
      value: after,
      describeItem: describeItem(list),
    });
  }
  return {
    ref: objectRef(
      'AWSManagedControlPlane',
      cp.metadata.namespace,
      cp.metadata.name,
    ),
    live: cp,
    changes,
  };
}

/** The lists a grant writes: the mechanisms the cluster consults, as renderCluster writes them. */
export function grantLists(
  mode: AuthenticationMode,
  kind: 'role' | 'user',
): AccessList[] {
  const awsAuth: AccessList = kind === 'role' ? 'mapRoles' : 'mapUsers';
  if (mode === 'config_map') return [awsAuth];
  if (mode === 'api') return ['accessEntries'];
  return ['accessEntries', awsAuth];
}

/**
 * The plan of a grant: the principal's entry in each list the cluster consults, replacing an
 * existing entry of the same principal in place (a level change) or appended.
 */
export function grantPlan(
  cp: ControlPlane,
  arn: string,
  level: ClusterAccessLevel,
): ObjectPlan {
  const partition =
    cp.spec?.partition ?? partitionOfRegion(String(cp.spec?.region)) ?? 'aws';
  const arnPartition = arn.split(':')[1];
  if (arnPartition !== partition) {
    throw new InputError(
      `Invalid capa:access:grant input: principalArn is in partition "${arnPartition}" but the cluster is in "${partition}". Nothing was changed`,
    );
  }
  const mapping = clusterAccessMapping(level, arn, partition);
  const lists = grantLists(authenticationModeOf(cp), mapping.kind);
  const entries: Record<AccessList, Item | undefined> = {
    mapRoles: mapping.mapRole as Item | undefined,
    mapUsers: mapping.mapUser as Item | undefined,
    accessEntries: mapping.accessEntry as unknown as Item,
  };
  return listPlan(cp, (list, items) => {
    const entry = entries[list];
    if (!lists.includes(list) || !entry) return items;
    const key = ACCESS_LISTS[list].key;
    const first = items.findIndex(i => i[key] === arn);
    if (first < 0) return [...items, entry];
    return items
      .map((item, i) => (i === first ? entry : item))
      .filter((item, i) => i === first || item[key] !== arn);
  });
}

/** The plan of a revoke: every entry of the principal, in every list. */
export function revokePlan(cp: ControlPlane, arn: string): ObjectPlan {
  return listPlan(cp, (list, items) =>
    items.filter(i => i[ACCESS_LISTS[list].key] !== arn),
  );
}

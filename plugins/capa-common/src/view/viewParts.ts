/**
 * The parts of a cluster view read from one object each: conditions, node pools, access
 * principals. toClusterView puts them together.
 */
import type {
  AWSManagedControlPlaneSpec,
  DeepPartial,
  StoredObject,
} from '../objects';
import type { ClusterViewLookup } from './clusterView';
import type {
  AccessPrincipalView,
  ConditionView,
  NodePoolView,
  ObjectStatusView,
} from './types';

// Stored objects are typed by what they should hold, but anyone may have written them: every value
// is checked before it is used.
export const isObject = (v: unknown): v is object =>
  !!v && typeof v === 'object' && !Array.isArray(v);
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;
export const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const arr = <T>(v: ReadonlyArray<T> | undefined): ReadonlyArray<T> =>
  Array.isArray(v) ? v : [];
const strings = (v: ReadonlyArray<unknown> | undefined): string[] =>
  arr(v).filter((g): g is string => typeof g === 'string');

type Severity = NonNullable<ConditionView['severity']>;
const SEVERITIES: readonly unknown[] = ['Error', 'Warning', 'Info'];

function conditions(
  status:
    | { conditions?: ReadonlyArray<DeepPartial<ConditionView>> }
    | undefined,
): ConditionView[] {
  return arr(isObject(status) ? status.conditions : undefined).flatMap(c => {
    const type = isObject(c) ? str(c.type) : undefined;
    if (!type) return [];
    return [
      {
        type,
        status:
          c.status === 'True' || c.status === 'False' ? c.status : 'Unknown',
        reason: str(c.reason),
        message: str(c.message),
        ...(SEVERITIES.includes(c.severity as Severity)
          ? { severity: c.severity as Severity }
          : {}),
        lastTransitionTime: str(c.lastTransitionTime),
      },
    ];
  });
}

/** The conditions and failure message of one object, for the card and the diagnosis. */
export function objectStatus(
  object: {
    kind?: string;
    metadata: { name?: string; deletionTimestamp?: string };
    status?: unknown;
  },
  kind: string,
): ObjectStatusView {
  const status = isObject(object.status)
    ? (object.status as {
        conditions?: ReadonlyArray<DeepPartial<ConditionView>>;
        failureMessage?: unknown;
      })
    : undefined;
  const failureMessage = str(status?.failureMessage);
  const deletionTimestamp = str(object.metadata.deletionTimestamp);
  return {
    kind,
    name: object.metadata.name ?? '',
    conditions: conditions(status),
    ...(failureMessage ? { failureMessage } : {}),
    ...(deletionTimestamp ? { deletionTimestamp } : {}),
  };
}

/** The account id in an IAM ARN, if it is one. */
export function accountOfArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

export function accessPrincipals(
  spec: DeepPartial<AWSManagedControlPlaneSpec> | undefined,
): AccessPrincipalView[] {
  const auth = isObject(spec?.iamAuthenticatorConfig)
    ? spec!.iamAuthenticatorConfig!
    : {};
  const principals: AccessPrincipalView[] = [];
  for (const r of arr(auth.mapRoles)) {
    const arn = str(r?.rolearn);
    if (arn)
      principals.push({
        arn,
        kind: 'role',
        via: 'aws-auth',
        username: str(r.username),
        groups: strings(r.groups),
      });
  }
  for (const u of arr(auth.mapUsers)) {
    const arn = str(u?.userarn);
    if (arn)
      principals.push({
        arn,
        kind: 'user',
        via: 'aws-auth',
        username: str(u.username),
        groups: strings(u.groups),
      });
  }
  for (const e of arr(spec?.accessEntries)) {
    const arn = str(e?.principalARN);
    if (arn)
      principals.push({
        arn,
        kind: arn.includes(':user/') ? 'user' : 'role',
        via: 'access-entry',
        username: str(e.username),
        groups: strings(e.kubernetesGroups),
        accessPolicies: arr(e.accessPolicies)
          .map(p => str(p?.policyARN)?.split('/').pop())
          .filter((p): p is string => !!p),
      });
  }
  return principals;
}

/** A MachinePool's infrastructure pool, if it names one that exists. */
export function infrastructureOf(
  mp: StoredObject<'MachinePool'>,
  lookup: ClusterViewLookup,
  namespace: string,
) {
  const ref = mp.spec?.template?.spec?.infrastructureRef;
  const kind = str(ref?.kind);
  const refName = str(ref?.name);
  return {
    kind,
    refName,
    infra:
      kind && refName
        ? lookup.infrastructurePool(namespace, kind, refName)
        : undefined,
  };
}

export function nodePool(
  mp: StoredObject<'MachinePool'>,
  lookup: ClusterViewLookup,
  namespace: string,
  problems: string[],
): NodePoolView {
  const name = mp.metadata.name ?? '(unnamed)';
  const { kind, refName, infra } = infrastructureOf(mp, lookup, namespace);
  if (kind && refName && !infra)
    problems.push(`MachinePool ${name}: its ${kind} ${refName} does not exist`);
  const spec = isObject(infra?.spec) ? infra!.spec! : {};
  return {
    name,
    desiredReplicas: num(mp.spec?.replicas),
    readyReplicas: num(mp.status?.readyReplicas) ?? 0,
    availableReplicas: num(mp.status?.availableReplicas),
    phase: str(mp.status?.phase),
    version: str(mp.spec?.template?.spec?.version),
    infrastructureKind: kind,
    instanceType:
      str(spec.instanceType) ?? str(spec.awsLaunchTemplate?.instanceType),
    capacityType: str(spec.capacityType),
    amiType: str(spec.amiType),
    minSize: num(spec.scaling?.minSize),
    maxSize: num(spec.scaling?.maxSize),
    failureMessage: str(infra?.status?.failureMessage),
  };
}

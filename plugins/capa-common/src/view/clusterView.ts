import { CAPA_LABELS } from '../constants';
import { ownerOfNamespace } from '../entities';
import { clusterObjectNames } from '../render/renderCluster';
import { compareStrings } from '../render/util';
import { partitionOfRegion } from '../validation/aws';
import type {
  AccessPrincipalView,
  ClusterPhase,
  ClusterSummary,
  ClusterView,
  ConditionView,
  NodePoolView,
} from './types';

/** An object as read from a management cluster: nothing about its shape is trusted. @public */
export interface UnstructuredObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    resourceVersion?: string;
  };
  spec?: any;
  status?: any;
}

/**
 * How toClusterView finds the objects a Cluster refers to. The watch cache answers these from its
 * indexes; tests answer them from arrays.
 *
 * @public
 */
export interface ClusterViewLookup {
  controlPlane(namespace: string, name: string): UnstructuredObject | undefined;
  machinePools(namespace: string, clusterName: string): UnstructuredObject[];
  infrastructurePool(
    namespace: string,
    kind: string,
    name: string,
  ): UnstructuredObject | undefined;
  roleIdentity(name: string): UnstructuredObject | undefined;
  namespace(name: string): UnstructuredObject | undefined;
  secretExists(namespace: string, name: string): boolean;
}

const PHASES: ClusterPhase[] = [
  'Pending',
  'Provisioning',
  'Provisioned',
  'Deleting',
  'Failed',
  'Unknown',
];

const isObject = (v: unknown): v is Record<string, any> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : undefined;
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

function conditions(status: unknown): ConditionView[] {
  return arr(isObject(status) ? status.conditions : undefined)
    .filter(c => isObject(c) && str(c.type))
    .map(c => ({
      type: c.type,
      status:
        c.status === 'True' || c.status === 'False' ? c.status : 'Unknown',
      reason: str(c.reason),
      message: str(c.message),
      lastTransitionTime: str(c.lastTransitionTime),
    }));
}

/** The account id in an IAM ARN, if it is one. */
function accountOfArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function accessPrincipals(spec: any): AccessPrincipalView[] {
  const auth = isObject(spec?.iamAuthenticatorConfig)
    ? spec.iamAuthenticatorConfig
    : {};
  return [
    ...arr(auth.mapRoles)
      .filter(r => str(r?.rolearn))
      .map(r => ({
        arn: r.rolearn,
        kind: 'role' as const,
        via: 'aws-auth' as const,
        username: str(r.username),
        groups: arr(r.groups).filter(g => typeof g === 'string'),
      })),
    ...arr(auth.mapUsers)
      .filter(u => str(u?.userarn))
      .map(u => ({
        arn: u.userarn,
        kind: 'user' as const,
        via: 'aws-auth' as const,
        username: str(u.username),
        groups: arr(u.groups).filter(g => typeof g === 'string'),
      })),
    ...arr(spec?.accessEntries)
      .filter(e => str(e?.principalARN))
      .map(e => ({
        arn: e.principalARN,
        kind: (String(e.principalARN).includes(':user/') ? 'user' : 'role') as
          | 'role'
          | 'user',
        via: 'access-entry' as const,
        username: str(e.username),
        groups: arr(e.kubernetesGroups).filter(g => typeof g === 'string'),
        accessPolicies: arr(e.accessPolicies)
          .map(p => str(p?.policyARN)?.split('/').pop())
          .filter((p): p is string => !!p),
      })),
  ];
}

function nodePool(
  mp: UnstructuredObject,
  lookup: ClusterViewLookup,
  namespace: string,
  problems: string[],
): NodePoolView {
  const name = mp.metadata?.name ?? '(unnamed)';
  const ref = mp.spec?.template?.spec?.infrastructureRef;
  const kind = str(ref?.kind);
  const infra =
    kind && str(ref?.name)
      ? lookup.infrastructurePool(namespace, kind, ref.name)
      : undefined;
  if (kind && str(ref?.name) && !infra)
    problems.push(
      `MachinePool ${name}: its ${kind} ${ref.name} does not exist`,
    );
  const spec = infra?.spec ?? {};
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
    minSize: num(spec.scaling?.minSize) ?? num(spec.minSize),
    maxSize: num(spec.scaling?.maxSize) ?? num(spec.maxSize),
    failureMessage: str(infra?.status?.failureMessage),
  };
}

/**
 * Projects one CAPI Cluster and the objects it refers to into the view the portal serves. Pure and
 * total: missing or malformed objects become `problems` and unknown values, never exceptions.
 *
 * @public
 */
export function toClusterView(
  managementCluster: string,
  cluster: UnstructuredObject,
  lookup: ClusterViewLookup,
): ClusterView {
  const namespace = cluster.metadata?.namespace ?? '';
  const name = cluster.metadata?.name ?? '';
  const problems: string[] = [];
  const status = isObject(cluster.status) ? cluster.status : {};
  const deletionTimestamp = str(cluster.metadata?.deletionTimestamp);

  const reported = str(status.phase);
  let phase: ClusterPhase =
    reported && PHASES.includes(reported as ClusterPhase)
      ? (reported as ClusterPhase)
      : 'Unknown';
  if (deletionTimestamp) phase = 'Deleting';
  if (!isObject(cluster.status))
    problems.push(
      'The Cluster has no status yet (its controller has not reconciled it)',
    );

  const cpRef = cluster.spec?.controlPlaneRef;
  let controlPlane: UnstructuredObject | undefined;
  if (!str(cpRef?.name)) {
    problems.push('The Cluster has no controlPlaneRef');
  } else if (cpRef.kind !== 'AWSManagedControlPlane') {
    problems.push(
      `The control plane is a ${String(
        cpRef.kind,
      )}, not an AWSManagedControlPlane (EKS)`,
    );
  } else {
    controlPlane = lookup.controlPlane(namespace, cpRef.name);
    if (!controlPlane)
      problems.push(`The AWSManagedControlPlane ${cpRef.name} does not exist`);
  }
  const cpSpec = isObject(controlPlane?.spec) ? controlPlane!.spec : {};
  const cpStatus = isObject(controlPlane?.status) ? controlPlane!.status : {};

  const identityRef = isObject(cpSpec.identityRef)
    ? cpSpec.identityRef
    : undefined;
  const aws: ClusterView['aws'] = {
    identityResolution: controlPlane ? 'manager' : 'unknown',
  };
  if (identityRef)
    aws.identity = {
      kind: String(identityRef.kind),
      name: String(identityRef.name),
    };
  if (identityRef?.kind === 'AWSClusterRoleIdentity') {
    const identity = lookup.roleIdentity(String(identityRef.name));
    if (identity) {
      aws.identityResolution = 'role';
      aws.roleArn = str(identity.spec?.roleARN);
      aws.accountId = accountOfArn(aws.roleArn);
      if (!aws.accountId)
        problems.push(
          `AWSClusterRoleIdentity ${identityRef.name} has no valid roleARN`,
        );
    } else {
      aws.identityResolution = 'dangling';
      problems.push(
        `identityRef names AWSClusterRoleIdentity ${identityRef.name}, which does not exist`,
      );
    }
  } else if (identityRef?.kind === 'AWSClusterStaticIdentity') {
    aws.identityResolution = 'static';
  }
  aws.region = str(cpSpec.region);
  aws.partition =
    str(cpSpec.partition) ??
    (aws.region ? partitionOfRegion(aws.region) : undefined);

  const endpoint =
    isObject(cluster.spec?.controlPlaneEndpoint) &&
    str(cluster.spec.controlPlaneEndpoint.host)
      ? cluster.spec.controlPlaneEndpoint
      : cpSpec.controlPlaneEndpoint;
  const host = str(endpoint?.host);

  const ns = lookup.namespace(namespace);
  // The namespace decides the tenant (only the platform may label namespaces); a label on the
  // Cluster itself is the tenant's own word and would let it pose as another tenant.
  const tenant = str(ns?.metadata?.labels?.[CAPA_LABELS.tenant]);
  const owner = ns ? str(ownerOfNamespace(ns)) : undefined;

  const failureReason =
    str(status.deprecated?.v1beta1?.failureReason) ?? str(status.failureReason);
  const failureMessage =
    str(status.deprecated?.v1beta1?.failureMessage) ??
    str(status.failureMessage) ??
    str(cpStatus.failureMessage);
  const secretName = clusterObjectNames.userKubeconfigSecret(name);

  return {
    managementCluster,
    namespace,
    name,
    uid: str(cluster.metadata?.uid),
    tenant,
    owner,
    phase,
    reportedPhase:
      reported && !PHASES.includes(reported as ClusterPhase)
        ? reported
        : undefined,
    deleting: !!deletionTimestamp || phase === 'Deleting',
    conditions: conditions(status),
    failure:
      failureReason || failureMessage
        ? { reason: failureReason, message: failureMessage }
        : undefined,
    aws,
    eks: {
      clusterName: str(cpSpec.eksClusterName),
      endpoint: host
        ? `https://${host}${
            num(endpoint.port) && endpoint.port !== 443
              ? `:${endpoint.port}`
              : ''
          }`
        : undefined,
      ready: typeof cpStatus.ready === 'boolean' ? cpStatus.ready : undefined,
      version: { desired: str(cpSpec.version), actual: str(cpStatus.version) },
      authenticationMode:
        str(cpSpec.accessConfig?.authenticationMode) ??
        (controlPlane ? 'config_map' : undefined),
    },
    nodePools: lookup
      .machinePools(namespace, name)
      .map(mp => nodePool(mp, lookup, namespace, problems))
      .sort((a, b) => compareStrings(a.name, b.name)),
    access: accessPrincipals(cpSpec),
    kubeconfig: {
      secretName,
      available: lookup.secretExists(namespace, secretName),
    },
    createdAt: str(cluster.metadata?.creationTimestamp),
    deletionTimestamp,
    problems,
  };
}

/** The fleet row of a cluster view. @public */
export function toClusterSummary(view: ClusterView): ClusterSummary {
  return {
    managementCluster: view.managementCluster,
    namespace: view.namespace,
    name: view.name,
    tenant: view.tenant,
    owner: view.owner,
    phase: view.phase,
    deleting: view.deleting,
    accountId: view.aws.accountId,
    region: view.aws.region,
    kubernetesVersion: view.eks.version.actual ?? view.eks.version.desired,
    nodePools: {
      count: view.nodePools.length,
      desiredReplicas: view.nodePools.reduce(
        (n, p) => n + (p.desiredReplicas ?? 0),
        0,
      ),
      readyReplicas: view.nodePools.reduce((n, p) => n + p.readyReplicas, 0),
    },
    unhealthyConditions: view.conditions.filter(c => c.status !== 'True')
      .length,
    createdAt: view.createdAt,
    problems: view.problems.length,
  };
}

/**
 * The `aws eks update-kubeconfig` command that writes the same exec-based kubeconfig, optionally
 * assuming a role. Values are shell-quoted when needed.
 *
 * @public
 */
export function updateKubeconfigCommand(
  view: Pick<ClusterView, 'eks' | 'aws'>,
  roleArn?: string,
): string | undefined {
  if (!view.eks.clusterName || !view.aws.region) return undefined;
  const quote = (v: string) =>
    /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
  return [
    'aws eks update-kubeconfig',
    `--name ${quote(view.eks.clusterName)}`,
    `--region ${quote(view.aws.region)}`,
    ...(roleArn ? [`--role-arn ${quote(roleArn)}`] : []),
  ].join(' ');
}

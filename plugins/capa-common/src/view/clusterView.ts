import { CAPA_LABELS } from '../constants';
import { diagnose, statusSignals } from '../diagnosis/engine';
import { identitySignals } from '../diagnosis/identityChecks';
import { DIAGNOSIS_RULES } from '../diagnosis/rules';
import { stuckWatch } from '../diagnosis/stuck';
import { ownerOfNamespace } from '../entities';
import type { StoredObject } from '../objects';
import { clusterObjectNames } from '../render/renderCluster';
import { compareStrings } from '../render/util';
import { partitionOfRegion } from '../validation/aws';
import { CLUSTER_PHASES } from './order';
import {
  accessPrincipals,
  accountOfArn,
  infrastructureOf,
  isObject,
  nodePool,
  num,
  objectStatus,
  str,
} from './viewParts';
import type {
  ClusterPhase,
  ClusterSummary,
  ClusterView,
  ObjectStatusView,
} from './types';

/**
 * How toClusterView finds the objects a Cluster refers to. The watch cache answers these from its
 * indexes; tests answer them from arrays.
 *
 * @public
 */
export interface ClusterViewLookup {
  controlPlane(
    namespace: string,
    name: string,
  ): StoredObject<'AWSManagedControlPlane'> | undefined;
  machinePools(
    namespace: string,
    clusterName: string,
  ): StoredObject<'MachinePool'>[];
  infrastructurePool(
    namespace: string,
    kind: string,
    name: string,
  ): StoredObject<'AWSManagedMachinePool'> | undefined;
  roleIdentity(
    name: string,
  ): StoredObject<'AWSClusterRoleIdentity'> | undefined;
  controllerIdentity(
    name: string,
  ): StoredObject<'AWSClusterControllerIdentity'> | undefined;
  namespace(name: string): StoredObject<'Namespace'> | undefined;
  secretExists(namespace: string, name: string): boolean;
}

/**
 * Projects one CAPI Cluster and the objects it refers to into the view the portal serves. Pure and
 * total: missing or malformed objects become `problems` and unknown values, never exceptions.
 *
 * @public
 */
export function toClusterView(
  managementCluster: string,
  cluster: StoredObject<'Cluster'>,
  lookup: ClusterViewLookup,
): ClusterView {
  const namespace = cluster.metadata.namespace ?? '';
  const name = cluster.metadata.name ?? '';
  const problems: string[] = [];
  const status = isObject(cluster.status) ? cluster.status! : {};
  const deletionTimestamp = str(cluster.metadata.deletionTimestamp);

  const reported = str(status.phase);
  let phase: ClusterPhase =
    reported && CLUSTER_PHASES.includes(reported as ClusterPhase)
      ? (reported as ClusterPhase)
      : 'Unknown';
  if (deletionTimestamp) phase = 'Deleting';
  if (!isObject(cluster.status))
    problems.push(
      'The Cluster has no status yet (its controller has not reconciled it)',
    );

  const cpRef = cluster.spec?.controlPlaneRef;
  const cpName = str(cpRef?.name);
  let controlPlane: StoredObject<'AWSManagedControlPlane'> | undefined;
  if (!cpName) {
    problems.push('The Cluster has no controlPlaneRef');
  } else if (cpRef?.kind !== 'AWSManagedControlPlane') {
    problems.push(
      `The control plane is a ${String(
        cpRef?.kind,
      )}, not an AWSManagedControlPlane (EKS)`,
    );
  } else {
    controlPlane = lookup.controlPlane(namespace, cpName);
    if (!controlPlane)
      problems.push(`The AWSManagedControlPlane ${cpName} does not exist`);
  }
  const cpSpec = isObject(controlPlane?.spec) ? controlPlane!.spec! : {};
  const cpStatus = isObject(controlPlane?.status) ? controlPlane!.status! : {};

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
    str(cluster.spec?.controlPlaneEndpoint?.host)
      ? cluster.spec?.controlPlaneEndpoint
      : cpSpec.controlPlaneEndpoint;
  const host = str(endpoint?.host);
  const port = num(endpoint?.port);

  const ns = lookup.namespace(namespace);
  // The namespace decides the tenant (only the platform may label namespaces); a label on the
  // Cluster itself is the tenant's own word and would let it pose as another tenant.
  const tenant = str(ns?.metadata.labels?.[CAPA_LABELS.tenant]);
  const owner = ns ? str(ownerOfNamespace(ns)) : undefined;

  const failureReason =
    str(status.deprecated?.v1beta1?.failureReason) ?? str(status.failureReason);
  const failureMessage =
    str(status.deprecated?.v1beta1?.failureMessage) ??
    str(status.failureMessage) ??
    str(cpStatus.failureMessage);
  const secretName = clusterObjectNames.userKubeconfigSecret(name);

  const machinePools = [...lookup.machinePools(namespace, name)].sort((a, b) =>
    compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''),
  );
  const clusterFailure =
    str(status.deprecated?.v1beta1?.failureMessage) ??
    str(status.failureMessage);
  const objects: ObjectStatusView[] = [
    {
      ...objectStatus(cluster, 'Cluster'),
      ...(clusterFailure ? { failureMessage: clusterFailure } : {}),
    },
    ...(controlPlane
      ? [objectStatus(controlPlane, 'AWSManagedControlPlane')]
      : []),
    ...machinePools.flatMap(mp => {
      const { infra } = infrastructureOf(mp, lookup, namespace);
      return [
        objectStatus(mp, 'MachinePool'),
        ...(infra
          ? [objectStatus(infra, infra.kind ?? 'AWSManagedMachinePool')]
          : []),
      ];
    }),
  ];
  const diagnosis = diagnose(
    [
      ...statusSignals(objects),
      ...(controlPlane
        ? identitySignals(
            { kind: 'AWSManagedControlPlane', name: cpName! },
            identityRef,
            namespace,
            (ns?.metadata.labels ?? {}) as Record<string, string>,
            lookup,
          )
        : []),
    ],
    DIAGNOSIS_RULES,
  );
  const createdAt = str(cluster.metadata.creationTimestamp);
  const deleting = !!deletionTimestamp || phase === 'Deleting';
  const stuck = stuckWatch({
    phase,
    deleting,
    createdAt,
    deletionTimestamp,
    objects,
    diagnosis,
  });

  return {
    managementCluster,
    namespace,
    name,
    uid: str(cluster.metadata.uid),
    tenant,
    owner,
    phase,
    reportedPhase:
      reported && !CLUSTER_PHASES.includes(reported as ClusterPhase)
        ? reported
        : undefined,
    deleting,
    objects,
    diagnosis,
    ...(stuck ? { stuck } : {}),
    failure:
      failureReason || failureMessage
        ? { reason: failureReason, message: failureMessage }
        : undefined,
    aws,
    eks: {
      clusterName: str(cpSpec.eksClusterName),
      endpoint: host
        ? `https://${host}${port && port !== 443 ? `:${port}` : ''}`
        : undefined,
      ready: typeof cpStatus.ready === 'boolean' ? cpStatus.ready : undefined,
      version: { desired: str(cpSpec.version), actual: str(cpStatus.version) },
      authenticationMode:
        str(cpSpec.accessConfig?.authenticationMode) ??
        (controlPlane ? 'config_map' : undefined),
    },
    nodePools: machinePools.map(mp =>
      nodePool(mp, lookup, namespace, problems),
    ),
    access: accessPrincipals(cpSpec),
    kubeconfig: {
      secretName,
      available: lookup.secretExists(namespace, secretName),
    },
    createdAt,
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
    unhealthyConditions: view.objects.reduce(
      (n, o) => n + o.conditions.filter(c => c.status !== 'True').length,
      0,
    ),
    createdAt: view.createdAt,
    problems: view.problems.length,
    causes: view.diagnosis.map(d => d.cause),
    ...(view.stuck ? { stuck: view.stuck } : {}),
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

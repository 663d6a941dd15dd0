import {
  API_GROUPS,
  API_VERSIONS,
  CAPA_LABELS,
  MANAGED_BY,
} from '../constants';
import type {
  AccessEntry,
  AWSFargateProfile,
  AWSManagedCluster,
  AWSManagedControlPlane,
  AWSManagedMachinePool,
  Cluster,
  MachinePool,
  MapRole,
  MapUser,
  RenderResult,
} from '../objects';
import { partitionOfRegion } from '../validation/aws';
import { parseInput } from '../validation/parse';
import {
  clusterInputSchema,
  ClusterValidationOptions,
  ResolvedClusterInput,
} from '../validation/clusterSchema';
import { ResolvedNodePoolInput } from '../validation/nodePoolSchema';
import { compareStrings, nonEmptyMap, pruneUndefined, sortedMap } from './util';

/**
 * Kubernetes identities of the two access levels. Admins join system:masters through aws-auth;
 * read-only principals join a group that a ClusterRoleBinding to the built-in `view` ClusterRole
 * must name in the workload cluster (EKS access entries need no binding: they carry a policy).
 *
 * @public
 */
export const CLUSTER_ACCESS = {
  admin: {
    username: 'capa-admin:{{SessionName}}',
    group: 'system:masters',
    accessPolicy: 'AmazonEKSClusterAdminPolicy',
  },
  readOnly: {
    username: 'capa-read-only:{{SessionName}}',
    group: 'capa:read-only',
    accessPolicy: 'AmazonEKSViewPolicy',
  },
} as const;

/**
 * The named access levels of the day-2 access actions. `admin` and `view` are the two levels of
 * the `CLUSTER_ACCESS` mappings (so principals mapped at creation are recognised), `edit` joins a group
 * that a binding to the built-in `edit` ClusterRole must name when mapped through aws-auth.
 *
 * @public
 */
export const CLUSTER_ACCESS_LEVELS = {
  admin: CLUSTER_ACCESS.admin,
  edit: {
    username: 'capa-edit:{{SessionName}}',
    group: 'capa:edit',
    accessPolicy: 'AmazonEKSEditPolicy',
  },
  view: CLUSTER_ACCESS.readOnly,
} as const;

/** @public */
export type ClusterAccessLevel = keyof typeof CLUSTER_ACCESS_LEVELS;

/**
 * How one IAM principal is let into a cluster at an access level, in both mechanisms: its
 * aws-auth entry (mapRoles for a role, mapUsers for a user) and its EKS access entry.
 *
 * @public
 */
export function clusterAccessMapping(
  level: ClusterAccessLevel,
  arn: string,
  partition: string,
): {
  kind: 'role' | 'user';
  mapRole?: MapRole;
  mapUser?: MapUser;
  accessEntry: AccessEntry;
} {
  const access = CLUSTER_ACCESS_LEVELS[level];
  const user = arn.split(':')[5]?.startsWith('user/') ?? false;
  // A role's sessions share the role's ARN, so the session name tells people apart; a user is one
  // person already.
  const username = user
    ? access.username.replace('{{SessionName}}', arn.split('/').pop()!)
    : access.username;
  const accessEntry: AccessEntry = {
    principalARN: arn,
    // CAPA leaves type and username broken when they are omitted, so both are always set.
    type: 'standard',
    username,
    accessPolicies: [
      {
        policyARN: `arn:${partition}:eks::aws:cluster-access-policy/${access.accessPolicy}`,
        accessScope: { type: 'cluster' },
      },
    ],
  };
  return user
    ? {
        kind: 'user',
        mapUser: { userarn: arn, username, groups: [access.group] },
        accessEntry,
      }
    : {
        kind: 'role',
        mapRole: { rolearn: arn, username, groups: [access.group] },
        accessEntry,
      };
}

/** Object names derived from the cluster name; the backend and actions use the same rules. @public */
export const clusterObjectNames = {
  controlPlane: (cluster: string) => `${cluster}-control-plane`,
  nodePool: (cluster: string, pool: string) => `${cluster}-${pool}`,
  fargateProfile: (cluster: string, profile: string) => `${cluster}-${profile}`,
  userKubeconfigSecret: (cluster: string) => `${cluster}-user-kubeconfig`,
};

function clusterAccess(c: ResolvedClusterInput, partition: string) {
  const { access } = c;
  const levels: Array<{ arn: string; level: ClusterAccessLevel }> = [
    ...access.adminRoleArns.map(arn => ({ arn, level: 'admin' as const })),
    ...access.readOnlyRoleArns.map(arn => ({ arn, level: 'view' as const })),
    ...access.adminUserArns.map(arn => ({ arn, level: 'admin' as const })),
    ...access.readOnlyUserArns.map(arn => ({ arn, level: 'view' as const })),
  ];
  const principals = levels.map(p =>
    clusterAccessMapping(p.level, p.arn, partition),
  );
  return {
    mapRoles: principals.flatMap(p => (p.mapRole ? [p.mapRole] : [])),
    mapUsers: principals.flatMap(p => (p.mapUser ? [p.mapUser] : [])),
    accessEntries: principals.map(p => p.accessEntry),
  };
}

/**
 * Renders one node pool of a cluster: its MachinePool and AWSManagedMachinePool, named
 * `<cluster>-<pool>`. renderCluster renders every pool with it; the node pool action adds pools to
 * existing clusters with it, so both look the same. The pool is not validated here: parse it with
 * nodePoolInputSchema and check nodePoolProblems first.
 *
 * @public
 */
export function renderNodePool(args: {
  /** The Cluster's name. */
  cluster: string;
  namespace: string;
  /** Kubernetes minor version, e.g. "1.33". */
  kubernetesVersion: string;
  /** Labels of both objects (the cluster's labels). */
  labels: Record<string, string>;
  /** AWS tags of the node group (the cluster's tags). */
  additionalTags: Record<string, string>;
  pool: ResolvedNodePoolInput;
}): [MachinePool, AWSManagedMachinePool] {
  const { pool: p } = args;
  const name = clusterObjectNames.nodePool(args.cluster, p.name);
  const metadata = {
    name,
    namespace: args.namespace,
    labels: sortedMap(args.labels),
  };
  const machinePool: MachinePool = {
    apiVersion: API_VERSIONS.cluster,
    kind: 'MachinePool',
    metadata,
    spec: {
      clusterName: args.cluster,
      replicas: p.desiredSize ?? p.minSize,
      template: {
        spec: {
          clusterName: args.cluster,
          version: `v${args.kubernetesVersion.replace(/^v/, '')}.0`,
          // EKS managed node groups bootstrap themselves: no bootstrap config, empty secret name.
          bootstrap: { dataSecretName: '' },
          infrastructureRef: {
            apiGroup: API_GROUPS.infrastructure,
            kind: 'AWSManagedMachinePool',
            name,
          },
        },
      },
    },
  };
  const effects = {
    NoSchedule: 'no-schedule',
    PreferNoSchedule: 'prefer-no-schedule',
    NoExecute: 'no-execute',
  } as const;
  const managedPool: AWSManagedMachinePool = pruneUndefined({
    apiVersion: API_VERSIONS.infrastructure,
    kind: 'AWSManagedMachinePool',
    metadata,
    spec: {
      eksNodegroupName: name,
      instanceType: p.instanceType,
      amiType: p.amiType,
      capacityType: p.capacityType,
      scaling: { minSize: p.minSize, maxSize: p.maxSize },
      diskSize: p.diskSizeGiB,
      labels: nonEmptyMap(p.labels),
      taints: p.taints?.length
        ? p.taints.map(t => ({
            key: t.key,
            value: t.value,
            effect: effects[t.effect],
          }))
        : undefined,
      additionalTags: sortedMap(args.additionalTags),
    },
  });
  return [machinePool, managedPool];
}

/**
 * Renders a tenant's EKS cluster: Cluster, AWSManagedControlPlane, AWSManagedCluster, a
 * MachinePool + AWSManagedMachinePool per node pool and optional AWSFargateProfiles, in apply order.
 * Defaults follow CAPA's eks-managedmachinepool-vpccni template. Throws CapaValidationError before
 * rendering anything.
 *
 * @public
 */
export function renderCluster(
  input: unknown,
  options: ClusterValidationOptions = {},
): RenderResult {
  const c = parseInput(clusterInputSchema(options), input, 'cluster input');
  const warnings: string[] = [];
  const namespace = c.namespace ?? c.tenant;
  const partition = partitionOfRegion(c.region)!;
  const labels = sortedMap({
    [CAPA_LABELS.clusterName]: c.name,
    [CAPA_LABELS.tenant]: c.tenant,
    [CAPA_LABELS.managedBy]: MANAGED_BY,
  });
  const meta = (name: string) => ({ name, namespace, labels });
  const tags = sortedMap({
    ...c.additionalTags,
    [CAPA_LABELS.tenant]: c.tenant,
  });
  const controlPlaneName = clusterObjectNames.controlPlane(c.name);

  const cluster: Cluster = pruneUndefined({
    apiVersion: API_VERSIONS.cluster,
    kind: 'Cluster',
    metadata: meta(c.name),
    spec: {
      clusterNetwork: {
        pods: { cidrBlocks: [c.network.podCidr] },
        services: c.network.serviceCidr
          ? { cidrBlocks: [c.network.serviceCidr] }
          : undefined,
      },
      controlPlaneRef: {
        apiGroup: API_GROUPS.controlPlane,
        kind: 'AWSManagedControlPlane',
        name: controlPlaneName,
      },
      infrastructureRef: {
        apiGroup: API_GROUPS.infrastructure,
        kind: 'AWSManagedCluster',
        name: c.name,
      },
    },
  });

  const { mapRoles, mapUsers, accessEntries } = clusterAccess(c, partition);
  const apiMode = c.access.mode !== 'config_map';
  const controlPlane: AWSManagedControlPlane = pruneUndefined({
    apiVersion: API_VERSIONS.controlPlane,
    kind: 'AWSManagedControlPlane',
    metadata: meta(controlPlaneName),
    spec: {
      identityRef: {
        kind: 'AWSClusterRoleIdentity',
        name: c.identityName ?? c.tenant,
      },
      region: c.region,
      partition: partition === 'aws' ? undefined : partition,
      eksClusterName: c.eksClusterName ?? `${namespace}-${c.name}`,
      version: `v${c.kubernetesVersion}`,
      addons: [
        {
          name: 'vpc-cni',
          version: c.vpcCniVersion,
          conflictResolution: 'overwrite' as const,
        },
        ...[...c.addons].sort((a, b) => compareStrings(a.name, b.name)),
      ],
      endpointAccess: {
        public: c.endpointAccess.public,
        private: c.endpointAccess.private,
        publicCIDRs: c.endpointAccess.publicCIDRs,
      },
      logging: c.logging
        ? {
            apiServer: c.logging.apiServer ?? false,
            audit: c.logging.audit ?? false,
            authenticator: c.logging.authenticator ?? false,
            controllerManager: c.logging.controllerManager ?? false,
            scheduler: c.logging.scheduler ?? false,
          }
        : undefined,
      iamAuthenticatorConfig: {
        mapRoles: mapRoles.length ? mapRoles : undefined,
        mapUsers: mapUsers.length ? mapUsers : undefined,
      },
      accessConfig: apiMode ? { authenticationMode: c.access.mode } : undefined,
      accessEntries:
        apiMode && accessEntries.length ? accessEntries : undefined,
      additionalTags: tags,
      network: c.network.vpcCidr
        ? { vpc: { cidrBlock: c.network.vpcCidr } }
        : undefined,
    },
  });

  const managedCluster: AWSManagedCluster = {
    apiVersion: API_VERSIONS.infrastructure,
    kind: 'AWSManagedCluster',
    metadata: meta(c.name),
    spec: {},
  };

  const pools = c.nodePools.flatMap(pool =>
    renderNodePool({
      cluster: c.name,
      namespace,
      kubernetesVersion: c.kubernetesVersion,
      labels,
      additionalTags: tags,
      pool,
    }),
  );

  const fargate: AWSFargateProfile[] = c.fargateProfiles.map(f => ({
    apiVersion: API_VERSIONS.infrastructure,
    kind: 'AWSFargateProfile',
    metadata: meta(clusterObjectNames.fargateProfile(c.name, f.name)),
    spec: pruneUndefined({
      clusterName: c.name,
      profileName: clusterObjectNames.fargateProfile(c.name, f.name),
      selectors: f.selectors.map(s => ({
        namespace: s.namespace,
        labels: nonEmptyMap(s.labels),
      })),
      additionalTags: tags,
    }),
  }));
  if (fargate.length > 0) {
    warnings.push(
      "Fargate profiles need the EKSFargate feature gate of the CAPA controller (off by default) and fargate enabled in the tenant account's AWSIAMConfiguration.",
    );
  }
  const readOnly =
    c.access.readOnlyRoleArns.length + c.access.readOnlyUserArns.length;
  if (readOnly > 0 && c.access.mode === 'config_map') {
    warnings.push(
      `Read-only principals mapped through aws-auth join the group "${CLUSTER_ACCESS.readOnly.group}": bind it to the "view" ClusterRole in the workload cluster, or they can do nothing.`,
    );
  }

  return {
    objects: [cluster, controlPlane, managedCluster, ...pools, ...fargate],
    warnings,
  };
}

/** The phases of a CAPI Cluster (v1beta2 never sets Failed any more, but older objects may). @public */
export type ClusterPhase =
  | 'Pending'
  | 'Provisioning'
  | 'Provisioned'
  | 'Deleting'
  | 'Failed'
  | 'Unknown';

/** A status condition as the API serves it. @public */
export interface ConditionView {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** How the cluster's AWS identity was resolved through the control plane's identityRef. @public */
export type IdentityResolution =
  /** An AWSClusterRoleIdentity: the account is the role ARN's. */
  | 'role'
  /** The AWSClusterControllerIdentity (or no identityRef): the manager account itself. */
  | 'manager'
  /** An AWSClusterStaticIdentity: static keys, account not known from the objects. */
  | 'static'
  /** identityRef names an identity that does not exist. */
  | 'dangling'
  /** The control plane is missing, so nothing can be resolved. */
  | 'unknown';

/** @public */
export interface NodePoolView {
  /** The MachinePool's name. */
  name: string;
  desiredReplicas?: number;
  readyReplicas: number;
  availableReplicas?: number;
  phase?: string;
  version?: string;
  /** Kind of the infrastructure pool (AWSManagedMachinePool for EKS managed node groups). */
  infrastructureKind?: string;
  instanceType?: string;
  capacityType?: string;
  amiType?: string;
  minSize?: number;
  maxSize?: number;
  failureMessage?: string;
}

/** An IAM role or user that can reach the cluster, and how. @public */
export interface AccessPrincipalView {
  arn: string;
  kind: 'role' | 'user';
  /** aws-auth ConfigMap (iamAuthenticatorConfig) or an EKS access entry. */
  via: 'aws-auth' | 'access-entry';
  username?: string;
  groups?: string[];
  accessPolicies?: string[];
}

/**
 * Everything the portal shows about one workload cluster, joined from Cluster, control plane,
 * node pools, identity and Secret names by one pure projection (toClusterView).
 *
 * @public
 */
export interface ClusterView {
  managementCluster: string;
  namespace: string;
  name: string;
  uid?: string;
  tenant?: string;
  /** Entity ref of the group that owns the tenant, from the tenant namespace. */
  owner?: string;
  phase: ClusterPhase;
  /** The phase as reported when it is not one of the known phases. */
  reportedPhase?: string;
  deleting: boolean;
  conditions: ConditionView[];
  failure?: { reason?: string; message?: string };
  aws: {
    accountId?: string;
    roleArn?: string;
    identity?: { kind: string; name: string };
    identityResolution: IdentityResolution;
    region?: string;
    partition?: string;
  };
  eks: {
    clusterName?: string;
    endpoint?: string;
    ready?: boolean;
    version: { desired?: string; actual?: string };
    authenticationMode?: string;
  };
  nodePools: NodePoolView[];
  access: AccessPrincipalView[];
  kubeconfig: { secretName: string; available: boolean };
  createdAt?: string;
  deletionTimestamp?: string;
  /** Malformed or missing objects, in words (never a crash). */
  problems: string[];
}

/** One row of the fleet: what the list endpoint returns per cluster. @public */
export interface ClusterSummary {
  managementCluster: string;
  namespace: string;
  name: string;
  tenant?: string;
  owner?: string;
  phase: ClusterPhase;
  deleting: boolean;
  accountId?: string;
  region?: string;
  kubernetesVersion?: string;
  nodePools: { count: number; desiredReplicas: number; readyReplicas: number };
  /** Conditions that are not True. */
  unhealthyConditions: number;
  createdAt?: string;
  problems: number;
}

/** A page of the fleet. @public */
export interface ClusterList {
  items: ClusterSummary[];
  totalItems: number;
  /** Counts per phase over all items matching the filters (not only this page). */
  phaseCounts: Partial<Record<ClusterPhase, number>>;
  nextCursor?: string;
}

/** The answer of the kubeconfig endpoint. @public */
export interface KubeconfigResponse {
  /** The `<cluster>-user-kubeconfig` Secret's kubeconfig: exec-based, no secret material. */
  kubeconfig: string;
  secretName: string;
  /** `aws eks update-kubeconfig` equivalents: without a role, and per mapped role. */
  updateKubeconfigCommand: string;
  roleCommands: Array<{ roleArn: string; command: string }>;
}

/** One tenant of a management cluster: a namespace labelled `capa.backstage.io/tenant`. @public */
export interface TenantSummary {
  managementCluster: string;
  tenant: string;
  namespace: string;
  /** Entity ref of the group that owns the tenant, from its namespace. */
  owner?: string;
  /** The AWS account the tenant's namespace is annotated with. */
  accountId?: string;
}

/** The tenants list. @public */
export interface TenantList {
  items: TenantSummary[];
}

/** What templates may choose from: the configured management clusters and Kubernetes versions. @public */
export interface CapaSettings {
  managementClusters: string[];
  kubernetesVersions: string[];
}

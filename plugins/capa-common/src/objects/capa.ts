import type { Condition, KubernetesObject } from './meta';

/** The `allowedNamespaces` of a CAPA identity. @public */
export interface AllowedNamespaces {
  list?: string[];
  selector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{
      key: string;
      operator: 'Exists';
      values?: never;
    }>;
  };
}

/** @public */
export interface IdentityReference {
  kind:
    | 'AWSClusterControllerIdentity'
    | 'AWSClusterRoleIdentity'
    | 'AWSClusterStaticIdentity';
  name: string;
}

/** @public */
export interface AWSClusterControllerIdentity
  extends KubernetesObject<{ allowedNamespaces?: AllowedNamespaces }, never> {
  kind: 'AWSClusterControllerIdentity';
  spec: { allowedNamespaces?: AllowedNamespaces };
}

/** @public */
export interface AWSClusterRoleIdentitySpec {
  allowedNamespaces?: AllowedNamespaces;
  roleARN: string;
  sourceIdentityRef: IdentityReference;
  externalID?: string;
  sessionName?: string;
  durationSeconds?: number;
}

/** @public */
export interface AWSClusterRoleIdentity
  extends KubernetesObject<AWSClusterRoleIdentitySpec, never> {
  kind: 'AWSClusterRoleIdentity';
  spec: AWSClusterRoleIdentitySpec;
}

/** An aws-auth ConfigMap entry for a role. @public */
export interface MapRole {
  rolearn: string;
  username: string;
  groups: string[];
}

/** An aws-auth ConfigMap entry for a user. @public */
export interface MapUser {
  userarn: string;
  username: string;
  groups: string[];
}

/** @public */
export interface AccessEntry {
  principalARN: string;
  type: 'standard';
  username: string;
  kubernetesGroups?: string[];
  accessPolicies: Array<{
    policyARN: string;
    accessScope: { type: 'cluster' | 'namespace'; namespaces?: string[] };
  }>;
}

/** @public */
export interface Addon {
  name: string;
  version: string;
  conflictResolution: 'overwrite' | 'none' | 'preserve';
  configuration?: string;
  serviceAccountRoleARN?: string;
}

/** @public */
export interface AWSManagedControlPlaneSpec {
  identityRef: IdentityReference;
  region: string;
  partition?: string;
  eksClusterName: string;
  version: string;
  addons: Addon[];
  endpointAccess: {
    public: boolean;
    private: boolean;
    publicCIDRs?: string[];
  };
  logging?: Record<
    'apiServer' | 'audit' | 'authenticator' | 'controllerManager' | 'scheduler',
    boolean
  >;
  iamAuthenticatorConfig: { mapRoles?: MapRole[]; mapUsers?: MapUser[] };
  accessConfig?: {
    authenticationMode: 'config_map' | 'api' | 'api_and_config_map';
  };
  accessEntries?: AccessEntry[];
  additionalTags: Record<string, string>;
  network?: { vpc: { cidrBlock: string } };
  /** Set by CAPA once EKS reports the API server. */
  controlPlaneEndpoint?: { host: string; port: number };
}

/** @public */
export interface AWSManagedControlPlaneStatus {
  ready?: boolean;
  initialized?: boolean;
  /** The Kubernetes version EKS runs, e.g. `v1.33.5`. */
  version?: string;
  failureMessage?: string;
  conditions?: Condition[];
  addons?: Array<{ name: string; version?: string; status?: string }>;
}

/** @public */
export interface AWSManagedControlPlane
  extends KubernetesObject<
    AWSManagedControlPlaneSpec,
    AWSManagedControlPlaneStatus
  > {
  kind: 'AWSManagedControlPlane';
  spec: AWSManagedControlPlaneSpec;
}

/** @public */
export interface AWSManagedCluster
  extends KubernetesObject<{}, { ready?: boolean; conditions?: Condition[] }> {
  kind: 'AWSManagedCluster';
  spec: {};
}

/** @public */
export interface AWSManagedMachinePoolSpec {
  eksNodegroupName: string;
  instanceType: string;
  amiType: string;
  /** A pinned AMI release; EKS's latest for the version when absent. */
  amiVersion?: string;
  capacityType: 'onDemand' | 'spot';
  scaling: { minSize: number; maxSize: number };
  diskSize?: number;
  labels?: Record<string, string>;
  taints?: Array<{
    key: string;
    value: string;
    effect: 'no-schedule' | 'no-execute' | 'prefer-no-schedule';
  }>;
  additionalTags: Record<string, string>;
  /** When a launch template is used, the instance type lives here. */
  awsLaunchTemplate?: { instanceType?: string };
}

/** @public */
export interface AWSManagedMachinePoolStatus {
  ready?: boolean;
  replicas?: number;
  failureReason?: string;
  failureMessage?: string;
  conditions?: Condition[];
}

/** @public */
export interface AWSManagedMachinePool
  extends KubernetesObject<
    AWSManagedMachinePoolSpec,
    AWSManagedMachinePoolStatus
  > {
  kind: 'AWSManagedMachinePool';
  spec: AWSManagedMachinePoolSpec;
}

/** @public */
export interface AWSFargateProfileSpec {
  clusterName: string;
  profileName: string;
  selectors: Array<{ namespace: string; labels?: Record<string, string> }>;
  additionalTags: Record<string, string>;
}

/** @public */
export interface AWSFargateProfile
  extends KubernetesObject<
    AWSFargateProfileSpec,
    { ready?: boolean; failureMessage?: string; conditions?: Condition[] }
  > {
  kind: 'AWSFargateProfile';
  spec: AWSFargateProfileSpec;
}

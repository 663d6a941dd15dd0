/** Shapes of the Kubernetes, CAPI and CAPA objects the renderers produce (only the fields used). */

/** @public */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Any object the renderers emit. @public */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: object;
}

/** v1beta2 reference: `{apiGroup, kind, name}`, no apiVersion and no namespace. @public */
export interface ContractReference {
  apiGroup: string;
  kind: string;
  name: string;
}

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
export interface Namespace extends KubernetesObject {
  apiVersion: 'v1';
  kind: 'Namespace';
}

/** @public */
export interface AWSClusterControllerIdentity extends KubernetesObject {
  kind: 'AWSClusterControllerIdentity';
  spec: { allowedNamespaces?: AllowedNamespaces };
}

/** @public */
export interface AWSClusterRoleIdentity extends KubernetesObject {
  kind: 'AWSClusterRoleIdentity';
  spec: {
    allowedNamespaces?: AllowedNamespaces;
    roleARN: string;
    sourceIdentityRef: IdentityReference;
    externalID?: string;
    sessionName?: string;
    durationSeconds?: number;
  };
}

/** @public */
export interface Cluster extends KubernetesObject {
  kind: 'Cluster';
  spec: {
    clusterNetwork: {
      pods: { cidrBlocks: string[] };
      services?: { cidrBlocks: string[] };
    };
    controlPlaneRef: ContractReference;
    infrastructureRef: ContractReference;
  };
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
export interface AWSManagedControlPlane extends KubernetesObject {
  kind: 'AWSManagedControlPlane';
  spec: {
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
      | 'apiServer'
      | 'audit'
      | 'authenticator'
      | 'controllerManager'
      | 'scheduler',
      boolean
    >;
    iamAuthenticatorConfig: { mapRoles?: MapRole[]; mapUsers?: MapUser[] };
    accessConfig?: {
      authenticationMode: 'config_map' | 'api' | 'api_and_config_map';
    };
    accessEntries?: AccessEntry[];
    additionalTags: Record<string, string>;
    network?: { vpc: { cidrBlock: string } };
  };
}

/** @public */
export interface AWSManagedCluster extends KubernetesObject {
  kind: 'AWSManagedCluster';
  spec: {};
}

/** @public */
export interface MachinePool extends KubernetesObject {
  kind: 'MachinePool';
  spec: {
    clusterName: string;
    replicas: number;
    template: {
      spec: {
        clusterName: string;
        version: string;
        bootstrap: { dataSecretName: string };
        infrastructureRef: ContractReference;
      };
    };
  };
}

/** @public */
export interface AWSManagedMachinePool extends KubernetesObject {
  kind: 'AWSManagedMachinePool';
  spec: {
    eksNodegroupName: string;
    instanceType: string;
    amiType: string;
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
  };
}

/** @public */
export interface AWSFargateProfile extends KubernetesObject {
  kind: 'AWSFargateProfile';
  spec: {
    clusterName: string;
    profileName: string;
    selectors: Array<{ namespace: string; labels?: Record<string, string> }>;
    additionalTags: Record<string, string>;
  };
}

/** One statement of an IAM policy, in clusterawsadm's (and IAM's) capitalised field names. @public */
export interface IamStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Record<string, string[]>;
  Action: string[];
  Resource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

/** A plain IAM policy document. @public */
export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/** clusterawsadm's configuration (`clusterawsadm bootstrap iam create-cloudformation-stack --config`). @public */
export interface AWSIAMConfiguration {
  apiVersion: 'bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta1';
  kind: 'AWSIAMConfiguration';
  spec: {
    partition?: string;
    nameSuffix?: string;
    clusterAPIControllers: {
      disable: false;
      extraStatements?: IamStatement[];
      trustStatements?: IamStatement[];
    };
    eks?: {
      disable: boolean;
      managedMachinePool: { disable: boolean };
      fargate: { disable: boolean };
    };
  };
}

/**
 * What every renderer returns: objects in apply order, plus warnings a person must read (for
 * example an identity that every namespace may use).
 *
 * @public
 */
export interface RenderResult<T = KubernetesObject> {
  objects: T[];
  warnings: string[];
}

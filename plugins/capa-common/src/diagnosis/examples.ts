/*
 * One example per cause of the diagnosis table, built from the condition, event and failure
 * payloads CAPA, Cluster API, EKS, EC2 and STS really write. Each names where its text comes from
 * (file in kubernetes-sigs/cluster-api-provider-aws = CAPA or kubernetes-sigs/cluster-api = CAPI,
 * or the AWS error as reported in a public issue). The table's tests check each one; the local
 * portal's demo puts one broken cluster per example on its management cluster, and the card's
 * tests render each.
 */
import type { DiagnosisSignal } from './engine';

const CP = 'AWSManagedControlPlane';
const POOL = 'AWSManagedMachinePool';

/** @internal */
export const condition = (
  kind: string,
  type: string,
  reason: string,
  message: string,
  severity: 'Error' | 'Warning' = 'Error',
): DiagnosisSignal => ({
  source: 'condition',
  kind,
  name: kind === POOL ? 'prod-general' : 'prod-control-plane',
  type,
  status: 'False',
  reason,
  message,
  severity,
});
/** @internal */
export const event = (
  kind: string,
  reason: string,
  message: string,
): DiagnosisSignal => ({
  source: 'event',
  kind,
  name: 'prod-control-plane',
  type: reason,
  message,
});
/** @internal */
export const failure = (kind: string, message: string): DiagnosisSignal => ({
  source: 'failure',
  kind,
  name: 'prod-general',
  type: 'failureMessage',
  message,
});

/**
 * A signal that shows one cause, and where its text was taken from.
 *
 * @public
 */
export interface DiagnosisExample {
  cause: string;
  from: string;
  signal: DiagnosisSignal;
  /** Text the summary must contain (placeholders filled). */
  says?: string;
}

const sdkV2Error = (op: string, code: string, text: string) =>
  `operation error ${op}, https response error StatusCode: 400, RequestID: 1b959a68-9ab8-4e0b-8419-db26e3d38077, ${code}: ${text}`;

/**
 * One example signal per row of the diagnosis table.
 *
 * @public
 */
export const DIAGNOSIS_EXAMPLES: DiagnosisExample[] = [
  {
    cause: 'identity-missing',
    from: 'CAPA pkg/cloud/scope/session.go; PR #2253 (PrincipalCredentialRetrievalFailed)',
    signal: {
      source: 'condition',
      kind: CP,
      name: 'prod-control-plane',
      type: 'PrincipalCredentialRetrieved',
      status: 'False',
      reason: 'PrincipalCredentialRetrievalFailed',
      message:
        'awsclusterroleidentities.infrastructure.cluster.x-k8s.io "acme" not found',
      severity: 'Error',
    },
  },
  {
    cause: 'identity-namespace-not-allowed',
    from: 'CAPA pkg/cloud/scope/session.go notPermittedError',
    signal: {
      source: 'condition',
      kind: CP,
      name: 'prod-control-plane',
      type: 'PrincipalUsageAllowed',
      status: 'False',
      reason: 'SourcePrincipalUsageUnauthorized',
      message:
        'Namespace is not permitted to use AWSClusterControllerIdentity: default',
      severity: 'Error',
    },
    says: 'AWSClusterControllerIdentity default does not admit',
  },
  {
    cause: 'session-duration-over-limit',
    from: 'STS ValidationError (aws/eks-anywhere#9485)',
    signal: event(
      CP,
      'FailedCreateEKSControlPlane',
      'failed to refresh cached credentials, operation error STS: AssumeRole, https response error StatusCode: 400, RequestID: x, api error ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    ),
  },
  {
    cause: 'assume-role-denied',
    from: 'aws-sdk-go-v2 credential cache + STS AccessDenied (aws-cloudformation/rain#205)',
    signal: failure(
      CP,
      'Failed to retrieve identity credentials: failed to refresh cached credentials, operation error STS: AssumeRole, https response error StatusCode: 403, RequestID: 4e1c2a5d,  api error AccessDenied: User: arn:aws:sts::111111111111:assumed-role/controllers.cluster-api-provider-aws.sigs.k8s.io/1695 is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/controllers.cluster-api-provider-aws.sigs.k8s.io',
    ),
  },
  {
    cause: 'tenant-role-permission-missing',
    from: 'CAPA pkg/cloud/services/eks/eks.go (EKSControlPlaneReady); EKS AccessDeniedException (kodekloud#179)',
    signal: condition(
      CP,
      'EKSControlPlaneReady',
      'EKSControlPlaneReconciliationFailed',
      `failed to create cluster: failed to create EKS cluster: ${sdkV2Error(
        'EKS: CreateCluster',
        'AccessDeniedException',
        'User: arn:aws:sts::222222222222:assumed-role/controllers.cluster-api-provider-aws.sigs.k8s.io/capa is not authorized to perform: iam:PassRole on resource: arn:aws:iam::222222222222:role/eks-controlplane.cluster-api-provider-aws.sigs.k8s.io',
      )}`,
    ),
    says: 'may not perform iam:PassRole',
  },
  {
    cause: 'kubernetes-version-unsupported',
    from: 'CAPA pkg/cloud/services/eks/cluster.go (FailedCreateEKSControlPlane); terraform-aws-eks#3164',
    signal: event(
      CP,
      'FailedCreateEKSControlPlane',
      `Failed to initiate creation of a new EKS control plane: ${sdkV2Error(
        'EKS: CreateCluster',
        'InvalidParameterException',
        'unsupported Kubernetes version 1.24',
      )}`,
    ),
  },
  {
    cause: 'kubernetes-upgrade-step',
    from: 'CAPA cluster.go reconcileClusterVersion ("failed reconciling cluster version"); terraform-aws-eks#2607',
    signal: condition(
      CP,
      'EKSControlPlaneReady',
      'EKSControlPlaneReconciliationFailed',
      'failed reconciling cluster version: failed to update EKS cluster: InvalidParameterException: Unsupported Kubernetes minor version update from 1.22 to 1.25',
    ),
  },
  {
    cause: 'addon-version-unsupported',
    from: 'CAPA pkg/eks/addons/procedures.go (addon_update); aws/aws-sdk-go-v2#2554',
    signal: condition(
      CP,
      'EKSAddonsConfigured',
      'EKSAddonsConfiguredFailed',
      `addon_update: updating eks addon kube-proxy: ${sdkV2Error(
        'EKS: UpdateAddon',
        'InvalidParameterException',
        'Addon version specified is not supported',
      )}`,
    ),
  },
  {
    cause: 'addon-not-active',
    from: 'CAPA pkg/eks/addons/procedures.go (addon_wait_active)',
    signal: condition(
      CP,
      'EKSAddonsConfigured',
      'EKSAddonsConfiguredFailed',
      'addon_wait_active: failed waiting for addon coredns to be ready: exceeded max wait time for AddonActive waiter',
    ),
  },
  {
    cause: 'eks-api-unreachable-from-manager',
    from: 'CAPA iamauth reconcile ("getting client for remote cluster"); CAPA issue #2179',
    signal: condition(
      CP,
      'IAMAuthenticatorConfigured',
      'IAMAuthenticatorConfigurationFailed',
      'getting client for remote cluster: Get "https://EF1A2963DEFAB7D55742686FCD350535.gr7.us-west-2.eks.amazonaws.com/api?timeout=32s": dial tcp 10.0.12.34:443: i/o timeout',
    ),
  },
  {
    cause: 'aws-auth-mapping-failed',
    from: 'CAPA pkg/cloud/services/iamauth/reconcile.go ("mapping iam role: %w")',
    signal: condition(
      CP,
      'IAMAuthenticatorConfigured',
      'IAMAuthenticatorConfigurationFailed',
      'mapping iam role: adding role to aws-auth: Unauthorized',
    ),
  },
  {
    cause: 'access-entry-in-use',
    from: 'CAPA pkg/cloud/services/eks/accessentry.go ("failed to create access entry for principal %s")',
    signal: condition(
      CP,
      'EKSControlPlaneReady',
      'EKSControlPlaneReconciliationFailed',
      `failed reconciling access entries: failed to create access entry for principal arn:aws:iam::222222222222:role/platform-admin: ${sdkV2Error(
        'EKS: CreateAccessEntry',
        'ResourceInUseException',
        'The specified access entry resource is already in use on this cluster.',
      )}`,
    ),
  },
  {
    cause: 'access-entry-principal-invalid',
    from: 'EKS CreateAccessEntry InvalidParameterException',
    signal: condition(
      CP,
      'EKSControlPlaneReady',
      'EKSControlPlaneReconciliationFailed',
      'failed to create access entry for principal arn:aws:sts::222222222222:assumed-role/dev/alice: InvalidParameterException: The principalArn parameter format is not valid',
    ),
  },
  {
    cause: 'authentication-mode',
    from: 'EKS InvalidRequestException (terraform-aws-eks-blueprints#1877)',
    signal: condition(
      CP,
      'EKSControlPlaneReady',
      'EKSControlPlaneReconciliationFailed',
      "failed to create access entry for principal arn:aws:iam::222222222222:role/dev: InvalidRequestException: The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
    ),
  },
  {
    cause: 'quota-eks-clusters',
    from: 'CAPA cluster.go; pulumi/pulumi-eks#1311',
    signal: condition(
      CP,
      'EKSControlPlaneReady',
      'EKSControlPlaneReconciliationFailed',
      `failed to create cluster: failed to create EKS cluster: ${sdkV2Error(
        'EKS: CreateCluster',
        'ResourceLimitExceededException',
        'Cluster limit exceeded for account.',
      )}`,
    ),
  },
  {
    cause: 'quota-node-groups',
    from: 'CAPA pkg/cloud/services/eks/nodegroup.go ("failed to create nodegroup")',
    signal: condition(
      POOL,
      'EKSNodegroupReady',
      'EKSNodegroupReconciliationFailed',
      `failed to create nodegroup: failed to create nodegroup: ${sdkV2Error(
        'EKS: CreateNodegroup',
        'ResourceLimitExceededException',
        'Nodegroups limit exceeded for cluster',
      )}`,
    ),
  },
  {
    cause: 'quota-vpcs',
    from: 'CAPA pkg/cloud/services/network/vpc.go (FailedCreateVPC), network.go; eksctl#3706',
    signal: condition(
      CP,
      'VpcReady',
      'VpcReconciliationFailed',
      'failed to create new managed VPC: failed to create vpc: VpcLimitExceeded: The maximum number of VPCs has been reached.\n\tstatus code: 400, request id: 6826fecd-0d28-4efe-b28f-041d8359e922',
    ),
  },
  {
    cause: 'quota-elastic-ips',
    from: 'CAPA pkg/cloud/services/network/eips.go (FailedAllocateEIP); eksctl#1646',
    signal: event(
      CP,
      'FailedAllocateEIP',
      'Failed to allocate Elastic IP for "apiserver": AddressLimitExceeded: The maximum number of addresses has been reached.',
    ),
  },
  {
    cause: 'quota-internet-gateways',
    from: 'CAPA api/v1beta2/conditions_consts.go (InternetGatewayFailed); eksctl#3706',
    signal: condition(
      CP,
      'InternetGatewayReady',
      'InternetGatewayFailed',
      'failed to create internet gateway: InternetGatewayLimitExceeded: The maximum number of internet gateways has been reached.',
    ),
  },
  {
    cause: 'quota-instances',
    from: 'EKS node group health AsgInstanceLaunchFailures (terraform-aws-eks#2149)',
    signal: failure(
      POOL,
      "AsgInstanceLaunchFailures: You've reached your quota for maximum Fleet Requests for this account. Launching EC2 instance failed.",
    ),
  },
  {
    cause: 'instance-type-not-offered',
    from: 'EC2 launch failure (dspace reference architecture #100)',
    signal: failure(
      POOL,
      'Could not launch On-Demand Instances. Unsupported - Your requested instance type (p3.2xlarge) is not supported in your requested Availability Zone (eu-central-1c). Please retry your request by not specifying an Availability Zone or choosing eu-central-1a, eu-central-1b. Launching EC2 instance failed.',
    ),
    says: 'p3.2xlarge is not offered in availability zone eu-central-1c',
  },
  {
    cause: 'insufficient-capacity',
    from: 'EC2 spot launch failure (cortexlabs/cortex#1258)',
    signal: failure(
      POOL,
      'Could not launch Spot Instances. InsufficientInstanceCapacity - There is no Spot capacity available that matches your request. Launching EC2 instance failed.',
    ),
  },
  {
    cause: 'subnets-in-two-zones',
    from: 'CAPA pkg/cloud/services/eks/cluster.go makeVpcConfig',
    signal: condition(
      CP,
      'EKSControlPlaneReady',
      'EKSControlPlaneReconciliationFailed',
      "failed to create cluster: couldn't create vpc config for cluster: subnets in at least 2 different az's are required",
    ),
  },
  {
    cause: 'zone-without-eks-capacity',
    from: 'EKS UnsupportedAvailabilityZoneException (aws-samples/aws-workshop-for-kubernetes#529)',
    signal: condition(
      CP,
      'EKSControlPlaneReady',
      'EKSControlPlaneReconciliationFailed',
      `failed to create cluster: failed to create EKS cluster: ${sdkV2Error(
        'EKS: CreateCluster',
        'UnsupportedAvailabilityZoneException',
        "Cannot create cluster 'acme_prod-control-plane' because us-east-1e, the targeted availability zone, does not currently have sufficient capacity to support the cluster. Retry and choose from these availability zones: us-east-1a, us-east-1b, us-east-1c",
      )}`,
    ),
    says: 'availability zone us-east-1e',
  },
  {
    cause: 'cidr-conflict',
    from: 'CAPA pkg/cloud/services/network/subnets.go (SubnetsReconciliationFailed); hashicorp/terraform#33470',
    signal: condition(
      CP,
      'SubnetsReady',
      'SubnetsReconciliationFailed',
      "failed to create subnet: InvalidSubnet.Conflict: The CIDR '10.0.32.0/20' conflicts with another subnet\n\tstatus code: 400, request id: d24db4d9",
    ),
    says: '(10.0.32.0/20)',
  },
  {
    cause: 'free-ips-exhausted',
    from: 'EKS InvalidRequestException (elastic-ipfs/infrastructure#221)',
    signal: event(
      CP,
      'FailedUpdateEKSControlPlane',
      'failed to update the EKS control plane: InvalidRequestException: Provided subnets subnet-040a1f0013274c2b0 Free IPs: 0 subnet-0af91474429282c3d Free IPs: 0 , need at least 5 IPs in each subnet to be free for this operation',
    ),
  },
  {
    cause: 'vpc-not-manageable',
    from: 'CAPA pkg/cloud/services/network/vpc.go',
    signal: condition(
      CP,
      'VpcReady',
      'VpcReconciliationFailed',
      'found VPC "vpc-0abc" which cannot be managed by CAPA due to lack of tags (either tag the VPC manually with `sigs.k8s.io/cluster-api-provider-aws/role=common`, or provide the `vpc.id` field instead if you wish to bring your own VPC)',
    ),
  },
  {
    cause: 'node-ami-architecture',
    from: 'EKS CreateNodegroup (eksctl#7754); CAPA nodegroup.go',
    signal: condition(
      POOL,
      'EKSNodegroupReady',
      'EKSNodegroupReconciliationFailed',
      'failed to create nodegroup: failed to create nodegroup: InvalidParameterException: [t4g.medium] is not a valid instance type for requested amiType AL2_x86_64',
    ),
    says: 'type t4g.medium does not run AMI type AL2_x86_64',
  },
  {
    cause: 'node-role',
    from: 'CAPA pkg/cloud/services/eks/roles.go (ErrNodegroupRoleNotFound)',
    signal: condition(
      POOL,
      'IAMNodegroupRolesReady',
      'IAMNodegroupRolesReconciliationFailed',
      "the specified nodegroup role couldn't be found",
    ),
  },
  {
    cause: 'launch-template-invalid',
    from: 'CAPA exp/controllers/awsmanagedmachinepool_controller.go (FailedLaunchTemplateReconcile)',
    signal: {
      source: 'event',
      kind: POOL,
      name: 'prod-general',
      type: 'FailedLaunchTemplateReconcile',
      message:
        'Failed to reconcile launch template: InvalidParameterValue: Invalid launch template',
    },
  },
  {
    cause: 'node-group-name-taken',
    from: 'CAPA pkg/cloud/services/eks/nodegroup.go ("owner of %s mismatch: %s")',
    signal: condition(
      POOL,
      'EKSNodegroupReady',
      'EKSNodegroupReconciliationFailed',
      'owner of acme_prod-general mismatch: kubernetes.io/cluster/other',
    ),
  },
  {
    cause: 'node-group-failed',
    from: 'CAPA pkg/cloud/services/eks/nodegroup.go setStatus',
    signal: failure(POOL, 'EKS nodegroup in failed CREATE_FAILED status'),
  },
  {
    cause: 'control-plane-role',
    from: 'CAPA pkg/cloud/services/eks/roles.go; amazon-cloudwatch-agent-test#220',
    signal: condition(
      CP,
      'IAMControlPlaneRolesReady',
      'IAMControlPlaneRolesReconciliationFailed',
      "getting role eks-controlplane: the specified cluster role couldn't be found",
    ),
  },
  {
    cause: 'eks-cluster-name-taken',
    from: 'CAPA pkg/cloud/services/eks/cluster.go',
    signal: condition(
      CP,
      'EKSControlPlaneReady',
      'EKSControlPlaneReconciliationFailed',
      'EKS cluster resource "acme_prod" must have a tag with key "sigs.k8s.io/cluster-api-provider-aws/cluster/acme_prod" or "kubernetes.io/cluster/acme_prod"',
    ),
  },
  {
    cause: 'eks-cluster-failed',
    from: 'CAPA pkg/cloud/services/eks/cluster.go setStatus',
    signal: { ...failure(CP, 'EKS cluster in unexpected FAILED state') },
    says: 'the FAILED state',
  },
  {
    cause: 'deletion-node-groups-attached',
    from: 'CAPA pkg/cloud/services/eks/cluster.go (FailedDeleteEKSCluster); CAPA issue #2176',
    signal: event(
      CP,
      'FailedDeleteEKSCluster',
      'Failed to delete EKS cluster acme_prod-control-plane: ResourceInUseException: Cluster has nodegroups attached',
    ),
  },
  {
    cause: 'deletion-dependent-resources',
    from: 'CAPA securitygroup service (DeletingFailed, FailedDeleteSecurityGroup); CAPA issue #2195',
    signal: condition(
      CP,
      'ClusterSecurityGroupsReady',
      'DeletingFailed',
      'failed to delete security group "sg-09d3723fc49768432" with name "acme-prod-node-eks-additional": DependencyViolation: resource sg-09d3723fc49768432 has a dependent object',
      'Warning',
    ),
  },
  {
    cause: 'deletion-internal-error',
    from: 'CAPI internal/controllers/cluster/cluster_controller.go (Deleting, InternalError)',
    signal: {
      source: 'condition',
      kind: 'Cluster',
      name: 'prod',
      type: 'Deleting',
      status: 'True',
      reason: 'InternalError',
      message: 'Please check controller logs for errors',
    },
  },
  {
    cause: 'no-aws-session',
    from: 'CAPA pkg/cloud/scope/managedcontrolplane.go (session before patch helper)',
    signal: {
      source: 'age',
      kind: 'Cluster',
      name: 'prod',
      type: 'no-aws-session',
      message: 'since 2026-11-30T10:00:00.000Z, 12 minutes',
    },
  },
  {
    cause: 'stuck-provisioning',
    from: 'aws/containers-roadmap#1227 (15 minutes average)',
    signal: {
      source: 'age',
      kind: 'Cluster',
      name: 'prod',
      type: 'stuck-provisioning',
      message: 'since 2026-11-30T10:00:00.000Z, 40 minutes',
    },
    says: '40 minutes',
  },
  {
    cause: 'stuck-upgrading',
    from: 'CAPA EKSControlPlaneUpdating',
    signal: {
      source: 'age',
      kind: 'Cluster',
      name: 'prod',
      type: 'stuck-upgrading',
      message: 'since 2026-11-30T10:00:00.000Z, 75 minutes',
    },
  },
  {
    cause: 'stuck-deleting',
    from: 'CAPI Deleting condition reasons',
    signal: {
      source: 'age',
      kind: 'Cluster',
      name: 'prod',
      type: 'stuck-deleting',
      message: 'since 2026-11-30T10:00:00.000Z, 45 minutes',
    },
  },
];

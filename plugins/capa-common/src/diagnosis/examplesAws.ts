/* Diagnosis examples: AWS quotas, capacity and the network (sources: ./examples.ts). */
import {
  condition,
  CP,
  type DiagnosisExample,
  event,
  failure,
  POOL,
  sdkV2Error,
} from './exampleSignals';

/** @internal */
export const AWS_RESOURCE_EXAMPLES: DiagnosisExample[] = [
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
];

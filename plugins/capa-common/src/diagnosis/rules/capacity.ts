import type { DiagnosisRule } from '../engine';
import { anywhere, CP, POOL } from './setup';

const NODE_POOLS = 'template:default/capa-change-node-pools';

/** Quotas, capacity, networks and node groups: rows whose fix is in the tenant's account or input. */
export const CAPACITY_RULES: DiagnosisRule[] = [
  {
    cause: 'quota-eks-clusters',
    title: 'EKS cluster quota reached',
    severity: 'error',
    owner: 'tenant',
    summary:
      "The tenant's AWS account has as many EKS clusters in this region as its quota allows (100 by default).",
    fix: "Delete unused clusters, or ask for more in Service Quotas (Amazon EKS, quota L-1194D53C) in the tenant's account; the tenant account's admin asks, AWS grants.",
    when: anywhere(/Cluster limit exceeded/, [CP]),
    source:
      'CAPA pkg/cloud/services/eks/cluster.go (FailedCreateEKSControlPlane); EKS ResourceLimitExceededException text (pulumi/pulumi-eks#1311); quota L-1194D53C (amazon-eks-user-guide)',
  },
  {
    cause: 'quota-node-groups',
    title: 'Node group quota reached',
    severity: 'error',
    owner: 'tenant',
    summary:
      'The cluster has as many managed node groups as its quota allows (30 by default).',
    fix: "Merge node pools (change node pools), or ask for more in Service Quotas (Amazon EKS, quota L-6D54EA21) in the tenant's account.",
    template: NODE_POOLS,
    when: anywhere(/ResourceLimitExceededException|[Nn]odegroups? limit/, [
      POOL,
    ]),
    source:
      'CAPA pkg/cloud/services/eks/nodegroup.go ("failed to create nodegroup"); quota L-6D54EA21 (amazon-eks-user-guide); exact EKS text not confirmed',
  },
  {
    cause: 'quota-vpcs',
    title: 'VPC quota reached',
    severity: 'error',
    owner: 'tenant',
    summary:
      "The tenant's AWS account has as many VPCs in this region as its quota allows, so CAPA cannot create the cluster's VPC.",
    fix: "Delete unused VPCs, ask for more in Service Quotas (Amazon VPC, VPCs per Region), or give the cluster an existing VPC. The tenant account's admin does this.",
    when: anywhere(/\bVpcLimitExceeded\b/),
    source:
      'CAPA pkg/cloud/services/network/vpc.go (FailedCreateVPC, "failed to create new managed VPC"), network.go (VpcReconciliationFailed); EC2 VpcLimitExceeded text (eksctl#3706)',
  },
  {
    cause: 'quota-elastic-ips',
    title: 'Elastic IP quota reached',
    severity: 'error',
    owner: 'tenant',
    summary:
      "The tenant's AWS account has no Elastic IP address left in this region for the cluster's NAT gateways.",
    fix: "Release unused Elastic IPs or ask for more in Service Quotas (Amazon EC2, EC2-VPC Elastic IPs). The tenant account's admin does this.",
    when: anywhere(/\bAddressLimitExceeded\b/),
    source:
      'CAPA pkg/cloud/services/network/eips.go (FailedAllocateEIP, "failed to allocate Elastic IP"); EC2 AddressLimitExceeded text (eksctl#1646)',
  },
  {
    cause: 'quota-internet-gateways',
    title: 'Internet gateway quota reached',
    severity: 'error',
    owner: 'tenant',
    summary:
      "The tenant's AWS account has as many internet gateways in this region as its quota allows.",
    fix: "Delete unused internet gateways (with their VPCs) or ask for more in Service Quotas. The tenant account's admin does this.",
    when: anywhere(/\bInternetGatewayLimitExceeded\b/),
    source:
      'CAPA api/v1beta2/conditions_consts.go (InternetGatewayFailed); EC2 InternetGatewayLimitExceeded text (eksctl#3706)',
  },
  {
    cause: 'quota-instances',
    title: 'EC2 instance quota reached',
    severity: 'error',
    owner: 'tenant',
    summary:
      "The tenant's AWS account may not run more instances of this kind (vCPU or fleet quota).",
    fix: "Ask for more in Service Quotas (Amazon EC2, Running On-Demand or Spot instances), or make the node pools smaller. The tenant account's admin asks, AWS grants.",
    template: NODE_POOLS,
    when: anywhere(
      /InstanceLimitExceeded|VcpuLimitExceeded|quota for maximum Fleet Requests|Max spot instance count exceeded/,
    ),
    source:
      'EKS node group health codes InstanceLimitExceeded, AsgInstanceLaunchFailures (EKS API Issue reference); terraform-aws-eks#2149',
  },
  {
    cause: 'instance-type-not-offered',
    title: 'Instance type not offered in a zone',
    severity: 'error',
    owner: 'tenant',
    summary:
      'The instance type {instanceType} is not offered in availability zone {zone}, where the node pool would launch it.',
    fix: "Choose an instance type offered in every zone of the cluster's subnets (`aws ec2 describe-instance-type-offerings --location-type availability-zone`), or add another type to the pool.",
    template: NODE_POOLS,
    when: anywhere(
      /instance type \((?<instanceType>[\w.]+)\) is not supported in your requested Availability Zone \((?<zone>[\w-]+)\)/,
    ),
    source:
      'EC2 launch failure text "Unsupported - Your requested instance type (%s) is not supported in your requested Availability Zone (%s)" (dspace reference architecture #100, mludvig/aws-ethereum-miner#23)',
  },
  {
    cause: 'insufficient-capacity',
    title: 'Not enough EC2 capacity',
    severity: 'error',
    owner: 'tenant',
    summary:
      'AWS has no capacity for the requested instances in the zones the node pool uses (common for spot and for large or GPU types).',
    fix: 'Give the pool more instance types or zones, use on-demand instead of spot, or retry later. Only AWS can add capacity (capacity reservations).',
    template: NODE_POOLS,
    when: anywhere(
      /InsufficientInstanceCapacity|UnfulfillableCapacity|no Spot capacity available|do not have sufficient [\w.]+ capacity/,
    ),
    source:
      'EC2 texts (cortexlabs/cortex#1258, aws-parallelcluster#2716); EKS node group health code AsgInstanceLaunchFailures',
  },
  {
    cause: 'subnets-in-two-zones',
    title: 'Subnets not in two zones',
    severity: 'error',
    owner: 'tenant',
    summary:
      "EKS needs the control plane's subnets in at least two availability zones, and this cluster's are not.",
    fix: "Give the cluster subnets in a second availability zone (its network input, or the existing VPC's subnets).",
    when: anywhere(
      /subnets in at least 2 different az's are required|at least 2 subnets is required|must be in at least two different AZs/i,
      [CP],
    ),
    source:
      'CAPA pkg/cloud/services/eks/cluster.go makeVpcConfig ("subnets in at least 2 different az\'s are required"); EKS text (rancher#24380)',
  },
  {
    cause: 'zone-without-eks-capacity',
    title: 'Zone without EKS capacity',
    severity: 'error',
    owner: 'tenant',
    summary:
      'EKS cannot place the control plane in availability zone {zone}, which has no capacity for it now.',
    fix: "Use subnets in the zones EKS names ({zones}); exclude {zone} from the cluster's network.",
    when: anywhere(
      /UnsupportedAvailabilityZoneException[\s\S]*because (?<zone>[\w-]+), the targeted availability zone[\s\S]*choose from these availability zones: (?<zones>[\w-]+(?:, [\w-]+)*)/,
      [CP],
    ),
    source:
      'EKS UnsupportedAvailabilityZoneException text (aws-samples/aws-workshop-for-kubernetes#529; EKS troubleshooting guide)',
  },
  {
    cause: 'cidr-conflict',
    title: 'Subnet CIDR conflict',
    severity: 'error',
    owner: 'tenant',
    summary:
      'A subnet CIDR of the cluster ({cidr}) overlaps another subnet of the VPC.',
    fix: "Choose subnet CIDRs that do not overlap the VPC's existing subnets, or another VPC CIDR.",
    when: anywhere(/InvalidSubnet\.Conflict: The CIDR '(?<cidr>[^']+)'/),
    source:
      'CAPA pkg/cloud/services/network/subnets.go (FailedCreateSubnet, SubnetsReconciliationFailed); EC2 InvalidSubnet.Conflict text (hashicorp/terraform#33470)',
  },
  {
    cause: 'free-ips-exhausted',
    title: 'Subnets out of free addresses',
    severity: 'error',
    owner: 'tenant',
    summary:
      "The cluster's subnets have too few free IP addresses for EKS to continue (it needs at least 5 per subnet for the control plane, and one per node and pod).",
    fix: 'Free addresses, add larger subnets, or add a secondary CIDR to the VPC.',
    when: anywhere(
      /Free IPs: \d+|need at least \d+ IPs|InsufficientFreeAddresses|IpNotAvailable/,
    ),
    source:
      'EKS InvalidRequestException text (elastic-ipfs/infrastructure#221); EKS ErrorDetail codes IpNotAvailable, InsufficientFreeAddresses (EKS API reference)',
  },
  {
    cause: 'vpc-not-manageable',
    title: 'VPC cannot be used',
    severity: 'error',
    owner: 'tenant',
    summary:
      "The cluster's VPC cannot be used: a VPC of that name exists without CAPA's tags, or the given VPC id does not exist.",
    fix: 'Tag the existing VPC as the message says, or give the cluster the right vpc.id.',
    when: anywhere(
      /cannot be managed by CAPA due to lack of tags|spec\.vpc\.id is set but VPC resource is missing/,
    ),
    source:
      'CAPA pkg/cloud/services/network/vpc.go ("found VPC %q which cannot be managed by CAPA due to lack of tags")',
  },
  {
    cause: 'node-ami-architecture',
    title: 'AMI type does not fit the instance type',
    severity: 'error',
    owner: 'tenant',
    summary:
      'Node pool instance type {instanceType} does not run AMI type {amiType} (an ARM type needs an ARM AMI, and the other way round).',
    fix: "Set the pool's amiType to one for the instance's architecture (for example AL2023_ARM_64_STANDARD for Graviton types), or choose an instance type of the AMI's architecture.",
    template: NODE_POOLS,
    when: anywhere(
      /\[(?<instanceType>[\w.]+)\] is not a valid instance type for requested amiType (?<amiType>\w+)/,
      [POOL],
    ),
    source:
      'EKS CreateNodegroup InvalidParameterException text (eksctl#7754); CAPA pkg/cloud/services/eks/nodegroup.go',
  },
  {
    cause: 'node-role',
    title: 'Node IAM role not usable',
    severity: 'error',
    owner: 'platform',
    summary:
      "The node group's IAM role is missing, cannot be created, or lacks the EKS worker policies or EC2 trust.",
    fix: "Let CAPA manage the node role (IAM management on in its controller), or attach AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly and AmazonEKS_CNI_Policy and trust ec2.amazonaws.com on the role. The platform team (or the tenant account's admin for a pre-created role) does this.",
    when: [
      { source: 'condition', type: 'IAMNodegroupRolesReady', status: 'False' },
      ...anywhere(
        /doesn't have the Amazon EKS Managed Policies|required service principals \[ec2\.amazonaws\.com\]|nodegroup role couldn't be found/,
        [POOL],
      ),
    ],
    source:
      'CAPA exp/api/v1beta2/conditions_consts.go (IAMNodegroupRolesReady), pkg/cloud/services/eks/roles.go (ErrNodegroupRoleNotFound); EKS texts (eksctl#2675, eksctl#3290)',
  },
  {
    cause: 'launch-template-invalid',
    title: 'Launch template invalid',
    severity: 'error',
    owner: 'tenant',
    summary: "The node pool's launch template is not valid for its node group.",
    fix: "Fix the pool's awsLaunchTemplate; an instance type goes either in the launch template or in the pool, not both.",
    template: NODE_POOLS,
    when: [
      { source: 'condition', type: 'LaunchTemplateReady', status: 'False' },
      { source: 'event', type: 'FailedLaunchTemplateReconcile' },
      ...anywhere(
        /Cannot specify instance types in launch template and API request/,
        [POOL],
      ),
    ],
    source:
      'CAPA exp/api/v1beta2/conditions_consts.go (LaunchTemplateReady, LaunchTemplateCreateFailed), exp/controllers/awsmanagedmachinepool_controller.go (FailedLaunchTemplateReconcile); EKS text (terraform-aws-eks#1545)',
  },
  {
    cause: 'node-group-name-taken',
    title: 'Node group name taken',
    severity: 'error',
    owner: 'tenant',
    summary:
      'A node group named like this pool exists in EKS but belongs to something else.',
    fix: 'Rename the node pool, or delete the other node group if it is left over.',
    template: NODE_POOLS,
    when: anywhere(/owner of (?<nodegroup>\S+) mismatch/, [POOL]),
    source:
      'CAPA pkg/cloud/services/eks/nodegroup.go ("owner of %s mismatch: %s")',
  },
  {
    cause: 'node-group-failed',
    title: 'Node group failed in EKS',
    severity: 'error',
    owner: 'tenant',
    summary:
      "EKS reports the node group failed; EKS keeps the reason in the node group's health issues, which CAPA does not copy.",
    fix: "Read the health issues (`aws eks describe-nodegroup`, or the console). NodeCreationFailure means nodes could not join (subnet routes to the API, the node role's access entry or aws-auth mapping); AsgInstanceLaunchFailures means capacity or quota. Then change the pool or delete and recreate it.",
    template: NODE_POOLS,
    when: [
      {
        source: 'failure',
        kinds: [POOL],
        message: /EKS nodegroup in failed \w+ status/,
      },
      {
        source: 'condition',
        type: 'EKSNodegroupReady',
        status: 'False',
        message:
          /waiter state transitioned to Failure|ResourceNotReady: failed waiting for successful resource state/,
      },
      ...anywhere(
        /NodeCreationFailure|AsgInstanceLaunchFailures|Instances failed to join/,
        [POOL],
      ),
    ],
    source:
      'CAPA pkg/cloud/services/eks/nodegroup.go setStatus ("EKS nodegroup in failed %s status"), CAPA issue #2665; EKS node group health codes (EKS API Issue reference)',
  },
];

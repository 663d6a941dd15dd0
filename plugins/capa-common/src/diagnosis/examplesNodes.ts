/*
 * Diagnosis examples: node pools, the control plane, deletion, sessions and stuck states.
 * ./examples.ts says where their texts come from.
 */
import {
  condition,
  CP,
  type DiagnosisExample,
  event,
  failure,
  POOL,
} from './exampleSignals';

/** @internal */
export const NODE_AND_LIFECYCLE_EXAMPLES: DiagnosisExample[] = [
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

import type { DiagnosisRule } from '../engine';
import { anywhere, CP, POOL } from './setup';

/** Control plane role, EKS failures, deletion and time: rows about the cluster's lifecycle. */
export const LIFECYCLE_RULES: DiagnosisRule[] = [
  {
    cause: 'control-plane-role',
    title: 'Control plane IAM role not usable',
    severity: 'error',
    owner: 'platform',
    summary:
      "The EKS control plane's IAM role is missing, cannot be created, or does not trust eks.amazonaws.com.",
    fix: "Let CAPA manage the control plane role (IAM management on in its controller), or fix the role's trust policy and attach AmazonEKSClusterPolicy. The platform team (or the tenant account's admin for a pre-created role) does this.",
    when: [
      {
        source: 'condition',
        type: 'IAMControlPlaneRolesReady',
        status: 'False',
      },
      ...anywhere(
        /required service principals \[eks\.amazonaws\.com\]|the specified cluster role couldn't be found/,
        [CP],
      ),
    ],
    source:
      'CAPA controlplane/eks/api/v1beta2/conditions_consts.go (IAMControlPlaneRolesReady), pkg/cloud/services/eks/roles.go; EKS text (amazon-cloudwatch-agent-test#220)',
  },
  {
    cause: 'eks-cluster-name-taken',
    title: 'EKS cluster name taken',
    severity: 'error',
    owner: 'tenant',
    summary:
      'An EKS cluster with this name already exists in the account and does not belong to this cluster.',
    fix: 'Give the cluster another EKS name (eksClusterName), or delete the other EKS cluster if it is left over.',
    when: anywhere(/must have a tag with key|checking owner of/, [CP]),
    source:
      'CAPA pkg/cloud/services/eks/cluster.go ("EKS cluster resource %q must have a tag with key %q or %q"); CAPA issue #3698',
  },
  {
    cause: 'eks-cluster-failed',
    title: 'EKS reports the cluster failed',
    severity: 'error',
    owner: 'aws-support',
    summary: 'EKS put the control plane into the {state} state.',
    fix: "Read the cluster's health issues (`aws eks describe-cluster`) and CloudTrail in the tenant's account; a FAILED control plane cannot be repaired by CAPA, so delete and create the cluster again, and open an AWS support case if the cause is not the account's.",
    when: [
      ...anywhere(/EKS cluster in unexpected (?<state>\w+) state/, [CP]),
      ...anywhere(
        /failed to wait for eks control plane[\s\S]*waiter state transitioned to Failure/,
        [CP],
      ),
    ],
    source:
      'CAPA pkg/cloud/services/eks/cluster.go setStatus ("EKS cluster in unexpected %s state")',
  },
  {
    cause: 'deletion-node-groups-attached',
    title: 'Foreign node groups block deletion',
    severity: 'error',
    owner: 'tenant',
    summary:
      'EKS will not delete the cluster while node groups CAPA does not manage are attached to it.',
    fix: 'Delete those node groups (`aws eks list-nodegroups`, then delete-nodegroup); CAPA then finishes the deletion.',
    when: anywhere(/Cluster has nodegroups attached/, [CP]),
    source:
      'CAPA pkg/cloud/services/eks/cluster.go (FailedDeleteEKSCluster "Failed to delete EKS cluster %s: %v"); CAPA issue #2176',
  },
  {
    cause: 'deletion-dependent-resources',
    title: 'AWS resources block deletion',
    severity: 'error',
    owner: 'platform',
    summary:
      "AWS will not delete the cluster's network or security groups while other resources use them (load balancers, network interfaces or Elastic IPs left by in-cluster controllers).",
    fix: 'Delete the LoadBalancer Services and ingresses before deleting a cluster; now, delete the dependent load balancers and network interfaces in the tenant\'s account, or turn on CAPA\'s external resource garbage collection (annotation aws.cluster.x-k8s.io/external-resource-gc: "true" on the control plane). The platform team does this.',
    when: [
      ...anywhere(
        /DependencyViolation|has a dependent object|has dependencies and cannot be deleted|mapped public address/,
        [CP, POOL],
      ),
      { source: 'event', type: /^FailedDelete(SecurityGroup|EKSNodegroup)$/ },
    ],
    source:
      'CAPA pkg/cloud/services/securitygroup (DeletingFailed, FailedDeleteSecurityGroup), network.go DeleteNetwork, pkg/cloud/services/eks/nodegroup.go (FailedDeleteEKSNodegroup); CAPA issues #2195, #2665',
  },
  {
    cause: 'deletion-internal-error',
    title: 'Cluster API cannot delete the cluster',
    severity: 'error',
    owner: 'platform',
    summary:
      'Cluster API failed to delete the objects behind the cluster and says only that its logs tell why.',
    fix: 'Read the Cluster API controller logs on the management cluster for this cluster. The platform team does this.',
    when: [
      {
        source: 'condition',
        kinds: ['Cluster'],
        type: 'Deleting',
        status: 'True',
        reason: /^InternalError$/,
      },
    ],
    source:
      'Cluster API internal/controllers/cluster/cluster_controller.go (Deleting condition, reason InternalError "Please check controller logs for errors")',
  },
  {
    cause: 'no-aws-session',
    title: 'CAPA has not started on the control plane',
    severity: 'error',
    owner: 'platform',
    summary:
      'CAPA has written nothing on the control plane since it was created ({message}). It does this when it cannot start an AWS session: the identity chain refuses the namespace or does not exist, or the tenant role cannot be assumed (CAPA then writes only to its log).',
    fix: "Check the identity of the cluster (its allowedNamespaces and its source's) and run the trust check (capa:iam:verify, in the onboarding template); the CAPA controller's log names the cause. The platform team does this; the tenant account's admin fixes a trust policy.",
    template: 'template:default/capa-onboard-tenant',
    when: [{ source: 'age', type: 'no-aws-session' }],
    source:
      'CAPA pkg/cloud/scope/managedcontrolplane.go (the AWS session is built before the status is patched), session.go; k0rdent/kcm#2022',
  },
  {
    cause: 'stuck-provisioning',
    title: 'Provisioning for too long',
    severity: 'warning',
    owner: 'platform',
    summary:
      'The cluster has been provisioning for longer than EKS takes ({message}); nothing reports an error.',
    fix: "Look at the conditions below for the step that has not finished and at the management cluster's CAPA controller log; `aws eks describe-cluster` in the tenant's account shows whether EKS is still creating. The platform team does this.",
    when: [{ source: 'age', type: 'stuck-provisioning' }],
    source:
      'Heuristic: EKS control plane creation averages 15 minutes (aws/containers-roadmap#1227); flagged after 25. Cluster API setPhase (Provisioning)',
  },
  {
    cause: 'stuck-upgrading',
    title: 'Upgrade taking too long',
    severity: 'warning',
    owner: 'aws-support',
    summary:
      'The control plane has been updating for longer than an EKS upgrade takes ({message}).',
    fix: "Read the update's status with `aws eks list-updates` and `describe-update` in the tenant's account; an update stuck in EKS needs AWS support.",
    when: [{ source: 'age', type: 'stuck-upgrading' }],
    source:
      'CAPA controlplane/eks/api/v1beta2/conditions_consts.go (EKSControlPlaneUpdating); heuristic: flagged after 60 minutes',
  },
  {
    cause: 'stuck-deleting',
    title: 'Deletion not progressing',
    severity: 'warning',
    owner: 'platform',
    summary: 'The deletion has not moved on for a long time ({message}).',
    fix: 'The stage says what is left: node pools (their node groups), the control plane (the EKS cluster, its network and security groups) or the infrastructure. Look at the conditions and events of what is left; deleting the finalizer by hand leaves AWS resources behind, so the platform team decides that.',
    when: [{ source: 'age', type: 'stuck-deleting' }],
    source:
      'Cluster API internal/controllers/cluster/cluster_controller.go (Deleting reasons WaitingForWorkersDeletion, WaitingForControlPlaneDeletion, WaitingForInfrastructureDeletion); heuristic: flagged after 30 minutes in one stage',
  },
];

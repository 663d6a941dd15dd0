/*
 * Diagnosis examples: the tenant identity and STS, Kubernetes and add-on versions, access to the
 * cluster. ./examples.ts says where their texts come from.
 */
import {
  condition,
  CP,
  type DiagnosisExample,
  event,
  failure,
  sdkV2Error,
} from './exampleSignals';

/** @internal */
export const IDENTITY_EXAMPLES: DiagnosisExample[] = [
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
];

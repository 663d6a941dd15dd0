import type { DiagnosisMatcher, DiagnosisRule } from '../engine';

/** Kinds whose conditions carry CAPA's errors (the Cluster only mirrors summaries of them). */
export const CP = 'AWSManagedControlPlane';
export const POOL = 'AWSManagedMachinePool';

const TEMPLATES = {
  onboard: 'template:default/capa-onboard-tenant',
  upgrade: 'template:default/capa-upgrade-cluster',
  access: 'template:default/capa-grant-cluster-access',
};

/** A message pattern wherever CAPA puts an AWS error: conditions, failure messages, events. */
export function anywhere(
  message: RegExp,
  kinds?: string[],
): DiagnosisMatcher[] {
  return [
    { source: 'condition', status: 'False', message, kinds },
    { source: 'failure', message, kinds },
    { source: 'event', message, kinds },
  ];
}

/** CAPA's refusal, as its session code words it (and as the spec check words it too). */
const NOT_PERMITTED =
  /Namespace is not permitted to use (?<identityKind>\w+): (?<identity>[^\s(]+)/;

/** Identity, STS, versions and access: rows whose fix is in the tenant's or platform's setup. */
export const SETUP_RULES: DiagnosisRule[] = [
  {
    cause: 'identity-missing',
    title: 'AWS identity missing',
    severity: 'error',
    owner: 'platform',
    summary:
      'CAPA cannot start: the identity it should use does not exist ({message}), so it makes no AWS call for this cluster.',
    fix: "Onboard the tenant (the onboarding template creates the tenant's AWSClusterRoleIdentity and its source), or correct the control plane's identityRef. The platform team creates identities.",
    template: TEMPLATES.onboard,
    when: [
      { source: 'spec', type: 'IdentityMissing' },
      {
        source: 'condition',
        type: 'PrincipalCredentialRetrieved',
        status: 'False',
        message: /not found/,
      },
    ],
    source:
      'CAPA pkg/cloud/scope/session.go (PrincipalCredentialRetrieved, PrincipalCredentialRetrievalFailed); api/v1beta2/conditions_consts.go',
  },
  {
    cause: 'identity-namespace-not-allowed',
    title: 'Identity does not admit the namespace',
    severity: 'error',
    owner: 'platform',
    summary:
      "{identityKind} {identity} does not admit the cluster's namespace (allowedNamespaces), so CAPA refuses to use it and makes no AWS call.",
    fix: 'Add the namespace to allowedNamespaces.list of {identityKind} {identity}, or give the namespace the labels its selector asks for. Every identity of the chain (the role identity and its sourceIdentityRef) must admit it. The platform team changes identities.',
    template: TEMPLATES.onboard,
    when: [
      { source: 'spec', type: 'NamespaceNotAllowed', message: NOT_PERMITTED },
      ...anywhere(NOT_PERMITTED),
    ],
    source:
      'CAPA pkg/cloud/scope/session.go (notPermittedError "Namespace is not permitted to use %s: %s", isClusterPermittedToUsePrincipal, PrincipalUsageUnauthorized / SourcePrincipalUsageUnauthorized)',
  },
  {
    cause: 'session-duration-over-limit',
    title: 'Role session too long',
    severity: 'warning',
    owner: 'platform',
    summary:
      '{kind} {name} asks STS for a session longer than it grants: a role assumed from another role (as the CAPA controller does with IRSA) gets at most one hour, and no role more than its MaxSessionDuration.',
    fix: "Set durationSeconds of {kind} {name} to 3600 or less (or raise the role's MaxSessionDuration, if not chained). The platform team changes identities.",
    when: [
      { source: 'spec', type: 'SessionDurationOverChainLimit' },
      ...anywhere(
        /DurationSeconds exceeds the (1 hour session limit|MaxSessionDuration)/,
      ),
    ],
    source:
      'STS AssumeRole ValidationError texts (aws/eks-anywhere#9485, kreuzwerker/awsu#27); CAPA api/v1beta2 AWSClusterRoleIdentity durationSeconds',
  },
  {
    cause: 'assume-role-denied',
    title: 'Tenant role cannot be assumed',
    severity: 'error',
    owner: 'tenant',
    summary:
      "CAPA could not assume the tenant's role: STS answered AccessDenied, which it answers alike for a trust policy that does not name the manager's role, a wrong or missing external id, a manager role without sts:AssumeRole, and a role that does not exist.",
    fix: "Run the trust check (capa:iam:verify, in the onboarding template) to see which. The tenant account's admin fixes the trust policy and external id of the role the identity names (render them with capa:iam:render); the platform team fixes the manager role's sts:AssumeRole permission or the identity's externalID.",
    template: TEMPLATES.onboard,
    when: anywhere(
      /AccessDenied[\s\S]*sts:AssumeRole|sts:AssumeRole[\s\S]*AccessDenied|operation error STS: AssumeRole[\s\S]*AccessDenied/,
    ),
    source:
      'CAPA pkg/cloud/identityv2/identity.go (stscreds AssumeRoleProvider), session.go ("Failed to retrieve identity credentials"); STS AccessDenied text (aws-cloudformation/rain#205, repost.aws iam-assume-role-error)',
  },
  {
    cause: 'tenant-role-permission-missing',
    title: 'Tenant role lacks a permission',
    severity: 'error',
    owner: 'tenant',
    summary:
      "CAPA assumed the tenant's role, but the role may not perform {action}.",
    fix: "Give the controllers role in the tenant account the policies clusterawsadm's AWSIAMConfiguration describes (capa:iam:render writes it; `clusterawsadm bootstrap iam create-cloudformation-stack` applies it). The tenant account's admin does this.",
    when: anywhere(
      /is not authorized to perform: (?<action>(?!sts:AssumeRole)[\w-]+:\w+)/,
    ),
    source:
      'EKS/IAM AccessDeniedException texts (kodekloud#179, CAPA issue #2042); CAPA pkg/cloud/services/eks/eks.go (EKSControlPlaneReady message = error chain)',
  },
  {
    cause: 'kubernetes-version-unsupported',
    title: 'Kubernetes version not offered by EKS',
    severity: 'error',
    owner: 'tenant',
    summary:
      'EKS does not offer the Kubernetes version this cluster asks for (too old, or not released yet in this region).',
    fix: 'Choose a version EKS supports (`aws eks describe-cluster-versions`); for a new cluster create it again with one, for an existing one use the upgrade template. The platform team keeps the offered list (capa.kubernetesVersions) current.',
    template: TEMPLATES.upgrade,
    when: anywhere(/unsupported Kubernetes version/i, [CP]),
    source:
      'CAPA pkg/cloud/services/eks/cluster.go (FailedCreateEKSControlPlane, "failed to create EKS cluster"); EKS InvalidParameterException text (terraform-aws-eks#3164)',
  },
  {
    cause: 'kubernetes-upgrade-step',
    title: 'Upgrade step refused',
    severity: 'error',
    owner: 'tenant',
    summary:
      'The Kubernetes version cannot move this way: EKS upgrades one minor version at a time and never downgrades.',
    fix: 'Upgrade one minor version at a time with the upgrade template (it plans the steps), and set spec.version back if it was lowered.',
    template: TEMPLATES.upgrade,
    when: anywhere(
      /Unsupported Kubernetes minor version update from (?<from>[\d.]+) to (?<to>[\d.]+)|new version less than old version/,
      [CP, POOL],
    ),
    source:
      'CAPA controlplane/eks/api/v1beta2/awsmanagedcontrolplane_webhook.go ("new version less than old version"), cluster.go reconcileClusterVersion; EKS text (terraform-aws-eks#2607)',
  },
  {
    cause: 'addon-version-unsupported',
    title: 'Add-on version does not fit',
    severity: 'error',
    owner: 'tenant',
    summary:
      "An EKS add-on's version does not fit the cluster's Kubernetes version.",
    fix: 'Use a version `aws eks describe-addon-versions --kubernetes-version <version>` lists, or leave the version out so EKS picks its default; change the add-ons of the cluster input.',
    when: [
      {
        source: 'condition',
        type: 'EKSAddonsConfigured',
        status: 'False',
        message:
          /Addon( version)? specified is not supported|not supported in [\d.]+ kubernetes version/i,
      },
      ...anywhere(/Addon( version)? specified is not supported/i, [CP]),
    ],
    source:
      'CAPA pkg/cloud/services/eks/addons.go, pkg/eks/addons/procedures.go (EKSAddonsConfiguredFailed, "addon_update: updating eks addon %s"); EKS texts (aws-sdk-go-v2#2554, terraform-provider-aws#26145)',
  },
  {
    cause: 'addon-not-active',
    title: 'Add-on not active',
    severity: 'warning',
    owner: 'tenant',
    summary:
      'An EKS add-on did not become active; add-ons such as CoreDNS stay degraded until the cluster has nodes.',
    fix: "Check the node pools first (an add-on needs nodes to run on); if they are ready, read the add-on's health with `aws eks describe-addon`.",
    template: 'template:default/capa-change-node-pools',
    when: [
      {
        source: 'condition',
        type: 'EKSAddonsConfigured',
        status: 'False',
        message: /failed waiting for addon (?<addon>\S+) to be ready/,
      },
    ],
    source:
      'CAPA pkg/eks/addons/procedures.go ("addon_wait_active: failed waiting for addon %s to be ready")',
  },
  {
    cause: 'eks-api-unreachable-from-manager',
    title: 'EKS API unreachable from the manager',
    severity: 'error',
    owner: 'platform',
    summary:
      "The management cluster cannot reach the cluster's Kubernetes API to write aws-auth (a private endpoint, or no network path).",
    fix: "Give the management cluster a network path to the endpoint (VPC peering, transit gateway) or enable the public endpoint with the manager's addresses in publicAccessCidrs. The platform team does this.",
    when: [
      {
        source: 'condition',
        type: 'IAMAuthenticatorConfigured',
        status: 'False',
        message:
          /getting client for remote cluster|getting remote rest config|dial tcp|i\/o timeout/,
      },
    ],
    source:
      'CAPA controlplane/eks/controllers/awsmanagedcontrolplane_controller.go (IAMAuthenticatorConfigurationFailed), pkg/cloud/services/iamauth/reconcile.go; CAPA issue #2179',
  },
  {
    cause: 'aws-auth-mapping-failed',
    title: 'aws-auth could not be written',
    severity: 'error',
    owner: 'platform',
    summary: 'CAPA could not write the aws-auth mappings of the cluster.',
    fix: "Check the iamAuthenticatorConfig mappings (the access template shows them) and that CAPA's own principal still has cluster-admin. The platform team does this.",
    template: TEMPLATES.access,
    when: [
      {
        source: 'condition',
        type: 'IAMAuthenticatorConfigured',
        status: 'False',
        message:
          /mapping iam (node )?(role|user)|aws-iam-authenticator backend/,
      },
    ],
    source:
      'CAPA pkg/cloud/services/iamauth/reconcile.go ("mapping iam role: %w", "mapping iam user: %w")',
  },
  {
    cause: 'access-entry-in-use',
    title: 'Access entry already exists',
    severity: 'error',
    owner: 'platform',
    summary:
      "An EKS access entry for a principal in the cluster input already exists and is not managed by CAPA (often the cluster creator's own entry).",
    fix: "Remove that principal from the cluster's access entries (access template), or delete the unmanaged entry with `aws eks delete-access-entry`. The platform team does this.",
    template: TEMPLATES.access,
    when: anywhere(
      /already in use on this cluster|ResourceInUseException[\s\S]*access entry|access entry[\s\S]*ResourceInUseException/i,
      [CP],
    ),
    source:
      'CAPA pkg/cloud/services/eks/accessentry.go ("failed to create access entry for principal %s"); EKS ResourceInUseException text',
  },
  {
    cause: 'access-entry-principal-invalid',
    title: 'Access entry principal is not a role or user ARN',
    severity: 'error',
    owner: 'tenant',
    summary:
      'An access entry names a principal EKS does not accept (for example an assumed-role session ARN instead of the role ARN).',
    fix: 'Grant access to arn:aws:iam::<account>:role/<name> (not arn:aws:sts::...:assumed-role/...) with the access template.',
    template: TEMPLATES.access,
    when: anywhere(/principalArn parameter format is not valid/, [CP]),
    source:
      'EKS CreateAccessEntry InvalidParameterException text; CAPA accessentry.go',
  },
  {
    cause: 'authentication-mode',
    title: 'Authentication mode does not allow this',
    severity: 'error',
    owner: 'tenant',
    summary:
      "The cluster's authentication mode does not allow this change: access entries need api or api_and_config_map, and the mode only ever moves from config_map to api_and_config_map to api.",
    fix: 'Move the authentication mode one step at a time (config_map, then api_and_config_map, then api) with the access template; it cannot go back.',
    template: TEMPLATES.access,
    when: anywhere(
      /authentication mode must be set to one of|Unsupported authentication mode update|downgrading authentication mode is not allowed/,
      [CP],
    ),
    source:
      'CAPA controlplane/eks/api/v1beta2/awsmanagedcontrolplane_webhook.go ("downgrading authentication mode is not allowed after it has been enabled"); EKS texts (terraform-aws-eks-blueprints#1877, pulumi-eks#1493)',
  },
];

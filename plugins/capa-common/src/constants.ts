import { KINDS } from './kinds';

/**
 * API versions the renderers emit, from the kinds registry: CAPA serves and stores only v1beta2;
 * CAPI stores v1beta2 and still serves a deprecated v1beta1 that the renderers never use.
 */
export const API_VERSIONS = {
  cluster: KINDS.Cluster.apiVersion,
  controlPlane: KINDS.AWSManagedControlPlane.apiVersion,
  infrastructure: KINDS.AWSManagedCluster.apiVersion,
  /** clusterawsadm's configuration file format; not a CRD in any cluster. */
  iamConfiguration: 'bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta1',
} as const;

/** API groups used in v1beta2 object references (`{apiGroup, kind, name}`). */
export const API_GROUPS = {
  cluster: KINDS.Cluster.group,
  controlPlane: KINDS.AWSManagedControlPlane.group,
  infrastructure: KINDS.AWSManagedCluster.group,
} as const;

/**
 * Labels and annotations this project sets on the objects it renders.
 *
 * @public
 */
export const CAPA_LABELS = {
  /** On tenant namespaces (and the objects in them): the tenant's name. Identities select it. */
  tenant: 'capa.backstage.io/tenant',
  /** On tenant namespaces: the name of the Backstage group that owns the tenant. */
  ownerGroup: 'capa.backstage.io/owner-group',
  /** CAPI's own label tying objects to their Cluster. */
  clusterName: 'cluster.x-k8s.io/cluster-name',
  /** Marks objects written by this project. */
  managedBy: 'app.kubernetes.io/managed-by',
  /**
   * On Template entities: `"true"` for templates only the platform team may use (onboarding). The
   * shipped permission policy hides them from everyone else.
   */
  platformOnly: 'capa.backstage.io/platform-only',
} as const;

/**
 * Annotations this project sets on the objects it renders.
 *
 * @public
 */
export const CAPA_ANNOTATIONS = {
  /** On tenant namespaces: the full entity ref of the owning group (label values cannot hold it). */
  owner: 'capa.backstage.io/owner',
  /** On tenant namespaces and cluster entities: the AWS account id. */
  awsAccountId: 'capa.backstage.io/aws-account-id',
  /** On cluster entities: the configured name of the management cluster that holds the Cluster. */
  managementCluster: 'capa.backstage.io/management-cluster',
  /** On cluster entities: the Cluster's namespace on the management cluster. */
  namespace: 'capa.backstage.io/namespace',
  /** On cluster entities: the Cluster's name. */
  clusterName: 'capa.backstage.io/cluster-name',
  /** On cluster entities: the AWS region. */
  region: 'capa.backstage.io/region',
  /**
   * On cluster and identity entities while their management cluster cannot be reached: since when
   * (ISO 8601) the entity may be out of date. The entity stays until a complete list of that
   * management cluster no longer has its object.
   */
  staleSince: 'capa.backstage.io/stale-since',
} as const;

/** Value of the managed-by label. @public */
export const MANAGED_BY = 'backstage-capa';

/**
 * Names CAPA and clusterawsadm use by default.
 *
 * @public
 */
export const CAPA_DEFAULTS = {
  /** The controllers role clusterawsadm creates in every account (manager and tenants). */
  controllersRoleName: 'controllers.cluster-api-provider-aws.sigs.k8s.io',
  /** The prefix of clusterawsadm's role names; `nameSuffix` supplies the rest. */
  controllersRolePrefix: 'controllers',
  /** The default clusterawsadm name suffix. */
  roleNameSuffix: '.cluster-api-provider-aws.sigs.k8s.io',
  /** The AWSClusterControllerIdentity must have this name. */
  controllerIdentityName: 'default',
  /** Namespace and service account of the CAPA controller manager (clusterctl's layout). */
  controllerNamespace: 'capa-system',
  controllerServiceAccount: 'capa-controller-manager',
  /** Pod CIDR of CAPA's eks-managedmachinepool-vpccni template. */
  podCidr: '192.168.0.0/16',
  /** VPC CNI add-on version used when the input does not name one. */
  vpcCniAddonVersion: 'v1.19.2-eksbuild.1',
  /** Instance type of a node pool when the input does not name one. */
  instanceType: 't3.large',
  /** AMI type CAPA defaults an AWSManagedMachinePool to. */
  amiType: 'AL2_x86_64',
} as const;

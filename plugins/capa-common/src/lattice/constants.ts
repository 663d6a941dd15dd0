/**
 * Names, labels and annotations of cross-cluster service access over Amazon VPC Lattice (the AWS
 * Gateway API Controller in each workload cluster; objects delivered by Cluster API's
 * ClusterResourceSet).
 *
 * @public
 */
export const LATTICE = {
  /** The GatewayClass the AWS Gateway API Controller serves. */
  gatewayClassName: 'amazon-vpc-lattice',
  /** The controller name that GatewayClass names. */
  controllerName: 'application-networking.k8s.aws/gateway-api-controller',
  /** Namespace of the Gateway in each workload cluster (as in seed 004; its name is what counts). */
  gatewayNamespace: 'lattice-gateway',
  /** The Gateway listener every route attaches to. */
  httpListener: 'http',
  /** The EKS add-on EKS Pod Identity needs on every calling cluster. */
  podIdentityAgentAddon: 'eks-pod-identity-agent',
  /** Version of that add-on when the input does not name one. */
  podIdentityAgentVersion: 'v1.3.4-eksbuild.1',
  /** Data key of the ConfigMaps a ClusterResourceSet applies. */
  configMapKey: 'lattice.yaml',
  /** Session tags EKS Pod Identity sets, which the auth policies test. */
  tags: {
    cluster: 'eks-cluster-name',
    namespace: 'kubernetes-namespace',
    serviceAccount: 'kubernetes-service-account',
  },
  /** The action the auth policies and caller roles allow. */
  invokeAction: 'vpc-lattice-svcs:Invoke',
  /** Service principal of EKS Pod Identity. */
  podIdentityPrincipal: 'pods.eks.amazonaws.com',
} as const;

/**
 * Labels on the ConfigMaps and ClusterResourceSets of this feature (besides the tenant,
 * managed-by and Cluster API's `cluster.x-k8s.io/cluster-name` naming the target cluster), and
 * the label the actions set on a Cluster so that its ClusterResourceSets select it.
 *
 * @public
 */
export const LATTICE_LABELS = {
  /** `join` (the Gateway) or `expose` (one service's route and auth policy). */
  role: 'capa.backstage.io/lattice',
  /** The service network's name. */
  serviceNetwork: 'capa.backstage.io/lattice-service-network',
  /** On Clusters: the Cluster's own name; every ClusterResourceSet of this feature selects it. */
  target: 'capa.backstage.io/lattice-cluster',
} as const;

/**
 * Annotations on the `expose` ConfigMaps: what the card shows and what a later grant or revoke
 * merges with.
 *
 * @public
 */
export const LATTICE_ANNOTATIONS = {
  /** `namespace/name:port` of the exposed Kubernetes Service. */
  service: 'capa.backstage.io/lattice-service',
  /** The custom domain, when the route has one. */
  domain: 'capa.backstage.io/lattice-domain',
  /** JSON list of the allowed callers ({@link LatticeCallerRecord}). */
  callers: 'capa.backstage.io/lattice-callers',
} as const;

import type { Addon, KubernetesObject } from '../objects';
import { parseInput } from '../validation/parse';
import { LATTICE, LATTICE_LABELS } from './constants';
import { deliver, latticeJoinName } from './delivery';
import { findCluster, joinContextSchema, qualifiedCluster } from './schemas';
import type { LatticeContext, LatticeDelivery } from './types';

/** What joining one cluster to a service network takes. @public */
export interface LatticeJoinResult {
  /** Objects for the workload cluster: the GatewayClass, the Gateway's namespace, the Gateway. */
  workload: KubernetesObject[];
  /** The ClusterResourceSet and ConfigMap that deliver them. */
  delivery: LatticeDelivery;
  /** The control plane's add-ons with the Pod Identity agent merged in (unchanged when present). */
  addons: Addon[];
  /** Whether `addons` differs from the cluster's own. */
  addonsChanged: boolean;
  /** The label the Cluster must carry for the ClusterResourceSets to select it. */
  clusterLabel: { key: string; value: string };
  /** Management-cluster objects, in apply order: ConfigMap, then ClusterResourceSet. */
  objects: KubernetesObject[];
  warnings: string[];
}

/** The workload-cluster objects that stand for a service network: its GatewayClass and Gateway. */
export function serviceNetworkGateway(
  serviceNetwork: string,
): KubernetesObject[] {
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: LATTICE.gatewayClassName },
      spec: { controllerName: LATTICE.controllerName },
    },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: LATTICE.gatewayNamespace },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      // The controller identifies the service network by the Gateway's name.
      metadata: { name: serviceNetwork, namespace: LATTICE.gatewayNamespace },
      spec: {
        gatewayClassName: LATTICE.gatewayClassName,
        listeners: [
          {
            name: LATTICE.httpListener,
            protocol: 'HTTP',
            port: 80,
            // Routes live beside their Services, in any namespace.
            allowedRoutes: { namespaces: { from: 'All' } },
          },
        ],
      },
    },
  ];
}

/**
 * Renders what joining a Provisioned cluster to a VPC Lattice service network takes: the Gateway
 * (class amazon-vpc-lattice, named after the service network) delivered by a ClusterResourceSet,
 * and the EKS Pod Identity agent add-on merged into the control plane's add-ons. Throws
 * CapaValidationError, listing every problem, before rendering anything.
 *
 * @public
 */
export function renderLatticeJoin(
  input: unknown,
  context: LatticeContext,
  existingAddons: ReadonlyArray<Partial<Addon>> = [],
): LatticeJoinResult {
  const j = parseInput(
    joinContextSchema(context),
    input,
    'service network join input',
  );
  const facts = findCluster(context, qualifiedCluster(j.cluster, j.namespace))!;
  const workload = serviceNetworkGateway(j.serviceNetwork);
  const delivery = deliver({
    name: latticeJoinName(j.cluster),
    namespace: j.namespace,
    cluster: j.cluster,
    tenant: facts.tenant,
    role: 'join',
    serviceNetwork: j.serviceNetwork,
    objects: workload,
  });
  const warnings: string[] = [];
  const hasAgent = existingAddons.some(
    a => a.name === LATTICE.podIdentityAgentAddon,
  );
  // Existing add-ons stay exactly as they are; only a missing agent is added.
  const addons = [
    ...(existingAddons as Addon[]),
    ...(hasAgent
      ? []
      : [
          {
            name: LATTICE.podIdentityAgentAddon,
            version:
              j.podIdentityAgentVersion ?? LATTICE.podIdentityAgentVersion,
            conflictResolution: 'overwrite' as const,
          },
        ]),
  ];
  warnings.push(
    `The AWS Gateway API Controller must run in cluster ${j.namespace}/${j.cluster} (its IAM role needs vpc-lattice:* on the service network), and the cluster's security groups must admit VPC Lattice's managed prefix list; neither is managed here.`,
  );
  return {
    workload,
    delivery,
    addons,
    addonsChanged: !hasAgent,
    clusterLabel: { key: LATTICE_LABELS.target, value: j.cluster },
    objects: [delivery.configMap, delivery.clusterResourceSet],
    warnings,
  };
}

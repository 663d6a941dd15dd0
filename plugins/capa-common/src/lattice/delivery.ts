import { CAPA_LABELS, MANAGED_BY } from '../constants';
import type { KubernetesObject } from '../objects';
import { toYaml } from '../serialize';
import { sortedMap } from '../render/util';
import { LATTICE, LATTICE_LABELS } from './constants';
import type { LatticeDelivery } from './types';

/** API version of Cluster API's ClusterResourceSet (the storage version). @public */
export const CLUSTER_RESOURCE_SET_API_VERSION =
  'addons.cluster.x-k8s.io/v1beta2';

/**
 * Wraps workload-cluster objects for delivery through Cluster API: a ConfigMap holding them and a
 * ClusterResourceSet (strategy Reconcile, so a changed ConfigMap is applied again) in the
 * Cluster's namespace, selecting that one Cluster by the label the actions set on it. Both carry
 * `cluster.x-k8s.io/cluster-name`, so capa:apply authorizes them as changes to that cluster.
 */
export function deliver(options: {
  name: string;
  namespace: string;
  cluster: string;
  tenant?: string;
  role: 'join' | 'expose';
  serviceNetwork: string;
  annotations?: Record<string, string>;
  objects: KubernetesObject[];
}): LatticeDelivery {
  const labels = sortedMap({
    ...(options.tenant ? { [CAPA_LABELS.tenant]: options.tenant } : {}),
    [CAPA_LABELS.managedBy]: MANAGED_BY,
    [CAPA_LABELS.clusterName]: options.cluster,
    [LATTICE_LABELS.role]: options.role,
    [LATTICE_LABELS.serviceNetwork]: options.serviceNetwork,
  });
  const metadata = {
    name: options.name,
    namespace: options.namespace,
    labels,
    ...(options.annotations
      ? { annotations: sortedMap(options.annotations) }
      : {}),
  };
  return {
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata,
      // A ConfigMap holds text: the objects serialised once, by the project's YAML writer.
      data: { [LATTICE.configMapKey]: toYaml(options.objects) },
    },
    clusterResourceSet: {
      apiVersion: CLUSTER_RESOURCE_SET_API_VERSION,
      kind: 'ClusterResourceSet',
      metadata: { name: options.name, namespace: options.namespace, labels },
      spec: {
        clusterSelector: {
          matchLabels: { [LATTICE_LABELS.target]: options.cluster },
        },
        resources: [{ kind: 'ConfigMap', name: options.name }],
        strategy: 'Reconcile',
      },
    },
  };
}

/** Names of the ConfigMap and ClusterResourceSet of a cluster's join. @public */
export function latticeJoinName(cluster: string): string {
  return `lattice-join.${cluster}`;
}

/**
 * Names of the ConfigMap and ClusterResourceSet of one exposed service. Dots separate the parts,
 * which are DNS labels, so two services never share a name.
 *
 * @public
 */
export function latticeExposeName(
  cluster: string,
  serviceNamespace: string,
  service: string,
): string {
  return `lattice-expose.${cluster}.${serviceNamespace}.${service}`;
}

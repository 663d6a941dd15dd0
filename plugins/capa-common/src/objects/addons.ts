import type { Condition, KubernetesObject } from './meta';

/**
 * A ConfigMap. The watch cache keeps only those of VPC Lattice service access (label
 * `capa.backstage.io/lattice`), and of those only the metadata.
 *
 * @public
 */
export interface ConfigMap extends KubernetesObject<never, never> {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  data?: Record<string, string>;
}

/** Cluster API's ClusterResourceSet (addons.cluster.x-k8s.io/v1beta2). @public */
export interface ClusterResourceSet
  extends KubernetesObject<
    {
      clusterSelector: {
        matchLabels?: Record<string, string>;
        matchExpressions?: Array<{
          key: string;
          operator: string;
          values?: string[];
        }>;
      };
      resources: Array<{ kind: 'ConfigMap' | 'Secret'; name: string }>;
      strategy?: 'ApplyOnce' | 'Reconcile';
    },
    { conditions?: Condition[]; observedGeneration?: number }
  > {
  kind: 'ClusterResourceSet';
}

/** What Cluster API applied to one cluster, per ClusterResourceSet (named after the cluster). @public */
export interface ClusterResourceSetBinding
  extends KubernetesObject<{
    clusterName: string;
    bindings?: Array<{
      clusterResourceSetName: string;
      resources?: Array<{
        kind: string;
        name: string;
        applied: boolean;
        hash?: string;
        lastAppliedTime?: string;
      }>;
    }>;
  }> {
  kind: 'ClusterResourceSetBinding';
}

import type { KubernetesTestServer, KubeObject } from '../src/testUtils';

const CLUSTER = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster' };
const CRS = {
  apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
  kind: 'ClusterResourceSet',
};
const BINDING = {
  apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
  kind: 'ClusterResourceSetBinding',
};

const matches = (labels: Record<string, string>, selector: unknown) => {
  const wanted = (selector as { matchLabels?: Record<string, string> })
    ?.matchLabels;
  // Cluster API: an empty selector matches no cluster.
  return (
    !!wanted &&
    Object.keys(wanted).length > 0 &&
    Object.entries(wanted).every(([k, v]) => labels[k] === v)
  );
};

/**
 * Plays Cluster API's ClusterResourceSet controller for the demo: records in each matching
 * Cluster's ClusterResourceSetBinding that the ConfigMaps of every ClusterResourceSet selecting
 * it were applied (there is no workload cluster to apply them to), so the cluster card shows the
 * delivery of VPC Lattice service access.
 */
export function simulateClusterResourceSets(
  server: KubernetesTestServer,
  options: { log(message: string): void },
) {
  const tick = () => {
    const clusters = server.listObjects(
      CLUSTER.apiVersion,
      CLUSTER.kind,
    ) as KubeObject[];
    const sets = server.listObjects(CRS.apiVersion, CRS.kind) as KubeObject[];
    for (const cluster of clusters) {
      const { namespace, name, labels = {} } = cluster.metadata;
      const bindings = sets
        .filter(
          s =>
            s.metadata.namespace === namespace &&
            matches(labels, (s.spec as any)?.clusterSelector),
        )
        .map(s => ({
          clusterResourceSetName: s.metadata.name,
          resources: ((s.spec as any)?.resources ?? []).map(
            (r: { kind: string; name: string }) => ({
              kind: r.kind,
              name: r.name,
              applied: true,
              lastAppliedTime: s.metadata.creationTimestamp,
            }),
          ),
        }));
      const ref = { ...BINDING, namespace: namespace!, name };
      const existing = server.getObject(ref);
      const same =
        JSON.stringify((existing?.spec as any)?.bindings ?? []) ===
        JSON.stringify(bindings);
      if (!bindings.length && !existing) continue;
      if (existing && same) continue;
      server.seed(
        [
          {
            ...BINDING,
            metadata: { name, namespace },
            spec: { clusterName: name, bindings },
          },
        ],
        { fieldManager: 'manager' },
      );
      options.log(
        `ClusterResourceSetBinding ${namespace}/${name}: ${
          bindings.map(b => b.clusterResourceSetName).join(', ') || 'nothing'
        } applied`,
      );
    }
  };
  const timer = setInterval(tick, 1000);
  return { stop: () => clearInterval(timer) };
}

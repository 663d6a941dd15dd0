import type { StoredObject } from '@capa-backstage/plugin-capa-common';
import type { LiveCluster, LivePool } from '../liveCluster';

/** Live objects for the planning tests, without a server: only what the plans read. */
export function livePool(
  name: string,
  options: {
    version?: string;
    replicas?: number;
    amiType?: string;
    amiVersion?: string;
    scaling?: { minSize: number; maxSize: number };
    managedFields?: StoredObject<'MachinePool'>['metadata']['managedFields'];
  } = {},
): LivePool {
  const metadata = { name: `prod-${name}`, namespace: 'acme' };
  return {
    name,
    machinePool: {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachinePool',
      metadata: { ...metadata, managedFields: options.managedFields },
      spec: {
        clusterName: 'prod',
        replicas: options.replicas,
        template: { spec: { version: options.version ?? 'v1.33.0' } },
      },
    },
    managedPool: {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'AWSManagedMachinePool',
      metadata,
      spec: {
        amiType: options.amiType ?? 'AL2023_x86_64_STANDARD',
        amiVersion: options.amiVersion,
        scaling: options.scaling ?? { minSize: 1, maxSize: 3 },
      },
    },
  };
}

export function liveCluster(
  options: {
    version?: string;
    reported?: string;
    pools?: LivePool[];
    tags?: Record<string, string>;
  } = {},
): LiveCluster {
  return {
    cluster: {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: {
        name: 'prod',
        namespace: 'acme',
        labels: { 'capa.backstage.io/tenant': 'acme' },
      },
    },
    controlPlane: {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'AWSManagedControlPlane',
      metadata: { name: 'prod-control-plane', namespace: 'acme' },
      spec: {
        ...(options.version ? { version: options.version } : {}),
        additionalTags: options.tags ?? {},
      },
      status: options.reported ? { version: options.reported } : {},
    },
    pools: options.pools ?? [livePool('general')],
  };
}

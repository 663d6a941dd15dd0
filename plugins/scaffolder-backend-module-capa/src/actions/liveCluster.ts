import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  clusterObjectNames,
  KINDS,
  objectRef,
  type StoredObject,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusterClient } from '@capa-backstage/plugin-capa-node';

/** One node pool as it is on the management cluster. */
export interface LivePool {
  /** The pool's name: the MachinePool's name without the `<cluster>-` prefix. */
  name: string;
  machinePool: StoredObject<'MachinePool'>;
  /** The AWSManagedMachinePool behind it; undefined for other kinds, or when it is missing. */
  managedPool?: StoredObject<'AWSManagedMachinePool'>;
}

/** A workload cluster's objects, read before an action changes anything. */
export interface LiveCluster {
  cluster: StoredObject<'Cluster'>;
  controlPlane: StoredObject<'AWSManagedControlPlane'>;
  pools: LivePool[];
}

/**
 * Reads a cluster's Cluster, AWSManagedControlPlane and (optionally) node pools. Refuses, before
 * anything is changed, a Cluster that does not exist, is being deleted, or is not an EKS cluster
 * of CAPA.
 */
export async function readLiveCluster(
  client: ManagementClusterClient,
  namespace: string,
  name: string,
  options: { pools: boolean },
): Promise<LiveCluster> {
  const where = `Cluster ${namespace}/${name} on management cluster "${client.name}"`;
  const cluster = await client.find<StoredObject<'Cluster'>>(
    objectRef('Cluster', namespace, name),
  );
  if (!cluster)
    throw new NotFoundError(`${where} does not exist; nothing was changed`);
  if (
    cluster.metadata.deletionTimestamp ||
    cluster.status?.phase === 'Deleting'
  ) {
    throw new ConflictError(`${where} is being deleted; nothing was changed`);
  }
  const cpRef = cluster.spec?.controlPlaneRef;
  if (cpRef && cpRef.kind !== 'AWSManagedControlPlane') {
    throw new InputError(
      `${where} has a ${String(
        cpRef.kind,
      )} control plane; these actions manage EKS clusters (AWSManagedControlPlane) only. Nothing was changed`,
    );
  }
  const cpName =
    typeof cpRef?.name === 'string'
      ? cpRef.name
      : clusterObjectNames.controlPlane(name);
  const controlPlane = await client.find<
    StoredObject<'AWSManagedControlPlane'>
  >(objectRef('AWSManagedControlPlane', namespace, cpName));
  if (!controlPlane) {
    throw new NotFoundError(
      `${where}: its control plane AWSManagedControlPlane ${namespace}/${cpName} does not exist; nothing was changed`,
    );
  }
  if (controlPlane.metadata.deletionTimestamp) {
    throw new ConflictError(
      `${where}: its control plane is being deleted; nothing was changed`,
    );
  }
  const pools = options.pools ? await readPools(client, namespace, name) : [];
  return { cluster, controlPlane, pools };
}

async function readPools(
  client: ManagementClusterClient,
  namespace: string,
  cluster: string,
): Promise<LivePool[]> {
  const items: StoredObject<'MachinePool'>[] = [];
  const { apiVersion, kind } = KINDS.MachinePool;
  let next: string | undefined;
  do {
    const page = await client.list<StoredObject<'MachinePool'>>(
      { apiVersion, kind, namespace },
      { limit: 200, continue: next },
    );
    items.push(...page.items);
    next = page.continue;
  } while (next);
  const prefix = `${cluster}-`;
  const pools = items
    .filter(mp => mp.spec?.clusterName === cluster)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  return Promise.all(
    pools.map(async machinePool => {
      const infra = machinePool.spec?.template?.spec?.infrastructureRef;
      const managedPool =
        infra?.kind === 'AWSManagedMachinePool' &&
        typeof infra.name === 'string'
          ? await client.find<StoredObject<'AWSManagedMachinePool'>>(
              objectRef('AWSManagedMachinePool', namespace, infra.name),
            )
          : undefined;
      const mpName = machinePool.metadata.name;
      return {
        name: mpName.startsWith(prefix) ? mpName.slice(prefix.length) : mpName,
        machinePool,
        managedPool,
      };
    }),
  );
}

/** Reads the control plane again for a retry, refusing a cluster that started deleting meanwhile. */
export async function rereadControlPlane(
  client: ManagementClusterClient,
  namespace: string,
  name: string,
): Promise<StoredObject<'AWSManagedControlPlane'>> {
  return (await readLiveCluster(client, namespace, name, { pools: false }))
    .controlPlane;
}

/** The string values of a map read from a management cluster; anything else is left out. */
export function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
}

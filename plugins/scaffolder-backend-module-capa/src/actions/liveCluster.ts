import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  API_VERSIONS,
  clusterObjectNames,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusterClient } from '@capa-backstage/plugin-capa-node';
import type {
  KubernetesObject,
  ObjectRef,
} from '@capa-backstage/plugin-capa-common';
import type { z as zod } from 'zod/v3';
import { managementClusterSchema } from './schemas';

/** One node pool as it is on the management cluster. */
export interface LivePool {
  /** The pool's name: the MachinePool's name without the `<cluster>-` prefix. */
  name: string;
  machinePool: KubernetesObject;
  /** The AWSManagedMachinePool behind it; undefined for other kinds, or when it is missing. */
  managedPool?: KubernetesObject;
}

/** A workload cluster's objects, read before an action changes anything. */
export interface LiveCluster {
  cluster: KubernetesObject;
  controlPlane: KubernetesObject;
  pools: LivePool[];
}

/** The inputs every day-2 action takes to name its cluster. */
export function clusterTargetSchema(z: typeof zod) {
  return {
    managementCluster: managementClusterSchema(z),
    namespace: z
      .string()
      .describe("The Cluster's namespace (the tenant's namespace)"),
    cluster: z.string().describe('Name of the CAPI Cluster'),
    dryRun: z
      .boolean()
      .optional()
      .describe(
        'Server-side dry run: check and report every change, store nothing',
      ),
  };
}

/** The output fields every day-2 action reports. */
export function day2OutputSchema(z: typeof zod) {
  return {
    objects: z
      .array(
        z.object({
          kind: z.string().describe('Kind of the object'),
          namespace: z.string().optional().describe('Its namespace'),
          name: z.string().describe('Its name'),
          action: z
            .enum(['created', 'configured', 'unchanged', 'deleted'])
            .describe('What happened to it'),
          changes: z
            .array(z.string())
            .describe('The changed fields, as in the task log'),
        }),
      )
      .describe('Every object the action looked at, in the order handled'),
    dryRun: z.boolean().describe('True when nothing was stored'),
  };
}

/** Names one namespaced object. */
export const ref = (
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
): ObjectRef => ({ apiVersion, kind, namespace, name });

/** Refs of a cluster's objects, by the naming renderCluster uses when a reference is absent. */
export const clusterRefs = {
  cluster: (ns: string, name: string) =>
    ref(API_VERSIONS.cluster, 'Cluster', ns, name),
  machinePool: (ns: string, name: string) =>
    ref(API_VERSIONS.cluster, 'MachinePool', ns, name),
  managedPool: (ns: string, name: string) =>
    ref(API_VERSIONS.infrastructure, 'AWSManagedMachinePool', ns, name),
  controlPlane: (ns: string, name: string) =>
    ref(API_VERSIONS.controlPlane, 'AWSManagedControlPlane', ns, name),
};

/** The Kubernetes minor version of "v1.33", "1.33.4" or "v1.33.0-eks-abc"; undefined otherwise. */
export function minorVersion(
  version: unknown,
): { major: number; minor: number } | undefined {
  if (typeof version !== 'string') return undefined;
  const m = /^v?(\d+)\.(\d+)(?:[.-]|$)/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** "1.33" */
export const formatMinor = (v: { major: number; minor: number }) =>
  `${v.major}.${v.minor}`;

/** Orders minor versions; negative when a is older. */
export const compareMinor = (
  a: { major: number; minor: number },
  b: { major: number; minor: number },
) => a.major - b.major || a.minor - b.minor;

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
  const cluster = await client.find(clusterRefs.cluster(namespace, name));
  if (!cluster)
    throw new NotFoundError(`${where} does not exist; nothing was changed`);
  const phase = (cluster.status as { phase?: unknown } | undefined)?.phase;
  if (cluster.metadata.deletionTimestamp || phase === 'Deleting') {
    throw new ConflictError(`${where} is being deleted; nothing was changed`);
  }
  const cpRef = (cluster.spec as { controlPlaneRef?: Record<string, unknown> })
    ?.controlPlaneRef;
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
  const controlPlane = await client.find(
    clusterRefs.controlPlane(namespace, cpName),
  );
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
  const items: KubernetesObject[] = [];
  let next: string | undefined;
  do {
    const page = await client.list(
      { apiVersion: API_VERSIONS.cluster, kind: 'MachinePool', namespace },
      { limit: 200, continue: next },
    );
    items.push(...page.items);
    next = page.continue;
  } while (next);
  const prefix = `${cluster}-`;
  const pools = items
    .filter(
      mp => (mp.spec as { clusterName?: unknown })?.clusterName === cluster,
    )
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  return Promise.all(
    pools.map(async machinePool => {
      const infra = (
        machinePool.spec as {
          template?: { spec?: { infrastructureRef?: Record<string, unknown> } };
        }
      )?.template?.spec?.infrastructureRef;
      const managedPool =
        infra?.kind === 'AWSManagedMachinePool' &&
        typeof infra.name === 'string'
          ? await client.find(clusterRefs.managedPool(namespace, infra.name))
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

/** The spec of an object as a loose map, for reading fields that may be absent. */
export function specOf(obj: KubernetesObject | undefined): Record<string, any> {
  return (obj?.spec as Record<string, any> | undefined) ?? {};
}

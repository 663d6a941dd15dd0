import type { AuditorService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { clusterEntityRef } from '@capa-backstage/plugin-capa-common';
import type { z as zod } from 'zod/v3';
import { actorOf, audited } from '../service/audit';
import type { ClusterAccess, FleetParams } from '../service/clusterAccess';
import { checkInput, reported } from './input';
import { zodObjectOf, zodOfParameters } from './openApiZod';

/** What the read actions need. */
export interface ClusterReadActionsOptions {
  actionsRegistry: ActionsRegistryService;
  access: ClusterAccess;
  auditor: AuditorService;
}

/** They only read the watch cache (or one Secret): safe to repeat, nothing changes. */
const READ_ONLY = { readOnly: true, idempotent: true, destructive: false };

/** The parameters of an HTTP route as action input, each reported by path when broken. */
function inputOf(
  z: typeof zod,
  path: Parameters<typeof zodOfParameters>[1],
): zod.AnyZodObject {
  const shape = zodOfParameters(z, path);
  return z.object(
    Object.fromEntries(
      Object.entries(shape).map(([key, schema]) => [key, reported(schema)]),
    ),
  );
}

const CLUSTER_PATH = '/clusters/{managementCluster}/{namespace}/{name}';

/**
 * `list-clusters`, `get-cluster` and `get-cluster-kubeconfig`: the answers of `GET /clusters`,
 * `GET /clusters/:mc/:ns/:name` and its `/kubeconfig`, with the same parameters, permissions and
 * errors, for the calling user.
 */
export function registerClusterReadActions(options: ClusterReadActionsOptions) {
  const { actionsRegistry, access, auditor } = options;

  actionsRegistry.register({
    name: 'list-clusters',
    title: 'List EKS workload clusters',
    description: `Lists the Amazon EKS workload clusters that Cluster API Provider AWS (CAPA) runs for the portal's tenants, one page at a time, as the portal's fleet page shows them. Each item names the cluster (managementCluster, namespace, name: the three values the other cluster tools take), its tenant and owner group, phase (Provisioned, Provisioning, Pending, Deleting, Failed, Unknown), AWS account and region, Kubernetes version, node pool counts, unhealthy conditions, problems, and the causes of its diagnosis when something is recognised as wrong.
Filters are exact matches and combine; search matches text in the name, namespace or tenant. Only clusters the calling user may read are listed and counted (totalItems, phaseCounts, facets); with "can", only those the user may also update, delete, manage access to or take the kubeconfig of. For the next page, call again with cursor set to the previous answer's nextCursor and the same sort and order; there is no next page when nextCursor is absent.
Reads the portal's watch cache of the management clusters; changes nothing.`,
    attributes: READ_ONLY,
    schema: {
      input: z => inputOf(z, '/clusters'),
      output: z => zodObjectOf(z, 'ClusterList'),
    },
    action: async ({ input, credentials }) => {
      checkInput(input, 'capa:list-clusters input');
      const output = await audited(
        auditor,
        {
          eventId: 'cluster-list',
          severityLevel: 'low',
          meta: { action: 'capa:list-clusters', actor: actorOf(credentials) },
        },
        () => access.listClusters(credentials, input as FleetParams),
        list => ({ totalItems: list.totalItems }),
      );
      return { output };
    },
  });

  actionsRegistry.register({
    name: 'get-cluster',
    title: 'Get one EKS workload cluster',
    description: `Everything the portal knows about one EKS workload cluster, named by managementCluster, namespace and name (as list-clusters returns them): phase, the status conditions and failure messages of the Cluster and each object behind it, the diagnosis (why it is not ready: cause, evidence, the fix and who applies it; empty when nothing is recognised as wrong), failure reason, tenant and owner group, AWS account, the IAM role CAPA uses and how it was resolved, region, EKS cluster name, endpoint and Kubernetes versions (desired and actual), each node pool (replicas, instance type, scaling bounds, failures), the IAM roles and users mapped into the cluster, whether its kubeconfig is available, and problems with its objects in words.
staleSince is set while the management cluster cannot be reached: the answer is then the last known status. Fails with NotAllowedError when the calling user may not read the cluster (whether or not it exists), NotFoundError when it does not exist, and ServiceUnavailableError when that cannot be known yet (the management cluster was not listed completely or cannot be reached).
Reads the portal's watch cache; changes nothing.`,
    attributes: READ_ONLY,
    schema: {
      input: z => inputOf(z, CLUSTER_PATH),
      output: z => zodObjectOf(z, 'ClusterView'),
    },
    action: async ({ input, credentials }) => {
      checkInput(input, 'capa:get-cluster input');
      const cluster = {
        managementCluster: input.managementCluster,
        namespace: input.namespace,
        name: input.name,
      };
      const output = await audited(
        auditor,
        {
          eventId: 'cluster-read',
          severityLevel: 'low',
          meta: {
            action: 'capa:get-cluster',
            actor: actorOf(credentials),
            ...cluster,
            entityRef: clusterEntityRef(cluster),
          },
        },
        () => access.clusterView(credentials, cluster),
      );
      return { output };
    },
  });

  actionsRegistry.register({
    name: 'get-cluster-kubeconfig',
    title: 'How to connect to an EKS workload cluster',
    description: `How to connect kubectl to one EKS workload cluster, named by managementCluster, namespace and name: the aws eks update-kubeconfig command (and one per IAM role mapped into the cluster, with --role-arn), and the cluster's kubeconfig as CAPA writes it. The kubeconfig holds no secret: kubectl runs "aws eks get-token" with the user's own AWS credentials, so it works only for AWS identities the cluster maps.
Needs the permission capa.cluster.kubeconfig.read on the cluster (in the shipped policy: its owners and the platform team); fails with NotAllowedError otherwise, and with NotFoundError while the cluster or its kubeconfig does not exist yet (CAPA writes it once the EKS control plane is ready). A kubeconfig that carries credentials is refused, never returned. Each call is audited (kubeconfig-read).
Reads one Secret from the management cluster; changes nothing.`,
    attributes: READ_ONLY,
    schema: {
      input: z => inputOf(z, `${CLUSTER_PATH}/kubeconfig`),
      output: z => zodObjectOf(z, 'KubeconfigResponse'),
    },
    action: async ({ input, credentials }) => {
      checkInput(input, 'capa:get-cluster-kubeconfig input');
      const cluster = {
        managementCluster: input.managementCluster,
        namespace: input.namespace,
        name: input.name,
      };
      const output = await audited(
        auditor,
        {
          eventId: 'kubeconfig-read',
          severityLevel: 'medium',
          meta: {
            managementCluster: cluster.managementCluster,
            namespace: cluster.namespace,
            cluster: cluster.name,
            entityRef: clusterEntityRef(cluster),
            action: 'capa:get-cluster-kubeconfig',
            actor: actorOf(credentials),
          },
        },
        () => access.userKubeconfig(credentials, cluster),
      );
      return { output };
    },
  });
}

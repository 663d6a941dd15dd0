import type { AuditorService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  clusterInputSchema,
  DEFAULT_KUBERNETES_VERSIONS,
} from '@capa-backstage/plugin-capa-common';
import { actorOf, audited } from '../service/audit';
import { planCluster, type ClusterPlanDeps } from './clusterPlan';
import { checkInput, inputProblems, reported } from './input';

/** What the plan action needs. */
export interface PlanClusterActionOptions extends ClusterPlanDeps {
  actionsRegistry: ActionsRegistryService;
  auditor: AuditorService;
}

/**
 * `plan-cluster`: what creating a cluster would do, without doing it. Validates the input as
 * capa:cluster:render does, renders it, and dry-runs it on the management cluster for callers who
 * may create clusters in the tenant.
 */
export function registerPlanClusterAction(options: PlanClusterActionOptions) {
  const { actionsRegistry, auditor, ...deps } = options;
  const versions = (
    deps.validation.kubernetesVersions ?? DEFAULT_KUBERNETES_VERSIONS
  ).join(', ');
  actionsRegistry.register({
    name: 'plan-cluster',
    title: 'Plan a new EKS workload cluster (dry run)',
    description: `Checks whether a new Amazon EKS cluster can be created for a tenant as given, and shows what would be created, without creating anything. It validates the cluster input exactly as the portal's cluster template does, renders the Cluster API objects (Cluster, AWSManagedControlPlane, AWSManagedCluster, a MachinePool and AWSManagedMachinePool per node pool, Fargate profiles), checks the tenant's namespace and AWS identity and that no cluster of that name exists, then sends every object to the management cluster as a server-side dry run (dryRun=All: validated by the API server and its webhooks, never stored).
The answer lists every problem at once, each with its field path (cluster.nodePools[0].maxSize in the input, or a field such as spec.version of the rendered object the management cluster refused), the objects with what the dry run said of each (created, or rejected, or not-checked when an earlier problem stopped the dry run), the manifest as YAML and warnings. valid is true when no problem was found.
Needs the permission capa.cluster.create on the tenant (in the shipped policy: members of the tenant's group and the platform team); fails with NotAllowedError otherwise, before anything is sent to the management cluster. Input problems are reported to anyone. Writes nothing. Audited (cluster-plan).`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          managementCluster: reported(
            z
              .string()
              .describe(
                'The management cluster to create the cluster on (the managementCluster of list-clusters items)',
              ),
          ),
          cluster: reported(
            clusterInputSchema(deps.validation).describe(
              `The cluster, as the portal's cluster template takes it: name and tenant (both DNS labels; the tenant's namespace is used unless namespace is given), an AWS region, kubernetesVersion (one of ${versions}), node pools, access and the other optional fields below`,
            ),
          ),
        }),
      output: z =>
        z.object({
          valid: z
            .boolean()
            .describe(
              'True when no problem was found: creating it would be accepted',
            ),
          managementCluster: z.string(),
          namespace: z
            .string()
            .optional()
            .describe('The namespace the cluster would be created in'),
          name: z.string().optional(),
          entityRef: z
            .string()
            .optional()
            .describe('The catalog entity the cluster would get'),
          problems: z
            .array(
              z.object({
                path: z
                  .string()
                  .describe(
                    'The field: a path in the input (cluster.region), or in `object` (spec.version); empty when the whole input or object is meant',
                  ),
                message: z.string().describe('The broken rule, in words'),
                object: z
                  .string()
                  .optional()
                  .describe(
                    'The rendered object the management cluster refused, as "Kind namespace/name"',
                  ),
              }),
            )
            .describe('Every problem found; empty when valid'),
          objects: z
            .array(
              z.object({
                apiVersion: z.string(),
                kind: z.string(),
                namespace: z.string().optional(),
                name: z.string(),
                dryRun: z
                  .enum([
                    'created',
                    'configured',
                    'unchanged',
                    'rejected',
                    'not-checked',
                  ])
                  .describe(
                    'What the dry run said: created (would be created), rejected (see problems), not-checked (an earlier problem stopped the dry run)',
                  ),
              }),
            )
            .describe(
              'The objects that would be created, in apply order; empty when the input is invalid',
            ),
          manifest: z
            .string()
            .describe(
              'The rendered objects as one multi-document YAML stream, as the template would apply them',
            ),
          warnings: z
            .array(z.string())
            .describe('Warnings a person should read before creating it'),
        }),
    },
    action: async ({ input, credentials }) => {
      const { cluster, ...rest } = input;
      // A broken management cluster name is an error; a broken cluster is the plan's answer.
      checkInput(rest, 'capa:plan-cluster input');
      const problems = inputProblems({ cluster });
      const output = await audited(
        auditor,
        {
          eventId: 'cluster-plan',
          severityLevel: 'medium',
          meta: {
            action: 'capa:plan-cluster',
            actor: actorOf(credentials),
            managementCluster: input.managementCluster,
          },
        },
        () =>
          planCluster(
            deps,
            credentials,
            { managementCluster: input.managementCluster, cluster },
            problems,
          ),
        plan => ({
          valid: plan.valid,
          problems: plan.problems.length,
          ...(plan.entityRef ? { entityRef: plan.entityRef } : {}),
        }),
      );
      return { output };
    },
  });
}

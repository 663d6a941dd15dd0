import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CapaValidationError,
  type CapaValidationIssue,
  capaClusterUpdatePermission,
  type LatticeJoinResult,
  renderLatticeJoin,
  objectRef,
} from '@capa-backstage/plugin-capa-common';
import {
  type ManagementClusters,
  OwnedFieldsApplier,
} from '@capa-backstage/plugin-capa-node';
import {
  clusterWrite,
  type TaskAuthorizer,
} from '../authorization/TaskAuthorizer';
import { day2OutputSchema, type ReportedObject } from './day2';
import { examples } from './networkJoin.examples';
import {
  applyObjects,
  NETWORK_FIELD_MANAGER,
  type NetworkActionConfig,
  networkTargetSchema,
  readLatticeContext,
  writeNetworkFiles,
} from './network.common';
import { readLiveCluster } from './liveCluster';

/** @public */
export interface NetworkJoinActionOptions extends NetworkActionConfig {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
}

/**
 * `capa:network:join`: joins Provisioned clusters of a tenant to a VPC Lattice service network.
 *
 * @public
 */
export function createNetworkJoinAction(options: NetworkJoinActionOptions) {
  return createTemplateAction({
    id: 'capa:network:join',
    description:
      "Joins Provisioned EKS clusters of one tenant to a VPC Lattice service network: a Gateway of class amazon-vpc-lattice named after the service network reaches each workload cluster through a ClusterResourceSet (strategy Reconcile) and its ConfigMap in the tenant namespace, selecting the Cluster by the label capa.backstage.io/lattice-cluster, which this action sets; the EKS Pod Identity agent add-on is merged into the AWSManagedControlPlane's add-ons. Needs capa.cluster.update on every cluster. Writes the same objects to the workspace for GitOps. A second run changes nothing.",
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          ...networkTargetSchema(z),
          clusters: z
            .array(z.string())
            .min(1)
            .describe("Names of the tenant's Clusters to join"),
          serviceNetwork: z
            .string()
            .describe(
              'The service network (created outside the cluster, or by the controller) and the Gateway name',
            ),
          podIdentityAgentVersion: z
            .string()
            .optional()
            .describe(
              'Version of the eks-pod-identity-agent add-on, when a cluster lacks it',
            ),
        }),
      output: z =>
        z.object({
          ...day2OutputSchema(z),
          files: z
            .array(z.string())
            .describe('Workspace-relative paths of the files written'),
          warnings: z.array(z.string()).describe('What a person must read'),
        }),
    },
    async handler(ctx) {
      const { input } = ctx;
      const dryRun = Boolean(input.dryRun || ctx.isDryRun);
      const { managementCluster, namespace } = input;
      // Every write is authorized before the first request to the management cluster.
      await options.authorizer.authorize(
        ctx,
        { action: 'capa:network:join', managementCluster },
        input.clusters.map(name =>
          clusterWrite(capaClusterUpdatePermission, {
            managementCluster,
            namespace,
            name,
          }),
        ),
      );
      const client = options.managementClusters
        .get(managementCluster)
        .withSignal(ctx.signal);
      const context = await readLatticeContext(client, [namespace], options);

      // Every cluster's problems at once, before anything is sent.
      const issues: CapaValidationIssue[] = [];
      const lives = await Promise.all(
        input.clusters.map(async name =>
          context.clusters.some(c => c.name === name)
            ? readLiveCluster(client, namespace, name, { pools: false })
            : undefined,
        ),
      );
      const rendered: LatticeJoinResult[] = [];
      input.clusters.forEach((cluster, i) => {
        try {
          rendered.push(
            renderLatticeJoin(
              {
                serviceNetwork: input.serviceNetwork,
                namespace,
                cluster,
                podIdentityAgentVersion: input.podIdentityAgentVersion,
              },
              context,
              (lives[i]?.controlPlane.spec?.addons ?? []) as never,
            ),
          );
        } catch (e) {
          if (!(e instanceof CapaValidationError)) throw e;
          issues.push(
            ...e.issues.map(issue => ({
              path: issue.path === 'cluster' ? `clusters[${i}]` : issue.path,
              message: issue.message,
            })),
          );
        }
      });
      if (issues.length) {
        const unique = issues.filter(
          (a, i) =>
            issues.findIndex(
              b => b.path === a.path && b.message === a.message,
            ) === i,
        );
        throw new CapaValidationError('capa:network:join input', unique);
      }

      const applier = new OwnedFieldsApplier({
        client,
        fieldManager: NETWORK_FIELD_MANAGER,
        dryRun,
        logger: ctx.logger,
        checkpoint: ctx.checkpoint,
        checkpointPrefix: 'capa-network-join',
      });
      ctx.logger.info(
        `${dryRun ? 'Dry run: joining' : 'Joining'} ${input.clusters
          .map(c => `${namespace}/${c}`)
          .join(', ')} to VPC Lattice service network "${
          input.serviceNetwork
        }"`,
      );
      const objects: ReportedObject[] = [];
      const files: string[] = [];
      const warnings: string[] = [];
      for (const [i, r] of rendered.entries()) {
        const live = lives[i]!;
        const clusterPlan = {
          ref: objectRef('Cluster', namespace, input.clusters[i]),
          live: live.cluster,
          changes: [
            {
              path: ['metadata', 'labels', r.clusterLabel.key],
              value: r.clusterLabel.value,
            },
          ],
        };
        const cpPlan = {
          ref: objectRef(
            'AWSManagedControlPlane',
            namespace,
            live.controlPlane.metadata.name,
          ),
          live: live.controlPlane,
          changes: [
            {
              path: ['spec', 'addons'],
              value: r.addons,
              describeItem: (a: unknown) =>
                `${(a as { name: string }).name} ${
                  (a as { version: string }).version
                }`,
            },
          ],
        };
        // Only the add-ons when they change: another manager may own them, and then it must not block a no-op.
        const plans = r.addonsChanged ? [clusterPlan, cpPlan] : [clusterPlan];
        applier.preflight(plans);
        objects.push(
          ...(await applyObjects(client, r.objects, {
            dryRun,
            logger: ctx.logger,
          })),
        );
        for (const plan of plans) {
          const reread = async () => ({
            ...plan,
            live: await client.get(plan.ref),
          });
          objects.push(await applier.apply(plan, reread));
        }
        warnings.push(...r.warnings);
        files.push(
          ...(await writeNetworkFiles(
            ctx.workspacePath,
            `${input.targetPath ?? 'lattice'}/${namespace}/${
              input.clusters[i]
            }`,
            [
              { path: 'management-cluster/join.yaml', yaml: r.objects },
              {
                path: 'workload-cluster/service-network.yaml',
                yaml: r.workload,
              },
            ],
          )),
        );
      }
      for (const w of warnings) ctx.logger.warn(w);
      ctx.output('objects', objects);
      ctx.output('dryRun', dryRun);
      ctx.output('files', files);
      ctx.output('warnings', warnings);
    },
  });
}

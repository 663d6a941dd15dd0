import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  capaClusterUpdatePermission,
  latticeCallerKey,
  LATTICE_LABELS,
  latticeExposeName,
  objectRef,
  readLatticeExposeRecord,
  renderLatticeExpose,
} from '@capa-backstage/plugin-capa-common';
import {
  type ManagementClusters,
  OwnedFieldsApplier,
} from '@capa-backstage/plugin-capa-node';
import {
  clusterWrite,
  type TaskAuthorizer,
} from '../authorization/TaskAuthorizer';
import { day2OutputSchema } from './day2';
import { examples } from './networkExpose.examples';
import {
  applyObjects,
  NETWORK_FIELD_MANAGER,
  type NetworkActionConfig,
  networkTargetSchema,
  readLatticeContext,
  writeNetworkFiles,
} from './network.common';
import { serviceDir, serviceFiles } from './network.files';
import { readLiveCluster } from './liveCluster';

/** @public */
export interface NetworkExposeActionOptions extends NetworkActionConfig {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
}

const qualify = (ref: string, namespace: string) =>
  ref.includes('/') ? ref : `${namespace}/${ref}`;

/**
 * `capa:network:expose`: lets callers (cluster, namespace[, service account]) of the tenant call a
 * Service of one of its clusters over VPC Lattice.
 *
 * @public
 */
export function createNetworkExposeAction(options: NetworkExposeActionOptions) {
  return createTemplateAction({
    id: 'capa:network:expose',
    description:
      "Grants callers (a cluster and namespace, optionally a service account) access to a Kubernetes Service of a Provisioned cluster over VPC Lattice: an HTTPRoute attached to the service network's Gateway and an IAMAuthPolicy admitting exactly the allowed callers by their EKS Pod Identity session tags (eks-cluster-name, kubernetes-namespace, kubernetes-service-account), with the callers' account as principal. Adds to the callers already allowed. Both reach the cluster through a ClusterResourceSet and ConfigMap in the tenant namespace. The caller roles (Pod Identity trust, vpc-lattice-svcs:Invoke) and Pod Identity associations are written to the workspace as CloudFormation and AWS CLI scripts, with the objects, for GitOps. Callers in another AWS account need cross-account sharing enabled (capa.lattice.crossAccountSharing) and get an AWS RAM share. Needs capa.cluster.update on the service's cluster. A second run changes nothing.",
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          ...networkTargetSchema(z),
          cluster: z
            .string()
            .describe(
              "Name of the Cluster that runs the Service (in the tenant's namespace)",
            ),
          serviceNetwork: z
            .string()
            .describe('The service network both sides have joined'),
          service: z
            .object({
              name: z.string().describe('Name of the Kubernetes Service'),
              namespace: z.string().describe('Its namespace'),
              port: z.number().describe('Its port'),
              domain: z
                .string()
                .optional()
                .describe('Custom domain of the route (optional)'),
            })
            .describe('The Service to expose'),
          callers: z
            .array(
              z.object({
                cluster: z
                  .string()
                  .describe(
                    '"<name>" in the tenant namespace, or "<namespace>/<name>"',
                  ),
                namespace: z.string().describe('Namespace of the calling pods'),
                serviceAccount: z
                  .string()
                  .optional()
                  .describe('Only this service account (default: any)'),
              }),
            )
            .describe('Who may call the Service'),
          serviceArn: z
            .string()
            .optional()
            .describe(
              "The Lattice service's ARN, once known: narrows the caller roles",
            ),
          serviceNetworkArn: z
            .string()
            .optional()
            .describe(
              'The service network ARN (needed to share it with another account)',
            ),
        }),
      output: z =>
        z.object({
          ...day2OutputSchema(z),
          files: z
            .array(z.string())
            .describe('Workspace-relative paths of the files written'),
          warnings: z.array(z.string()).describe('What a person must read'),
          callers: z
            .array(z.string())
            .describe(
              'Every caller now allowed, as "<namespace>/<cluster> <namespace>[ <service account>]"',
            ),
          authPolicy: z
            .string()
            .describe('The IAMAuthPolicy policy document (JSON)'),
          callerRoles: z
            .array(z.object({ caller: z.string(), roleArn: z.string() }))
            .describe(
              'The IAM role each caller assumes through EKS Pod Identity',
            ),
          changed: z
            .boolean()
            .describe('False when every caller was already allowed'),
        }),
    },
    async handler(ctx) {
      const { input } = ctx;
      const dryRun = Boolean(input.dryRun || ctx.isDryRun);
      const { managementCluster, namespace, cluster, service } = input;
      await options.authorizer.authorize(
        ctx,
        { action: 'capa:network:expose', managementCluster },
        [
          clusterWrite(capaClusterUpdatePermission, {
            managementCluster,
            namespace,
            name: cluster,
          }),
        ],
      );
      const client = options.managementClusters
        .get(managementCluster)
        .withSignal(ctx.signal);
      const name = latticeExposeName(cluster, service.namespace, service.name);
      const existing = await client.find(
        objectRef('ConfigMap', namespace, name),
      );
      const record = existing ? readLatticeExposeRecord(existing) : undefined;
      // The grants so far stay; the input's come first so their error paths match the input.
      const asked = new Set(
        input.callers.map(c =>
          latticeCallerKey({ ...c, cluster: qualify(c.cluster, namespace) }),
        ),
      );
      const kept = (record?.callers ?? [])
        .filter(c => !asked.has(latticeCallerKey(c)))
        .map(c => ({
          cluster: c.cluster,
          namespace: c.namespace,
          ...(c.serviceAccount ? { serviceAccount: c.serviceAccount } : {}),
        }));
      const callers = [...input.callers, ...kept];
      const context = await readLatticeContext(
        client,
        [
          namespace,
          ...callers.map(c => qualify(c.cluster, namespace).split('/')[0]),
        ],
        options,
      );
      const rendered = renderLatticeExpose(
        {
          serviceNetwork: input.serviceNetwork,
          namespace,
          cluster,
          service,
          callers,
          serviceArn: input.serviceArn,
          serviceNetworkArn: input.serviceNetworkArn,
        },
        context,
      );

      const live = await readLiveCluster(client, namespace, cluster, {
        pools: false,
      });
      const labelPlan = {
        ref: objectRef('Cluster', namespace, cluster),
        live: live.cluster,
        changes: [
          {
            path: ['metadata', 'labels', LATTICE_LABELS.target],
            value: cluster,
          },
        ],
      };
      const applier = new OwnedFieldsApplier({
        client,
        fieldManager: NETWORK_FIELD_MANAGER,
        dryRun,
        logger: ctx.logger,
        checkpoint: ctx.checkpoint,
        checkpointPrefix: 'capa-network-expose',
      });
      applier.preflight([labelPlan]);
      ctx.logger.info(
        `${dryRun ? 'Dry run: allowing' : 'Allowing'} ${input.callers
          .map(c =>
            latticeCallerKey({ ...c, cluster: qualify(c.cluster, namespace) }),
          )
          .join(', ')} to call ${service.namespace}/${service.name}:${
          service.port
        } in Cluster ${namespace}/${cluster} over service network "${
          input.serviceNetwork
        }"${
          kept.length
            ? ` (${kept.length} caller${
                kept.length === 1 ? '' : 's'
              } already allowed)`
            : ''
        }`,
      );
      const objects = [
        await applier.apply(labelPlan, async () => ({
          ...labelPlan,
          live: await client.get(labelPlan.ref),
        })),
        ...(await applyObjects(client, rendered.objects, {
          dryRun,
          logger: ctx.logger,
        })),
      ];
      const files = await writeNetworkFiles(
        ctx.workspacePath,
        serviceDir(input.targetPath ?? 'lattice', namespace, cluster, service),
        serviceFiles(rendered, rendered.callerRoles, rendered.ramShare),
      );
      for (const w of rendered.warnings) ctx.logger.warn(w);
      ctx.output('objects', objects);
      ctx.output('dryRun', dryRun);
      ctx.output('files', files);
      ctx.output('warnings', rendered.warnings);
      ctx.output('callers', rendered.callers.map(latticeCallerKey));
      ctx.output('authPolicy', rendered.authPolicy.spec.policy);
      ctx.output(
        'callerRoles',
        rendered.callerRoles.map(r => ({
          caller: latticeCallerKey(r.caller),
          roleArn: r.roleArn,
        })),
      );
      ctx.output(
        'changed',
        objects.some(o => o.action !== 'unchanged'),
      );
    },
  });
}

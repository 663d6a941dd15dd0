import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  clusterEntityRef,
  clusterInputSchema,
  ClusterValidationOptions,
  renderCluster,
  toYaml,
} from '@capa-backstage/plugin-capa-common';
import { examples } from './clusterRender.examples';
import { renderOutputSchema, targetPathSchema } from './schemas';
import { summarize, writeWorkspaceFiles } from './workspace';

/**
 * `capa:cluster:render`: a tenant's EKS cluster (Cluster, control plane, infrastructure cluster,
 * node pools, Fargate profiles), written to the workspace as one YAML file.
 *
 * @public
 */
export function createClusterRenderAction(
  options: ClusterValidationOptions = {},
) {
  return createTemplateAction({
    id: 'capa:cluster:render',
    description:
      'Renders an EKS cluster for a tenant: Cluster, AWSManagedControlPlane, AWSManagedCluster and a MachinePool + AWSManagedMachinePool per node pool (CAPA v1beta2). Writes <targetPath>/clusters/<namespace>/<cluster>.yaml.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          cluster: clusterInputSchema(options).describe(
            'The cluster to render (validated before anything is written)',
          ),
          targetPath: targetPathSchema(
            z,
            '<targetPath>/clusters/<namespace>/<cluster>.yaml',
          ),
          managementCluster: z
            .string()
            .optional()
            .describe(
              'The management cluster it will be applied to; when given, the output entityRef names the catalog entity the cluster will get',
            ),
        }),
      output: z =>
        z.object({
          ...renderOutputSchema(z),
          entityRef: z
            .string()
            .optional()
            .describe(
              "The cluster's catalog entity ref, e.g. for a template's output link (only with managementCluster)",
            ),
        }),
    },
    async handler(ctx) {
      const result = renderCluster(ctx.input.cluster, options);
      const manifest = toYaml(result.objects);
      const { name, namespace } = result.objects[0].metadata;
      const files = await writeWorkspaceFiles(ctx.workspacePath, [
        {
          path: `${
            ctx.input.targetPath ?? 'capa'
          }/clusters/${namespace}/${name}.yaml`,
          content: manifest,
        },
      ]);
      for (const warning of result.warnings) ctx.logger.warn(warning);
      ctx.logger.info(
        `Rendered cluster ${namespace}/${name}: ${result.objects.length} objects into ${files[0]}`,
      );
      ctx.output('files', files);
      ctx.output('manifest', manifest);
      ctx.output('objects', summarize(result.objects));
      ctx.output('warnings', result.warnings);
      if (ctx.input.managementCluster) {
        ctx.output(
          'entityRef',
          clusterEntityRef({
            managementCluster: ctx.input.managementCluster,
            namespace: namespace!,
            name,
          }),
        );
      }
    },
  });
}

import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  renderTenant,
  tenantInputSchema,
  toYaml,
} from '@capa-backstage/plugin-capa-common';
import { examples } from './tenantRender.examples';
import { renderOutputSchema, targetPathSchema } from './schemas';
import { summarize, writeWorkspaceFiles } from './workspace';

/**
 * `capa:tenant:render`: the tenant Namespace and its AWSClusterRoleIdentity, written to the
 * workspace as one YAML file.
 *
 * @public
 */
export function createTenantRenderAction() {
  return createTemplateAction({
    id: 'capa:tenant:render',
    description:
      'Renders a tenant: its namespace and an AWSClusterRoleIdentity usable only from that namespace, assuming the CAPA role in the tenant AWS account. Writes <targetPath>/tenants/<tenant>.yaml.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          tenant: tenantInputSchema.describe(
            'The tenant to render (validated before anything is written)',
          ),
          targetPath: targetPathSchema(z, '<targetPath>/tenants/<tenant>.yaml'),
        }),
      output: z => z.object(renderOutputSchema(z)),
    },
    async handler(ctx) {
      const result = renderTenant(ctx.input.tenant);
      const manifest = toYaml(result.objects);
      const name = ctx.input.tenant.name;
      const files = await writeWorkspaceFiles(ctx.workspacePath, [
        {
          path: `${ctx.input.targetPath ?? 'capa'}/tenants/${name}.yaml`,
          content: manifest,
        },
      ]);
      for (const warning of result.warnings) ctx.logger.warn(warning);
      ctx.logger.info(
        `Rendered tenant ${name}: ${result.objects.length} objects into ${files[0]}`,
      );
      ctx.output('files', files);
      ctx.output('manifest', manifest);
      ctx.output('objects', summarize(result.objects));
      ctx.output('warnings', result.warnings);
    },
  });
}

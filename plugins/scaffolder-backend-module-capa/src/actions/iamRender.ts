import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  iamTrustInputSchema,
  renderIamTrust,
  toJson,
  toYaml,
} from '@capa-backstage/plugin-capa-common';
import type { z as zod } from 'zod/v3';
import { examples } from './iamRender.examples';
import { targetPathSchema } from './schemas';
import { writeWorkspaceFiles } from './workspace';

/** What capa:iam:render outputs: the files written and each document, for later steps. */
function iamRenderOutput(z: typeof zod) {
  return z.object({
    files: z
      .array(z.string())
      .describe('Workspace-relative paths of the files written'),
    managerRoleArn: z
      .string()
      .describe("ARN of the manager's CAPA controllers role"),
    managerConfig: z
      .string()
      .describe(
        'clusterawsadm AWSIAMConfiguration (YAML) for the manager account',
      ),
    managerPermissionPolicy: z
      .string()
      .describe(
        'IAM policy (JSON) letting the manager controllers role assume exactly the tenant roles',
      ),
    tenants: z
      .array(
        z.object({
          name: z.string(),
          accountId: z.string(),
          roleArn: z.string(),
          config: z
            .string()
            .describe('clusterawsadm AWSIAMConfiguration (YAML)'),
          trustPolicy: z
            .string()
            .describe('Trust policy (JSON) of the tenant role'),
        }),
      )
      .describe(
        'Per tenant account: role ARN, clusterawsadm configuration and trust policy',
      ),
    warnings: z
      .array(z.string())
      .describe('Warnings a person should read before applying'),
  });
}

/**
 * `capa:iam:render`: the IAM trust between the manager account and tenant accounts, as
 * clusterawsadm configurations and plain IAM policy JSON.
 *
 * @public
 */
export function createIamRenderAction() {
  return createTemplateAction({
    id: 'capa:iam:render',
    description:
      'Renders the IAM trust between the manager AWS account (where the CAPA controller runs) and tenant accounts: clusterawsadm AWSIAMConfigurations for each account, plus the same policies as plain IAM JSON for Terraform or CloudFormation. Writes files under <targetPath>/iam/.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          iam: iamTrustInputSchema.describe(
            'Manager and tenant accounts (validated before anything is written)',
          ),
          targetPath: targetPathSchema(z, '<targetPath>/iam/'),
        }),
      output: iamRenderOutput,
    },
    async handler(ctx) {
      const result = renderIamTrust(ctx.input.iam);
      const dir = `${ctx.input.targetPath ?? 'capa'}/iam`;
      const managerConfig = toYaml([result.manager.config]);
      const managerPolicy = toJson(result.manager.permissionPolicy);
      const tenants = result.tenants.map(t => ({
        name: t.name,
        accountId: t.accountId,
        roleArn: t.roleArn,
        config: toYaml([t.config]),
        trustPolicy: toJson(t.trustPolicy),
      }));
      const files = await writeWorkspaceFiles(ctx.workspacePath, [
        {
          path: `${dir}/manager/awsiamconfiguration.yaml`,
          content: managerConfig,
        },
        {
          path: `${dir}/manager/permission-policy.json`,
          content: managerPolicy,
        },
        ...(result.manager.trustPolicy
          ? [
              {
                path: `${dir}/manager/trust-policy.json`,
                content: toJson(result.manager.trustPolicy),
              },
            ]
          : []),
        ...tenants.flatMap(t => [
          {
            path: `${dir}/tenants/${t.name}/awsiamconfiguration.yaml`,
            content: t.config,
          },
          {
            path: `${dir}/tenants/${t.name}/trust-policy.json`,
            content: t.trustPolicy,
          },
        ]),
      ]);
      for (const warning of result.warnings) ctx.logger.warn(warning);
      ctx.logger.info(
        `Rendered IAM trust for manager ${result.manager.accountId} and ${tenants.length} tenant account(s) into ${dir}/`,
      );
      ctx.output('files', files);
      ctx.output('managerRoleArn', result.manager.controllersRoleArn);
      ctx.output('managerConfig', managerConfig);
      ctx.output('managerPermissionPolicy', managerPolicy);
      ctx.output('tenants', tenants);
      ctx.output('warnings', result.warnings);
    },
  });
}

import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { capaClusterAccessManagePermission } from '@capa-backstage/plugin-capa-common';
import type { TaskAuthorizer } from '../authorization/TaskAuthorizer';
import type { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import { examples } from './accessRevoke.examples';
import {
  principalArnSchema,
  principalKind,
  revokePlan,
} from './clusterAccess.plan';
import {
  clusterTargetSchema,
  DAY2_FIELD_MANAGERS,
  day2OutputSchema,
  openDay2,
} from './day2';
import { rereadControlPlane } from './liveCluster';

/** @public */
export interface AccessRevokeActionOptions {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
}

/**
 * `capa:access:revoke`: removes every mapping of an IAM role or user from an EKS cluster: its
 * aws-auth entries and its EKS access entry, whichever exist.
 *
 * @public
 */
export function createAccessRevokeAction(options: AccessRevokeActionOptions) {
  return createTemplateAction({
    id: 'capa:access:revoke',
    description:
      "Revokes an IAM role's or user's access to an EKS cluster: removes its aws-auth mapping (mapRoles/mapUsers) and its EKS access entry, whichever exist, whatever the authentication mode (a leftover mapping would still let it in under api_and_config_map). Changes only those lists, with server-side apply under the field manager backstage-capa-access, and logs the diff.",
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          ...clusterTargetSchema(z),
          principalArn: principalArnSchema(z),
        }),
      output: z =>
        z.object({
          ...day2OutputSchema(z),
          changed: z
            .boolean()
            .describe('False when the principal had no mapping to remove'),
        }),
    },
    async handler(ctx) {
      const { input } = ctx;
      principalKind(input.principalArn, 'capa:access:revoke');
      const { dryRun, client, live, applier } = await openDay2(
        ctx,
        {
          action: 'capa:access:revoke',
          permission: capaClusterAccessManagePermission,
          fieldManager: DAY2_FIELD_MANAGERS.access,
          checkpointPrefix: 'capa-access-revoke',
          pools: false,
        },
        options,
      );
      const { namespace, cluster: name, principalArn } = input;
      const plan = revokePlan(live.controlPlane, principalArn);
      applier.preflight([plan]);
      ctx.logger.info(
        `${
          dryRun ? 'Dry run: revoking' : 'Revoking'
        } access to Cluster ${namespace}/${name} for ${principalArn}`,
      );
      const applied = await applier.apply(plan, async () =>
        revokePlan(
          await rereadControlPlane(client, namespace, name),
          principalArn,
        ),
      );
      if (applied.action === 'unchanged')
        ctx.logger.info(
          `${principalArn} is not mapped into Cluster ${namespace}/${name}; nothing to revoke`,
        );
      ctx.output('objects', [applied]);
      ctx.output('dryRun', dryRun);
      ctx.output('changed', applied.action !== 'unchanged');
    },
  });
}

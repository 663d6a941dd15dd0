import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { TaskAuthorizer } from '../authorization/TaskAuthorizer';
import {
  CLUSTER_ACCESS_LEVELS,
  type ClusterAccessLevel,
  capaClusterAccessManagePermission,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import { examples } from './accessGrant.examples';
import {
  ACCESS_LISTS,
  authenticationModeOf,
  grantLists,
  grantPlan,
  principalArnSchema,
  principalKind,
} from './clusterAccess.plan';
import {
  clusterTargetSchema,
  DAY2_FIELD_MANAGERS,
  day2OutputSchema,
  openDay2,
} from './day2';
import { rereadControlPlane } from './liveCluster';

/** @public */
export interface AccessGrantActionOptions {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
}

const LEVELS = Object.keys(CLUSTER_ACCESS_LEVELS) as [
  ClusterAccessLevel,
  ...ClusterAccessLevel[],
];

/**
 * `capa:access:grant`: maps an IAM role or user into an EKS cluster at a named access level
 * (admin, edit, view), through the aws-auth mappings or EKS access entries as the cluster's
 * authentication mode asks.
 *
 * @public
 */
export function createAccessGrantAction(options: AccessGrantActionOptions) {
  return createTemplateAction({
    id: 'capa:access:grant',
    description: `Grants an IAM role or user access to an EKS cluster at a named level: ${LEVELS.map(
      l =>
        `${l} (group ${CLUSTER_ACCESS_LEVELS[l].group} through aws-auth, ${CLUSTER_ACCESS_LEVELS[l].accessPolicy} through an access entry)`,
    ).join(
      ', ',
    )}. Uses the mechanism of the cluster's authentication mode (config_map: aws-auth mapRoles/mapUsers; api: access entries; api_and_config_map: both). Replaces the principal's existing entry, so a grant also changes a level. Changes only those lists, with server-side apply under the field manager backstage-capa-access, and logs the diff.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: z =>
        z.object({
          ...clusterTargetSchema(z),
          principalArn: principalArnSchema(z),
          level: z.enum(LEVELS).describe('Access level: admin, edit or view'),
        }),
      output: z =>
        z.object({
          ...day2OutputSchema(z),
          mechanisms: z
            .array(z.enum(['aws-auth', 'access-entry']))
            .describe('The mechanisms the grant was written to'),
          changed: z
            .boolean()
            .describe('False when the principal already had this access'),
        }),
    },
    async handler(ctx) {
      const { input } = ctx;
      const kind = principalKind(input.principalArn, 'capa:access:grant');
      const { dryRun, client, live, applier } = await openDay2(
        ctx,
        {
          action: 'capa:access:grant',
          permission: capaClusterAccessManagePermission,
          fieldManager: DAY2_FIELD_MANAGERS.access,
          checkpointPrefix: 'capa-access-grant',
          pools: false,
        },
        options,
      );
      const { namespace, cluster: name, principalArn, level } = input;
      const mode = authenticationModeOf(live.controlPlane);
      const lists = grantLists(mode, kind);
      const plan = grantPlan(live.controlPlane, principalArn, level);
      applier.preflight([plan]);
      ctx.logger.info(
        `${
          dryRun ? 'Dry run: granting' : 'Granting'
        } ${level} access to Cluster ${namespace}/${name} for ${principalArn} (authentication mode ${mode}: ${lists.join(
          ' and ',
        )})`,
      );
      const applied = await applier.apply(plan, async () =>
        grantPlan(
          await rereadControlPlane(client, namespace, name),
          principalArn,
          level,
        ),
      );
      const mechanisms = [
        ...new Set(lists.map(l => ACCESS_LISTS[l].mechanism)),
      ];
      if (mechanisms.includes('aws-auth') && level !== 'admin') {
        ctx.logger.warn(
          `Through aws-auth, ${principalArn} joins the group "${
            CLUSTER_ACCESS_LEVELS[level].group
          }": bind it to the "${
            level === 'edit' ? 'edit' : 'view'
          }" ClusterRole in the workload cluster, or it can do nothing there.`,
        );
      }
      ctx.output('objects', [applied]);
      ctx.output('dryRun', dryRun);
      ctx.output('mechanisms', mechanisms);
      ctx.output('changed', applied.action !== 'unchanged');
    },
  });
}

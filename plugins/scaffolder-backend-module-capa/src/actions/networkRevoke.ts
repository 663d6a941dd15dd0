import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CAPA_LABELS,
  callerPolicyName,
  callerRoleName,
  capaClusterUpdatePermission,
  latticeCallerKey,
  latticeRevokeCallersSchema,
  latticeExposeName,
  objectRef,
  parseInput,
  readLatticeExposeRecord,
  renderLatticeGrants,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import {
  clusterWrite,
  type TaskAuthorizer,
} from '../authorization/TaskAuthorizer';
import { day2OutputSchema } from './day2';
import { examples } from './networkRevoke.examples';
import {
  applyObjects,
  type NetworkActionConfig,
  networkTargetSchema,
  readLatticeContext,
  writeNetworkFiles,
} from './network.common';
import { serviceDir, serviceFiles } from './network.files';
import { stringMap } from './liveCluster';

/** @public */
export interface NetworkRevokeActionOptions extends NetworkActionConfig {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
}

/**
 * `capa:network:revoke`: removes callers from a service's auth policy; removing the last one
 * takes the route out of the desired state and leaves a policy that denies everyone.
 *
 * @public
 */
export function createNetworkRevokeAction(options: NetworkRevokeActionOptions) {
  return createTemplateAction({
    id: 'capa:network:revoke',
    description:
      "Revokes callers' access to a Service exposed over VPC Lattice (capa:network:expose): removes them from its IAMAuthPolicy through the service's ConfigMap. When the last caller goes, the route leaves the desired state and the policy denies everyone: Cluster API never deletes what a ClusterResourceSet applied, so the task log says how to delete the route in the workload cluster. Logs how to remove each revoked caller's role policy. Needs capa.cluster.update on the service's cluster. Revoking a caller that is not allowed changes nothing.",
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
          service: z
            .object({
              name: z.string().describe('Name of the Kubernetes Service'),
              namespace: z.string().describe('Its namespace'),
            })
            .describe('The exposed Service'),
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
                  .describe('The service account, when the grant named one'),
              }),
            )
            .describe('The callers to remove'),
        }),
      output: z =>
        z.object({
          ...day2OutputSchema(z),
          files: z
            .array(z.string())
            .describe('Workspace-relative paths of the files written'),
          warnings: z.array(z.string()).describe('What a person must read'),
          callers: z.array(z.string()).describe('The callers still allowed'),
          revoked: z
            .array(z.string())
            .describe('The callers removed by this run'),
          changed: z
            .boolean()
            .describe('False when none of the callers was allowed'),
        }),
    },
    async handler(ctx) {
      const { input } = ctx;
      const dryRun = Boolean(input.dryRun || ctx.isDryRun);
      const { managementCluster, namespace, cluster, service } = input;
      const asked = parseInput(
        latticeRevokeCallersSchema,
        input.callers,
        'capa:network:revoke input callers',
      );
      await options.authorizer.authorize(
        ctx,
        { action: 'capa:network:revoke', managementCluster },
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
      if (!existing) {
        throw new NotFoundError(
          `Service ${service.namespace}/${service.name} of Cluster ${namespace}/${cluster} is not exposed over VPC Lattice (no ConfigMap ${namespace}/${name} on management cluster "${managementCluster}"); nothing was changed`,
        );
      }
      const record = readLatticeExposeRecord(existing);
      if (!record) {
        throw new InputError(
          `ConfigMap ${namespace}/${name} does not hold a readable VPC Lattice grant (labels or annotations were changed by hand); nothing was changed`,
        );
      }
      const revoke = new Set(
        asked.map(c =>
          latticeCallerKey({
            ...c,
            cluster: c.cluster.includes('/')
              ? c.cluster
              : `${namespace}/${c.cluster}`,
          }),
        ),
      );
      const removed = record.callers.filter(c =>
        revoke.has(latticeCallerKey(c)),
      );
      const remaining = record.callers.filter(
        c => !revoke.has(latticeCallerKey(c)),
      );
      const warnings: string[] = [];
      const known = new Set(record.callers.map(latticeCallerKey));
      for (const key of revoke) {
        if (!known.has(key))
          warnings.push(
            `${key} was not allowed to call ${service.namespace}/${service.name}; nothing to revoke for it.`,
          );
      }
      const context = await readLatticeContext(client, [namespace], options);
      const provider = context.clusters.find(c => c.name === cluster);
      const grants = renderLatticeGrants(
        {
          serviceNetwork: record.serviceNetwork,
          namespace,
          cluster,
          tenant: stringMap(existing.metadata.labels)[CAPA_LABELS.tenant],
          partition: provider?.partition ?? 'aws',
          service: record.service,
        },
        remaining,
      );
      ctx.logger.info(
        `${dryRun ? 'Dry run: revoking' : 'Revoking'} access to ${
          service.namespace
        }/${service.name} in Cluster ${namespace}/${cluster} for ${
          removed.map(latticeCallerKey).join(', ') ||
          'nobody (none of the callers was allowed)'
        }; ${remaining.length} caller${remaining.length === 1 ? '' : 's'} left`,
      );
      const objects = removed.length
        ? await applyObjects(client, grants.objects, {
            dryRun,
            logger: ctx.logger,
          })
        : grants.objects.map(o => ({
            kind: o.kind,
            namespace,
            name: o.metadata.name,
            action: 'unchanged' as const,
            changes: [],
          }));
      warnings.push(...grants.warnings);
      for (const c of removed) {
        warnings.push(
          `In account ${
            c.accountId
          }, remove the invoke permission of ${latticeCallerKey(
            c,
          )}: aws iam delete-role-policy --role-name ${callerRoleName(
            c,
          )} --policy-name ${callerPolicyName(
            cluster,
            service.namespace,
            service.name,
          )} (and delete the role and its Pod Identity association if it calls nothing else).`,
        );
      }
      const files = await writeNetworkFiles(
        ctx.workspacePath,
        serviceDir(input.targetPath ?? 'lattice', namespace, cluster, service),
        serviceFiles(grants),
      );
      for (const w of warnings) ctx.logger.warn(w);
      ctx.output('objects', objects);
      ctx.output('dryRun', dryRun);
      ctx.output('files', files);
      ctx.output('warnings', warnings);
      ctx.output('callers', remaining.map(latticeCallerKey));
      ctx.output('revoked', removed.map(latticeCallerKey));
      ctx.output(
        'changed',
        objects.some(o => o.action !== 'unchanged'),
      );
    },
  });
}

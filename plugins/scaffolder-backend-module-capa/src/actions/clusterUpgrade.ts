import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { TaskAuthorizer } from '../authorization/TaskAuthorizer';
import {
  capaClusterUpdatePermission,
  DEFAULT_KUBERNETES_VERSIONS,
  objectRef,
  type StoredObject,
} from '@capa-backstage/plugin-capa-common';
import {
  type AppliedObject,
  CancelledError,
  type ManagementClusterClient,
  type ManagementClusters,
  type ObjectPlan,
  waitForObject,
  waitWithDiagnosis,
} from '@capa-backstage/plugin-capa-node';
import type { z as zod } from 'zod/v3';
import { examples } from './clusterUpgrade.examples';
import {
  checkUpgrade,
  controlPlanePlan,
  machinePoolPlan,
  managedPoolPlan,
  targetVersion,
} from './clusterUpgrade.plan';
import {
  clusterTargetSchema,
  DAY2_FIELD_MANAGERS,
  day2OutputSchema,
  openDay2,
} from './day2';
import {
  compareMinor,
  formatMinor,
  type Minor,
  minorVersion,
} from './kubernetesVersions';
import {
  type LiveCluster,
  readLiveCluster,
  rereadControlPlane,
} from './liveCluster';

/** @public */
export interface ClusterUpgradeActionOptions {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
  /** Kubernetes minor versions that may be upgraded to; capa-common's defaults otherwise. */
  kubernetesVersions?: readonly string[];
}

/** One object to upgrade: its plan, and how to plan it again from a fresh read. */
interface UpgradeStep {
  plan: ObjectPlan;
  replan: () => Promise<ObjectPlan>;
}

function upgradeInput(z: typeof zod, versions: readonly string[]) {
  return z.object({
    ...clusterTargetSchema(z),
    version: z
      .string()
      .describe(
        `Kubernetes minor version to upgrade to, e.g. "1.34" (one of ${versions.join(
          ', ',
        )}); EKS picks the patch release`,
      ),
    amiVersions: z
      .record(z.string().min(2))
      .optional()
      .describe(
        'New AMI release versions by node pool name, for pools that pin spec.amiVersion (e.g. {"general": "1.34.2-20250920"})',
      ),
    waitFor: z
      .object({
        timeoutMinutes: z
          .number()
          .positive()
          .max(180)
          .default(60)
          .describe('How long to wait for the control plane (default 60)'),
      })
      .optional()
      .describe(
        'Wait until the control plane reports the new version (status.version) before upgrading the node pools',
      ),
  });
}

/**
 * `capa:cluster:upgrade`: raises the Kubernetes version of an EKS cluster's control plane, then of
 * each node pool (MachinePool version, and the AWSManagedMachinePool's pinned AMI release when it
 * has one), with server-side apply of only those fields under its own field manager.
 *
 * @public
 */
export function createClusterUpgradeAction(
  options: ClusterUpgradeActionOptions,
) {
  const versions = options.kubernetesVersions ?? DEFAULT_KUBERNETES_VERSIONS;
  return createTemplateAction({
    id: 'capa:cluster:upgrade',
    description:
      'Upgrades an EKS cluster by one Kubernetes minor version: the control plane first, then each node pool. Refuses a downgrade, a skipped minor version and a node pool newer than the control plane. Changes only the version fields, with server-side apply under the field manager backstage-capa-upgrade, and logs the diff. With waitFor, waits until the control plane reports the new version before touching the node pools.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z => upgradeInput(z, versions),
      output: z =>
        z.object({
          ...day2OutputSchema(z),
          fromVersion: z
            .string()
            .describe("The control plane's minor version before the upgrade"),
          toVersion: z.string().describe('The minor version upgraded to'),
        }),
    },
    async handler(ctx) {
      const { input } = ctx;
      const to = targetVersion(input.version, versions);
      const amiVersions = input.amiVersions ?? {};
      const { dryRun, client, live, applier } = await openDay2(
        ctx,
        {
          action: 'capa:cluster:upgrade',
          permission: capaClusterUpdatePermission,
          fieldManager: DAY2_FIELD_MANAGERS.upgrade,
          checkpointPrefix: `capa-upgrade-${formatMinor(to)}`,
          pools: true,
        },
        options,
      );
      const { namespace, cluster: name } = input;
      const from = checkUpgrade(live, to, amiVersions);
      const pools = poolSteps(
        client,
        { namespace, name },
        live,
        to,
        amiVersions,
      );
      const cpPlan = controlPlanePlan(live.controlPlane, to);
      applier.preflight([cpPlan, ...pools.map(p => p.plan)]);

      ctx.logger.info(
        `${
          dryRun ? 'Dry run: upgrading' : 'Upgrading'
        } Cluster ${namespace}/${name} on management cluster "${
          client.name
        }" from ${formatMinor(from)} to ${formatMinor(
          to,
        )}: the control plane, then ${live.pools.length} node pool${
          live.pools.length === 1 ? '' : 's'
        }`,
      );
      const objects: AppliedObject[] = [
        await applier.apply(cpPlan, async () =>
          controlPlanePlan(
            await rereadControlPlane(client, namespace, name),
            to,
          ),
        ),
      ];
      const waits = Boolean(input.waitFor) && !dryRun;
      if (input.waitFor && !dryRun) {
        await waitWithDiagnosis(
          {
            client,
            namespace,
            name,
            waitingFor: `Cluster ${namespace}/${name} will not reach ${formatMinor(
              to,
            )}; the node pools were not upgraded`,
            logger: ctx.logger,
            signal: ctx.signal,
          },
          signal =>
            waitForControlPlaneVersion(client, live.controlPlane, to, {
              timeoutMs: (input.waitFor!.timeoutMinutes ?? 60) * 60_000,
              logger: ctx.logger,
              signal,
            }),
        );
      } else if (!dryRun && live.pools.length > 0) {
        ctx.logger.info(
          `Not waiting for the control plane: CAPA upgrades each node group once EKS runs ${formatMinor(
            to,
          )} on the control plane`,
        );
      }
      for (const { plan, replan } of pools) {
        // Re-read each pool now: a wait may have taken an hour.
        const fresh = waits ? await replan() : plan;
        objects.push(await applier.apply(fresh, replan));
      }
      ctx.output('objects', objects);
      ctx.output('dryRun', dryRun);
      ctx.output('fromVersion', formatMinor(from));
      ctx.output('toVersion', formatMinor(to));
    },
  });
}

/** The pool objects to upgrade, in order: each MachinePool, and its pinned AMI release if given. */
function poolSteps(
  client: ManagementClusterClient,
  { namespace, name }: { namespace: string; name: string },
  live: LiveCluster,
  to: Minor,
  amiVersions: Record<string, string>,
): UpgradeStep[] {
  /** Reads one object again, refusing a cluster that started deleting in the meantime. */
  const reread = async <K extends 'MachinePool' | 'AWSManagedMachinePool'>(
    kind: K,
    objectName: string,
  ): Promise<StoredObject<K>> => {
    await readLiveCluster(client, namespace, name, { pools: false });
    const fresh = await client.find<StoredObject<K>>(
      objectRef(kind, namespace, objectName),
    );
    if (!fresh)
      throw new NotFoundError(
        `${kind} ${namespace}/${objectName} disappeared during the upgrade; what follows it was not upgraded`,
      );
    return fresh;
  };
  return live.pools.flatMap(({ name: pool, machinePool, managedPool }) => [
    {
      plan: machinePoolPlan(machinePool, to),
      replan: async () =>
        machinePoolPlan(
          await reread('MachinePool', machinePool.metadata.name),
          to,
        ),
    },
    // The AWSManagedMachinePool changes only to move a pinned AMI release: CAPA takes the
    // node group's Kubernetes version from the MachinePool.
    ...(managedPool && amiVersions[pool] !== undefined
      ? [
          {
            plan: managedPoolPlan(managedPool, amiVersions[pool]),
            replan: async () =>
              managedPoolPlan(
                await reread(
                  'AWSManagedMachinePool',
                  managedPool.metadata.name,
                ),
                amiVersions[pool],
              ),
          },
        ]
      : []),
  ]);
}

/**
 * Follows the control plane until its status.version reports the target minor version; rejects
 * when the timeout passes, the task is cancelled or the control plane goes away.
 */
async function waitForControlPlaneVersion(
  client: ManagementClusterClient,
  controlPlane: StoredObject<'AWSManagedControlPlane'>,
  to: Minor,
  options: { timeoutMs: number; logger: LoggerService; signal?: AbortSignal },
): Promise<void> {
  const { namespace, name } = controlPlane.metadata;
  const what = `AWSManagedControlPlane ${namespace}/${name}`;
  const minutes = Math.round(options.timeoutMs / 60_000);
  options.logger.info(
    `Waiting up to ${minutes} min for ${what} to report ${formatMinor(to)}`,
  );
  let last: string | undefined;
  await waitForObject<StoredObject<'AWSManagedControlPlane'>>(
    client,
    objectRef('AWSManagedControlPlane', namespace, name),
    {
      until: cp => {
        if (!cp || cp.metadata.deletionTimestamp)
          throw new Error(
            `${what} ${
              cp ? 'is being deleted' : 'disappeared'
            } while waiting for ${formatMinor(
              to,
            )}; the node pools were not upgraded`,
          );
        const reported = cp.status?.version;
        const text = typeof reported === 'string' ? reported : 'no version';
        if (text !== last) {
          options.logger.info(`${what} reports ${text}`);
          last = text;
        }
        const v = minorVersion(reported);
        return Boolean(v && compareMinor(v, to) >= 0);
      },
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      timeoutError: () =>
        new Error(
          `${what} did not report ${formatMinor(
            to,
          )} within ${minutes} min (last reported: ${
            last ?? 'no version'
          }); the node pools were not upgraded. Run the upgrade again to continue`,
        ),
      abortError: () =>
        new CancelledError(
          'The task was cancelled while waiting for the control plane; the node pools were not upgraded',
        ),
    },
  );
}

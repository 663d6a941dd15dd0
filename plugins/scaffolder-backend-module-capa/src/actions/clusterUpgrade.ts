import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  clusterWrite,
  type TaskAuthorizer,
} from '../authorization/TaskAuthorizer';
import {
  amiTypeVersionProblem,
  CAPA_DEFAULTS,
  DEFAULT_KUBERNETES_VERSIONS,
  capaClusterUpdatePermission,
} from '@capa-backstage/plugin-capa-common';
import type {
  ManagementClusterClient,
  ManagementClusters,
} from '@capa-backstage/plugin-capa-node';
import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import { examples } from './clusterUpgrade.examples';
import {
  clusterRefs,
  clusterTargetSchema,
  compareMinor,
  day2OutputSchema,
  formatMinor,
  LiveCluster,
  minorVersion,
  readLiveCluster,
  specOf,
} from './liveCluster';
import {
  AppliedObject,
  DAY2_FIELD_MANAGERS,
  ObjectPlan,
  OwnedFieldsApplier,
} from './ownedFields';

/** @public */
export interface ClusterUpgradeActionOptions {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
  /** Kubernetes minor versions that may be upgraded to; capa-common's defaults otherwise. */
  kubernetesVersions?: readonly string[];
  /** How often, at most, to read the control plane while waiting for it. Default 15 s. */
  pollIntervalMs?: number;
}

type Minor = { major: number; minor: number };

const VERSION_PATH = ['spec', 'version'];
const POOL_VERSION_PATH = ['spec', 'template', 'spec', 'version'];
const AMI_VERSION_PATH = ['spec', 'amiVersion'];

function controlPlanePlan(live: KubernetesObject, to: Minor): ObjectPlan {
  const current = minorVersion(specOf(live).version);
  return {
    ref: clusterRefs.controlPlane(live.metadata.namespace!, live.metadata.name),
    live,
    // A patch release of the target minor is already there: EKS picks patches by itself.
    changes:
      current && compareMinor(current, to) === 0
        ? []
        : [{ path: VERSION_PATH, value: `v${formatMinor(to)}` }],
  };
}

function machinePoolPlan(live: KubernetesObject, to: Minor): ObjectPlan {
  const current = minorVersion(specOf(live).template?.spec?.version);
  return {
    ref: clusterRefs.machinePool(live.metadata.namespace!, live.metadata.name),
    live,
    changes:
      current && compareMinor(current, to) === 0
        ? []
        : [{ path: POOL_VERSION_PATH, value: `v${formatMinor(to)}.0` }],
  };
}

function managedPoolPlan(
  live: KubernetesObject,
  amiVersion: string | undefined,
): ObjectPlan {
  return {
    ref: clusterRefs.managedPool(live.metadata.namespace!, live.metadata.name),
    live,
    changes:
      amiVersion === undefined
        ? []
        : [{ path: AMI_VERSION_PATH, value: amiVersion }],
  };
}

/**
 * Checks every rule against the live objects and returns the plans, or throws before anything is
 * changed: a downgrade, a skip of more than one minor version, a node pool newer than the control
 * plane, an AMI type not published for the target, or a pinned AMI release without a new one.
 */
function planUpgrade(
  live: LiveCluster,
  to: Minor,
  amiVersions: Record<string, string>,
): { from: Minor; problems: string[] } {
  const cp = live.controlPlane;
  const desired = minorVersion(specOf(cp).version);
  const reported = minorVersion(
    (cp.status as { version?: unknown } | undefined)?.version,
  );
  const from = desired ?? reported;
  const problems: string[] = [];
  if (!from) {
    throw new InputError(
      `AWSManagedControlPlane ${cp.metadata.namespace}/${cp.metadata.name} has no Kubernetes version in spec.version or status.version, so an upgrade cannot be checked. Nothing was changed`,
    );
  }
  if (compareMinor(to, from) < 0) {
    problems.push(
      `${formatMinor(to)} is older than the control plane's ${formatMinor(
        from,
      )}: EKS cannot downgrade a cluster`,
    );
  }
  // EKS moves the control plane one minor version at a time, from the version it runs.
  const running =
    reported && compareMinor(reported, from) < 0 ? reported : from;
  if (to.major !== running.major || to.minor > running.minor + 1) {
    problems.push(
      `${formatMinor(
        to,
      )} skips a minor version: the control plane runs ${formatMinor(running)}${
        compareMinor(running, from) !== 0
          ? ` (an upgrade to ${formatMinor(from)} is still in progress)`
          : ''
      }, and EKS upgrades one minor version at a time; upgrade to ${
        running.major
      }.${running.minor + 1} first`,
    );
  }
  const pools = new Set(live.pools.map(p => p.name));
  for (const name of Object.keys(amiVersions)) {
    if (!pools.has(name))
      problems.push(
        `amiVersions names node pool "${name}", which this cluster does not have (it has ${
          [...pools].join(', ') || 'none'
        })`,
      );
  }
  for (const pool of live.pools) {
    const mp = pool.machinePool.metadata.name;
    const version = minorVersion(
      specOf(pool.machinePool).template?.spec?.version,
    );
    if (version && compareMinor(version, from) > 0) {
      problems.push(
        `node pool ${mp} runs ${formatMinor(
          version,
        )}, newer than the control plane's ${formatMinor(
          from,
        )}; bring it back in line before upgrading`,
      );
    }
    if (!pool.managedPool) continue;
    const spec = specOf(pool.managedPool);
    const amiProblem = amiTypeVersionProblem(
      spec.amiType ?? CAPA_DEFAULTS.amiType,
      formatMinor(to),
    );
    if (amiProblem)
      problems.push(
        `node pool ${mp} (amiType ${
          spec.amiType ?? CAPA_DEFAULTS.amiType
        }): ${amiProblem}; replace the pool first`,
      );
    const pinned = spec.amiVersion;
    const upgrading = !version || compareMinor(version, to) < 0;
    if (pinned && upgrading && amiVersions[pool.name] === undefined) {
      problems.push(
        `node pool ${mp} pins amiVersion ${pinned}, an AMI release of its current Kubernetes version; give amiVersions.${
          pool.name
        } with a release for ${formatMinor(to)}`,
      );
    }
    const given = amiVersions[pool.name];
    const amiType = String(spec.amiType ?? CAPA_DEFAULTS.amiType);
    // Amazon Linux releases start with the Kubernetes version ("1.34.2-20250920"); Bottlerocket
    // and Windows releases do not, so only Amazon Linux ones can be checked.
    if (
      given !== undefined &&
      amiType.startsWith('AL2') &&
      !given.startsWith(`${formatMinor(to)}.`)
    ) {
      problems.push(
        `amiVersions.${
          pool.name
        }: ${given} is not an Amazon Linux release for Kubernetes ${formatMinor(
          to,
        )} (they look like ${formatMinor(to)}.<patch>-<date>)`,
      );
    }
  }
  return { from, problems };
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
      input: z =>
        z.object({
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
                .describe(
                  'How long to wait for the control plane (default 60)',
                ),
            })
            .optional()
            .describe(
              'Wait until the control plane reports the new version (status.version) before upgrading the node pools',
            ),
        }),
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
      const dryRun = Boolean(input.dryRun || ctx.isDryRun);
      const to = minorVersion(input.version);
      if (
        !to ||
        !/^v?\d+\.\d+$/.test(input.version) ||
        !versions.includes(formatMinor(to))
      ) {
        throw new InputError(
          `Invalid capa:cluster:upgrade input: version must be a supported Kubernetes minor version: ${versions.join(
            ', ',
          )} (EKS picks the patch release)`,
        );
      }
      const amiVersions = input.amiVersions ?? {};
      const client: ManagementClusterClient = options.managementClusters.get(
        input.managementCluster,
      );
      await options.authorizer.authorize(
        ctx,
        {
          action: 'capa:cluster:upgrade',
          managementCluster: input.managementCluster,
        },
        [
          clusterWrite(capaClusterUpdatePermission, {
            managementCluster: input.managementCluster,
            namespace: input.namespace,
            name: input.cluster,
          }),
        ],
      );
      const { namespace, cluster: name } = input;
      const applier = new OwnedFieldsApplier({
        client,
        fieldManager: DAY2_FIELD_MANAGERS.upgrade,
        dryRun,
        logger: ctx.logger,
        checkpoint: ctx.checkpoint,
        checkpointPrefix: `capa-upgrade-${formatMinor(to)}`,
      });

      const live = await readLiveCluster(client, namespace, name, {
        pools: true,
      });
      const { from, problems } = planUpgrade(live, to, amiVersions);
      if (problems.length) {
        throw new InputError(
          `Cannot upgrade Cluster ${namespace}/${name} to ${formatMinor(
            to,
          )}; nothing was changed:\n- ${problems.join('\n- ')}`,
        );
      }
      /** Reads one object again (by kind and name) for a retry or after the wait. */
      const reread = async (
        o: KubernetesObject,
        build: (fresh: KubernetesObject) => ObjectPlan,
      ) => {
        // Refuses a cluster that started deleting in the meantime.
        await readLiveCluster(client, namespace, name, { pools: false });
        const fresh = await client.find({
          apiVersion: o.apiVersion,
          kind: o.kind,
          namespace,
          name: o.metadata.name,
        });
        if (!fresh)
          throw new NotFoundError(
            `${o.kind} ${namespace}/${o.metadata.name} disappeared during the upgrade; what follows it was not upgraded`,
          );
        return build(fresh);
      };
      const poolPlans = live.pools.flatMap(pool => [
        {
          plan: machinePoolPlan(pool.machinePool, to),
          replan: () =>
            reread(pool.machinePool, fresh => machinePoolPlan(fresh, to)),
        },
        // The AWSManagedMachinePool changes only to move a pinned AMI release: CAPA takes the
        // node group's Kubernetes version from the MachinePool.
        ...(pool.managedPool && amiVersions[pool.name] !== undefined
          ? [
              {
                plan: managedPoolPlan(pool.managedPool, amiVersions[pool.name]),
                replan: () =>
                  reread(pool.managedPool!, fresh =>
                    managedPoolPlan(fresh, amiVersions[pool.name]),
                  ),
              },
            ]
          : []),
      ]);
      const cpPlan = controlPlanePlan(live.controlPlane, to);
      applier.preflight([cpPlan, ...poolPlans.map(p => p.plan)]);

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
      const objects: AppliedObject[] = [];
      objects.push(
        await applier.apply(cpPlan, async () => {
          const again = await readLiveCluster(client, namespace, name, {
            pools: false,
          });
          return controlPlanePlan(again.controlPlane, to);
        }),
      );

      if (input.waitFor && !dryRun) {
        await waitForControlPlaneVersion(client, live.controlPlane, to, {
          timeoutMs: (input.waitFor.timeoutMinutes ?? 60) * 60_000,
          pollIntervalMs: options.pollIntervalMs ?? 15_000,
          logger: ctx.logger,
          signal: ctx.signal,
        });
      } else if (!dryRun && live.pools.length > 0) {
        ctx.logger.info(
          `Not waiting for the control plane: CAPA upgrades each node group once EKS runs ${formatMinor(
            to,
          )} on the control plane`,
        );
      }
      for (const { plan, replan } of poolPlans) {
        // Re-read each pool now: a wait may have taken an hour.
        const fresh = input.waitFor && !dryRun ? await replan() : plan;
        objects.push(await applier.apply(fresh, replan));
      }
      ctx.output('objects', objects);
      ctx.output('dryRun', dryRun);
      ctx.output('fromVersion', formatMinor(from));
      ctx.output('toVersion', formatMinor(to));
    },
  });
}

/**
 * Reads the control plane until its status.version reports the target minor version, the timeout
 * passes, the task is cancelled or the control plane goes away.
 */
async function waitForControlPlaneVersion(
  client: ManagementClusterClient,
  controlPlane: KubernetesObject,
  to: Minor,
  options: {
    timeoutMs: number;
    pollIntervalMs: number;
    logger: { info(message: string): void };
    signal?: AbortSignal;
  },
): Promise<void> {
  const cpRef = clusterRefs.controlPlane(
    controlPlane.metadata.namespace!,
    controlPlane.metadata.name,
  );
  const what = `AWSManagedControlPlane ${cpRef.namespace}/${cpRef.name}`;
  const deadline = Date.now() + options.timeoutMs;
  options.logger.info(
    `Waiting up to ${Math.round(
      options.timeoutMs / 60_000,
    )} min for ${what} to report ${formatMinor(to)}`,
  );
  let last: string | undefined;
  // Quick reads first, for a control plane that is already there, then every pollIntervalMs.
  let delay = Math.min(1000, options.pollIntervalMs);
  for (;;) {
    const cp = await client.find(cpRef);
    if (!cp || cp.metadata.deletionTimestamp)
      throw new Error(
        `${what} ${
          cp ? 'is being deleted' : 'disappeared'
        } while waiting for ${formatMinor(
          to,
        )}; the node pools were not upgraded`,
      );
    const reported = (cp.status as { version?: unknown } | undefined)?.version;
    const text = typeof reported === 'string' ? reported : 'no version';
    if (text !== last) {
      options.logger.info(`${what} reports ${text}`);
      last = text;
    }
    const v = minorVersion(reported);
    if (v && compareMinor(v, to) >= 0) return;
    if (options.signal?.aborted)
      throw new Error(
        'The task was cancelled while waiting for the control plane; the node pools were not upgraded',
      );
    if (Date.now() >= deadline) {
      throw new Error(
        `${what} did not report ${formatMinor(to)} within ${Math.round(
          options.timeoutMs / 60_000,
        )} min (last reported: ${text}); the node pools were not upgraded. Run the upgrade again to continue`,
      );
    }
    const wait = Math.min(delay, deadline - Date.now());
    await new Promise(r => setTimeout(r, wait));
    delay = Math.min(delay * 2, options.pollIntervalMs);
  }
}

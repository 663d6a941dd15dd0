// What capa:cluster:upgrade checks and changes, computed from the live objects alone.

import { InputError } from '@backstage/errors';
import {
  amiTypeVersionProblem,
  CAPA_DEFAULTS,
  objectRef,
  type StoredObject,
} from '@capa-backstage/plugin-capa-common';
import type { ObjectPlan } from '@capa-backstage/plugin-capa-node';
import {
  compareMinor,
  controlPlaneVersions,
  formatMinor,
  type Minor,
  minorVersion,
} from './kubernetesVersions';
import type { LiveCluster, LivePool } from './liveCluster';

const VERSION_PATH = ['spec', 'version'];
const POOL_VERSION_PATH = ['spec', 'template', 'spec', 'version'];
const AMI_VERSION_PATH = ['spec', 'amiVersion'];

/** The minor version asked for, when it is one of `versions`; an InputError otherwise. */
export function targetVersion(
  version: string,
  versions: readonly string[],
): Minor {
  const to = minorVersion(version);
  if (
    !to ||
    !/^v?\d+\.\d+$/.test(version) ||
    !versions.includes(formatMinor(to))
  )
    throw new InputError(
      `Invalid capa:cluster:upgrade input: version must be a supported Kubernetes minor version: ${versions.join(
        ', ',
      )} (EKS picks the patch release)`,
    );
  return to;
}

export function controlPlanePlan(
  live: StoredObject<'AWSManagedControlPlane'>,
  to: Minor,
): ObjectPlan {
  const current = minorVersion(live.spec?.version);
  return {
    ref: objectRef(
      'AWSManagedControlPlane',
      live.metadata.namespace,
      live.metadata.name,
    ),
    live,
    // A patch release of the target minor is already there: EKS picks patches by itself.
    changes:
      current && compareMinor(current, to) === 0
        ? []
        : [{ path: VERSION_PATH, value: `v${formatMinor(to)}` }],
  };
}

export function machinePoolPlan(
  live: StoredObject<'MachinePool'>,
  to: Minor,
): ObjectPlan {
  const current = minorVersion(live.spec?.template?.spec?.version);
  return {
    ref: objectRef('MachinePool', live.metadata.namespace, live.metadata.name),
    live,
    changes:
      current && compareMinor(current, to) === 0
        ? []
        : [{ path: POOL_VERSION_PATH, value: `v${formatMinor(to)}.0` }],
  };
}

export function managedPoolPlan(
  live: StoredObject<'AWSManagedMachinePool'>,
  amiVersion: string | undefined,
): ObjectPlan {
  return {
    ref: objectRef(
      'AWSManagedMachinePool',
      live.metadata.namespace,
      live.metadata.name,
    ),
    live,
    changes:
      amiVersion === undefined
        ? []
        : [{ path: AMI_VERSION_PATH, value: amiVersion }],
  };
}

/** A downgrade, or a skip of more than one minor version from what the control plane runs. */
function versionProblems(from: Minor, reported: Minor | undefined, to: Minor) {
  const problems: string[] = [];
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
  return problems;
}

/** The AMI rules of one managed pool: its AMI type and its pinned AMI release. */
function amiProblems(
  pool: LivePool,
  managedPool: NonNullable<LivePool['managedPool']>,
  to: Minor,
  amiVersions: Record<string, string>,
): string[] {
  const problems: string[] = [];
  const mp = pool.machinePool.metadata.name;
  const version = minorVersion(pool.machinePool.spec?.template?.spec?.version);
  const amiType = String(managedPool.spec?.amiType ?? CAPA_DEFAULTS.amiType);
  const amiProblem = amiTypeVersionProblem(amiType, formatMinor(to));
  if (amiProblem)
    problems.push(
      `node pool ${mp} (amiType ${amiType}): ${amiProblem}; replace the pool first`,
    );
  const pinned = managedPool.spec?.amiVersion;
  const upgrading = !version || compareMinor(version, to) < 0;
  const given = amiVersions[pool.name];
  if (pinned && upgrading && given === undefined) {
    problems.push(
      `node pool ${mp} pins amiVersion ${pinned}, an AMI release of its current Kubernetes version; give amiVersions.${
        pool.name
      } with a release for ${formatMinor(to)}`,
    );
  }
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
  return problems;
}

/** A pool newer than the control plane, and the AMI rules of its managed pool. */
function poolProblems(
  pool: LivePool,
  from: Minor,
  to: Minor,
  amiVersions: Record<string, string>,
): string[] {
  const problems: string[] = [];
  const mp = pool.machinePool.metadata.name;
  const version = minorVersion(pool.machinePool.spec?.template?.spec?.version);
  if (version && compareMinor(version, from) > 0) {
    problems.push(
      `node pool ${mp} runs ${formatMinor(
        version,
      )}, newer than the control plane's ${formatMinor(
        from,
      )}; bring it back in line before upgrading`,
    );
  }
  return pool.managedPool
    ? [...problems, ...amiProblems(pool, pool.managedPool, to, amiVersions)]
    : problems;
}

/**
 * Checks every rule against the live objects and returns the version upgraded from, or throws
 * before anything is changed: a downgrade, a skip of more than one minor version, a node pool
 * newer than the control plane, an AMI type not published for the target, or a pinned AMI release
 * without a new one.
 */
export function checkUpgrade(
  live: LiveCluster,
  to: Minor,
  amiVersions: Record<string, string>,
): Minor {
  const cp = live.controlPlane;
  const { desired, reported } = controlPlaneVersions(cp);
  const from = desired ?? reported;
  if (!from) {
    throw new InputError(
      `AWSManagedControlPlane ${cp.metadata.namespace}/${cp.metadata.name} has no Kubernetes version in spec.version or status.version, so an upgrade cannot be checked. Nothing was changed`,
    );
  }
  const pools = new Set(live.pools.map(p => p.name));
  const problems = [
    ...versionProblems(from, reported, to),
    ...Object.keys(amiVersions)
      .filter(name => !pools.has(name))
      .map(
        name =>
          `amiVersions names node pool "${name}", which this cluster does not have (it has ${
            [...pools].join(', ') || 'none'
          })`,
      ),
    ...live.pools.flatMap(pool => poolProblems(pool, from, to, amiVersions)),
  ];
  if (problems.length) {
    const { namespace, name } = live.cluster.metadata;
    throw new InputError(
      `Cannot upgrade Cluster ${namespace}/${name} to ${formatMinor(
        to,
      )}; nothing was changed:\n- ${problems.join('\n- ')}`,
    );
  }
  return from;
}

import type {
  ClusterPhase,
  ConditionView,
  Diagnosis,
  ObjectStatusView,
  StuckWatch,
} from '../view/types';
import { diagnose, mergeDiagnoses } from './engine';
import { DIAGNOSIS_RULES } from './rules';

const MINUTE = 60_000;

/**
 * How long a state may last before it counts as stuck. EKS creates a control plane in about 15
 * minutes on average (aws/containers-roadmap#1227); CAPA writes conditions on a control plane
 * within seconds once it has an AWS session. The rest are our margins.
 *
 * @public
 */
export const STUCK_AFTER_MINUTES = {
  'no-aws-session': 10,
  'stuck-provisioning': 25,
  'stuck-upgrading': 60,
  'stuck-deleting': 30,
} as const;

const at = (since: string, cause: keyof typeof STUCK_AFTER_MINUTES) => {
  const start = Date.parse(since);
  return Number.isNaN(start)
    ? undefined
    : new Date(start + STUCK_AFTER_MINUTES[cause] * MINUTE).toISOString();
};

function watch(
  cause: keyof typeof STUCK_AFTER_MINUTES,
  since: string | undefined,
): StuckWatch | undefined {
  const after = since ? at(since, cause) : undefined;
  return after ? { cause, since: since!, after } : undefined;
}

/**
 * The state of a cluster that becomes a diagnosis if it lasts: still provisioning (or, before
 * that, a control plane CAPA has written nothing on), an upgrade, a deletion stage. Undefined when
 * the cluster is not in such a state or an error already explains it.
 *
 * @public
 */
export function stuckWatch(cluster: {
  phase: ClusterPhase;
  deleting: boolean;
  createdAt?: string;
  deletionTimestamp?: string;
  objects: readonly ObjectStatusView[];
  diagnosis: readonly Diagnosis[];
}): StuckWatch | undefined {
  if (cluster.diagnosis.some(d => d.severity === 'error')) return undefined;
  const clusterObject = cluster.objects.find(o => o.kind === 'Cluster');
  const controlPlane = cluster.objects.find(
    o => o.kind === 'AWSManagedControlPlane',
  );
  const condition = (o: ObjectStatusView | undefined, type: string) =>
    o?.conditions.find((c: ConditionView) => c.type === type);
  if (cluster.deleting) {
    const deleting = condition(clusterObject, 'Deleting');
    return watch(
      'stuck-deleting',
      (deleting?.status === 'True' && deleting.lastTransitionTime) ||
        cluster.deletionTimestamp,
    );
  }
  if (cluster.phase === 'Pending' || cluster.phase === 'Provisioning') {
    if (controlPlane && controlPlane.conditions.length === 0)
      return watch('no-aws-session', cluster.createdAt);
    return watch('stuck-provisioning', cluster.createdAt);
  }
  const updating = condition(controlPlane, 'EKSControlPlaneUpdating');
  if (updating?.status === 'True')
    return watch('stuck-upgrading', updating.lastTransitionTime);
  return undefined;
}

function minutesSince(since: string, now: number): number {
  return Math.max(0, Math.round((now - Date.parse(since)) / MINUTE));
}

/**
 * The cluster's diagnosis as of `now`: the projection's, plus its stuck state once due.
 *
 * @public
 */
export function diagnosisAt(
  cluster: {
    namespace: string;
    name: string;
    diagnosis: Diagnosis[];
    stuck?: StuckWatch;
  },
  now: number,
): Diagnosis[] {
  const { stuck } = cluster;
  if (!stuck || now < Date.parse(stuck.after)) return cluster.diagnosis;
  const aged = diagnose(
    [
      {
        source: 'age',
        kind: 'Cluster',
        name: cluster.name,
        type: stuck.cause,
        since: stuck.since,
        message: `since ${stuck.since}, ${minutesSince(
          stuck.since,
          now,
        )} minutes`,
      },
    ],
    DIAGNOSIS_RULES,
  );
  return mergeDiagnoses(cluster.diagnosis, aged);
}

/**
 * The causes of a fleet row as of `now` (its stuck state counted once due).
 *
 * @public
 */
export function causesAt(
  row: { causes: string[]; stuck?: StuckWatch },
  now: number,
): string[] {
  const { stuck } = row;
  return stuck &&
    now >= Date.parse(stuck.after) &&
    !row.causes.includes(stuck.cause)
    ? [...row.causes, stuck.cause]
    : row.causes;
}

import type {
  ClusterEvent,
  ClusterEvents,
  Diagnosis,
  ObjectStatusView,
} from '../view/types';
import { diagnose, mergeDiagnoses } from './engine';
import { DIAGNOSIS_RULES } from './rules';

/**
 * The fields of a core/v1 Event that a diagnosis reads. Controllers that use the events/v1
 * recorder leave the deprecated timestamps empty and fill `eventTime` and `series` instead.
 *
 * @public
 */
export interface KubernetesEvent {
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | Date | null;
  lastTimestamp?: string | Date | null;
  eventTime?: string | Date | null;
  series?: { count?: number; lastObservedTime?: string | Date | null };
}

const iso = (t: string | Date | null | undefined) =>
  t ? new Date(t).toISOString() : undefined;

function toClusterEvent(e: KubernetesEvent): ClusterEvent {
  const first = iso(e.firstTimestamp) ?? iso(e.eventTime);
  const last = iso(e.series?.lastObservedTime) ?? iso(e.lastTimestamp) ?? first;
  return {
    kind: e.involvedObject?.kind ?? '',
    name: e.involvedObject?.name ?? '',
    reason: e.reason ?? '',
    message: e.message ?? '',
    count: e.series?.count ?? e.count ?? 1,
    ...(first ? { firstTimestamp: first } : {}),
    ...(last ? { lastTimestamp: last } : {}),
  };
}

/**
 * The Warning events of a cluster's own objects (its Cluster, control plane and node pools) out of
 * a namespace's, newest first, and the diagnosis they add to `diagnosis` (the cluster's as of now);
 * an error they show replaces a stuck state.
 *
 * @public
 */
export function clusterEvents(
  cluster: { objects: readonly ObjectStatusView[]; diagnosis: Diagnosis[] },
  events: readonly KubernetesEvent[],
  truncated: boolean,
): ClusterEvents {
  const own = new Set(cluster.objects.map(o => `${o.kind}/${o.name}`));
  const items = events
    .filter(e => e.type === 'Warning')
    .map(toClusterEvent)
    .filter(e => own.has(`${e.kind}/${e.name}`))
    .sort((a, b) =>
      (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
    );
  const fromEvents = diagnose(
    items.map(e => ({
      source: 'event' as const,
      kind: e.kind,
      name: e.name,
      type: e.reason,
      message: e.message,
      count: e.count,
      ...(e.lastTimestamp ? { since: e.lastTimestamp } : {}),
    })),
    DIAGNOSIS_RULES,
  );
  // "Stuck" stands for an explanation not found; an error the events show is that explanation.
  const explained = fromEvents.some(d => d.severity === 'error');
  const known = explained
    ? cluster.diagnosis.filter(d => !d.evidence.every(e => e.source === 'age'))
    : cluster.diagnosis;
  return {
    items,
    diagnosis: mergeDiagnoses(known, fromEvents),
    truncated,
  };
}

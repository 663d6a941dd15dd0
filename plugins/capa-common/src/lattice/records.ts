import { CAPA_LABELS } from '../constants';
import type { KubernetesObject } from '../objects';
import { LATTICE_ANNOTATIONS, LATTICE_LABELS } from './constants';
import type { LatticeCallerRecord } from './types';

/** One caller's identity: the key grants and revokes match callers by. @public */
export function latticeCallerKey(c: {
  cluster: string;
  namespace: string;
  serviceAccount?: string;
}): string {
  return `${c.cluster} ${c.namespace}${
    c.serviceAccount ? ` ${c.serviceAccount}` : ''
  }`;
}

/** What an `expose` ConfigMap on the management cluster says. @public */
export interface LatticeExposeRecord {
  serviceNetwork: string;
  /** The providing Cluster's name (its namespace is the ConfigMap's). */
  cluster: string;
  service: { name: string; namespace: string; port: number; domain?: string };
  callers: LatticeCallerRecord[];
}

const str = (v: unknown): v is string => typeof v === 'string' && v !== '';

function callerOf(v: unknown): LatticeCallerRecord | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const c = v as Record<string, unknown>;
  if (
    !str(c.cluster) ||
    !str(c.eksClusterName) ||
    !str(c.accountId) ||
    !str(c.namespace)
  )
    return undefined;
  return {
    cluster: c.cluster,
    eksClusterName: c.eksClusterName,
    accountId: c.accountId,
    namespace: c.namespace,
    ...(str(c.serviceAccount) ? { serviceAccount: c.serviceAccount } : {}),
  };
}

/**
 * Reads an `expose` ConfigMap as stored (anyone may have edited it): undefined when it is not one
 * or its annotations do not parse; callers that do not parse are left out.
 *
 * @public
 */
export function readLatticeExposeRecord(
  configMap: Pick<KubernetesObject, 'metadata'>,
): LatticeExposeRecord | undefined {
  const { labels = {}, annotations = {} } = configMap.metadata;
  if (labels[LATTICE_LABELS.role] !== 'expose') return undefined;
  const serviceNetwork = labels[LATTICE_LABELS.serviceNetwork];
  const cluster = labels[CAPA_LABELS.clusterName];
  const m = /^([a-z0-9-]+)\/([a-z0-9-]+):(\d{1,5})$/.exec(
    annotations[LATTICE_ANNOTATIONS.service] ?? '',
  );
  if (!str(serviceNetwork) || !str(cluster) || !m) return undefined;
  let callers: unknown = [];
  try {
    callers = JSON.parse(annotations[LATTICE_ANNOTATIONS.callers] ?? '[]');
  } catch {
    return undefined;
  }
  const domain = annotations[LATTICE_ANNOTATIONS.domain];
  return {
    serviceNetwork,
    cluster,
    service: {
      namespace: m[1],
      name: m[2],
      port: Number(m[3]),
      ...(str(domain) ? { domain } : {}),
    },
    callers: Array.isArray(callers)
      ? callers.flatMap(c => callerOf(c) ?? [])
      : [],
  };
}

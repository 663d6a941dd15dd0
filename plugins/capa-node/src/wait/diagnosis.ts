import {
  clusterEvents,
  diagnosisAt,
  objectRef,
  UNRECOGNISED_CAUSE,
  WATCHED_KIND_INFOS,
  type Diagnosis,
  type KubernetesObject,
  type WatchedKind,
} from '@capa-backstage/plugin-capa-common';
import { readWarningEvents } from '../cache/service';
import { labelSelectorOf, ObjectStore } from '../cache/ObjectStore';
import type { ManagementClusterClient } from '../client/ManagementClusterClient';

/**
 * The diagnosis of one cluster read from the management cluster now: the objects the watch cache
 * would hold for it (its namespace's, the namespace itself and the identities) projected as the
 * cache projects them, with the namespace's Warning events. About ten requests; undefined when
 * the cluster does not exist.
 *
 * @public
 */
export async function readClusterDiagnosis(
  client: ManagementClusterClient,
  namespace: string,
  name: string,
  options: { signal?: AbortSignal } = {},
): Promise<Diagnosis[] | undefined> {
  const { signal } = options;
  const store = new ObjectStore(client.name);
  await Promise.all(
    WATCHED_KIND_INFOS.map(async info => {
      const kind = info.kind as WatchedKind;
      let items: KubernetesObject[];
      if (kind === 'Namespace') {
        const ns = await client.find(
          objectRef('Namespace', undefined, namespace),
          {
            signal,
          },
        );
        items = ns ? [ns] : [];
      } else {
        const type = { apiVersion: info.apiVersion, kind: info.kind };
        items = (
          await client.list(info.namespaced ? { ...type, namespace } : type, {
            labelSelector: labelSelectorOf(kind),
            signal,
          })
        ).items;
      }
      store.replace(kind, items);
    }),
  );
  const view = store.view(namespace, name);
  if (!view) return undefined;
  const now = { ...view, diagnosis: diagnosisAt(view, Date.now()) };
  const events = await readWarningEvents(client, namespace);
  return clusterEvents(now, events.items, events.truncated).diagnosis;
}

/**
 * One diagnosis as a task log line: the cause, the evidence and the fix.
 *
 * @public
 */
export function describeDiagnosis(d: Diagnosis): string {
  const e = d.evidence[0];
  const evidence = e
    ? ` Evidence: ${e.kind} ${e.name}${e.type ? ` ${e.type}` : ''}${
        e.status ? ` ${e.status}` : ''
      }${e.reason ? ` (${e.reason})` : ''}${e.message ? `: ${e.message}` : ''}.`
    : '';
  return `Diagnosis: ${d.title}. ${d.summary}${evidence} Fix (by ${
    d.owner === 'aws-support' ? 'AWS support' : `the ${d.owner}`
  }): ${d.fix}${d.template ? ` Template: ${d.template}.` : ''}`;
}

/**
 * Options of {@link waitWithDiagnosis}.
 *
 * @public
 */
export interface DiagnosisWatchOptions {
  client: ManagementClusterClient;
  namespace: string;
  /** The Cluster's name. */
  name: string;
  /** What the wait is for, to start the error message: "Cluster acme/prod will not reach ...". */
  waitingFor: string;
  logger: { info(message: string): void; warn(message: string): void };
  signal?: AbortSignal;
  /** How often to read the diagnosis again after the first read at the start. */
  everyMs?: number;
}

/**
 * Between two reads of a waiting cluster's diagnosis, by default.
 *
 * @public
 */
export const DIAGNOSIS_INTERVAL_MS = 20_000;

/**
 * Runs `wait` while reading the cluster's diagnosis, at once and then every `everyMs`: logs each
 * cause when it first appears, and ends the wait at once with an error that names the cause and
 * its fix when the diagnosis holds a recognised error (a cause no wait can outlast). Unrecognised
 * failures are logged verbatim but do not end the wait: they may pass. A diagnosis that cannot be
 * read is skipped; the wait goes on.
 *
 * @public
 */
export async function waitWithDiagnosis<T>(
  options: DiagnosisWatchOptions,
  wait: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { logger, everyMs = DIAGNOSIS_INTERVAL_MS } = options;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const logged = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const diagnosed = new Promise<never>((_, reject) => {
    const check = async () => {
      if (stop.signal.aborted) return;
      const diagnosis = await readClusterDiagnosis(
        options.client,
        options.namespace,
        options.name,
        { signal: stop.signal },
      ).catch(() => undefined);
      if (stop.signal.aborted) return;
      for (const d of diagnosis ?? []) {
        if (logged.has(d.cause)) continue;
        logged.add(d.cause);
        logger.warn(describeDiagnosis(d));
      }
      const blocking = diagnosis?.find(
        d => d.severity === 'error' && d.cause !== UNRECOGNISED_CAUSE,
      );
      if (blocking) {
        reject(
          new Error(
            `${options.waitingFor}: ${blocking.title}. ${blocking.summary} Fix: ${blocking.fix}`,
          ),
        );
        stop.abort();
        return;
      }
      timer = setTimeout(check, everyMs);
    };
    void check();
  });
  try {
    return await Promise.race([wait(stop.signal), diagnosed]);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

import type {
  Diagnosis,
  DiagnosisEvidence,
  DiagnosisOwner,
  ObjectStatusView,
} from '../view/types';

/**
 * One thing a diagnosis can be read from: a condition, an event, a failure message, a finding of
 * a spec check, or the age of a state. Conditions and failures come from the objects' status,
 * events from the management cluster on demand, spec findings and ages from the projection.
 *
 * @public
 */
export type DiagnosisSignal = DiagnosisEvidence & {
  /** Conditions only: CAPA's v1beta1-style severity of a False condition. */
  severity?: 'Error' | 'Warning' | 'Info';
};

/**
 * What a rule matches in a signal. Every given field must match: `type` the condition type, event
 * reason, check or age cause; `reason` and `message` regular expressions (named groups become
 * placeholders of the rule's texts).
 *
 * @public
 */
export interface DiagnosisMatcher {
  source: DiagnosisSignal['source'];
  kinds?: string[];
  type?: string | RegExp;
  status?: 'True' | 'False' | 'Unknown';
  reason?: RegExp;
  message?: RegExp;
}

/**
 * One row of the diagnosis table: a cause, how to recognise it, and its fix.
 *
 * @public
 */
export interface DiagnosisRule {
  /** Stable id, used for counts and filters. */
  cause: string;
  /** The cause in a few words. */
  title: string;
  severity: 'error' | 'warning';
  owner: DiagnosisOwner;
  /**
   * The cause in one sentence. `{kind}`, `{name}`, `{message}` and the matcher's named groups are
   * replaced by the first matching signal's values.
   */
  summary: string;
  /** What to change, where, by whom; placeholders as in `summary`. */
  fix: string;
  /** The template that applies the fix (an entity ref), when one does. */
  template?: string;
  /** The signals that show the cause: any one of them. */
  when: DiagnosisMatcher[];
  /** Where the match rule was taken from (source file, documentation, issue). */
  source: string;
}

/**
 * The table row for failures no other row explains: shown verbatim, never hidden.
 *
 * @public
 */
export const UNRECOGNISED_CAUSE = 'unrecognised';

const STEP_COUNTER = /^\d+ of \d+ completed$/;

function matches(
  m: DiagnosisMatcher,
  s: DiagnosisSignal,
): Record<string, string> | undefined {
  if (m.source !== s.source) return undefined;
  if (m.kinds && !m.kinds.includes(s.kind)) return undefined;
  if (m.type !== undefined) {
    const ok =
      typeof m.type === 'string'
        ? s.type === m.type
        : s.type !== undefined && m.type.test(s.type);
    if (!ok) return undefined;
  }
  if (m.status && s.status !== m.status) return undefined;
  const groups: Record<string, string> = {};
  for (const [pattern, value] of [
    [m.reason, s.reason],
    [m.message, s.message],
  ] as const) {
    if (!pattern) continue;
    const found = value !== undefined ? pattern.exec(value) : null;
    if (!found) return undefined;
    Object.assign(groups, found.groups);
  }
  return groups;
}

function fill(text: string, values: Record<string, string | undefined>) {
  return text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? '');
}

/** Whether a signal that no rule explains is still a failure to show. */
function isUnexplainedFailure(s: DiagnosisSignal): boolean {
  if (s.source === 'failure') return true;
  return (
    s.source === 'condition' &&
    s.status === 'False' &&
    s.severity === 'Error' &&
    !STEP_COUNTER.test(s.message ?? '')
  );
}

const sameEvidence = (a: DiagnosisEvidence, b: DiagnosisEvidence) =>
  a.source === b.source &&
  a.kind === b.kind &&
  a.name === b.name &&
  a.type === b.type &&
  a.message === b.message;

function evidenceOf(s: DiagnosisSignal): DiagnosisEvidence {
  const { severity, ...evidence } = s;
  return evidence;
}

/**
 * The diagnoses the signals show, by the first row of `rules` that explains each signal: errors
 * first, then in table order, each with all of its evidence. A failure no row explains becomes an
 * `unrecognised` diagnosis with the failure verbatim.
 *
 * @public
 */
export function diagnose(
  signals: readonly DiagnosisSignal[],
  rules: readonly DiagnosisRule[],
): Diagnosis[] {
  const found = new Map<number, Diagnosis>();
  const unexplained: DiagnosisEvidence[] = [];
  for (const signal of signals) {
    let explained = false;
    for (let i = 0; i < rules.length && !explained; i++) {
      const rule = rules[i];
      for (const matcher of rule.when) {
        const groups = matches(matcher, signal);
        if (!groups) continue;
        explained = true;
        const evidence = evidenceOf(signal);
        const existing = found.get(i);
        if (existing) {
          if (!existing.evidence.some(e => sameEvidence(e, evidence)))
            existing.evidence.push(evidence);
        } else {
          const values = {
            kind: signal.kind,
            name: signal.name,
            message: signal.message,
            ...groups,
          };
          found.set(i, {
            cause: rule.cause,
            title: rule.title,
            severity: rule.severity,
            summary: fill(rule.summary, values),
            fix: fill(rule.fix, values),
            owner: rule.owner,
            ...(rule.template ? { template: rule.template } : {}),
            evidence: [evidence],
          });
        }
        break;
      }
    }
    if (!explained && isUnexplainedFailure(signal))
      unexplained.push(evidenceOf(signal));
  }
  const diagnoses = [...found.entries()]
    .sort(
      ([a, x], [b, y]) =>
        (x.severity === 'error' ? 0 : 1) - (y.severity === 'error' ? 0 : 1) ||
        a - b,
    )
    .map(([, d]) => d);
  if (unexplained.length) {
    diagnoses.push({
      cause: UNRECOGNISED_CAUSE,
      title: 'Failure not recognised',
      severity: 'error',
      summary:
        'The controllers report a failure that no known cause explains; it is shown as they wrote it.',
      fix: 'Read the evidence below; if it is not clear what to change, ask the platform team, who can read the CAPA controller logs on the management cluster.',
      owner: 'platform',
      evidence: unexplained,
    });
  }
  return diagnoses;
}

/**
 * Diagnoses of the same cluster from several sources (the projection, then events read on
 * demand) as one list: a cause found twice has the evidence of both.
 *
 * @public
 */
export function mergeDiagnoses(...lists: Diagnosis[][]): Diagnosis[] {
  const merged: Diagnosis[] = [];
  for (const d of lists.flat()) {
    const existing = merged.find(m => m.cause === d.cause);
    if (!existing) {
      merged.push({ ...d, evidence: [...d.evidence] });
      continue;
    }
    for (const e of d.evidence)
      if (!existing.evidence.some(x => sameEvidence(x, e)))
        existing.evidence.push(e);
  }
  return merged.sort(
    (x, y) =>
      (x.severity === 'error' ? 0 : 1) - (y.severity === 'error' ? 0 : 1),
  );
}

/** The condition and failure signals of the objects behind a cluster. @public */
export function statusSignals(
  objects: readonly ObjectStatusView[],
): DiagnosisSignal[] {
  return objects.flatMap(o => [
    ...o.conditions.map(
      (c): DiagnosisSignal => ({
        source: 'condition',
        kind: o.kind,
        name: o.name,
        type: c.type,
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
        ...(c.severity ? { severity: c.severity } : {}),
        ...(c.lastTransitionTime ? { since: c.lastTransitionTime } : {}),
      }),
    ),
    ...(o.failureMessage
      ? [
          {
            source: 'failure' as const,
            kind: o.kind,
            name: o.name,
            type: 'failureMessage',
            message: o.failureMessage,
          },
        ]
      : []),
  ]);
}

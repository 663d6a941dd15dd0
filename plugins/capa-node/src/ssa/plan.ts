import type {
  KubernetesObject,
  ObjectRef,
} from '@capa-backstage/plugin-capa-common';
import {
  fieldName,
  getAt,
  isCapaFieldManager,
  isMap,
  jsonEqual,
  managedEntries,
  setAt,
} from './managedFields';

/**
 * One field an action sets: a scalar or a whole list (the CAPI and CAPA lists the day-2 actions
 * touch are atomic, so a list is one field to server-side apply).
 *
 * @public
 */
export interface FieldChange {
  path: string[];
  /** A JSON value. */
  value: unknown;
  /** Names one list item in the task log (for example by its ARN); JSON otherwise. */
  describeItem?: (item: unknown) => string;
}

/**
 * What an action wants of one object: changes to a live object, or a new object.
 *
 * @public
 */
export type ObjectPlan =
  | { ref: ObjectRef; live: KubernetesObject; changes: FieldChange[] }
  | { ref: ObjectRef; create: KubernetesObject };

/** A field and the manager that owns it. */
export interface OwnedField {
  manager: string;
  field: string;
}

/** `Kind namespace/name`, for log lines and errors. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Every leaf of a value: scalars, lists and empty maps. */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (isMap(value) && Object.keys(value).length > 0)
    return Object.entries(value).flatMap(([k, v]) =>
      leafPaths(v, [...prefix, k]),
    );
  return prefix.length ? [prefix] : [];
}

const overlaps = (a: string[], b: string[]) =>
  a.slice(0, Math.min(a.length, b.length)).every((k, i) => k === b[i]);

const IDENTITY_PATHS = [
  ['apiVersion'],
  ['kind'],
  ['metadata', 'name'],
  ['metadata', 'namespace'],
];

/**
 * The apply body of a plan: apiVersion, kind, name and namespace, the fields this manager already
 * owns (at their live values: a field left out of an apply is deleted when nobody else owns it,
 * so leaving them out would undo an earlier run) and the changes.
 */
export function applyBody(
  plan: ObjectPlan,
  fieldManager: string,
): KubernetesObject {
  if ('create' in plan) return JSON.parse(JSON.stringify(plan.create));
  const { ref, live } = plan;
  const body: Record<string, unknown> = {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: {
      name: ref.name,
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
    },
  };
  for (const entry of managedEntries(live)) {
    if (
      entry.manager !== fieldManager ||
      entry.operation !== 'Apply' ||
      entry.subresource
    )
      continue;
    for (const path of entry.paths) {
      const value = getAt(live, path);
      if (value !== undefined) setAt(body, path, value);
    }
  }
  for (const change of plan.changes) setAt(body, change.path, change.value);
  return body as unknown as KubernetesObject;
}

function formatValue(v: unknown): string {
  if (v === undefined) return '(unset)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The log lines of one list change: each item removed and added, or that it was reordered. */
function describeListChange(
  field: string,
  before: unknown[],
  next: unknown[],
  name: (item: unknown) => string,
): string[] {
  const removed = before.filter(o => !next.some(n => jsonEqual(n, o)));
  const added = next.filter(n => !before.some(o => jsonEqual(o, n)));
  const lines = [
    ...removed.map(item => `${field}: - ${name(item)}`),
    ...added.map(item => `${field}: + ${name(item)}`),
  ];
  return lines.length ? lines : [`${field}: reordered`];
}

/** The task-log lines of the fields a plan changes; empty when it changes nothing. */
export function describeChanges(plan: ObjectPlan): string[] {
  if ('create' in plan) return ['new object'];
  return plan.changes.flatMap(change => {
    const before = getAt(plan.live, change.path);
    if (jsonEqual(before, change.value)) return [];
    const field = change.path.join('.');
    if (
      Array.isArray(change.value) &&
      (before === undefined || Array.isArray(before))
    ) {
      return describeListChange(
        field,
        (before as unknown[] | undefined) ?? [],
        change.value,
        change.describeItem ?? formatValue,
      );
    }
    return [`${field}: ${formatValue(before)} -> ${formatValue(change.value)}`];
  });
}

/** Who owns the fields an apply would change: this project's managers, and everyone else. */
export function ownersInTheWay(
  plan: ObjectPlan,
  fieldManager: string,
): { takeOver: OwnedField[]; blocked: OwnedField[] } {
  const takeOver: OwnedField[] = [];
  const blocked: OwnedField[] = [];
  if ('create' in plan) return { takeOver, blocked };
  const body = applyBody(plan, fieldManager);
  const sent = leafPaths(body).filter(
    p => !IDENTITY_PATHS.some(q => jsonEqual(p, q)),
  );
  // The apiserver's rule: a field another manager owns conflicts when the apply sets it to a
  // different value. Status entries never meet a main-resource apply.
  for (const entry of managedEntries(plan.live)) {
    if (entry.subresource) continue;
    if (entry.manager === fieldManager && entry.operation === 'Apply') continue;
    for (const owned of entry.paths) {
      if (!sent.some(p => overlaps(p, owned))) continue;
      if (jsonEqual(getAt(plan.live, owned), getAt(body, owned))) continue;
      const hit = { manager: entry.manager, field: fieldName(owned) };
      (isCapaFieldManager(entry.manager) ? takeOver : blocked).push(hit);
    }
  }
  return { takeOver, blocked };
}

/** The fields of each manager: `[manager, fields]` in the order first met. */
export function groupByManager(hits: OwnedField[]): Array<[string, string[]]> {
  const grouped = new Map<string, string[]>();
  for (const h of hits)
    grouped.set(h.manager, [...(grouped.get(h.manager) ?? []), h.field]);
  return [...grouped];
}

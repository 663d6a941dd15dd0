/**
 * Field ownership for server-side apply, at leaf granularity: every scalar, list (lists are atomic
 * here) and empty map is one field, owned by one or more field managers. This is the part of the
 * apiserver's structured-merge-diff the project relies on: conflicts naming the other manager,
 * `force` taking fields over, fields dropped from an applied configuration being removed, and an
 * identical re-apply changing nothing.
 */
import type { KubeObject } from './selectors';

/** One entry of metadata.managedFields, with its fields as a set of paths. */
export interface FieldManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  /** Encoded path -> path. */
  fields: Map<string, string[]>;
}

/** A field another manager owns with a different value. */
export interface FieldConflict {
  manager: string;
  apiVersion: string;
  field: string;
}

type Json = unknown;
type JsonMap = Record<string, Json>;

/** Metadata keys that belong to the user (and so to field managers); the rest is the server's. */
const TRACKED_METADATA = [
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
];

export function isMap(v: Json): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep copy of a JSON value. Not structuredClone: under Jest that returns objects of another realm,
 * which util.isDeepStrictEqual then never finds equal to local ones.
 */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null
  )
    return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ka = Object.keys(a).filter(k => (a as JsonMap)[k] !== undefined);
  const kb = Object.keys(b).filter(k => (b as JsonMap)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every(k => jsonEqual((a as JsonMap)[k], (b as JsonMap)[k]))
  );
}

/**
 * The part of an object field managers can own: for the main resource everything but the type,
 * the server-owned metadata and (when the kind has a status subresource) status; for the status
 * subresource only status.
 */
export function trackedView(
  obj: KubeObject | undefined,
  part: 'main' | 'status',
  hasStatus: boolean,
): JsonMap {
  if (!obj) return {};
  if (part === 'status')
    return obj.status === undefined ? {} : { status: obj.status };
  const view: JsonMap = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || (k === 'status' && hasStatus))
      continue;
    if (k === 'metadata') {
      const meta: JsonMap = {};
      for (const mk of TRACKED_METADATA) {
        if ((v as JsonMap)[mk] !== undefined) meta[mk] = (v as JsonMap)[mk];
      }
      if (Object.keys(meta).length) view.metadata = meta;
      continue;
    }
    view[k] = v;
  }
  return view;
}

/** Every leaf path of a value: scalars, nulls, lists and empty maps end a path. */
export function leafPaths(value: JsonMap): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (v: Json, path: string[]) => {
    if (isMap(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, [...path, k]);
    } else if (path.length) {
      out.set(JSON.stringify(path), path);
    }
  };
  walk(value, []);
  return out;
}

export function getAt(obj: Json, path: string[]): Json {
  let cur = obj;
  for (const k of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Deletes a field and any maps left empty above it. */
export function deleteAt(obj: JsonMap, path: string[]): void {
  const parents: JsonMap[] = [];
  let cur: Json = obj;
  for (const k of path.slice(0, -1)) {
    if (!isMap(cur)) return;
    parents.push(cur);
    cur = cur[k];
  }
  if (!isMap(cur)) return;
  delete cur[path[path.length - 1]];
  for (let i = parents.length - 1; i >= 0; i--) {
    const child = parents[i][path[i]];
    if (isMap(child) && Object.keys(child).length === 0)
      delete parents[i][path[i]];
    else break;
  }
}

/** Merges maps recursively; lists and scalars in the patch replace what is there. */
export function mergeInto(target: JsonMap, patch: JsonMap): void {
  for (const [k, v] of Object.entries(patch)) {
    if (isMap(v) && isMap(target[k])) mergeInto(target[k] as JsonMap, v);
    else target[k] = clone(v);
  }
}

/** True when one path is a prefix of (or equal to) the other. */
function overlaps(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `.spec.roleARN`, `.metadata.labels.capa.backstage.io/tenant`: the apiserver's field notation. */
export function formatField(path: string[]): string {
  return `.${path.join('.')}`;
}

function cloneEntries(entries: FieldManagerEntry[]): FieldManagerEntry[] {
  return entries.map(e => ({ ...e, fields: new Map(e.fields) }));
}

function removeOverlapping(entry: FieldManagerEntry, path: string[]): void {
  for (const [k, q] of entry.fields)
    if (overlaps(q, path)) entry.fields.delete(k);
}

function sameEntry(
  e: FieldManagerEntry,
  manager: string,
  operation: string,
  subresource?: string,
) {
  return (
    e.manager === manager &&
    e.operation === operation &&
    e.subresource === subresource
  );
}

/** The outcome of a server-side apply: the merged object and managers, or the conflicts. */
export type ApplyOutcome =
  | { object: KubeObject; managers: FieldManagerEntry[]; conflicts?: undefined }
  | { conflicts: FieldConflict[] };

/**
 * Server-side apply of `applied` onto `live` by `manager`. The caller validates and stores the
 * result; nothing here has side effects.
 */
export function serverSideApply(args: {
  live: KubeObject | undefined;
  skeleton: KubeObject;
  applied: KubeObject;
  managers: FieldManagerEntry[];
  manager: string;
  force: boolean;
  hasStatus: boolean;
  subresource?: 'status';
  now: string;
}): ApplyOutcome {
  const part = args.subresource === 'status' ? 'status' : 'main';
  const appliedView = trackedView(args.applied, part, args.hasStatus);
  const liveView = trackedView(args.live, part, args.hasStatus);
  const applying = leafPaths(appliedView);
  const managers = cloneEntries(args.managers);
  const own = managers.find(e =>
    sameEntry(e, args.manager, 'Apply', args.subresource),
  );

  const conflicts: Array<
    FieldConflict & { entry: FieldManagerEntry; path: string[] }
  > = [];
  for (const entry of managers) {
    if (entry === own) continue;
    for (const q of entry.fields.values()) {
      for (const p of applying.values()) {
        if (
          overlaps(p, q) &&
          !jsonEqual(getAt(liveView, q), getAt(appliedView, q))
        ) {
          conflicts.push({
            manager: entry.manager,
            apiVersion: entry.apiVersion,
            field: formatField(q),
            entry,
            path: q,
          });
          break;
        }
      }
    }
  }
  if (conflicts.length && !args.force) {
    return {
      conflicts: conflicts.map(({ manager, apiVersion, field }) => ({
        manager,
        apiVersion,
        field,
      })),
    };
  }
  for (const c of conflicts) removeOverlapping(c.entry, c.path);

  const object = clone(args.live ?? args.skeleton);
  if (own) {
    for (const [k, p] of own.fields) {
      if (applying.has(k)) continue;
      const sharedWithOthers = managers.some(
        e => e !== own && [...e.fields.values()].some(q => overlaps(p, q)),
      );
      if (!sharedWithOthers) deleteAt(object as JsonMap, p);
    }
  }
  mergeInto(object as JsonMap, appliedView);

  if (own) {
    own.fields = applying;
    own.time = args.now;
    own.apiVersion = args.applied.apiVersion;
  } else {
    managers.push({
      manager: args.manager,
      operation: 'Apply',
      apiVersion: args.applied.apiVersion,
      time: args.now,
      subresource: args.subresource,
      fields: applying,
    });
  }
  return { object, managers: managers.filter(e => e.fields.size > 0) };
}

/**
 * Records a non-apply write (create, update, merge patch): the fields it changed now belong to
 * `manager` (operation Update) and to nobody else, the fields it removed to nobody. Updates never
 * conflict, as in the apiserver.
 */
export function recordUpdate(args: {
  before: KubeObject | undefined;
  after: KubeObject;
  managers: FieldManagerEntry[];
  manager: string;
  apiVersion: string;
  hasStatus: boolean;
  subresource?: 'status';
  now: string;
}): FieldManagerEntry[] {
  const part = args.subresource === 'status' ? 'status' : 'main';
  const beforeView = trackedView(args.before, part, args.hasStatus);
  const afterView = trackedView(args.after, part, args.hasStatus);
  const before = leafPaths(beforeView);
  const after = leafPaths(afterView);
  const changed = [...after].filter(
    ([k, p]) =>
      !before.has(k) || !jsonEqual(getAt(beforeView, p), getAt(afterView, p)),
  );
  const removed = [...before].filter(([k]) => !after.has(k));
  if (!changed.length && !removed.length) return args.managers;

  const managers = cloneEntries(args.managers);
  for (const [, p] of [...changed, ...removed])
    for (const e of managers) removeOverlapping(e, p);
  if (changed.length) {
    let own = managers.find(e =>
      sameEntry(e, args.manager, 'Update', args.subresource),
    );
    if (!own) {
      own = {
        manager: args.manager,
        operation: 'Update',
        apiVersion: args.apiVersion,
        time: args.now,
        subresource: args.subresource,
        fields: new Map(),
      };
      managers.push(own);
    }
    for (const [k, p] of changed) own.fields.set(k, p);
    own.time = args.now;
    own.apiVersion = args.apiVersion;
  }
  return managers.filter(e => e.fields.size > 0);
}

/** Renders field paths in the apiserver's FieldsV1 notation (`{"f:spec": {"f:roleARN": {}}}`). */
export function toFieldsV1(fields: Map<string, string[]>): JsonMap {
  const root: JsonMap = {};
  for (const path of fields.values()) {
    let node = root;
    for (const k of path) {
      const key = `f:${k}`;
      node[key] = (node[key] as JsonMap | undefined) ?? {};
      node = node[key] as JsonMap;
    }
  }
  return root;
}

/** metadata.managedFields as the apiserver shows it. */
export function renderManagedFields(entries: FieldManagerEntry[]): JsonMap[] {
  return entries.map(e => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    time: e.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(e.fields),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

// Reading server-side apply's field ownership (`metadata.managedFields`) and the JSON helpers the
// plans compare and build values with.

import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import { CAPA_FIELD_MANAGER } from '../client/types';

type JsonMap = Record<string, unknown>;

/** One manager's entry of `metadata.managedFields`, with the paths it owns. */
export interface ManagedEntry {
  manager: string;
  operation: string;
  subresource?: string;
  /** Owned paths outside `status`. */
  paths: string[][];
}

export const isMap = (v: unknown): v is JsonMap =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * JSON equality with key order ignored (and keys whose value is undefined left out).
 *
 * @public
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a).filter(k => a[k] !== undefined);
    const kb = Object.keys(b).filter(k => b[k] !== undefined);
    return ka.length === kb.length && ka.every(k => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The value at a path of maps; undefined when any step is missing. */
export function getAt(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Sets a copy of `value` at a path, creating the maps on the way. */
export function setAt(
  obj: JsonMap,
  path: readonly string[],
  value: unknown,
): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    if (!isMap(cur[k])) cur[k] = {};
    cur = cur[k] as JsonMap;
  }
  cur[path[path.length - 1]] = JSON.parse(JSON.stringify(value));
}

/** `.spec.version`: how the apiserver names fields in conflicts. */
export function fieldName(path: readonly string[]): string {
  return `.${path.join('.')}`;
}

/**
 * The paths a FieldsV1 entry owns. Items of a list owned one by one (`k:`/`v:`/`i:` keys) count
 * as the whole list: coarser than the apiserver, so a check on it can only be more cautious.
 */
export function fieldsV1Paths(
  node: unknown,
  prefix: string[] = [],
): string[][] {
  const keys = isMap(node) ? Object.keys(node) : [];
  const fields = keys.filter(k => k.startsWith('f:'));
  if (fields.length === 0) return prefix.length ? [prefix] : [];
  const out = fields.flatMap(k =>
    fieldsV1Paths((node as JsonMap)[k], [...prefix, k.slice(2)]),
  );
  if (prefix.length && keys.some(k => /^[kvi]:/.test(k))) out.push(prefix);
  return out;
}

/** The managed-fields entries of an object; what another writer stored there is checked first. */
export function managedEntries(obj: KubernetesObject): ManagedEntry[] {
  const entries: unknown = obj.metadata.managedFields;
  if (!Array.isArray(entries)) return [];
  return entries.filter(isMap).map(e => ({
    manager: String(e.manager ?? ''),
    operation: String(e.operation ?? ''),
    subresource: typeof e.subresource === 'string' ? e.subresource : undefined,
    paths: fieldsV1Paths(e.fieldsV1).filter(p => p[0] !== 'status'),
  }));
}

/**
 * Field managers of this project (capa:apply's and the day-2 actions'): fields they own may be
 * taken over by another of them, as the fields of a cluster created through the portal pass to
 * the action that now changes them. Nobody else's.
 */
export function isCapaFieldManager(manager: string): boolean {
  return (
    manager === CAPA_FIELD_MANAGER ||
    manager.startsWith(`${CAPA_FIELD_MANAGER}-`)
  );
}

/**
 * Apply-operation managers outside this project: typically a GitOps tool that would revert a
 * change (or bring back a deleted object).
 *
 * @public
 */
export function foreignAppliers(obj: KubernetesObject): string[] {
  return [
    ...new Set(
      managedEntries(obj)
        .filter(
          e =>
            e.operation === 'Apply' &&
            !e.subresource &&
            !isCapaFieldManager(e.manager),
        )
        .map(e => e.manager),
    ),
  ];
}

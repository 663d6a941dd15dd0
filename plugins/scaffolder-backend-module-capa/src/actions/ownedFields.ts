import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, isError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import {
  CAPA_FIELD_MANAGER,
  type ManagementClusterClient,
} from '@capa-backstage/plugin-capa-node';
import type {
  KubernetesObject,
  ObjectRef,
} from '@capa-backstage/plugin-capa-common';
import { createHash } from 'crypto';
import { describeObject } from './workspace';

/**
 * The field managers of the day-2 actions. Each action applies only the fields it owns under its
 * own name, so `kubectl get -o yaml --show-managed-fields` tells who changed what, and a GitOps
 * tool's fields are never dropped or silently taken over. Grant and revoke share one manager
 * because they edit the same lists.
 *
 * @public
 */
export const DAY2_FIELD_MANAGERS = {
  upgrade: `${CAPA_FIELD_MANAGER}-upgrade`,
  nodePool: `${CAPA_FIELD_MANAGER}-nodepool`,
  access: `${CAPA_FIELD_MANAGER}-access`,
} as const;

/**
 * One field an action sets: a scalar or a whole list (the CAPI and CAPA lists these actions touch
 * are atomic, so a list is one field to server-side apply).
 */
export interface FieldChange {
  path: string[];
  value: JsonValue;
  /** Names one list item in the task log (for example by its ARN); JSON otherwise. */
  describeItem?: (item: unknown) => string;
}

/** What an action wants of one object: changes to a live object, or a new object. */
export type ObjectPlan =
  | { ref: ObjectRef; live: KubernetesObject; changes: FieldChange[] }
  | { ref: ObjectRef; create: KubernetesObject };

/** What happened to one object. */
export interface AppliedObject {
  kind: string;
  namespace?: string;
  name: string;
  action: 'created' | 'configured' | 'unchanged';
  /** The changed fields as logged, e.g. `spec.version: v1.33 -> v1.34`. */
  changes: string[];
}

interface ManagedEntry {
  manager: string;
  operation: string;
  subresource?: string;
  paths: string[][];
}

type JsonMap = Record<string, unknown>;

const isMap = (v: unknown): v is JsonMap =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON equality with key order ignored. */
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
export function getAt(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function setAt(obj: JsonMap, path: string[], value: unknown): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    if (!isMap(cur[k])) cur[k] = {};
    cur = cur[k] as JsonMap;
  }
  cur[path[path.length - 1]] = JSON.parse(JSON.stringify(value));
}

/** `.spec.version`: how the apiserver names fields in conflicts. */
export function fieldName(path: string[]): string {
  return `.${path.join('.')}`;
}

/**
 * The paths a FieldsV1 entry owns. Items of a list owned one by one (`k:`/`v:`/`i:` keys) count
 * as the whole list: coarser than the apiserver, so a check on it can only be more cautious.
 */
function fieldsV1Paths(node: unknown, prefix: string[] = []): string[][] {
  const keys = isMap(node) ? Object.keys(node) : [];
  const fields = keys.filter(k => k.startsWith('f:'));
  if (fields.length === 0) return prefix.length ? [prefix] : [];
  const out = fields.flatMap(k =>
    fieldsV1Paths((node as JsonMap)[k], [...prefix, k.slice(2)]),
  );
  if (prefix.length && keys.some(k => /^[kvi]:/.test(k))) out.push(prefix);
  return out;
}

function managedEntries(obj: KubernetesObject): ManagedEntry[] {
  const entries = obj.metadata.managedFields;
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

/** Apply-operation managers outside this project: typically a GitOps tool that would revert us. */
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
  const body: JsonMap = {
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

/** The task-log lines of the fields a plan changes; empty when it changes nothing. */
export function describeChanges(plan: ObjectPlan): string[] {
  if ('create' in plan) return ['new object'];
  const lines: string[] = [];
  for (const change of plan.changes) {
    const before = getAt(plan.live, change.path);
    if (jsonEqual(before, change.value)) continue;
    const field = change.path.join('.');
    if (
      Array.isArray(change.value) &&
      (before === undefined || Array.isArray(before))
    ) {
      const old = (before as unknown[] | undefined) ?? [];
      const next = change.value;
      const name = change.describeItem ?? ((i: unknown) => formatValue(i));
      const removed = old.filter(o => !next.some(n => jsonEqual(n, o)));
      const added = next.filter(n => !old.some(o => jsonEqual(o, n)));
      for (const item of removed) lines.push(`${field}: - ${name(item)}`);
      for (const item of added) lines.push(`${field}: + ${name(item)}`);
      if (!removed.length && !added.length) lines.push(`${field}: reordered`);
    } else {
      lines.push(
        `${field}: ${formatValue(before)} -> ${formatValue(change.value)}`,
      );
    }
  }
  return lines;
}

/** Who owns the fields an apply would change: this project's managers, and everyone else. */
export function ownersInTheWay(
  plan: ObjectPlan,
  fieldManager: string,
): {
  takeOver: Array<{ manager: string; field: string }>;
  blocked: Array<{ manager: string; field: string }>;
} {
  const takeOver: Array<{ manager: string; field: string }> = [];
  const blocked: Array<{ manager: string; field: string }> = [];
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

function byManager(hits: Array<{ manager: string; field: string }>): string {
  const grouped = new Map<string, string[]>();
  for (const h of hits)
    grouped.set(h.manager, [...(grouped.get(h.manager) ?? []), h.field]);
  return [...grouped]
    .map(([m, fields]) => `field manager "${m}" owns ${fields.join(', ')}`)
    .join('; ');
}

const refOf = (plan: ObjectPlan) => ({
  kind: plan.ref.kind,
  ...(plan.ref.namespace ? { namespace: plan.ref.namespace } : {}),
  name: plan.ref.name,
});

/** Options of {@link OwnedFieldsApplier}. */
export interface OwnedFieldsApplierOptions {
  client: ManagementClusterClient;
  fieldManager: string;
  dryRun: boolean;
  logger: LoggerService;
  /** The scaffolder's checkpoint, so a retried task does not apply the same change twice. */
  checkpoint<T extends JsonValue | void>(opts: {
    key: string;
    fn: () => Promise<T> | T;
  }): Promise<T>;
  /** Starts every checkpoint key, e.g. `capa-upgrade`. */
  checkpointPrefix: string;
}

/**
 * Applies the fields an action owns, object by object, with server-side apply under the action's
 * field manager: logs the diff, sends only the owned fields, refuses fields owned outside this
 * project, takes fields over from this project's other managers, skips objects that would not
 * change, and re-reads and retries once when the apply meets a 409 conflict.
 */
export class OwnedFieldsApplier {
  constructor(private readonly options: OwnedFieldsApplierOptions) {}

  /**
   * Refuses, before anything is changed, when any of the plans would change a field owned by a
   * manager outside this project (a GitOps tool, kubectl, a controller).
   */
  preflight(plans: ObjectPlan[]): void {
    const problems = plans.flatMap(plan => {
      const { blocked } = ownersInTheWay(plan, this.options.fieldManager);
      return blocked.length
        ? [
            `${describeObject({
              ...refOf(plan),
              apiVersion: plan.ref.apiVersion,
            })}: ${byManager(blocked)}`,
          ]
        : [];
    });
    if (problems.length) {
      throw new ConflictError(
        `Nothing was changed: fields this action would change belong to other field managers, and are not taken over:\n- ${problems.join(
          '\n- ',
        )}\nChange them through their owner, or have it give them up first.`,
      );
    }
  }

  /**
   * Applies one plan. `replan` reads the object again and recomputes the plan; it is called once
   * after a 409 conflict (someone changed the object in between).
   */
  async apply(
    plan: ObjectPlan,
    replan: () => Promise<ObjectPlan>,
  ): Promise<AppliedObject> {
    const { client, fieldManager, dryRun, logger } = this.options;
    let current = plan;
    for (let attempt = 1; ; attempt++) {
      const what = describeObject({
        ...refOf(current),
        apiVersion: current.ref.apiVersion,
      });
      const suffix = dryRun ? ' (dry run)' : '';
      const changes = describeChanges(current);
      if (changes.length === 0) {
        logger.info(`${what}: unchanged${suffix}`);
        return { ...refOf(current), action: 'unchanged', changes };
      }
      for (const line of changes) logger.info(`${what}: ${line}${suffix}`);
      const { takeOver, blocked } = ownersInTheWay(current, fieldManager);
      if (blocked.length) {
        throw new ConflictError(
          `${what}: ${byManager(
            blocked,
          )}; this action does not take fields over from them. Change them through their owner.`,
        );
      }
      if (takeOver.length) {
        const from = new Map<string, string[]>();
        for (const t of takeOver)
          from.set(t.manager, [...(from.get(t.manager) ?? []), t.field]);
        for (const [manager, fields] of from)
          logger.info(
            `${what}: taking over ${fields.join(
              ', ',
            )} from field manager "${manager}" (this project's)${suffix}`,
          );
      }
      const body = applyBody(current, fieldManager);
      const options = { dryRun, force: takeOver.length > 0, fieldManager };
      try {
        const action = dryRun
          ? (await client.apply(body, options)).action
          : await this.options.checkpoint({
              key: `${this.options.checkpointPrefix}.${client.name}.${
                current.ref.namespace ?? ''
              }.${current.ref.kind}.${current.ref.name}.${createHash('sha256')
                .update(JSON.stringify(body))
                .digest('hex')
                .slice(0, 16)}`,
              fn: async () => (await client.apply(body, options)).action,
            });
        logger.info(
          `${what}: ${action} (field manager ${fieldManager})${suffix}`,
        );
        return { ...refOf(current), action, changes };
      } catch (e) {
        if (attempt > 1 || !isError(e) || e.name !== 'ConflictError') throw e;
        logger.warn(
          `${what}: ${
            e.message.split('\n')[0]
          }; reading it again and retrying once`,
        );
        current = await replan();
      }
    }
  }
}

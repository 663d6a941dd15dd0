import { statusError } from './status';

/** A compiled label or field selector: true when an object matches. */
export type Matcher = (obj: KubeObject) => boolean;

/** The loose shape of any stored object. @public */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    finalizers?: string[];
    generateName?: string;
    managedFields?: unknown[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Splits on commas that are not inside parentheses (`a in (x,y),b=c`). */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(Boolean);
}

/**
 * Compiles a label selector in the apiserver's syntax: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k` and `!k`, joined with commas (AND).
 */
export function parseLabelSelector(selector: string | undefined): Matcher {
  if (!selector) return () => true;
  const tests = splitRequirements(selector).map(req => {
    let m = /^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$/.exec(req);
    if (m) {
      const [, key, op, list] = m;
      const values = new Set(list.split(',').map(v => v.trim()));
      return op === 'in'
        ? (l: Record<string, string>) => key in l && values.has(l[key])
        : (l: Record<string, string>) => !(key in l) || !values.has(l[key]);
    }
    m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(req);
    if (m) {
      const [, key, op, value] = m;
      return op === '!='
        ? (l: Record<string, string>) => l[key] !== value
        : (l: Record<string, string>) => l[key] === value;
    }
    m = /^(!?)([^\s!=(),]+)$/.exec(req);
    if (m) {
      const [, not, key] = m;
      return not
        ? (l: Record<string, string>) => !(key in l)
        : (l: Record<string, string>) => key in l;
    }
    throw statusError(
      400,
      `unable to parse requirement: ${JSON.stringify(req)}`,
    );
  });
  return obj => {
    const labels = obj.metadata.labels ?? {};
    return tests.every(t => t(labels));
  };
}

/** Compiles a field selector; like the apiserver for custom resources, only metadata.name and metadata.namespace. */
export function parseFieldSelector(
  selector: string | undefined,
  fieldLabels: Record<string, string> = {},
): Matcher {
  if (!selector) return () => true;
  const tests = splitRequirements(selector).map(req => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (!m) throw statusError(400, `invalid selector: '${selector}'`);
    const [, field, op, value] = m;
    const path =
      field === 'metadata.name' || field === 'metadata.namespace'
        ? field
        : fieldLabels[field];
    // As the apiserver words it (400 BadRequest), for any label the kind does not convert.
    if (!path) throw statusError(400, `field label not supported: ${field}`);
    const get = (o: KubeObject) => {
      let v: unknown = o;
      for (const key of path.split('.'))
        v =
          v && typeof v === 'object'
            ? (v as Record<string, unknown>)[key]
            : undefined;
      return v === undefined || v === null ? '' : String(v);
    };
    return op === '!='
      ? (o: KubeObject) => get(o) !== value
      : (o: KubeObject) => get(o) === value;
  });
  return obj => tests.every(t => t(obj));
}

/**
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), which `kubectl get`
 * asks for: the CRDs' additionalPrinterColumns evaluated per object, as the apiserver does.
 */
import type { PrinterColumn, ServedResource } from './resources';
import type { KubeObject } from './selectors';

/** Evaluates the JSONPath subset CRD printer columns use: `.a.b`, `.a\.b`, `[0]`, `[?(@.k=="v")]`. */
export function evalJsonPath(obj: unknown, path: string): unknown {
  let current: unknown[] = [obj];
  let i = 0;
  const readName = () => {
    let name = '';
    while (i < path.length && path[i] !== '.' && path[i] !== '[') {
      if (path[i] === '\\' && i + 1 < path.length) i++;
      name += path[i++];
    }
    return name;
  };
  while (i < path.length) {
    if (path[i] === '.') {
      i++;
      const name = readName();
      current = current.flatMap(v =>
        v && typeof v === 'object' && !Array.isArray(v) && name in v
          ? [(v as Record<string, unknown>)[name]]
          : [],
      );
    } else if (path[i] === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) return undefined;
      const inner = path.slice(i + 1, end);
      i = end + 1;
      const filter = /^\?\(@\.([\w.-]+)\s*==\s*["']([^"']*)["']\)$/.exec(inner);
      if (filter) {
        const [, key, value] = filter;
        current = current.flatMap(v =>
          Array.isArray(v)
            ? v.filter(e => String(evalJsonPath(e, `.${key}`)) === value)
            : [],
        );
      } else if (/^\d+$/.test(inner)) {
        current = current.flatMap(v =>
          Array.isArray(v) && Number(inner) < v.length
            ? [v[Number(inner)]]
            : [],
        );
      } else {
        const key = inner.replace(/^['"]|['"]$/g, '');
        current = current.flatMap(v =>
          v && typeof v === 'object' && key in v
            ? [(v as Record<string, unknown>)[key]]
            : [],
        );
      }
    } else {
      return undefined;
    }
  }
  if (current.length === 0) return undefined;
  return current.length === 1 ? current[0] : current;
}

/** `kubectl`-style ages: 45s, 12m, 5h, 3d. */
export function humanAge(timestamp: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

function cell(column: PrinterColumn, obj: KubeObject, now: number): unknown {
  const value = evalJsonPath(obj, column.jsonPath);
  if (value === undefined || value === null)
    return column.type === 'date' ? '<unknown>' : '';
  if (column.type === 'date' && typeof value === 'string')
    return humanAge(value, now);
  // Secret's DATA column counts keys, as the built-in printer does.
  if (column.type === 'integer' && typeof value === 'object')
    return Object.keys(value).length;
  return typeof value === 'object' ? JSON.stringify(value) : value;
}

/** What a row carries, by the `includeObject` parameter (None, Object, or the default Metadata). */
function rowObject(
  obj: KubeObject,
  includeObject: string | undefined,
): unknown {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return obj;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: obj.metadata,
  };
}

/** True when the Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  return Boolean(accept && /as=Table/.test(accept));
}

/** A meta.k8s.io/v1 Table of objects. */
export function toTable(
  resource: ServedResource,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  includeObject: string | undefined,
): Record<string, unknown> {
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: [
      {
        name: 'Name',
        type: 'string',
        format: 'name',
        description: 'Name of the object',
        priority: 0,
      },
      ...resource.printerColumns.map(c => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ],
    rows: objects.map(obj => ({
      cells: [
        obj.metadata.name,
        ...resource.printerColumns.map(c => cell(c, obj, now)),
      ],
      object: rowObject(obj, includeObject),
    })),
  };
}

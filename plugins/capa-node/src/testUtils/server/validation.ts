/**
 * Object validation the way the apiserver reports it: the CRD's openAPIV3Schema (checked by
 * capa-common's CrdSchemaValidator, with unknown fields rejected), object names, labels and
 * annotations, and the few rules of the built-in kinds served. Failures become a 422 Invalid Status
 * whose causes carry a field path and a message.
 */
import { CrdSchemaValidator } from '@capa-backstage/plugin-capa-common/testUtils';
import type { ServedResource } from './resources';
import type { KubeObject } from './selectors';
import { qualifiedResource, statusError, StatusError } from './status';

/** One cause of an Invalid Status. */
export interface Cause {
  reason: string;
  message: string;
  field: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `/spec/items/0/name` -> `spec.items[0].name`. */
function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => {
      if (/^\d+$/.test(p)) return `${acc}[${p}]`;
      return acc ? `${acc}.${p}` : p;
    }, '');
}

/** Turns one CrdSchemaValidator problem ("Kind name: /path message") into an apiserver-style cause. */
export function problemToCause(problem: string): Cause {
  const text = problem.replace(/^[^:]*: /, '');
  let m = /^(\/\S*) must have required property '([^']+)'$/.exec(text);
  if (m) {
    const parent = pointerToField(m[1]);
    return {
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: parent ? `${parent}.${m[2]}` : m[2],
    };
  }
  m = /^(\/\S*) must NOT have additional properties "([^"]+)"$/.exec(text);
  if (m) {
    const parent = pointerToField(m[1]);
    return {
      reason: 'FieldValueInvalid',
      message: 'field not declared in schema',
      field: parent ? `${parent}.${m[2]}` : m[2],
    };
  }
  m = /^(\/\S*) (.*)$/.exec(text);
  if (m)
    return {
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${m[2]}`,
      field: pointerToField(m[1]),
    };
  m = /^(metadata\.\w+) (.*)$/.exec(text);
  if (m)
    return {
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${m[2]}`,
      field: m[1],
    };
  return { reason: 'FieldValueInvalid', message: text, field: '' };
}

function checkLabels(
  map: unknown,
  field: string,
  causes: Cause[],
  values: boolean,
) {
  if (map === undefined) return;
  if (!map || typeof map !== 'object' || Array.isArray(map)) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: must be a map of strings',
      field,
    });
    return;
  }
  for (const [key, value] of Object.entries(map)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (
      (prefix !== undefined &&
        (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) ||
      name.length > 63 ||
      !LABEL_NAME.test(name)
    ) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.'`,
        field,
      });
    }
    if (typeof value !== 'string') {
      causes.push({
        reason: 'FieldValueInvalid',
        message: 'Invalid value: must be a string',
        field: `${field}[${key}]`,
      });
    } else if (
      values &&
      value !== '' &&
      (value.length > 63 || !LABEL_NAME.test(value))
    ) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
        field: `${field}[${key}]`,
      });
    }
  }
}

/** Returns the problems of an object about to be stored; empty when it may be stored. */
export function validateObject(
  resource: ServedResource,
  obj: KubeObject,
  validator: CrdSchemaValidator,
): Cause[] {
  const causes: Cause[] = [];
  const name = obj.metadata?.name;
  if (resource.builtIn) {
    const pattern = resource.kind === 'Namespace' ? DNS_LABEL : DNS_SUBDOMAIN;
    if (
      typeof name !== 'string' ||
      name.length > (resource.kind === 'Namespace' ? 63 : 253) ||
      !pattern.test(name)
    ) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${String(
          name,
        )}": must be a lowercase RFC 1123 ${
          resource.kind === 'Namespace' ? 'label' : 'subdomain'
        }`,
        field: 'metadata.name',
      });
    }
    if (resource.kind === 'Secret') {
      const data = obj.data;
      if (
        data !== undefined &&
        (typeof data !== 'object' || data === null || Array.isArray(data))
      ) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: 'Invalid value: must be a map',
          field: 'data',
        });
      } else {
        for (const [k, v] of Object.entries(
          (data ?? {}) as Record<string, unknown>,
        )) {
          if (typeof v !== 'string' || !BASE64.test(v)) {
            causes.push({
              reason: 'FieldValueInvalid',
              message: 'Invalid value: must be base64 encoded',
              field: `data[${k}]`,
            });
          }
        }
      }
    }
    if (resource.kind === 'ConfigMap') checkConfigMap(obj, causes);
  } else {
    for (const p of validator.validate({
      ...obj,
      apiVersion: resource.apiVersion,
    }))
      causes.push(problemToCause(p));
  }
  checkLabels(obj.metadata?.labels, 'metadata.labels', causes, true);
  checkLabels(obj.metadata?.annotations, 'metadata.annotations', causes, false);
  return causes;
}

/** A ConfigMap key: what the apiserver's IsConfigMapKey accepts. */
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
/** The apiserver's limit on a ConfigMap's data and binaryData together (1 MiB). */
const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

/** The apiserver's ConfigMap rules: valid keys, string values, at most 1 MiB in all. */
function checkConfigMap(obj: KubeObject, causes: Cause[]) {
  let size = 0;
  for (const field of ['data', 'binaryData'] as const) {
    const map = obj[field];
    if (map === undefined) continue;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: 'Invalid value: must be a map',
        field,
      });
      continue;
    }
    for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
      if (k.length > 253 || !CONFIG_MAP_KEY.test(k) || k === '.' || k === '..')
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${k}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
          field: `${field}[${k}]`,
        });
      if (typeof v !== 'string') {
        causes.push({
          reason: 'FieldValueInvalid',
          message: 'Invalid value: must be a string',
          field: `${field}[${k}]`,
        });
      } else {
        size += field === 'data' ? Buffer.byteLength(v) : (v.length * 3) / 4;
      }
    }
  }
  if (size > CONFIG_MAP_MAX_BYTES)
    causes.push({
      reason: 'FieldValueTooLong',
      message: `Too long: must have at most ${CONFIG_MAP_MAX_BYTES} bytes`,
      field: '',
    });
}

/** The 422 Invalid the apiserver sends for an object with problems. */
export function invalid(
  resource: ServedResource,
  name: string,
  causes: Cause[],
): StatusError {
  const summary = causes
    .map(c => (c.field ? `${c.field}: ${c.message}` : c.message))
    .join(', ');
  return statusError(
    422,
    `${resource.kind}${
      resource.group ? `.${resource.group}` : ''
    } "${name}" is invalid: ${causes.length > 1 ? `[${summary}]` : summary}`,
    {
      details: {
        name,
        group: resource.group || undefined,
        kind: resource.kind,
        causes,
      },
    },
  );
}

/** Re-exported so the server names resources the same way in every message. */
export { qualifiedResource };

/**
 * The fields of an applied object that its CRD does not declare. A real apiserver converts an
 * apply patch to its typed form before anything else and fails on the first such field with a
 * plain error, which reaches the client as a 500 without a reason (kubernetes#122480, #139253).
 */
export function undeclaredFields(
  resource: ServedResource,
  obj: KubeObject,
  validator: CrdSchemaValidator,
): string[] {
  if (resource.builtIn) return [];
  return validator
    .validate({ ...obj, apiVersion: resource.apiVersion })
    .map(problemToCause)
    .filter(c => c.message === 'field not declared in schema')
    .map(c => c.field);
}

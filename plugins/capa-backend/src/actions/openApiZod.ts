import type { AnyZodObject, ZodTypeAny, z as zod } from 'zod/v3';
import { spec } from '../schema/openapi';

/** The part of JSON Schema (OpenAPI 3.0) that openapi.yaml uses. */
interface JsonSchema {
  $ref?: string;
  type?: string;
  description?: string;
  enum?: readonly unknown[];
  format?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}

/** A schema using a keyword not handled here is an error, so a change to the spec is not lost. */
const KNOWN = new Set([
  '$ref',
  'type',
  'description',
  'enum',
  'format',
  'default',
  'minimum',
  'maximum',
  'maxLength',
  'pattern',
  'items',
  'properties',
  'required',
  'additionalProperties',
]);

const components = spec.components as unknown as {
  schemas: Record<string, JsonSchema>;
  parameters: Record<string, Parameter>;
};

function resolve<T>(ref: string, kind: 'schemas' | 'parameters'): T {
  const prefix = `#/components/${kind}/`;
  const target = ref.startsWith(prefix)
    ? (components[kind] as Record<string, unknown>)[ref.slice(prefix.length)]
    : undefined;
  if (!target) throw new Error(`openapi.yaml: cannot resolve ${ref}`);
  return target as T;
}

function typeOf(z: typeof zod, s: JsonSchema, where: string): ZodTypeAny {
  const unknown = Object.keys(s).filter(k => !KNOWN.has(k));
  if (unknown.length)
    throw new Error(`openapi.yaml ${where}: unsupported ${unknown.join(', ')}`);
  switch (s.type) {
    case 'string': {
      if (s.enum) return z.enum(s.enum as [string, ...string[]]);
      let t = z.string();
      if (s.maxLength !== undefined) t = t.max(s.maxLength);
      if (s.pattern) t = t.regex(new RegExp(s.pattern));
      return t;
    }
    case 'integer':
    case 'number': {
      let t = z.number();
      if (s.type === 'integer') t = t.int();
      if (s.minimum !== undefined) t = t.min(s.minimum);
      if (s.maximum !== undefined) t = t.max(s.maximum);
      return t;
    }
    case 'boolean':
      return z.boolean();
    case 'array':
      if (!s.items)
        throw new Error(`openapi.yaml ${where}: array without items`);
      return z.array(zodOfSchema(z, s.items, `${where}[]`));
    case 'object':
      return objectOf(z, s, where);
    default:
      throw new Error(
        `openapi.yaml ${where}: unsupported type ${String(s.type)}`,
      );
  }
}

function objectOf(z: typeof zod, s: JsonSchema, where: string): AnyZodObject {
  const required = new Set(s.required ?? []);
  const shape: Record<string, ZodTypeAny> = {};
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    const t = zodOfSchema(z, prop, `${where}.${key}`);
    shape[key] = required.has(key) || t.isOptional() ? t : t.optional();
  }
  return z.object(shape);
}

/**
 * The zod schema (zod/v3, as the actions registry takes it) of a JSON Schema from openapi.yaml,
 * with its descriptions and defaults, so the actions and the HTTP routes share one contract.
 */
export function zodOfSchema(
  z: typeof zod,
  s: JsonSchema,
  where = 'schema',
): ZodTypeAny {
  if (s.$ref) {
    const name = s.$ref.split('/').pop()!;
    return zodOfSchema(z, resolve<JsonSchema>(s.$ref, 'schemas'), name);
  }
  let t = typeOf(z, s, where);
  if (s.description) t = t.describe(s.description);
  if (s.default !== undefined) t = t.default(s.default);
  return t;
}

/** The zod object of a named schema of openapi.yaml (`components.schemas`). */
export function zodObjectOf(
  z: typeof zod,
  name: keyof typeof spec.components.schemas,
): AnyZodObject {
  const s = resolve<JsonSchema>(`#/components/schemas/${name}`, 'schemas');
  if (s.type !== 'object')
    throw new Error(`openapi.yaml ${name}: not an object schema`);
  let t = objectOf(z, s, name);
  if (s.description) t = t.describe(s.description);
  return t;
}

/**
 * The schemas of an operation's parameters (query and path), by name, each with the parameter's
 * description; optional unless the parameter is required.
 */
export function zodOfParameters(
  z: typeof zod,
  path: keyof typeof spec.paths,
): Record<string, ZodTypeAny> {
  const operation = (
    spec.paths as unknown as Record<
      string,
      { get: { parameters?: Array<{ $ref: string }> } }
    >
  )[path].get;
  const shape: Record<string, ZodTypeAny> = {};
  for (const { $ref } of operation.parameters ?? []) {
    const p = resolve<Parameter>($ref, 'parameters');
    let t = zodOfSchema(z, p.schema, p.name);
    if (p.description) t = t.describe(p.description);
    // A default makes it optional already; wrapping it again would skip the default.
    shape[p.name] = p.required || t.isOptional() ? t : t.optional();
  }
  return shape;
}

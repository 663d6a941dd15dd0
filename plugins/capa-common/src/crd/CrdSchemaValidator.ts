import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** One served version of one CRD. @public */
export interface CrdVersion {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  storage: boolean;
  schema: Record<string, unknown>;
}

/** @public */
export interface CustomResourceDefinition {
  metadata: { name: string };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: {
      kind: string;
      plural: string;
      singular?: string;
      listKind?: string;
      shortNames?: string[];
      categories?: string[];
    };
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      schema?: { openAPIV3Schema: Record<string, unknown> };
    }>;
  };
}

/**
 * Makes a CRD schema strict the way `kubectl apply` (field validation Strict) is: an object that
 * lists its properties accepts no others unless it preserves unknown fields.
 */
function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const s = Object.fromEntries(
    Object.entries(schema as Record<string, unknown>).map(([k, v]) => [
      k,
      k === 'properties'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).map(([p, ps]) => [
              p,
              strictSchema(ps),
            ]),
          )
        : strictSchema(v),
    ]),
  ) as Record<string, unknown>;
  if (
    s.properties &&
    s.additionalProperties === undefined &&
    !s['x-kubernetes-preserve-unknown-fields']
  ) {
    s.additionalProperties = false;
  }
  return s;
}

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * One problem of an object with the schema of its CRD: the field (`spec.roleARN`,
 * `spec.items[0].name`; `metadata.name`; empty for the object as a whole) and the rule.
 *
 * @public
 */
export interface CrdSchemaProblem {
  field: string;
  message: string;
}

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

const child = (parent: string, name: string) =>
  parent ? `${parent}.${name}` : name;

/** One ajv error as a field and the rule it breaks, in Kubernetes' words where they differ. */
function problemOf(e: ErrorObject): CrdSchemaProblem {
  const at = pointerToField(e.instancePath);
  if (e.keyword === 'additionalProperties') {
    const name = (e.params as { additionalProperty: string })
      .additionalProperty;
    return { field: child(at, name), message: 'field not declared in schema' };
  }
  if (e.keyword === 'required') {
    const name = (e.params as { missingProperty: string }).missingProperty;
    return { field: child(at, name), message: 'Required value' };
  }
  return { field: at, message: e.message ?? e.keyword };
}

/**
 * Validates objects against the openAPIV3Schema of the CRD that serves their apiVersion and kind,
 * with a real JSON-schema validator (ajv), strictly: a field the schema does not declare is a
 * problem, as with the API server's strict field validation. CEL rules (x-kubernetes-validations)
 * run only in a real API server and are not checked here.
 *
 * @public
 */
export class CrdSchemaValidator {
  private readonly versions = new Map<
    string,
    CrdVersion & { validate: ValidateFunction }
  >();

  /** Compiles the schema of every served version of `crds` (about 0.1 s for a large CRD). */
  constructor(crds: CustomResourceDefinition[]) {
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      validateFormats: true,
      // A format Kubernetes knows and ajv does not is left to the API server, without a warning.
      logger: false,
    });
    addFormats(ajv, ['date-time', 'byte', 'int32', 'int64', 'uri']);
    // Kubernetes durations are Go durations ("30s", "1h5m"), not ISO 8601.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    for (const crd of crds) {
      for (const v of crd.spec.versions) {
        if (!v.served || !v.schema) continue;
        const key = `${crd.spec.group}/${v.name}/${crd.spec.names.kind}`;
        this.versions.set(key, {
          group: crd.spec.group,
          version: v.name,
          kind: crd.spec.names.kind,
          plural: crd.spec.names.plural,
          namespaced: crd.spec.scope === 'Namespaced',
          storage: v.storage,
          schema: v.schema.openAPIV3Schema,
          validate: ajv.compile(
            strictSchema(v.schema.openAPIV3Schema) as object,
          ),
        });
      }
    }
  }

  /** The served CRD version for an apiVersion and kind, if any. */
  lookup(apiVersion: string, kind: string): CrdVersion | undefined {
    return this.versions.get(`${apiVersion}/${kind}`);
  }

  /**
   * The problems of one object, each with its field; undefined when no CRD given serves its
   * apiVersion and kind. An empty list means it is valid.
   */
  check(object: object): CrdSchemaProblem[] | undefined {
    const obj = object as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: Record<string, unknown>;
    };
    const entry = this.versions.get(`${obj.apiVersion}/${obj.kind}`);
    if (!entry) return undefined;
    return [
      ...this.metadataProblems(obj.metadata, entry.namespaced),
      ...(entry.validate(obj) ? [] : entry.validate.errors ?? []).map(
        problemOf,
      ),
    ];
  }

  /** Returns the problems of one object as `Kind name: problem`; an empty list means it is valid. */
  validate(object: object): string[] {
    const obj = object as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: Record<string, unknown>;
    };
    const where = `${String(obj.kind)} ${String(obj.metadata?.name)}`;
    const entry = this.versions.get(`${obj.apiVersion}/${obj.kind}`);
    if (!entry) {
      return [
        `${where}: apiVersion ${String(obj.apiVersion)} kind ${String(
          obj.kind,
        )} is not served by any CRD`,
      ];
    }
    const problems = this.metadataProblems(obj.metadata, entry.namespaced).map(
      p => `${where}: ${p.field} ${p.message}`,
    );
    if (!entry.validate(obj)) {
      for (const e of entry.validate.errors ?? []) {
        const extra =
          e.keyword === 'additionalProperties'
            ? ` "${
                (e.params as { additionalProperty: string }).additionalProperty
              }"`
            : '';
        problems.push(
          `${where}: ${e.instancePath || '/'} ${e.message}${extra}`,
        );
      }
    }
    return problems;
  }

  private metadataProblems(
    metadata: Record<string, unknown> | undefined,
    namespaced: boolean,
  ): CrdSchemaProblem[] {
    const problems: CrdSchemaProblem[] = [];
    const name = metadata?.name;
    if (
      typeof name !== 'string' ||
      name.length > 253 ||
      !DNS_SUBDOMAIN.test(name)
    ) {
      problems.push({
        field: 'metadata.name',
        message: 'must be a DNS-1123 subdomain',
      });
    }
    const ns = metadata?.namespace;
    if (namespaced && (typeof ns !== 'string' || !DNS_LABEL.test(ns))) {
      problems.push({
        field: 'metadata.namespace',
        message: 'is required for a namespaced kind',
      });
    }
    if (!namespaced && ns !== undefined) {
      problems.push({
        field: 'metadata.namespace',
        message: 'must be absent for a cluster-scoped kind',
      });
    }
    return problems;
  }
}

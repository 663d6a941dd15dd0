/* eslint-disable no-restricted-imports -- test utilities read CRD files from disk */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';

/**
 * The CRD files of Cluster API and CAPA that the project renders objects for. Get the same files
 * upstream from each project's config/crd/bases (CAPA) and core/config/crd/bases (CAPI), or from
 * the components YAML of a release.
 *
 * @public
 */
export const REQUIRED_CRD_FILES = [
  'cluster.x-k8s.io_clusters.yaml',
  'cluster.x-k8s.io_machinepools.yaml',
  'controlplane.cluster.x-k8s.io_awsmanagedcontrolplanes.yaml',
  'infrastructure.cluster.x-k8s.io_awsclustercontrolleridentities.yaml',
  'infrastructure.cluster.x-k8s.io_awsclusterroleidentities.yaml',
  'infrastructure.cluster.x-k8s.io_awsmanagedclusters.yaml',
  'infrastructure.cluster.x-k8s.io_awsmanagedmachinepools.yaml',
  'infrastructure.cluster.x-k8s.io_awsfargateprofiles.yaml',
];

/** The CRD directory: $CAPA_CRDS_DIR, or ../shared/crds beside the repository. @public */
export function crdDirectory(): string {
  return process.env.CAPA_CRDS_DIR
    ? path.resolve(process.env.CAPA_CRDS_DIR)
    : path.resolve(__dirname, '../../../../../shared/crds');
}

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

/** Reads every CRD file in a directory. Throws when the directory or a required file is missing. @public */
export function loadCrds(
  dir: string = crdDirectory(),
): CustomResourceDefinition[] {
  if (!fs.existsSync(dir)) {
    throw new Error(
      `CRD directory ${dir} does not exist; set CAPA_CRDS_DIR to the folder that holds the Cluster API and CAPA CRD files`,
    );
  }
  const missing = REQUIRED_CRD_FILES.filter(
    f => !fs.existsSync(path.join(dir, f)),
  );
  if (missing.length) {
    throw new Error(`CRD files missing from ${dir}: ${missing.join(', ')}`);
  }
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .flatMap(f =>
      parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(
        d => d.toJS() as CustomResourceDefinition,
      ),
    )
    .filter(
      d => d && (d as { kind?: string }).kind === 'CustomResourceDefinition',
    );
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
 * Validates objects against the openAPIV3Schema of the CRD that serves their apiVersion and kind,
 * with a real JSON-schema validator (ajv). CEL rules (x-kubernetes-validations) run only in a real
 * API server and are not checked here.
 *
 * @public
 */
export class CrdSchemaValidator {
  private readonly versions = new Map<
    string,
    CrdVersion & { validate: ValidateFunction }
  >();

  constructor(crds: CustomResourceDefinition[] = loadCrds()) {
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      validateFormats: true,
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

  /** Returns the problems of one object; an empty list means it is valid. */
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
    const problems: string[] = [];
    const name = obj.metadata?.name;
    if (
      typeof name !== 'string' ||
      name.length > 253 ||
      !DNS_SUBDOMAIN.test(name)
    ) {
      problems.push(`${where}: metadata.name must be a DNS-1123 subdomain`);
    }
    const ns = obj.metadata?.namespace;
    if (entry.namespaced && (typeof ns !== 'string' || !DNS_LABEL.test(ns))) {
      problems.push(
        `${where}: metadata.namespace is required for a namespaced kind`,
      );
    }
    if (!entry.namespaced && ns !== undefined) {
      problems.push(
        `${where}: metadata.namespace must be absent for a cluster-scoped kind`,
      );
    }
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
}

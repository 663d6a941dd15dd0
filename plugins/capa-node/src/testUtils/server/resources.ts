import type { CustomResourceDefinition } from '@capa-backstage/plugin-capa-common/testUtils';
import { CRD_RESOURCE } from './crds';

/** An additionalPrinterColumn of a CRD (or of a built-in kind). */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  jsonPath: string;
  priority?: number;
}

/** One resource served at one group/version. */
export interface ServedResource {
  group: string;
  version: string;
  /** `group/version`, or `v1` for the core group. */
  apiVersion: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  hasStatus: boolean;
  /** Storage is shared by every served version of the same group and plural. */
  storageKey: string;
  /** The version objects are stored in; other versions are served unconverted. */
  storageVersion: string;
  printerColumns: PrinterColumn[];
  /**
   * Field selector labels beyond metadata.name and metadata.namespace, with the path each reads
   * (the apiserver's per-kind field label conversions); custom resources have none.
   */
  fieldLabels?: Record<string, string>;
  /** The openAPIV3Schema of a CRD version; undefined for built-in kinds. */
  schema?: Record<string, unknown>;
  builtIn: boolean;
}

/** The verbs every resource supports on the test server. */
export const VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

const OBJECT_META_SCHEMA = { type: 'object' };

/** Core v1 kinds the test server serves: tenant namespaces, kubeconfig Secrets, ClusterResourceSet ConfigMaps. */
const CORE_RESOURCES: ServedResource[] = [
  {
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    plural: 'namespaces',
    singular: 'namespace',
    shortNames: ['ns'],
    namespaced: false,
    hasStatus: true,
    storageKey: '/namespaces',
    storageVersion: 'v1',
    printerColumns: [
      { name: 'Status', type: 'string', jsonPath: '.status.phase' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: OBJECT_META_SCHEMA,
        spec: {
          type: 'object',
          properties: {
            finalizers: { type: 'array', items: { type: 'string' } },
          },
        },
        status: { type: 'object', properties: { phase: { type: 'string' } } },
      },
    },
    builtIn: true,
  },
  {
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    kind: 'Secret',
    listKind: 'SecretList',
    plural: 'secrets',
    singular: 'secret',
    namespaced: true,
    hasStatus: false,
    storageKey: '/secrets',
    storageVersion: 'v1',
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.type' },
      { name: 'Data', type: 'integer', jsonPath: '.data' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: OBJECT_META_SCHEMA,
        type: { type: 'string' },
        immutable: { type: 'boolean' },
        data: {
          type: 'object',
          additionalProperties: { type: 'string', format: 'byte' },
        },
        stringData: {
          type: 'object',
          additionalProperties: { type: 'string' },
        },
      },
    },
    builtIn: true,
  },
  {
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    plural: 'configmaps',
    singular: 'configmap',
    shortNames: ['cm'],
    namespaced: true,
    hasStatus: false,
    storageKey: '/configmaps',
    storageVersion: 'v1',
    printerColumns: [
      { name: 'Data', type: 'integer', jsonPath: '.data' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
    schema: {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: OBJECT_META_SCHEMA,
        immutable: { type: 'boolean' },
        data: { type: 'object', additionalProperties: { type: 'string' } },
        binaryData: {
          type: 'object',
          additionalProperties: { type: 'string', format: 'byte' },
        },
      },
    },
    builtIn: true,
  },
  {
    // What controllers record through client-go's (core/v1) event recorder, as CAPI and CAPA do.
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    kind: 'Event',
    listKind: 'EventList',
    plural: 'events',
    singular: 'event',
    shortNames: ['ev'],
    namespaced: true,
    hasStatus: false,
    storageKey: '/events',
    storageVersion: 'v1',
    printerColumns: [
      { name: 'Type', type: 'string', jsonPath: '.type' },
      { name: 'Reason', type: 'string', jsonPath: '.reason' },
      { name: 'Message', type: 'string', jsonPath: '.message' },
    ],
    // kubernetes pkg/apis/core/v1/conversion.go, AddFieldLabelConversionsForEvent.
    fieldLabels: {
      'involvedObject.kind': 'involvedObject.kind',
      'involvedObject.namespace': 'involvedObject.namespace',
      'involvedObject.name': 'involvedObject.name',
      'involvedObject.uid': 'involvedObject.uid',
      'involvedObject.apiVersion': 'involvedObject.apiVersion',
      'involvedObject.resourceVersion': 'involvedObject.resourceVersion',
      'involvedObject.fieldPath': 'involvedObject.fieldPath',
      reason: 'reason',
      reportingComponent: 'reportingComponent',
      source: 'source.component',
      type: 'type',
    },
    schema: {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: OBJECT_META_SCHEMA,
        involvedObject: {
          type: 'object',
          properties: Object.fromEntries(
            [
              'kind',
              'namespace',
              'name',
              'uid',
              'apiVersion',
              'resourceVersion',
              'fieldPath',
            ].map(k => [k, { type: 'string' }]),
          ),
        },
        reason: { type: 'string' },
        message: { type: 'string' },
        source: {
          type: 'object',
          properties: {
            component: { type: 'string' },
            host: { type: 'string' },
          },
        },
        firstTimestamp: { type: 'string', format: 'date-time' },
        lastTimestamp: { type: 'string', format: 'date-time' },
        count: { type: 'integer' },
        type: { type: 'string' },
        eventTime: { type: 'string', format: 'date-time' },
        series: {
          type: 'object',
          properties: {
            count: { type: 'integer' },
            lastObservedTime: { type: 'string', format: 'date-time' },
          },
        },
        action: { type: 'string' },
        related: { type: 'object' },
        reportingComponent: { type: 'string' },
        reportingInstance: { type: 'string' },
      },
    },
    builtIn: true,
  },
];

/**
 * Every resource the server serves, indexed the ways the router and discovery need them: by
 * group/version and plural (request paths), by apiVersion and kind (object bodies), and by group
 * (discovery). Built once per server from the CRDs.
 */
export class ResourceRegistry {
  private readonly byPath = new Map<string, ServedResource>();
  private readonly byKind = new Map<string, ServedResource>();
  private readonly groupVersions = new Map<string, ServedResource[]>();
  /** group -> served versions, preferred (storage) version first. */
  readonly groups = new Map<string, string[]>();

  constructor(crds: CustomResourceDefinition[]) {
    for (const r of CORE_RESOURCES) this.add(r);
    // Every apiserver serves the CRDs themselves, CAPA's installed or not.
    this.add(CRD_RESOURCE);
    for (const crd of crds) {
      const { group, names, scope } = crd.spec;
      const storage =
        crd.spec.versions.find(v => v.storage)?.name ??
        crd.spec.versions[0].name;
      for (const v of crd.spec.versions) {
        if (!v.served) continue;
        const extra = v as typeof v & {
          subresources?: { status?: unknown };
          additionalPrinterColumns?: PrinterColumn[];
        };
        this.add({
          group,
          version: v.name,
          apiVersion: `${group}/${v.name}`,
          kind: names.kind,
          listKind: names.listKind ?? `${names.kind}List`,
          plural: names.plural,
          singular: names.singular ?? names.kind.toLowerCase(),
          shortNames: names.shortNames,
          categories: names.categories,
          namespaced: scope === 'Namespaced',
          hasStatus: Boolean(extra.subresources?.status),
          storageKey: `${group}/${names.plural}`,
          storageVersion: storage,
          printerColumns: extra.additionalPrinterColumns ?? [
            {
              name: 'Age',
              type: 'date',
              jsonPath: '.metadata.creationTimestamp',
            },
          ],
          schema: v.schema?.openAPIV3Schema,
          builtIn: false,
        });
      }
    }
    for (const [group, versions] of this.groups) {
      const preferred = this.all().find(r => r.group === group)?.storageVersion;
      // The preferred (storage) version first, as the apiserver lists it.
      versions.sort(
        (a, b) =>
          Number(b === preferred) - Number(a === preferred) ||
          a.localeCompare(b),
      );
    }
  }

  private add(r: ServedResource) {
    this.byPath.set(`${r.apiVersion}/${r.plural}`, r);
    this.byKind.set(`${r.apiVersion}/${r.kind}`, r);
    const list = this.groupVersions.get(r.apiVersion) ?? [];
    list.push(r);
    this.groupVersions.set(r.apiVersion, list);
    const versions = this.groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    this.groups.set(r.group, versions);
  }

  /** The resource at `/apis/<apiVersion>/<plural>` (or `/api/v1/<plural>`). */
  byPlural(apiVersion: string, plural: string): ServedResource | undefined {
    return this.byPath.get(`${apiVersion}/${plural}`);
  }

  /** The resource serving an object's apiVersion and kind. */
  forObject(apiVersion: string, kind: string): ServedResource | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** Resources of one group/version, or undefined when that group/version is not served. */
  inGroupVersion(apiVersion: string): ServedResource[] | undefined {
    return this.groupVersions.get(apiVersion);
  }

  /** Every group/version served (`v1` first). */
  apiVersions(): string[] {
    return [...this.groupVersions.keys()];
  }

  all(): ServedResource[] {
    return [...this.byKind.values()];
  }
}

/**
 * OpenAPI v3 documents, built from the served resources. kubectl reads them to decide whether the
 * server supports server-side field validation (it looks for the `fieldValidation` query parameter
 * on the PATCH operation of the kind it applies); without them `kubectl apply` would fall back to
 * client-side validation, which needs the protobuf OpenAPI v2 document this server does not serve.
 */
import { createHash } from 'crypto';
import type { ServedResource } from './resources';

type Doc = Record<string, unknown>;

const queryParam = (name: string, type = 'string') => ({
  name,
  in: 'query',
  schema: { type, uniqueItems: true },
});

const WRITE_PARAMS = [
  queryParam('dryRun'),
  queryParam('fieldManager'),
  queryParam('fieldValidation'),
];
const LIST_PARAMS = [
  queryParam('labelSelector'),
  queryParam('fieldSelector'),
  queryParam('limit', 'integer'),
  queryParam('continue'),
  queryParam('resourceVersion'),
  queryParam('watch', 'boolean'),
  queryParam('allowWatchBookmarks', 'boolean'),
  queryParam('timeoutSeconds', 'integer'),
];

/** `io.x-k8s.cluster.v1beta2.Cluster`: the apiserver's schema name for a custom kind. */
export function schemaName(r: ServedResource): string {
  if (!r.group) return `io.k8s.api.core.${r.version}.${r.kind}`;
  return `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`;
}

function jsonResponse(ref: string) {
  return {
    description: 'OK',
    content: {
      'application/json': { schema: { $ref: `#/components/schemas/${ref}` } },
    },
  };
}

/** The OpenAPI v3 document of one group/version. */
export function groupVersionDocument(
  apiVersion: string,
  resources: ServedResource[],
): Doc {
  const paths: Doc = {};
  const schemas: Doc = {
    'io.k8s.apimachinery.pkg.apis.meta.v1.Status': { type: 'object' },
    'io.k8s.apimachinery.pkg.apis.meta.v1.Patch': { type: 'object' },
  };
  const root = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
  for (const r of resources) {
    const name = schemaName(r);
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const op = (action: string, extra: Doc = {}) => ({
      operationId: `${action}${r.kind}`,
      responses: {
        '200': jsonResponse(
          action === 'delete'
            ? 'io.k8s.apimachinery.pkg.apis.meta.v1.Status'
            : name,
        ),
      },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      ...extra,
    });
    const body = {
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/${name}` },
        },
      },
    };
    const collection = r.namespaced
      ? `${root}/namespaces/{namespace}/${r.plural}`
      : `${root}/${r.plural}`;
    paths[collection] = {
      get: op('list', { parameters: LIST_PARAMS }),
      post: op('post', { parameters: WRITE_PARAMS, requestBody: body }),
      delete: op('deletecollection', {
        parameters: [queryParam('labelSelector'), queryParam('dryRun')],
      }),
    };
    const item = `${collection}/{name}`;
    const patch = op('patch', {
      parameters: [...WRITE_PARAMS, queryParam('force', 'boolean')],
      requestBody: {
        content: Object.fromEntries(
          [
            'application/apply-patch+yaml',
            'application/merge-patch+json',
            'application/json-patch+json',
          ].map(t => [
            t,
            {
              schema: {
                $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
              },
            },
          ]),
        ),
      },
    });
    paths[item] = {
      get: op('get'),
      put: op('put', { parameters: WRITE_PARAMS, requestBody: body }),
      patch,
      delete: op('delete', { parameters: [queryParam('dryRun')] }),
    };
    if (r.hasStatus) {
      paths[`${item}/status`] = {
        get: op('get'),
        put: op('put', { parameters: WRITE_PARAMS, requestBody: body }),
        patch,
      };
    }
    schemas[name] = {
      ...(r.schema ?? { type: 'object' }),
      'x-kubernetes-group-version-kind': [gvk],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (capa-node test server)', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}

/** The /openapi/v3 discovery document, and every group/version document by its path. */
export function openApiV3(byApiVersion: Map<string, ServedResource[]>): {
  root: Doc;
  documents: Map<string, Doc>;
} {
  const documents = new Map<string, Doc>();
  const paths: Doc = {};
  for (const [apiVersion, resources] of byApiVersion) {
    const key = apiVersion === 'v1' ? 'api/v1' : `apis/${apiVersion}`;
    const doc = groupVersionDocument(apiVersion, resources);
    const hash = createHash('sha512')
      .update(JSON.stringify(doc))
      .digest('hex')
      .toUpperCase();
    documents.set(key, doc);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { root: { paths }, documents };
}

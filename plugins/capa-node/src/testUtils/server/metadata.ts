/**
 * Metadata-only answers (`Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`
 * for lists, `as=PartialObjectMetadata` for one object and for a watch's events), which client-go's
 * metadata informers ask for: the objects' metadata and nothing else, so a list of Secrets carries
 * no data. As the apiserver does (handlers/response.go), asking a list or a get for the form that
 * does not fit the answer (a single object for a list, a list for one object) is 406 Not
 * Acceptable, not a fallback; a watch asking for the list form streams whole objects (the
 * apiserver logs the failed conversion of each event and sends it as it is).
 */
import type { ServedResource } from './resources';
import type { KubeObject } from './selectors';
import { statusError } from './status';

/** The metadata form an Accept header asks for first, if any. */
export type MetadataForm =
  | 'PartialObjectMetadata'
  | 'PartialObjectMetadataList';

/**
 * The metadata form of the first media range the server can serve, in the header's order: a plain
 * JSON (or any) range first means whole objects, a Table range a Table (undefined here too).
 */
export function wantsMetadata(
  accept: string | undefined,
): MetadataForm | undefined {
  for (const range of (accept ?? '').split(',')) {
    const [type, ...rest] = range.split(';').map(p => p.trim());
    if (!['application/json', 'application/*', '*/*'].includes(type)) continue;
    const params = new Map(rest.map(p => p.split('=') as [string, string]));
    const as = params.get('as');
    if (!as) return undefined;
    if (params.get('g') !== 'meta.k8s.io' || params.get('v') !== 'v1') continue;
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList')
      return as;
    if (as === 'Table') return undefined;
  }
  return undefined;
}

/** One object as PartialObjectMetadata. */
export function partialObjectMetadata(obj: {
  metadata: Partial<KubeObject['metadata']>;
}) {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: obj.metadata,
  };
}

/**
 * The Go type the apiserver names in its message (`%T`): what its storage returns, the internal
 * type of a built-in kind (`*core.SecretList`), unstructured for custom resources.
 */
function goType(resource: ServedResource, list: boolean): string {
  if (!resource.builtIn)
    return list
      ? '*unstructured.UnstructuredList'
      : '*unstructured.Unstructured';
  const pkg = resource.group ? resource.group.split('.')[0] : 'core';
  return `*${pkg}.${list ? resource.listKind : resource.kind}`;
}

/** 406 unless `form` fits an answer that is a list (`list`) or one object. */
export function checkMetadataForm(
  form: MetadataForm,
  resource: ServedResource,
  list: boolean,
): void {
  if (list && form === 'PartialObjectMetadata')
    throw statusError(
      406,
      `you requested PartialObjectMetadata, but the requested object is a list (${goType(
        resource,
        true,
      )})`,
    );
  if (!list && form === 'PartialObjectMetadataList')
    throw statusError(
      406,
      `you requested PartialObjectMetadataList, but the requested object is not a list (${goType(
        resource,
        false,
      )})`,
    );
}

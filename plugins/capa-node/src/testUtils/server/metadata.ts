/**
 * Metadata-only answers (`Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`
 * for lists, `as=PartialObjectMetadata` for one object and for a watch's events), which client-go's
 * metadata informers ask for: the objects' metadata and nothing else, so a list of Secrets carries
 * no data. As the apiserver does (handlers/response.go), asking for the form that does not fit the
 * answer (a single object for a list, a list for one object) is 406 Not Acceptable, not a fallback.
 */
import type { ServedResource } from './resources';
import type { KubeObject } from './selectors';
import { statusError } from './status';

/** The metadata form an Accept header asks for first, if any. */
export type MetadataForm =
  | 'PartialObjectMetadata'
  | 'PartialObjectMetadataList';

export function wantsMetadata(
  accept: string | undefined,
): MetadataForm | undefined {
  for (const range of (accept ?? '').split(',')) {
    const params = new Map(
      range
        .split(';')
        .slice(1)
        .map(p => p.trim().split('=') as [string, string]),
    );
    const as = params.get('as');
    if (!as) continue;
    if (
      (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') &&
      params.get('g') === 'meta.k8s.io' &&
      params.get('v') === 'v1'
    )
      return as;
    // Another conversion (a Table) is asked for first.
    return undefined;
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

/** The Go type the apiserver names in its message (`%T`): typed built-ins, unstructured CRs. */
function goType(resource: ServedResource, list: boolean): string {
  if (!resource.builtIn)
    return list
      ? '*unstructured.UnstructuredList'
      : '*unstructured.Unstructured';
  return `*${resource.version}.${list ? resource.listKind : resource.kind}`;
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

/**
 * The CustomResourceDefinitions the server was started with, served read-only at
 * `apiextensions.k8s.io/v1` as a real apiserver serves them: clients (capa:apply's first dry run)
 * read the schemas of the versions actually installed from there.
 */
import type { CustomResourceDefinition } from '@capa-backstage/plugin-capa-common/testUtils';
import type { ServedResource } from './resources';
import type { KubeObject } from './selectors';

/** The CustomResourceDefinition kind, cluster-scoped, with the status subresource. */
export const CRD_RESOURCE: ServedResource = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  hasStatus: true,
  storageKey: 'apiextensions.k8s.io/customresourcedefinitions',
  storageVersion: 'v1',
  printerColumns: [
    {
      name: 'Created At',
      type: 'date',
      jsonPath: '.metadata.creationTimestamp',
    },
  ],
  schema: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
  builtIn: true,
};

/**
 * A CRD as the apiserver returns it once established: its spec as installed, and the status the
 * apiextensions controller writes (names accepted, Established, the stored versions).
 */
export function servedCrd(
  crd: CustomResourceDefinition,
  uid: string,
  created: string,
): KubeObject {
  // Stored objects are never mutated or shared with the caller.
  const spec = JSON.parse(JSON.stringify(crd.spec)) as typeof crd.spec;
  const storage = spec.versions.find(v => v.storage)?.name;
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: created,
    reason,
    message,
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      ...(JSON.parse(JSON.stringify(crd.metadata)) as KubeObject['metadata']),
      name: crd.metadata.name,
      uid,
      generation: 1,
      creationTimestamp: created,
    },
    spec,
    status: {
      acceptedNames: spec.names,
      conditions: [
        condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
        condition(
          'Established',
          'InitialNamesAccepted',
          'the initial names have been accepted',
        ),
      ],
      storedVersions: storage ? [storage] : [],
    },
  } as KubeObject;
}

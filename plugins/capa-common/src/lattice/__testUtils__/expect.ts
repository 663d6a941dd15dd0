import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '../../objects';
import {
  CrdSchemaValidator,
  loadCrds,
  loadWorkloadCrds,
} from '../../testUtils';
import { CapaValidationError } from '../../validation';
import { LATTICE } from '../constants';

// Compiled once per test file: the Gateway API CRDs are large.
export const workload = new CrdSchemaValidator(loadWorkloadCrds());
export const management = new CrdSchemaValidator(loadCrds());

/** Strict validation against the storage version of the CRD that serves the object. */
export function expectValid(
  validator: CrdSchemaValidator,
  obj: KubernetesObject,
) {
  if (obj.apiVersion === 'v1') {
    // Core kinds have no CRD; the renderers only emit Namespaces and ConfigMaps.
    expect(['Namespace', 'ConfigMap']).toContain(obj.kind);
    return;
  }
  const crd = validator.lookup(obj.apiVersion, obj.kind);
  expect({ kind: obj.kind, storage: crd?.storage }).toEqual({
    kind: obj.kind,
    storage: true,
  });
  expect(validator.validate(obj)).toEqual([]);
}

/** What the ClusterResourceSet will apply: the ConfigMap's documents, read back. */
export function delivered(configMap: { data: Record<string, string> }) {
  return parseAllDocuments(configMap.data[LATTICE.configMapKey]).map(d =>
    d.toJS(),
  );
}

/** The issues of the CapaValidationError `fn` throws. */
export function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof CapaValidationError) return e.issues;
    throw e;
  }
  throw new Error('expected a CapaValidationError');
}

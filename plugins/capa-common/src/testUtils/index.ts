/**
 * Test utilities: the Cluster API / CAPA CRDs and a JSON-schema validator for rendered objects.
 * Node-only; never imported by the isomorphic entry point.
 *
 * @packageDocumentation
 */
export {
  CrdSchemaValidator,
  REQUIRED_CRD_FILES,
  crdDirectory,
  loadCrds,
} from './crds';
export type {
  CrdSchemaProblem,
  CrdVersion,
  CustomResourceDefinition,
} from './crds';
export {
  REQUIRED_WORKLOAD_CRD_FILES,
  loadWorkloadCrds,
  workloadCrdDirectory,
} from './workloadCrds';

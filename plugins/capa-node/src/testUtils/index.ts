/**
 * Test utilities shared by every CAPA backend package: a local server speaking the Kubernetes API
 * protocol over real HTTP, serving the Cluster API and CAPA CRDs.
 *
 * @packageDocumentation
 */
export { KubernetesTestServer, STATUS_REASONS } from './KubernetesTestServer';
export type {
  FailureInjection,
  KubernetesTestServerOptions,
  ObjectReference,
  RecordedRequest,
} from './KubernetesTestServer';
export type { KubeObject } from './server/selectors';

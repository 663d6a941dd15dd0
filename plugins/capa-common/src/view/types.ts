// The API's types are generated from plugins/capa-backend/src/schema/openapi.yaml (run
// `yarn generate:api`): these aliases give them their names here, so the projection
// (toClusterView, toClusterSummary) is type-checked against the HTTP contract, and a field added to
// the API is added in the spec once.
import type { components } from '../api/openapi.generated';

export type {
  /** The HTTP API's components, generated from its OpenAPI document. @public */
  components as CapaApiComponents,
  /** Every operation of the HTTP API (parameters, responses), by operationId. @public */
  operations as CapaApiOperations,
  /** Every route of the HTTP API. @public */
  paths as CapaApiPaths,
} from '../api/openapi.generated';

/** Every schema of the HTTP API, generated from its OpenAPI document. @public */
export type CapaApiSchemas = components['schemas'];

/** The phases of a CAPI Cluster (v1beta2 never sets Failed any more, but older objects may). @public */
export type ClusterPhase = CapaApiSchemas['ClusterPhase'];

/** A status condition as the API serves it. @public */
export type ConditionView = CapaApiSchemas['ConditionView'];

/** The conditions and failure message of one object behind a cluster. @public */
export type ObjectStatusView = CapaApiSchemas['ObjectStatusView'];

/** Why a cluster is not ready: cause, evidence, fix and who applies it. @public */
export type Diagnosis = CapaApiSchemas['Diagnosis'];

/** What a diagnosis was read from, verbatim. @public */
export type DiagnosisEvidence = CapaApiSchemas['DiagnosisEvidence'];

/** Who applies a diagnosis' fix. @public */
export type DiagnosisOwner = CapaApiSchemas['DiagnosisOwner'];

/** A Warning event of one of a cluster's objects. @public */
export type ClusterEvent = CapaApiSchemas['ClusterEvent'];

/** The answer of the events endpoint: recent Warning events and the diagnosis with them. @public */
export type ClusterEvents = CapaApiSchemas['ClusterEvents'];

/** A state that becomes a diagnosis if it lasts. @public */
export type StuckWatch = CapaApiSchemas['StuckWatch'];

/** How the cluster's AWS identity was resolved through the control plane's identityRef. @public */
export type IdentityResolution = CapaApiSchemas['IdentityResolution'];

/** @public */
export type NodePoolView = CapaApiSchemas['NodePoolView'];

/** An IAM role or user that can reach the cluster, and how. @public */
export type AccessPrincipalView = CapaApiSchemas['AccessPrincipalView'];

/**
 * Everything the portal shows about one workload cluster, joined from Cluster, control plane,
 * node pools, identity and Secret names by one pure projection (toClusterView).
 *
 * @public
 */
export type ClusterView = CapaApiSchemas['ClusterView'];

/** One row of the fleet: what the list endpoint returns per cluster. @public */
export type ClusterSummary = CapaApiSchemas['ClusterSummary'];

/** A field the fleet list can be ordered by. @public */
export type ClusterSortKey = CapaApiSchemas['ClusterSortKey'];

/** One value of a fleet filter with the number of clusters it would keep. @public */
export type FacetValue = CapaApiSchemas['FacetValue'];

/** The values and counts of each fleet filter. @public */
export type ClusterFacets = CapaApiSchemas['ClusterFacets'];

/** A page of the fleet. @public */
export type ClusterList = CapaApiSchemas['ClusterList'];

/** The answer of the kubeconfig endpoint. @public */
export type KubeconfigResponse = CapaApiSchemas['KubeconfigResponse'];

/** One tenant of a management cluster: a namespace labelled `capa.backstage.io/tenant`. @public */
export type TenantSummary = CapaApiSchemas['TenantSummary'];

/** The tenants list. @public */
export type TenantList = CapaApiSchemas['TenantList'];

/** What templates may choose from: the configured management clusters and Kubernetes versions. @public */
export type CapaSettings = CapaApiSchemas['CapaSettings'];

/** The state of one configured management cluster as the backend sees it. @public */
export type CapaManagementClusterHealth =
  CapaApiSchemas['ManagementClusterHealth'];

/** The answer of the health endpoint. @public */
export type CapaHealth = CapaApiSchemas['CapaHealth'];

/** The body of every error answer (Backstage's error handler). @public */
export type CapaErrorBody = CapaApiSchemas['Error'];

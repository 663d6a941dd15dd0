// The API's types are generated from plugins/capa-backend/src/schema/openapi.yaml (run
// `yarn generate:api`): these aliases give them their names here, so the projection
// (toClusterView, toClusterSummary) is type-checked against the HTTP contract, and a field added to
// the API is added in the spec once.
import type { components, operations, paths } from '../api/openapi.generated';

type Schemas = components['schemas'];

/** The phases of a CAPI Cluster (v1beta2 never sets Failed any more, but older objects may). @public */
export type ClusterPhase = Schemas['ClusterPhase'];

/** A status condition as the API serves it. @public */
export type ConditionView = Schemas['ConditionView'];

/** How the cluster's AWS identity was resolved through the control plane's identityRef. @public */
export type IdentityResolution = Schemas['IdentityResolution'];

/** @public */
export type NodePoolView = Schemas['NodePoolView'];

/** An IAM role or user that can reach the cluster, and how. @public */
export type AccessPrincipalView = Schemas['AccessPrincipalView'];

/**
 * Everything the portal shows about one workload cluster, joined from Cluster, control plane,
 * node pools, identity and Secret names by one pure projection (toClusterView).
 *
 * @public
 */
export type ClusterView = Schemas['ClusterView'];

/** One row of the fleet: what the list endpoint returns per cluster. @public */
export type ClusterSummary = Schemas['ClusterSummary'];

/** A field the fleet list can be ordered by. @public */
export type ClusterSortKey = Schemas['ClusterSortKey'];

/** One value of a fleet filter with the number of clusters it would keep. @public */
export type FacetValue = Schemas['FacetValue'];

/** The values and counts of each fleet filter. @public */
export type ClusterFacets = Schemas['ClusterFacets'];

/** A page of the fleet. @public */
export type ClusterList = Schemas['ClusterList'];

/** The answer of the kubeconfig endpoint. @public */
export type KubeconfigResponse = Schemas['KubeconfigResponse'];

/** One tenant of a management cluster: a namespace labelled `capa.backstage.io/tenant`. @public */
export type TenantSummary = Schemas['TenantSummary'];

/** The tenants list. @public */
export type TenantList = Schemas['TenantList'];

/** What templates may choose from: the configured management clusters and Kubernetes versions. @public */
export type CapaSettings = Schemas['CapaSettings'];

/** The state of one configured management cluster as the backend sees it. @public */
export type CapaManagementClusterHealth = Schemas['ManagementClusterHealth'];

/** The answer of the health endpoint. @public */
export type CapaHealth = Schemas['CapaHealth'];

/** The body of every error answer (Backstage's error handler). @public */
export type CapaErrorBody = Schemas['Error'];

/** Every schema of the HTTP API, generated from its OpenAPI document. @public */
export type CapaApiSchemas = Schemas;

/** Every operation of the HTTP API (parameters, responses), by operationId. @public */
export type CapaApiOperations = operations;

/** Every route of the HTTP API. @public */
export type CapaApiPaths = paths;

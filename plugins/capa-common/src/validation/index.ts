export { CapaValidationError } from './errors';
export type { CapaValidationIssue } from './errors';
export { DEFAULT_KUBERNETES_VERSIONS, partitionOfRegion } from './aws';
export type { AwsPartition } from './aws';
export {
  amiTypeVersionProblem,
  nodePoolInputSchema,
  nodePoolProblems,
  nodePoolScalingProblems,
} from './nodePoolSchema';
export { clusterInputSchema } from './clusterSchema';
export {
  controllerIdentityInputSchema,
  tenantInputSchema,
} from './tenantSchemas';
export { iamTrustInputSchema } from './iamTrustSchema';
export type {
  ControllerIdentityInput,
  ResolvedTenantInput,
  TenantInput,
} from './tenantSchemas';
export type {
  ClusterInput,
  ClusterValidationOptions,
  ResolvedClusterInput,
} from './clusterSchema';
export type { IamTrustInput, ResolvedIamTrustInput } from './iamTrustSchema';
export type {
  NodePoolInput,
  NodePoolProblem,
  ResolvedNodePoolInput,
} from './nodePoolSchema';
export { parseInput } from './parse';
export { INPUT_LIMITS } from './limits';
export {
  ACCOUNT_ID,
  ACCOUNT_ID_RULE,
  EXTERNAL_ID,
  EXTERNAL_ID_RULE,
  ROLE_ARN,
  ROLE_ARN_RULE,
  USER_ARN,
  USER_ARN_RULE,
} from './rules';

export { CapaValidationError } from './errors';
export type { CapaValidationIssue } from './errors';
export {
  AWS_PARTITIONS,
  AWS_REGIONS,
  DEFAULT_KUBERNETES_VERSIONS,
  partitionOfRegion,
} from './aws';
export type { AwsPartition } from './aws';
export {
  amiTypeVersionProblem,
  clusterInputSchema,
  controllerIdentityInputSchema,
  iamTrustInputSchema,
  nodePoolInputSchema,
  nodePoolProblems,
  nodePoolScalingProblems,
  tenantInputSchema,
} from './schemas';
export type {
  AllowedNamespacesInput,
  ClusterInput,
  ClusterValidationOptions,
  ControllerIdentityInput,
  IamTrustInput,
  NodePoolInput,
  NodePoolProblem,
  ResolvedClusterInput,
  ResolvedNodePoolInput,
  ResolvedIamTrustInput,
  ResolvedTenantInput,
  TenantInput,
} from './schemas';
export { parseInput } from './parse';
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

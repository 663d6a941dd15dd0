/*
 * One example per cause of the diagnosis table, built from the condition, event and failure
 * payloads CAPA, Cluster API, EKS, EC2 and STS really write. Each names where its text comes from
 * (file in kubernetes-sigs/cluster-api-provider-aws = CAPA or kubernetes-sigs/cluster-api = CAPI,
 * or the AWS error as reported in a public issue). The table's tests check each one; the local
 * portal's demo puts one broken cluster per example on its management cluster, and the card's
 * tests render each.
 */
import type { DiagnosisExample } from './exampleSignals';
import { AWS_RESOURCE_EXAMPLES } from './examplesAws';
import { IDENTITY_EXAMPLES } from './examplesIdentity';
import { NODE_AND_LIFECYCLE_EXAMPLES } from './examplesNodes';

export type { DiagnosisExample } from './exampleSignals';

/**
 * One example signal per row of the diagnosis table.
 *
 * @public
 */
export const DIAGNOSIS_EXAMPLES: DiagnosisExample[] = [
  ...IDENTITY_EXAMPLES,
  ...AWS_RESOURCE_EXAMPLES,
  ...NODE_AND_LIFECYCLE_EXAMPLES,
];

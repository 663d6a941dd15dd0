/** AWS partitions and their regions, as far as EKS is offered in them. @public */
export const AWS_REGIONS: Record<string, readonly string[]> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'mx-central-1',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

/** @public */
export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** The partitions the renderers accept. @public */
export const AWS_PARTITIONS = Object.keys(AWS_REGIONS) as AwsPartition[];

/** DNS suffix of a partition's service endpoints (the EKS OIDC issuer host uses it). */
export function partitionDnsSuffix(partition: AwsPartition): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** The partition a region belongs to, or undefined for an unknown region. @public */
export function partitionOfRegion(region: string): AwsPartition | undefined {
  return AWS_PARTITIONS.find(p => AWS_REGIONS[p].includes(region));
}

/**
 * Kubernetes minor versions EKS supports (standard or extended support) as of late 2026. Callers
 * pass their own list through the validation options when AWS moves on.
 *
 * @public
 */
export const DEFAULT_KUBERNETES_VERSIONS: readonly string[] = [
  '1.31',
  '1.32',
  '1.33',
  '1.34',
  '1.35',
  '1.36',
];

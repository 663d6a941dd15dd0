import type { ClusterInput, IamTrustInput, TenantInput } from '../validation';

/** A typical tenant: its own AWS account, an external id, the default role name. */
export const typicalTenant: TenantInput = {
  name: 'acme',
  owner: 'group:default/team-acme',
  aws: {
    accountId: '111122223333',
    externalId: 'acme-capa-7f3c9d',
    sessionName: 'capa-acme',
    durationSeconds: 3600,
  },
};

/** A typical cluster: 2 node pools, admin and read-only roles, both access mechanisms. */
export const typicalCluster: ClusterInput = {
  name: 'prod',
  tenant: 'acme',
  region: 'eu-west-1',
  kubernetesVersion: '1.33',
  endpointAccess: {
    public: true,
    private: true,
    publicCIDRs: ['203.0.113.0/24'],
  },
  logging: { apiServer: true, audit: true, authenticator: true },
  access: {
    mode: 'api_and_config_map',
    adminRoleArns: ['arn:aws:iam::111122223333:role/acme-platform-admin'],
    readOnlyRoleArns: ['arn:aws:iam::111122223333:role/acme-developers'],
  },
  additionalTags: { 'cost-center': 'cc-1042', environment: 'production' },
  network: { vpcCidr: '10.20.0.0/16' },
  nodePools: [
    {
      name: 'general',
      instanceType: 'm6i.large',
      minSize: 2,
      desiredSize: 3,
      maxSize: 6,
      labels: { 'workload-class': 'general' },
    },
    {
      name: 'batch',
      instanceType: 'c7g.xlarge',
      amiType: 'AL2023_ARM_64_STANDARD',
      capacityType: 'spot',
      minSize: 0,
      maxSize: 10,
      taints: [{ key: 'workload-class', value: 'batch', effect: 'NoSchedule' }],
    },
  ],
};

/** A typical trust set: a manager on EKS with IRSA and two tenant accounts. */
export const typicalIamTrust: IamTrustInput = {
  manager: {
    accountId: '999988887777',
    eksOidc: {
      region: 'eu-west-1',
      providerId: '5C1F4E2B9A8D7C6B5A4F3E2D1C0B9A87',
    },
  },
  tenants: [
    { name: 'acme', accountId: '111122223333', externalId: 'acme-capa-7f3c9d' },
    { name: 'globex', accountId: '444455556666' },
  ],
};

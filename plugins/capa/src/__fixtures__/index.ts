// Test fixtures only: never imported by the plugin's own code.
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  CAPA_ANNOTATIONS,
  CAPA_LABELS,
  clusterEntityName,
  type ClusterSummary,
  type ClusterView,
  type TenantSummary,
} from '@capa-backstage/plugin-capa-common';
import type { CapaApi } from '../api';

export const provisionedView: ClusterView = {
  managementCluster: 'local',
  namespace: 'tenant-acme',
  name: 'acme-prod',
  uid: '5f0c7a8e-0000-4000-8000-000000000001',
  tenant: 'acme',
  owner: 'group:default/team-acme',
  phase: 'Provisioned',
  deleting: false,
  objects: [
    {
      kind: 'Cluster',
      name: 'acme-prod',
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'ControlPlaneAvailable', status: 'True' },
        {
          type: 'WorkersAvailable',
          status: 'False',
          reason: 'ScalingUp',
          message: '2 of 3 nodes are ready',
        },
        { type: 'InfrastructureReady', status: 'Unknown', reason: 'Waiting' },
      ],
    },
    {
      kind: 'AWSManagedControlPlane',
      name: 'acme-prod-control-plane',
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'EKSControlPlaneReady', status: 'True' },
      ],
    },
  ],
  diagnosis: [],
  aws: {
    accountId: '111122223333',
    roleArn: 'arn:aws:iam::111122223333:role/capa-controllers-acme',
    identity: { kind: 'AWSClusterRoleIdentity', name: 'acme' },
    identityResolution: 'role',
    region: 'eu-west-1',
    partition: 'aws',
  },
  eks: {
    clusterName: 'tenant-acme_acme-prod-control-plane',
    endpoint: 'https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
    ready: true,
    version: { desired: 'v1.31.0', actual: 'v1.31.0' },
    authenticationMode: 'api_and_config_map',
  },
  nodePools: [
    {
      name: 'acme-prod-general',
      desiredReplicas: 3,
      readyReplicas: 2,
      instanceType: 'm6i.large',
      capacityType: 'onDemand',
      version: 'v1.31.0',
      infrastructureKind: 'AWSManagedMachinePool',
    },
    {
      name: 'acme-prod-spot',
      desiredReplicas: 2,
      readyReplicas: 0,
      instanceType: 't3.large',
      capacityType: 'spot',
      infrastructureKind: 'AWSManagedMachinePool',
      failureMessage: 'InsufficientInstanceCapacity in eu-west-1a',
    },
  ],
  access: [
    {
      arn: 'arn:aws:iam::111122223333:role/acme-admins',
      kind: 'role',
      via: 'access-entry',
      groups: [],
      accessPolicies: ['AmazonEKSClusterAdminPolicy'],
    },
    {
      arn: 'arn:aws:iam::111122223333:user/alice',
      kind: 'user',
      via: 'aws-auth',
      username: 'alice',
      groups: ['acme:viewers'],
    },
  ],
  kubeconfig: { secretName: 'acme-prod-user-kubeconfig', available: true },
  createdAt: '2025-01-02T03:04:05Z',
  problems: [],
};

/** The same cluster in another phase, with the fields that phase changes. */
export function viewIn(
  phase: ClusterView['phase'],
  overrides: Partial<ClusterView> = {},
): ClusterView {
  return {
    ...provisionedView,
    phase,
    deleting: phase === 'Deleting',
    ...overrides,
  };
}

export const clusterEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: clusterEntityName('local', 'tenant-acme', 'acme-prod'),
    namespace: 'default',
    annotations: {
      [CAPA_ANNOTATIONS.managementCluster]: 'local',
      [CAPA_ANNOTATIONS.namespace]: 'tenant-acme',
      [CAPA_ANNOTATIONS.clusterName]: 'acme-prod',
      [CAPA_ANNOTATIONS.awsAccountId]: '111122223333',
      [CAPA_ANNOTATIONS.region]: 'eu-west-1',
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/team-acme' },
  relations: [
    { type: RELATION_OWNED_BY, targetRef: 'group:default/team-acme' },
  ],
};

export const tenantGroup: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'team-acme',
    namespace: 'default',
    labels: { [CAPA_LABELS.tenant]: 'acme' },
  },
  spec: { type: 'tenant', children: [] },
};

export function summary(
  overrides: Partial<ClusterSummary> & Pick<ClusterSummary, 'name'>,
): ClusterSummary {
  return {
    managementCluster: 'local',
    namespace: 'tenant-acme',
    tenant: 'acme',
    owner: 'group:default/team-acme',
    phase: 'Provisioned',
    deleting: false,
    accountId: '111122223333',
    region: 'eu-west-1',
    kubernetesVersion: 'v1.31.0',
    nodePools: { count: 1, desiredReplicas: 3, readyReplicas: 3 },
    unhealthyConditions: 0,
    createdAt: '2025-01-02T03:04:05Z',
    problems: 0,
    causes: [],
    ...overrides,
  };
}

/** A tenant as the tenants list returns it. */
export function tenant(
  overrides: Partial<TenantSummary> & Pick<TenantSummary, 'tenant'>,
): TenantSummary {
  return {
    managementCluster: 'local',
    namespace: overrides.tenant,
    owner: `group:default/team-${overrides.tenant}`,
    accountId: '111122223333',
    ...overrides,
  };
}

/** A CapaApi whose methods are jest mocks. */
export function mockCapaApi(): jest.Mocked<CapaApi> {
  return {
    listClusters: jest.fn(),
    getCluster: jest.fn(),
    getKubeconfig: jest.fn(),
    getClusterEvents: jest
      .fn()
      .mockResolvedValue({ items: [], diagnosis: [], truncated: false }),
    getClusterServiceNetwork: jest
      .fn()
      .mockResolvedValue({ exposes: [], calls: [] }),
    getHealth: jest.fn().mockResolvedValue({ managementClusters: [] }),
    getSettings: jest.fn(),
    listTenants: jest.fn(),
  };
}

/** A ResponseError as the client throws it for a Backstage error body. */
export function responseError(
  status: number,
  statusText: string,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'GET', url: '/api/capa/clusters' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText,
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

/** Resolves never: the state of a request still in flight. */
export function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

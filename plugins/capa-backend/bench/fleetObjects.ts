/*
 * The benchmark's fleet: tenants spread over management clusters, each with its namespace and
 * AWSClusterRoleIdentity, and EKS workload clusters rendered by capa-common exactly as the
 * scaffolder would (Cluster, AWSManagedControlPlane, AWSManagedCluster, two MachinePool +
 * AWSManagedMachinePool node pools), with the statuses CAPA writes and the two kubeconfig Secrets
 * (the exec-based user one and the admin one with a token).
 */
import {
  renderCluster,
  renderControllerIdentity,
  renderTenant,
} from '@capa-backstage/plugin-capa-common';

/** Sizes of the fleet. */
export interface FleetShape {
  managementClusters: string[];
  tenants: number;
  clusters: number;
}

export const DEFAULT_SHAPE: FleetShape = {
  managementClusters: ['mgmt-eu', 'mgmt-us', 'mgmt-ap'],
  tenants: 300,
  clusters: 2000,
};

/**
 * The fleet of a size on the benchmark's curve: about 6.7 clusters per tenant as in the default
 * fleet, on three management clusters, five from 10,000 clusters on.
 */
export function shapeOf(clusters: number): FleetShape {
  return {
    managementClusters:
      clusters >= 10_000
        ? ['mgmt-eu', 'mgmt-us', 'mgmt-ap', 'mgmt-sa', 'mgmt-me']
        : DEFAULT_SHAPE.managementClusters,
    tenants: Math.max(1, Math.round((clusters * 3) / 20)),
    clusters,
  };
}

/** What a fleet row names: enough for the load to pick clusters. */
export interface ClusterRef {
  managementCluster: string;
  namespace: string;
  name: string;
}

const REGIONS: Record<string, string[]> = {
  'mgmt-eu': ['eu-west-1', 'eu-central-1', 'eu-north-1'],
  'mgmt-us': ['us-east-1', 'us-east-2', 'us-west-2'],
  'mgmt-ap': ['ap-southeast-2', 'ap-northeast-1', 'ap-south-1'],
  'mgmt-sa': ['sa-east-1', 'us-west-1', 'ca-central-1'],
  'mgmt-me': ['me-central-1', 'il-central-1', 'af-south-1'],
};
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'qa', 'perf', 'sandbox', 'dr'];
const VERSIONS = ['1.32', '1.33', '1.34'];

const b64 = (s: string) => Buffer.from(s).toString('base64');
const ts = (minutesAgo: number) =>
  new Date(Date.UTC(2026, 10, 1) - minutesAgo * 60_000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');

function condition(
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  minutesAgo: number,
) {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: ts(minutesAgo),
  };
}

function kubeconfig(eksName: string, region: string, token?: string): string {
  const host = `${eksName
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')}.gr7.${region}.eks.amazonaws.com`;
  const user = token
    ? `    user:\n      token: ${token}\n`
    : [
        '    user:',
        '      exec:',
        '        apiVersion: client.authentication.k8s.io/v1beta1',
        '        command: aws',
        `        args: [eks, get-token, --cluster-name, ${eksName}, --region, ${region}]`,
        '',
      ].join('\n');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `  - name: ${eksName}`,
    '    cluster:',
    `      server: https://${host}`,
    `      certificate-authority-data: ${b64(
      `-----BEGIN CERTIFICATE-----\n${'MIIC'.repeat(
        180,
      )}\n-----END CERTIFICATE-----\n`,
    )}`,
    'contexts:',
    `  - name: ${eksName}`,
    `    context: { cluster: ${eksName}, user: ${eksName}-capi-admin }`,
    `current-context: ${eksName}`,
    'users:',
    `  - name: ${eksName}-capi-admin`,
    user,
  ].join('\n');
}

/** The phase a cluster is in: most are up, some are coming up, a few failed. */
function phaseOf(i: number): 'Provisioned' | 'Provisioning' | 'Failed' {
  if (i % 50 === 7) return 'Failed';
  if (i % 20 === 3) return 'Provisioning';
  return 'Provisioned';
}

/**
 * The objects of every management cluster, and the clusters. Deterministic: the same shape gives
 * the same objects.
 */
export function buildFleet(shape: FleetShape = DEFAULT_SHAPE): {
  objects: Map<string, object[]>;
  clusters: ClusterRef[];
} {
  const mcs = shape.managementClusters;
  const objects = new Map<string, object[]>(
    mcs.map(mc => [mc, [...renderControllerIdentity().objects]]),
  );
  const tenants = Array.from({ length: shape.tenants }, (_, t) => {
    const { name, accountId, mc } = tenantOf(shape, t);
    objects.get(mc)!.push(
      ...renderTenant({
        name,
        owner: `group:default/team-${name}`,
        aws: { accountId, externalId: `${name}-capa-ext` },
      }).objects,
    );
    return { name, accountId, mc, clusters: 0 };
  });

  const clusters: ClusterRef[] = [];
  for (let i = 0; i < shape.clusters; i++) {
    const tenant = tenants[i % tenants.length];
    const k = tenant.clusters++;
    const name = `${ENVIRONMENTS[k % ENVIRONMENTS.length]}-${String(k).padStart(
      2,
      '0',
    )}`;
    const one = renderWorkloadCluster(shape, i % tenants.length, name, i);
    objects.get(tenant.mc)!.push(...one.objects);
    clusters.push(one.cluster);
  }
  return { objects, clusters };
}

/** Tenant number `t` of a fleet: its namespace name, AWS account and management cluster. */
function tenantOf(shape: FleetShape, t: number) {
  const mcs = shape.managementClusters;
  return {
    name: `tenant-${String(t).padStart(4, '0')}`,
    accountId: String(100000000000 + t * 7919),
    mc: mcs[t % mcs.length],
  };
}

/**
 * The objects of one workload cluster `name` of tenant `t`, the `i`-th of the fleet (which sets
 * its region, version, phase and age), with statuses and Secrets.
 */
export function renderWorkloadCluster(
  shape: FleetShape,
  t: number,
  name: string,
  i: number,
): { objects: object[]; cluster: ClusterRef } {
  const tenant = tenantOf(shape, t);
  const regions = REGIONS[tenant.mc] ?? ['eu-west-1'];
  const region = regions[i % regions.length];
  const version = VERSIONS[i % VERSIONS.length];
  const rendered = renderCluster({
    name,
    tenant: tenant.name,
    region,
    kubernetesVersion: version,
    logging: { apiServer: true, audit: true, authenticator: true },
    access: {
      mode: 'api_and_config_map',
      adminRoleArns: [
        `arn:aws:iam::${tenant.accountId}:role/${tenant.name}-platform-admin`,
      ],
      readOnlyRoleArns: [
        `arn:aws:iam::${tenant.accountId}:role/${tenant.name}-developers`,
      ],
    },
    additionalTags: { 'cost-center': `cc-${1000 + (i % 97)}` },
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
        desiredSize: 2,
        maxSize: 10,
        taints: [{ key: 'batch', value: 'true', effect: 'NoSchedule' }],
      },
    ],
  }).objects as Array<Record<string, any>>;
  const phase = phaseOf(i);
  const up = phase === 'Provisioned';
  const age = 60 * 24 * (1 + (i % 300));
  const eksName = `${tenant.name}-${name}`;
  for (const o of rendered) {
    if (o.kind === 'Cluster') {
      o.status = {
        phase,
        initialization: {
          infrastructureProvisioned: phase !== 'Provisioning',
          controlPlaneInitialized: up,
        },
        conditions: up
          ? [
              condition('Available', 'True', 'Available', '', age),
              condition('ControlPlaneAvailable', 'True', 'Available', '', age),
              condition('InfrastructureReady', 'True', 'Ready', '', age),
            ]
          : [
              condition(
                'Available',
                'False',
                phase === 'Failed' ? 'Failed' : 'NotAvailable',
                phase === 'Failed'
                  ? 'EKS control plane creation failed: AccessDenied'
                  : 'EKS control plane is being created',
                10,
              ),
              condition(
                'ControlPlaneAvailable',
                'False',
                'Creating',
                'Waiting for EKS cluster',
                10,
              ),
            ],
      };
    } else if (o.kind === 'AWSManagedControlPlane') {
      o.status = up
        ? { ready: true, initialized: true, version: `v${version}.5` }
        : {
            ready: false,
            initialized: false,
            ...(phase === 'Failed'
              ? { failureMessage: 'failed to create EKS cluster' }
              : {}),
          };
    } else if (o.kind === 'MachinePool') {
      const replicas = Number(o.spec?.replicas ?? 0);
      o.status = up
        ? {
            phase: 'Running',
            replicas,
            readyReplicas: replicas,
            availableReplicas: replicas,
          }
        : { phase: 'Pending', replicas: 0 };
    } else if (o.kind === 'AWSManagedMachinePool') {
      o.status = { ready: up, replicas: up ? 2 : 0 };
    }
  }
  const secrets = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'cluster.x-k8s.io/secret',
      metadata: {
        name: `${name}-kubeconfig`,
        namespace: tenant.name,
        labels: { 'cluster.x-k8s.io/cluster-name': name },
      },
      data: {
        value: b64(
          kubeconfig(eksName, region, `k8s-aws-v1.${'x'.repeat(900)}`),
        ),
      },
    },
    ...(up
      ? [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            type: 'cluster.x-k8s.io/secret',
            metadata: {
              name: `${name}-user-kubeconfig`,
              namespace: tenant.name,
              labels: { 'cluster.x-k8s.io/cluster-name': name },
            },
            data: { value: b64(kubeconfig(eksName, region)) },
          },
        ]
      : []),
  ];
  return {
    objects: [...rendered, ...secrets],
    cluster: { managementCluster: tenant.mc, namespace: tenant.name, name },
  };
}

import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  renderCluster,
  renderControllerIdentity,
  renderTenant,
  type ClusterInput,
} from '@capa-backstage/plugin-capa-common';
import {
  CrdSchemaValidator,
  loadCrds,
} from '@capa-backstage/plugin-capa-common/testUtils';
import { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import {
  KubernetesTestServer,
  type RecordedRequest,
} from '@capa-backstage/plugin-capa-node/testUtils';

/** Shared by the day-2 action tests: a test server, a cluster on it, and a way to run actions. */
export const TOKEN = 'day2-test-token';

/** The cluster the day-2 tests start from: acme/prod, 1.33, pools general and batch. */
export const PROD: ClusterInput = {
  name: 'prod',
  tenant: 'acme',
  region: 'eu-west-1',
  kubernetesVersion: '1.33',
  access: {
    mode: 'api_and_config_map',
    adminRoleArns: ['arn:aws:iam::111122223333:role/acme-platform-admin'],
  },
  nodePools: [
    {
      name: 'general',
      instanceType: 'm6i.large',
      minSize: 2,
      desiredSize: 3,
      maxSize: 6,
    },
    {
      name: 'batch',
      instanceType: 'c7g.xlarge',
      amiType: 'AL2023_ARM_64_STANDARD',
      minSize: 0,
      maxSize: 10,
    },
  ],
};

export const REFS = {
  cluster: {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    namespace: 'acme',
    name: 'prod',
  },
  controlPlane: {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedControlPlane',
    namespace: 'acme',
    name: 'prod-control-plane',
  },
  machinePool: (pool: string) => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachinePool',
    namespace: 'acme',
    name: `prod-${pool}`,
  }),
  managedPool: (pool: string) => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedMachinePool',
    namespace: 'acme',
    name: `prod-${pool}`,
  }),
};

/** A test server with the CRDs, and the management clusters config pointing at it. */
export async function startServer(): Promise<{
  server: KubernetesTestServer;
  clusters: ManagementClusters;
}> {
  const server = await KubernetesTestServer.start({ token: TOKEN });
  // The platform's controller identity, as on any management cluster CAPA runs on.
  server.seed(renderControllerIdentity().objects);
  const clusters = ManagementClusters.fromConfig(
    new ConfigReader({
      capa: {
        managementClusters: [{ name: 'local', url: server.url, token: TOKEN }],
      },
    }),
    { logger: mockServices.logger.mock() },
  );
  return { server, clusters };
}

/**
 * Creates the tenant and a cluster the way the create template does: capa:apply's server-side
 * apply with the field manager backstage-capa, so that field owns every field it rendered.
 */
export async function createCluster(
  clusters: ManagementClusters,
  input: Partial<ClusterInput> = {},
): Promise<void> {
  const client = clusters.get('local');
  const objects = [
    ...renderTenant({
      name: 'acme',
      owner: 'team-acme',
      aws: { accountId: '111122223333' },
    }).objects,
    ...renderCluster({ ...PROD, ...input }).objects,
  ];
  for (const o of objects) await client.apply(o as unknown as KubernetesObject);
}

/** Runs an action's handler with a mock context; collects info and warn lines and outputs. */
export async function runAction(
  action: { handler(ctx: any): Promise<void> },
  input: JsonObject,
  options: { isDryRun?: boolean; signal?: AbortSignal } = {},
) {
  const ctx = createMockActionContext({ input });
  if (options.isDryRun) (ctx as any).isDryRun = true;
  if (options.signal) (ctx as any).signal = options.signal;
  const logs: string[] = [];
  const warnings: string[] = [];
  jest
    .spyOn(ctx.logger, 'info')
    .mockImplementation(((m: string) => logs.push(m)) as any);
  jest
    .spyOn(ctx.logger, 'warn')
    .mockImplementation(((m: string) => warnings.push(m)) as any);
  const checkpoints: string[] = [];
  const checkpoint = ctx.checkpoint.bind(ctx);
  (ctx as any).checkpoint = (opts: { key: string; fn: () => unknown }) => {
    checkpoints.push(opts.key);
    return checkpoint(opts as any);
  };
  const error = await action.handler(ctx as any).then(
    () => undefined,
    e => e as Error,
  );
  return {
    error,
    logs,
    warnings,
    checkpoints,
    out: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
  };
}

/** The server-side applies and deletes the server received, oldest first. */
export function writes(server: KubernetesTestServer): RecordedRequest[] {
  return server.requests.filter(
    r => r.method === 'PATCH' || r.method === 'DELETE',
  );
}

const validator = new CrdSchemaValidator(loadCrds());

/**
 * Validates stored objects against the CRDs as a manifest would be: without what the server
 * adds (status, managed fields, uid and the like).
 */
export function crdProblems(
  server: KubernetesTestServer,
  refs: Array<{
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }>,
): string[] {
  return refs.flatMap(ref => {
    const obj = server.getObject(ref);
    if (!obj) return [`${ref.kind} ${ref.name} does not exist`];
    const { name, namespace, labels, annotations } = obj.metadata;
    return validator.validate(
      JSON.parse(
        JSON.stringify({
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          metadata: { name, namespace, labels, annotations },
          spec: obj.spec,
        }),
      ),
    );
  });
}

/** Which managers own which fields of a stored object, as `manager: .a.b` lines. */
export function ownership(
  server: KubernetesTestServer,
  ref: { apiVersion: string; kind: string; namespace?: string; name: string },
): Record<string, string[]> {
  const obj = server.getObject(ref)!;
  const out: Record<string, string[]> = {};
  const walk = (node: Record<string, unknown>, path: string[], m: string) => {
    const keys = Object.keys(node).filter(k => k.startsWith('f:'));
    if (!keys.length) {
      out[m] = [...(out[m] ?? []), `.${path.join('.')}`];
      return;
    }
    for (const k of keys)
      walk(node[k] as Record<string, unknown>, [...path, k.slice(2)], m);
  };
  for (const e of (obj.metadata.managedFields ?? []) as Array<{
    manager: string;
    fieldsV1: Record<string, unknown>;
  }>)
    walk(e.fieldsV1, [], e.manager);
  return out;
}

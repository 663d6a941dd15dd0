import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import type { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import { parse } from 'yaml';
import {
  createCluster,
  REFS,
  runAction,
  startServer,
} from './__testUtils__/day2';
import { createAccessGrantAction } from './accessGrant';
import { examples as grantExamples } from './accessGrant.examples';
import { createAccessRevokeAction } from './accessRevoke';
import { examples as revokeExamples } from './accessRevoke.examples';
import { createClusterUpgradeAction } from './clusterUpgrade';
import { examples as upgradeExamples } from './clusterUpgrade.examples';
import { createNodePoolSetAction } from './nodePoolSet';
import { examples as nodePoolExamples } from './nodePoolSet.examples';
import { decidingAuthorizer } from './__testUtils__/authorizer';

type Factory = (clusters: ManagementClusters) => {
  id: string;
  supportsDryRun?: boolean;
  schema?: { input?: unknown; output?: unknown };
  handler(ctx: any): Promise<void>;
};

const ACTIONS: Array<[string, Factory, TemplateExample[]]> = [
  [
    'capa:cluster:upgrade',
    clusters =>
      createClusterUpgradeAction({
        managementClusters: clusters,
        authorizer: decidingAuthorizer(),
      }),
    upgradeExamples,
  ],
  [
    'capa:nodepool:set',
    clusters =>
      createNodePoolSetAction({
        managementClusters: clusters,
        authorizer: decidingAuthorizer(),
      }),
    nodePoolExamples,
  ],
  [
    'capa:access:grant',
    clusters =>
      createAccessGrantAction({
        managementClusters: clusters,
        authorizer: decidingAuthorizer(),
      }),
    grantExamples,
  ],
  [
    'capa:access:revoke',
    clusters =>
      createAccessRevokeAction({
        managementClusters: clusters,
        authorizer: decidingAuthorizer(),
      }),
    revokeExamples,
  ],
];

/** Paths of JSON-schema properties without a description. */
function undescribed(schema: any, path = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const props = Object.entries<any>(schema.properties ?? {}).flatMap(
    ([k, v]) => [
      ...(v.description ? [] : [`${path}${k}`]),
      ...undescribed(v, `${path}${k}.`),
    ],
  );
  const items = schema.items ? undescribed(schema.items, `${path}[].`) : [];
  const extra =
    typeof schema.additionalProperties === 'object'
      ? undescribed(schema.additionalProperties, `${path}*.`)
      : [];
  return [...props, ...items, ...extra];
}

describe.each(ACTIONS)('%s', (id, factory, examples) => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  beforeEach(async () => {
    ({ server, clusters } = await startServer());
    await createCluster(clusters);
  }, 30_000); // the first start loads every CRD: slow on a busy machine
  afterEach(() => server.close());

  it('has its id, supports dry runs, and describes every input and output field', () => {
    const action = factory(clusters);
    expect(action.id).toBe(id);
    expect(action.supportsDryRun).toBe(true);
    expect(undescribed(action.schema?.input)).toEqual([]);
    expect(undescribed(action.schema?.output)).toEqual([]);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example "%s" against the test server',
    async (_description, example) => {
      // The upgrade examples wait for the control plane: play CAPA and report the new version.
      const capa = setInterval(() => {
        const cp = server.getObject(REFS.controlPlane);
        const version = (cp?.spec as { version?: string })?.version;
        if (version && (cp?.status as any)?.version !== version)
          server.setStatus(REFS.controlPlane, { ready: true, version });
      }, 20);
      try {
        const steps = parse(example).steps as Array<{
          action: string;
          input: Record<string, unknown>;
        }>;
        for (const step of steps) {
          expect(step.action).toBe(id);
          const { error, out } = await runAction(
            factory(clusters),
            step.input as any,
          );
          expect(error).toBeUndefined();
          expect(out.dryRun).toBe(Boolean(step.input.dryRun));
        }
      } finally {
        clearInterval(capa);
      }
    },
  );
});

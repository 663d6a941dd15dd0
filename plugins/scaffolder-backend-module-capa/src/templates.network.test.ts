import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  CAPA_ANNOTATIONS,
  clusterEntityName,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import fs from 'fs';
import path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import {
  createCluster,
  startServer,
  TOKEN,
} from './actions/__testUtils__/day2';
import { scaffolderModuleCapa } from './module';

/**
 * "Allow a cluster to call a service" (templates/allow-cluster-service-access), run as a task by
 * the real scaffolder backend with this module's actions against the Kubernetes test server.
 */
const TEMPLATE = path.resolve(
  __dirname,
  '../../../templates/allow-cluster-service-access/template.yaml',
);

const clusterEntity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: clusterEntityName('local', 'acme', name),
    namespace: 'default',
    annotations: {
      [CAPA_ANNOTATIONS.managementCluster]: 'local',
      [CAPA_ANNOTATIONS.namespace]: 'acme',
      [CAPA_ANNOTATIONS.clusterName]: name,
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/team-acme' },
});

const EXPOSED = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'acme',
  name: 'lattice-expose.dev.payments.payments-api',
};

describe('the "Allow a cluster to call a service" template, run by the scaffolder', () => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeEach(async () => {
    ({ server, clusters } = await startServer());
    await createCluster(clusters);
    await createCluster(clusters, { name: 'dev' });
    for (const name of ['prod', 'dev'])
      server.setStatus(
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'Cluster',
          namespace: 'acme',
          name,
        },
        { phase: 'Provisioned' },
      );
    const template = parse(fs.readFileSync(TEMPLATE, 'utf8'));
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleCapa,
        mockServices.rootConfig.factory({
          data: {
            capa: {
              managementClusters: [
                { name: 'local', url: server.url, token: TOKEN },
              ],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            clusterEntity('prod'),
            clusterEntity('dev'),
            {
              ...template,
              metadata: { ...template.metadata, namespace: 'default' },
            },
          ],
        }),
      ],
    });
  }, 60_000);
  afterEach(async () => {
    await backend?.stop();
    await server.close();
  });

  async function runTemplate(values: Record<string, unknown>) {
    const base = `http://localhost:${backend.server.port()}/api/scaffolder/v2`;
    const headers = {
      'Content-Type': 'application/json',
      Authorization: mockCredentials.user.header(),
    };
    const created = await fetch(`${base}/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        templateRef: 'template:default/capa-allow-cluster-service-access',
        values: {
          cluster: `resource:default/${clusterEntityName(
            'local',
            'acme',
            'dev',
          )}`,
          callerCluster: `resource:default/${clusterEntityName(
            'local',
            'acme',
            'prod',
          )}`,
          serviceNetwork: 'acme-mesh',
          serviceName: 'payments-api',
          serviceNamespace: 'payments',
          servicePort: 8080,
          callerNamespace: 'payments',
          ...values,
        },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const task = await (
        await fetch(`${base}/tasks/${id}`, { headers })
      ).json();
      if (['completed', 'failed', 'cancelled'].includes(task.status)) {
        const events: Array<{ type: string; body: { message?: string } }> =
          await (await fetch(`${base}/tasks/${id}/events`, { headers })).json();
        return {
          status: task.status as string,
          log: events
            .filter(e => e.type === 'log')
            .map(e => e.body.message ?? ''),
        };
      }
      if (Date.now() > deadline) throw new Error(`task ${id} did not end`);
      await new Promise(r => setTimeout(r, 100));
    }
  }

  const delivered = () => {
    const cm = server.getObject(EXPOSED) as any;
    return parseAllDocuments(cm.data['lattice.yaml']).map(d => d.toJS());
  };

  it('joins both clusters, dry-runs, allows acme/prod namespace payments, then revokes it', async () => {
    const granted = await runTemplate({ operation: 'grant' });
    expect(granted).toMatchObject({ status: 'completed' });
    const log = granted.log.join('\n');
    expect(log).toMatch(
      /ConfigMap acme\/lattice-expose\.dev\.payments\.payments-api: created .*\(dry run\)/,
    );
    expect(log).toMatch(
      /Joining acme\/prod to VPC Lattice service network "acme-mesh"/,
    );
    const [route, policy] = delivered();
    expect(route).toMatchObject({
      kind: 'HTTPRoute',
      spec: {
        rules: [{ backendRefs: [{ name: 'payments-api', port: 8080 }] }],
      },
    });
    expect(JSON.parse(policy.spec.policy).Statement[0].Condition).toEqual({
      StringEquals: {
        'aws:PrincipalTag/eks-cluster-name': 'acme-prod',
        'aws:PrincipalTag/kubernetes-namespace': 'payments',
      },
    });

    const revoked = await runTemplate({ operation: 'revoke' });
    expect(revoked).toMatchObject({ status: 'completed' });
    expect(delivered().map(o => o.kind)).toEqual(['IAMAuthPolicy']);
    expect(JSON.parse(delivered()[0].spec.policy).Statement[0].Effect).toBe(
      'Deny',
    );
  }, 60_000);
});

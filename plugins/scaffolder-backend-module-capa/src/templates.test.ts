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
import { parse } from 'yaml';
import {
  createCluster,
  REFS,
  startServer,
  TOKEN,
} from './actions/__testUtils__/day2';
import { scaffolderModuleCapa } from './module';

/**
 * The three day-2 templates of the repository's templates/ folder, run as tasks by the real
 * scaffolder backend (with this module's actions) against the Kubernetes test server: the
 * parameters render into valid action inputs, the dry run comes first, and the change lands.
 */
const TEMPLATES = path.resolve(__dirname, '../../../templates');

function template(folder: string): Entity {
  const entity = parse(
    fs.readFileSync(path.join(TEMPLATES, folder, 'template.yaml'), 'utf8'),
  );
  return { ...entity, metadata: { ...entity.metadata, namespace: 'default' } };
}

const CLUSTER_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: clusterEntityName('local', 'acme', 'prod'),
    namespace: 'default',
    annotations: {
      [CAPA_ANNOTATIONS.managementCluster]: 'local',
      [CAPA_ANNOTATIONS.namespace]: 'acme',
      [CAPA_ANNOTATIONS.clusterName]: 'prod',
    },
  },
  spec: { type: 'kubernetes-cluster', owner: 'group:default/team-acme' },
};

/** The task logger colours the level with ANSI escapes; the tests read the text. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');

interface TaskEvent {
  type: string;
  body: { message?: string; stepId?: string; status?: string };
}

describe('the day-2 templates, run by the scaffolder', () => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeEach(async () => {
    ({ server, clusters } = await startServer());
    await createCluster(clusters);
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
            CLUSTER_ENTITY,
            template('upgrade-cluster'),
            template('change-node-pools'),
            template('grant-cluster-access'),
          ],
        }),
      ],
    });
  }, 60_000);
  afterEach(async () => {
    await backend?.stop();
    await server.close();
  });

  /** Starts a task as a signed-in user would and waits for it to end; returns its events. */
  async function runTemplate(
    name: string,
    values: Record<string, unknown>,
  ): Promise<{ status: string; log: string[] }> {
    const base = `http://localhost:${backend.server.port()}/api/scaffolder/v2`;
    const headers = {
      'Content-Type': 'application/json',
      Authorization: mockCredentials.user.header(),
    };
    const created = await fetch(`${base}/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        templateRef: `template:default/${name}`,
        values: {
          cluster: `resource:default/${CLUSTER_ENTITY.metadata.name}`,
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
        const events: TaskEvent[] = await (
          await fetch(`${base}/tasks/${id}/events`, { headers })
        ).json();
        return {
          status: task.status,
          log: events
            .filter(e => e.type === 'log' && e.body.message)
            .map(
              e =>
                `${e.body.stepId ?? ''}: ${e.body.message!.replace(
                  ANSI_COLOUR,
                  '',
                )}`,
            ),
        };
      }
      if (Date.now() > deadline) throw new Error(`task ${id} did not end`);
      await new Promise(r => setTimeout(r, 100));
    }
  }

  /** Index of the first log line matching, so tests can check the order of steps. */
  const lineOf = (log: string[], pattern: RegExp) =>
    log.findIndex(l => pattern.test(l));

  it('"Upgrade an EKS cluster" dry-runs, then upgrades the control plane and the node pools', async () => {
    // Play CAPA: report the version the control plane asks for.
    const capa = setInterval(() => {
      const cp = server.getObject(REFS.controlPlane);
      const version = (cp?.spec as { version?: string })?.version;
      if (version && (cp?.status as any)?.version !== `${version}.1`)
        server.setStatus(REFS.controlPlane, {
          ready: true,
          version: `${version}.1`,
        });
    }, 50);
    try {
      const { status, log } = await runTemplate('capa-upgrade-cluster', {
        version: '1.34',
        waitMinutes: 1,
      });
      expect({ status, log }).toMatchObject({ status: 'completed' });
      const dry = lineOf(
        log,
        /^dry-run: info: AWSManagedControlPlane acme\/prod-control-plane: spec\.version: v1\.33 -> v1\.34 \(dry run\)$/,
      );
      const real = lineOf(
        log,
        /^upgrade: info: AWSManagedControlPlane acme\/prod-control-plane: configured \(field manager backstage-capa-upgrade\)$/,
      );
      expect(dry).toBeGreaterThanOrEqual(0);
      expect(real).toBeGreaterThan(dry);
      expect(lineOf(log, /reports v1\.34\.1$/)).toBeGreaterThan(real);
      expect((server.getObject(REFS.controlPlane)!.spec as any).version).toBe(
        'v1.34',
      );
      expect(
        (server.getObject(REFS.machinePool('general'))!.spec as any).template
          .spec.version,
      ).toBe('v1.34.0');
    } finally {
      clearInterval(capa);
    }
  });

  it('"Change the node pools" adds, resizes and removes a pool', async () => {
    const added = await runTemplate('capa-change-node-pools', {
      operation: 'set',
      nodePool: 'spot',
      instanceType: 'm7i.large',
      capacityType: 'spot',
      minSize: 0,
      maxSize: 5,
    });
    expect(added).toMatchObject({ status: 'completed' });
    expect(
      lineOf(
        added.log,
        /^dry-run: .*AWSManagedMachinePool acme\/prod-spot: created \(field manager backstage-capa-nodepool\) \(dry run\)$/,
      ),
    ).toBeGreaterThanOrEqual(0);
    expect(
      (server.getObject(REFS.managedPool('spot'))!.spec as any).capacityType,
    ).toBe('spot');

    const resized = await runTemplate('capa-change-node-pools', {
      operation: 'set',
      nodePool: 'spot',
      desiredSize: 2,
    });
    expect(resized).toMatchObject({ status: 'completed' });
    expect(
      (server.getObject(REFS.machinePool('spot'))!.spec as any).replicas,
    ).toBe(2);

    const removed = await runTemplate('capa-change-node-pools', {
      operation: 'remove',
      nodePool: 'spot',
    });
    expect(removed).toMatchObject({ status: 'completed' });
    expect(server.getObject(REFS.machinePool('spot'))).toBeUndefined();
  });

  it('"Grant or revoke access" grants, then revokes', async () => {
    const arn = 'arn:aws:iam::111122223333:role/acme-developers';
    const granted = await runTemplate('capa-grant-cluster-access', {
      operation: 'grant',
      principalArn: arn,
      level: 'edit',
    });
    expect(granted).toMatchObject({ status: 'completed' });
    expect(
      lineOf(
        granted.log,
        /^grant-dry-run: .*spec\.accessEntries: \+ arn:aws:iam::111122223333:role\/acme-developers .* \(dry run\)$/,
      ),
    ).toBeGreaterThanOrEqual(0);
    expect(lineOf(granted.log, /^revoke: .*Revoking/)).toBe(-1);
    expect(granted.log).toContain(
      'revoke: Skipping step revoke because its if condition was false',
    );
    const entries = () =>
      (server.getObject(REFS.controlPlane)!.spec as any).accessEntries.map(
        (e: { principalARN: string }) => e.principalARN,
      );
    expect(entries()).toContain(arn);

    const revoked = await runTemplate('capa-grant-cluster-access', {
      operation: 'revoke',
      principalArn: arn,
    });
    expect(revoked).toMatchObject({ status: 'completed' });
    expect(entries()).not.toContain(arn);
  });

  it('fails the task, with the reason in its log, when the dry run refuses', async () => {
    const { status, log } = await runTemplate('capa-upgrade-cluster', {
      version: '1.36',
      waitMinutes: 1,
    });
    expect(status).toBe('failed');
    expect(log.join('\n')).toMatch(/1\.36 skips a minor version/);
    expect((server.getObject(REFS.controlPlane)!.spec as any).version).toBe(
      'v1.33',
    );
  });
});

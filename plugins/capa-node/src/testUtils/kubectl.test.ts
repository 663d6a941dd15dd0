/* eslint-disable no-restricted-imports -- writes the manifest file kubectl applies */
import { renderTenant, toYaml } from '@capa-backstage/plugin-capa-common';
import { execFile, spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { KubernetesTestServer } from './KubernetesTestServer';

/**
 * kubectl as an independent, real client of the test server. It must run asynchronously: the
 * server answers from this same process. The server runs without a token: kubectl does not send
 * credentials to a plain-HTTP server.
 */
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

function kubectl(
  kubeconfig: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, ...args],
      { encoding: 'utf8', timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err
          ? Number((err as { code?: unknown }).code ?? 1) || 1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const TENANT = renderTenant({
  name: 'acme',
  owner: 'group:default/team-acme',
  aws: { accountId: '111122223333', externalId: 'acme-ext-7f3c' },
});

// Each kubectl run is a process start plus discovery; the watch test waits for two renderings.
jest.setTimeout(30_000);

describe('kubectl against KubernetesTestServer', () => {
  // Loading and compiling the CRD schemas takes a second or more on a cold machine.
  beforeAll(() => KubernetesTestServer.preload(), 30_000);
  let server: KubernetesTestServer;
  let kubeconfig: string;
  let manifest: string;

  beforeEach(async () => {
    server = await KubernetesTestServer.start();
    kubeconfig = server.writeKubeconfig();
    manifest = path.join(path.dirname(kubeconfig), 'tenant.yaml');
    fs.writeFileSync(manifest, toYaml(TENANT.objects));
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists the API resources served from the CRDs', async () => {
    const r = await kubectl(kubeconfig, ['api-resources', '--no-headers']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map(l => l.trim().split(/\s+/));
    expect(rows).toContainEqual([
      'awsclusterroleidentities',
      'awsri',
      'infrastructure.cluster.x-k8s.io/v1beta2',
      'false',
      'AWSClusterRoleIdentity',
    ]);
    expect(rows).toContainEqual([
      'clusters',
      'cl',
      'cluster.x-k8s.io/v1beta2',
      'true',
      'Cluster',
    ]);
    expect(rows).toContainEqual([
      'namespaces',
      'ns',
      'v1',
      'false',
      'Namespace',
    ]);
  });

  it('applies a rendered tenant server-side, dry run first, then gets it', async () => {
    const dry = await kubectl(kubeconfig, [
      'apply',
      '--server-side',
      '--dry-run=server',
      '-f',
      manifest,
    ]);
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toBe(
      'namespace/acme serverside-applied (server dry run)\nawsclusterroleidentity.infrastructure.cluster.x-k8s.io/acme serverside-applied (server dry run)\n',
    );
    expect(
      server.listObjects(
        'infrastructure.cluster.x-k8s.io/v1beta2',
        'AWSClusterRoleIdentity',
      ),
    ).toEqual([]);

    const applied = await kubectl(kubeconfig, [
      'apply',
      '--server-side',
      '-f',
      manifest,
    ]);
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    expect(applied.stdout).toContain(
      'awsclusterroleidentity.infrastructure.cluster.x-k8s.io/acme serverside-applied',
    );
    const patches = server.requests.filter(q => q.method === 'PATCH');
    expect(patches.map(q => q.contentType)).toEqual(
      Array(4).fill('application/apply-patch+yaml'),
    );
    expect(patches[3].query).toMatchObject({
      fieldManager: 'kubectl',
      fieldValidation: 'Strict',
      force: 'false',
    });

    const got = await kubectl(kubeconfig, [
      'get',
      'awsclusterroleidentity',
      'acme',
      '-o',
      'json',
      '--show-managed-fields',
    ]);
    expect(got.code).toBe(0);
    const obj = JSON.parse(got.stdout);
    expect(obj.spec).toEqual(TENANT.objects[1].spec);
    expect(obj.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'kubectl', operation: 'Apply' }),
    ]);

    const table = await kubectl(kubeconfig, ['get', 'namespaces']);
    expect(table.stdout).toMatch(
      /^NAME\s+STATUS\s+AGE\nacme\s+Active\s+\d+s\n$/,
    );
  });

  it('reports a field conflict the way a real apiserver does', async () => {
    const other = structuredClone(TENANT.objects[1]) as {
      spec: { roleARN: string };
    };
    other.spec.roleARN = 'arn:aws:iam::444455556666:role/other';
    server.seed([TENANT.objects[0], other], { fieldManager: 'backstage-capa' });
    const r = await kubectl(kubeconfig, [
      'apply',
      '--server-side',
      '-f',
      manifest,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('conflict with "backstage-capa"');
    expect(r.stderr).toContain('.spec.roleARN');
    const forced = await kubectl(kubeconfig, [
      'apply',
      '--server-side',
      '--force-conflicts',
      '-f',
      manifest,
    ]);
    expect(forced.code).toBe(0);
  });

  it('selects Warning events by field and refuses a field the kind does not convert, as a real apiserver does', async () => {
    const event = (name: string, type: string, reason: string) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: 'acme' },
      involvedObject: {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        name: 'prod',
        namespace: 'acme',
      },
      type,
      reason,
      message: `${reason} happened`,
      count: 1,
    });
    server.seed([
      event('prod.1', 'Warning', 'FailedCreate'),
      event('prod.2', 'Normal', 'Created'),
    ]);
    const warnings = await kubectl(kubeconfig, [
      'get',
      'events',
      '-n',
      'acme',
      '--field-selector',
      'type=Warning,involvedObject.kind=Cluster',
      '-o',
      'jsonpath={.items[*].reason}',
    ]);
    expect(warnings.stderr).toBe('');
    expect(warnings.stdout).toBe('FailedCreate');
    const refused = await kubectl(kubeconfig, [
      'get',
      'events',
      '-n',
      'acme',
      '--field-selector',
      'message=x',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/field label not supported: message/);
  });

  it('shows a change through get --watch', async () => {
    server.seed([
      {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: 'prod', namespace: 'acme' },
        spec: {
          clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] } },
          controlPlaneRef: {
            apiGroup: 'controlplane.cluster.x-k8s.io',
            kind: 'AWSManagedControlPlane',
            name: 'prod',
          },
          infrastructureRef: {
            apiGroup: 'infrastructure.cluster.x-k8s.io',
            kind: 'AWSManagedCluster',
            name: 'prod',
          },
        },
      },
    ]);
    const ref = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      namespace: 'acme',
      name: 'prod',
    };
    server.setStatus(ref, { phase: 'Provisioning' });
    const child = spawn(
      KUBECTL,
      [
        '--kubeconfig',
        kubeconfig,
        '-n',
        'acme',
        'get',
        'clusters',
        'prod',
        '--watch',
        '--request-timeout=15s',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', d => (out += d));
    const waitFor = async (pattern: RegExp) => {
      const deadline = Date.now() + 10_000;
      while (!pattern.test(out)) {
        if (Date.now() > deadline)
          throw new Error(`kubectl printed ${JSON.stringify(out)}`);
        await new Promise(r => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(/prod\s+.*Provisioning/);
      await new Promise<void>(resolve => {
        const check = () =>
          server.openWatches > 0 ? resolve() : setTimeout(check, 20);
        check();
      });
      server.setStatus(ref, { phase: 'Provisioned' });
      await waitFor(/prod\s+.*Provisioned\s/);
      expect(out.split('\n')[0]).toMatch(/^NAME\s+CLUSTERCLASS\s+AVAILABLE/);
      // kubectl watches one object through a metadata.name field selector, asking for Tables.
      expect(server.requests.find(r => r.query.watch)).toMatchObject({
        query: expect.objectContaining({ fieldSelector: 'metadata.name=prod' }),
        accept: expect.stringContaining('as=Table'),
      });
    } finally {
      child.kill();
    }
  });
});

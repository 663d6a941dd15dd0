import { createMockDirectory } from '@backstage/backend-test-utils';
import { INPUT_LIMITS, toYaml } from '@capa-backstage/plugin-capa-common';
import {
  loadClientNode,
  type ManagementClusters,
} from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import { localClusters, runApply } from './__testUtils__/applyRun';

const TOKEN = 'apply-caps-token';
const namespaces = (n: number, from = 0) =>
  toYaml(
    Array.from({ length: n }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `ns-${from + i}` },
    })),
  );
/** `yaml` followed by a comment that makes it exactly `bytes` long. */
const padded = (yaml: string, bytes: number) =>
  `${yaml}#${'x'.repeat(bytes - Buffer.byteLength(yaml) - 2)}\n`;

describe('capa:apply input caps', () => {
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  const workspace = createMockDirectory();
  // Loading client-node through Jest's transform takes seconds on a cold cache: paid here.
  beforeAll(() => loadClientNode(), 60_000);
  beforeEach(async () => {
    server = await KubernetesTestServer.start({ token: TOKEN });
    clusters = localClusters(server, TOKEN);
    workspace.clear();
  });
  afterEach(() => server.close());

  it('applies a manifest of exactly the byte cap, and refuses one byte more before any request', async () => {
    const atCap = padded(namespaces(1), INPUT_LIMITS.manifestBytes);
    expect(Buffer.byteLength(atCap)).toBe(INPUT_LIMITS.manifestBytes);
    const ok = await runApply(clusters, {
      managementCluster: 'local',
      manifest: atCap,
      dryRun: true,
    });
    expect(ok.error).toBeUndefined();
    expect(ok.out.applied).toEqual([
      { kind: 'Namespace', name: 'ns-0', action: 'created' },
    ]);

    server.requests.length = 0;
    const over = await runApply(clusters, {
      managementCluster: 'local',
      manifest: padded(namespaces(1), INPUT_LIMITS.manifestBytes + 1),
      dryRun: true,
    });
    expect(over.error?.name).toBe('InputError');
    expect(over.error?.message).toBe(
      'Invalid capa:apply input: 1 problem\n- manifest: must hold at most 4194304 bytes (4 MiB); it holds 4194305',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('applies the object cap, and refuses one object more before any request', async () => {
    const ok = await runApply(clusters, {
      managementCluster: 'local',
      manifest: namespaces(INPUT_LIMITS.manifestObjects),
      dryRun: true,
    });
    expect(ok.error).toBeUndefined();
    expect(ok.out.applied).toHaveLength(200);

    server.requests.length = 0;
    const over = await runApply(clusters, {
      managementCluster: 'local',
      manifest: namespaces(INPUT_LIMITS.manifestObjects + 1),
      dryRun: true,
    });
    expect(over.error?.message).toBe(
      'Invalid capa:apply input: 1 problem\n- manifest: must hold at most 200 objects (YAML documents); apply a larger set in several steps',
    );
    expect(server.requests).toHaveLength(0);
  }, 30_000);

  it('counts bytes and objects of all files together', async () => {
    const half = INPUT_LIMITS.manifestBytes / 2;
    workspace.addContent({
      'a.yaml': padded(namespaces(1), half),
      'b.yaml': padded(namespaces(1, 1), half + 1),
      'many.yaml': namespaces(150),
      'more.yaml': namespaces(51, 150),
    });
    const bytes = await runApply(
      clusters,
      { managementCluster: 'local', files: ['a.yaml', 'b.yaml'] },
      { workspacePath: workspace.path },
    );
    expect(bytes.error?.message).toBe(
      'Invalid capa:apply input: 1 problem\n- files: must hold at most 4194304 bytes (4 MiB in all files together); it holds 4194305',
    );
    const objects = await runApply(
      clusters,
      { managementCluster: 'local', files: ['many.yaml', 'more.yaml'] },
      { workspacePath: workspace.path },
    );
    expect(objects.error?.message).toMatch(
      /^Invalid capa:apply input: 1 problem\n- files: must hold at most 200 objects \(YAML documents in all files together\)/,
    );
    expect(server.requests).toHaveLength(0);
  });
});

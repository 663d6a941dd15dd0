import { KubernetesTestServer } from './KubernetesTestServer';

const CONFIG_MAPS = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
const CRS = (ns: string) =>
  `/apis/addons.cluster.x-k8s.io/v1beta2/namespaces/${ns}/clusterresourcesets`;

/** ConfigMaps and ClusterResourceSets, as the capa:network:* actions use them. */
describe('KubernetesTestServer: ConfigMaps and ClusterResourceSets', () => {
  let server: KubernetesTestServer;
  beforeAll(() => KubernetesTestServer.preload(), 30_000);
  beforeEach(async () => {
    server = await KubernetesTestServer.start();
    await call('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'acme' },
    });
  });
  afterEach(() => server.close());

  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  const configMap = (data: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'lattice-join.prod', namespace: 'acme' },
    data,
  });

  it('stores a ConfigMap and lists it by label', async () => {
    const created = await call('POST', CONFIG_MAPS('acme'), {
      ...configMap({ 'lattice.yaml': 'kind: Gateway\n' }),
      metadata: {
        name: 'lattice-join.prod',
        namespace: 'acme',
        labels: { 'capa.backstage.io/lattice': 'join' },
      },
    });
    expect(created.status).toBe(201);
    const listed = await call(
      'GET',
      `${CONFIG_MAPS('acme')}?labelSelector=capa.backstage.io%2Flattice%3Djoin`,
    );
    await call('POST', CONFIG_MAPS('acme'), {
      ...configMap({}),
      metadata: { name: 'unrelated', namespace: 'acme' },
    });
    // As the watch cache lists them: by the label's existence.
    const byKey = await call(
      'GET',
      `/api/v1/configmaps?labelSelector=capa.backstage.io%2Flattice`,
    );
    expect(byKey.body.items.map((i: any) => i.metadata.name)).toEqual([
      'lattice-join.prod',
    ]);
    expect(listed.body.kind).toBe('ConfigMapList');
    expect(listed.body.items.map((i: any) => i.data)).toEqual([
      { 'lattice.yaml': 'kind: Gateway\n' },
    ]);
  });

  it('refuses bad keys, non-string values and more than 1 MiB, as the apiserver does', async () => {
    const res = await call(
      'POST',
      CONFIG_MAPS('acme'),
      configMap({ 'bad/key': 'x', n: 1 }),
    );
    expect(res.status).toBe(422);
    expect(res.body.details.causes.map((c: any) => c.field)).toEqual(
      expect.arrayContaining(['data[bad/key]', 'data[n]']),
    );
    const big = await call(
      'POST',
      CONFIG_MAPS('acme'),
      configMap({ a: 'x'.repeat(1024 * 1024), b: 'y' }),
    );
    expect(big.status).toBe(422);
    expect(big.body.message).toMatch(/must have at most 1048576 bytes/);
  });

  it('serves ClusterResourceSets from the Cluster API CRD, strictly', async () => {
    const crs = {
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSet',
      metadata: { name: 'lattice-join.prod', namespace: 'acme' },
      spec: {
        clusterSelector: {
          matchLabels: { 'capa.backstage.io/lattice-cluster': 'prod' },
        },
        resources: [{ kind: 'ConfigMap', name: 'lattice-join.prod' }],
        strategy: 'Reconcile',
      },
    };
    expect((await call('POST', CRS('acme'), crs)).status).toBe(201);
    const bad = await call('POST', CRS('acme'), {
      ...crs,
      metadata: { ...crs.metadata, name: 'other' },
      spec: { ...crs.spec, strategy: 'Sometimes' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes).toEqual([
      expect.objectContaining({ field: 'spec.strategy' }),
    ]);
  });
});

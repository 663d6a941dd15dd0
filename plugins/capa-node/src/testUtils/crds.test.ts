import { loadCrds } from '@capa-backstage/plugin-capa-common/testUtils';
import { KubernetesTestServer } from './KubernetesTestServer';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

describe('KubernetesTestServer serves its CRDs as an apiserver does', () => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  beforeEach(async () => {
    server = await KubernetesTestServer.start();
  });
  afterEach(() => server.close());

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${server.url}${path}`, init);
    return { status: res.status, body: await res.json() };
  };

  it('lists apiextensions.k8s.io/v1 in discovery', async () => {
    const list = await get('/apis/apiextensions.k8s.io/v1');
    expect(list.body.resources).toContainEqual(
      expect.objectContaining({
        name: 'customresourcedefinitions',
        kind: 'CustomResourceDefinition',
        namespaced: false,
        shortNames: ['crd', 'crds'],
      }),
    );
  });

  it('answers GET by <plural>.<group> with the installed CRD, established', async () => {
    const name = 'awsmanagedcontrolplanes.controlplane.cluster.x-k8s.io';
    const { status, body } = await get(`${CRDS}/${name}`);
    expect(status).toBe(200);
    const installed = loadCrds().find(c => c.metadata.name === name)!;
    expect(body).toMatchObject({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name,
        uid: expect.any(String),
        resourceVersion: expect.any(String),
        generation: 1,
      },
      spec: installed.spec,
      status: {
        acceptedNames: installed.spec.names,
        storedVersions: ['v1beta2'],
        conditions: expect.arrayContaining([
          expect.objectContaining({ type: 'Established', status: 'True' }),
        ]),
      },
    });
  });

  it('lists every CRD it was started with, and 404s one it was not', async () => {
    const crds = loadCrds().filter(c => c.spec.group === 'cluster.x-k8s.io');
    await server.close();
    server = await KubernetesTestServer.start({ crds });
    const list = await get(CRDS);
    expect(list.body.kind).toBe('CustomResourceDefinitionList');
    expect(list.body.items.map((c: any) => c.metadata.name).sort()).toEqual(
      crds.map(c => c.metadata.name).sort(),
    );
    const missing = await get(
      `${CRDS}/awsfargateprofiles.infrastructure.cluster.x-k8s.io`,
    );
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      details: {
        name: 'awsfargateprofiles.infrastructure.cluster.x-k8s.io',
        group: 'apiextensions.k8s.io',
        kind: 'customresourcedefinitions',
      },
    });
  });

  it('refuses writes: the kinds it serves are fixed when it starts', async () => {
    const { status, body } = await get(
      `${CRDS}/clusters.cluster.x-k8s.io?fieldManager=t`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ metadata: { labels: { a: 'b' } } }),
      },
    );
    expect(status).toBe(405);
    expect(body.message).toMatch(/read-only/);
  });
});

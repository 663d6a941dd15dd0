import { KubernetesTestServer } from './KubernetesTestServer';

const API = 'cluster.x-k8s.io/v1beta2';

function cluster(ns: string, name: string) {
  return {
    apiVersion: API,
    kind: 'Cluster',
    metadata: {
      name,
      namespace: ns,
      labels: { 'capa.backstage.io/tenant': ns },
    },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] } },
      controlPlaneRef: {
        apiGroup: 'controlplane.cluster.x-k8s.io',
        kind: 'AWSManagedControlPlane',
        name,
      },
      infrastructureRef: {
        apiGroup: 'infrastructure.cluster.x-k8s.io',
        kind: 'AWSManagedCluster',
        name,
      },
    },
  };
}

// The benchmark and the backend tests load thousands of objects: seeding, paging and getting must
// stay cheap (per-namespace maps, O(1) gets, list snapshots by reference).
jest.setTimeout(30_000);

describe('KubernetesTestServer at scale', () => {
  it('serves 5000 objects in 100 namespaces', async () => {
    const server = await KubernetesTestServer.start({ maxRecordedRequests: 0 });
    try {
      let t = Date.now();
      const objects = Array.from({ length: 5000 }, (_, i) =>
        cluster(`tenant-${i % 100}`, `c-${i}`),
      );
      server.seed(objects);
      const seedMs = Date.now() - t;

      t = Date.now();
      const one = await (
        await fetch(`${server.url}/apis/${API}/namespaces/tenant-7/clusters`)
      ).json();
      expect(one.items).toHaveLength(50);
      let continueToken: string | undefined;
      let total = 0;
      let pages = 0;
      do {
        const page = await (
          await fetch(
            `${server.url}/apis/${API}/clusters?limit=500${
              continueToken
                ? `&continue=${encodeURIComponent(continueToken)}`
                : ''
            }`,
          )
        ).json();
        total += page.items.length;
        pages++;
        continueToken = page.metadata.continue;
      } while (continueToken);
      expect(total).toBe(5000);
      expect(pages).toBe(10);
      for (let i = 0; i < 200; i++) {
        const res = await fetch(
          `${server.url}/apis/${API}/namespaces/tenant-${
            i % 100
          }/clusters/c-${i}`,
        );
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      const readMs = Date.now() - t;
      // Generous bounds: they catch an accidental O(n^2), not machine speed.
      expect(seedMs).toBeLessThan(15_000);
      expect(readMs).toBeLessThan(10_000);
    } finally {
      await server.close();
    }
  });
});

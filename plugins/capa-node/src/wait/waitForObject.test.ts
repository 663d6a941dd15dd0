import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  objectRef,
  type StoredObject,
} from '@capa-backstage/plugin-capa-common';
import { ManagementClusters } from '../client/ManagementClusters';
import type { ManagementClusterClient } from '../client/ManagementClusterClient';
import { KubernetesTestServer } from '../testUtils';
import { waitForObject } from './waitForObject';

type Cluster = StoredObject<'Cluster'>;

const REF = objectRef('Cluster', 'acme', 'prod');

const CLUSTER = {
  apiVersion: REF.apiVersion,
  kind: REF.kind,
  metadata: { name: 'prod', namespace: 'acme' },
  spec: {
    clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] } },
    controlPlaneRef: {
      apiGroup: 'controlplane.cluster.x-k8s.io',
      kind: 'AWSManagedControlPlane',
      name: 'prod-control-plane',
    },
    infrastructureRef: {
      apiGroup: 'infrastructure.cluster.x-k8s.io',
      kind: 'AWSManagedCluster',
      name: 'prod',
    },
  },
};

const phaseOf = (c: Cluster | undefined) => c?.status?.phase;

const TOKEN = 'test-token';

describe('waitForObject', () => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  let client: ManagementClusterClient;
  beforeEach(async () => {
    server = await KubernetesTestServer.start({ token: TOKEN });
    client = ManagementClusters.fromConfig(
      new ConfigReader({
        capa: {
          managementClusters: [
            { name: 'local', url: server.url, token: TOKEN },
          ],
        },
      }),
      { logger: mockServices.logger.mock() },
    ).get('local');
    server.seed([CLUSTER]);
  }, 30_000);
  afterEach(() => server.close());

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  };

  it('resolves with the object when it is already there, without a watch', async () => {
    server.setStatus(REF, { phase: 'Provisioned' });
    const seen: Array<string | undefined> = [];
    const found = await waitForObject<Cluster>(client, REF, {
      until: c => {
        seen.push(phaseOf(c));
        return phaseOf(c) === 'Provisioned';
      },
      timeoutMs: 5000,
    });
    expect(phaseOf(found)).toBe('Provisioned');
    expect(seen).toEqual(['Provisioned']);
    expect(server.requests.some(r => r.query.watch === 'true')).toBe(false);
  });

  it('follows changes through a watch on that one object, and closes it when done', async () => {
    const cancel = later(100, () =>
      server.setStatus(REF, { phase: 'Provisioning' }),
    );
    const cancel2 = later(200, () =>
      server.setStatus(REF, { phase: 'Provisioned' }),
    );
    const seen: Array<string | undefined> = [];
    try {
      const found = await waitForObject<Cluster>(client, REF, {
        until: c => {
          seen.push(phaseOf(c));
          return phaseOf(c) === 'Provisioned';
        },
        timeoutMs: 5000,
      });
      expect(phaseOf(found)).toBe('Provisioned');
    } finally {
      cancel();
      cancel2();
    }
    expect(seen).toEqual([undefined, 'Provisioning', 'Provisioned']);
    const watches = server.requests.filter(r => r.query.watch === 'true');
    expect(watches.map(r => [r.path, r.query.fieldSelector])).toEqual([
      [
        '/apis/cluster.x-k8s.io/v1beta2/namespaces/acme/clusters',
        'metadata.name=prod',
      ],
    ]);
    await new Promise(r => setTimeout(r, 50));
    expect(server.openWatches).toBe(0);
  });

  it('resolves with undefined when it waits for the object to go', async () => {
    const cancel = later(100, () => server.remove(REF));
    try {
      await expect(
        waitForObject<Cluster>(client, REF, {
          until: c => c === undefined,
          timeoutMs: 5000,
        }),
      ).resolves.toBeUndefined();
    } finally {
      cancel();
    }
  });

  it('reads again and watches on when a watch ends', async () => {
    const reads = () =>
      server.requests.filter(
        r =>
          r.method === 'GET' &&
          r.path ===
            '/apis/cluster.x-k8s.io/v1beta2/namespaces/acme/clusters/prod',
      ).length;
    const done = waitForObject<Cluster>(client, REF, {
      until: c => phaseOf(c) === 'Provisioned',
      timeoutMs: 5000,
    });
    await until(() => server.openWatches === 1);
    server.dropWatches();
    // A change while no watch is open is seen by the read before the next watch.
    server.setStatus(REF, { phase: 'Provisioned' });
    await expect(done).resolves.toBeDefined();
    expect(reads()).toBe(2);
  });

  it('rejects with what until throws', async () => {
    const cancel = later(100, () => server.setStatus(REF, { phase: 'Failed' }));
    try {
      await expect(
        waitForObject<Cluster>(client, REF, {
          until: c => {
            if (phaseOf(c) === 'Failed') throw new Error('it failed');
            return false;
          },
          timeoutMs: 5000,
        }),
      ).rejects.toThrow('it failed');
    } finally {
      cancel();
    }
    await new Promise(r => setTimeout(r, 50));
    expect(server.openWatches).toBe(0);
  });

  it('rejects after the timeout, with its own error or one naming the object', async () => {
    await expect(
      waitForObject<Cluster>(client, REF, {
        until: () => false,
        timeoutMs: 50,
      }),
    ).rejects.toThrow('Gave up waiting for Cluster acme/prod after 0 s');
    await expect(
      waitForObject<Cluster>(client, REF, {
        until: () => false,
        timeoutMs: 50,
        timeoutError: () => new Error('too slow'),
      }),
    ).rejects.toThrow('too slow');
  });

  it('rejects when the signal aborts, and before any request when it already has', async () => {
    const controller = new AbortController();
    const cancel = later(100, () => controller.abort());
    try {
      await expect(
        waitForObject<Cluster>(client, REF, {
          until: () => false,
          timeoutMs: 5000,
          signal: controller.signal,
          abortError: () => new Error('cancelled'),
        }),
      ).rejects.toThrow('cancelled');
    } finally {
      cancel();
    }
    server.requests.length = 0;
    await expect(
      waitForObject<Cluster>(client, REF, {
        until: () => false,
        timeoutMs: 5000,
        signal: controller.signal,
      }),
    ).rejects.toThrow('Cancelled while waiting for Cluster acme/prod');
    expect(server.requests).toEqual([]);
  });

  it('rejects when the object cannot be read', async () => {
    server.failNext({ method: 'GET', path: /clusters\/prod$/, status: 403 });
    await expect(
      waitForObject<Cluster>(client, REF, {
        until: () => false,
        timeoutMs: 5000,
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });
});

async function until(predicate: () => boolean) {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 20));
  }
}

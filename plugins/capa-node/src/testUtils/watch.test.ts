import { KubernetesTestServer } from './KubernetesTestServer';

const API = 'cluster.x-k8s.io/v1beta2';
const CLUSTERS = '/apis/cluster.x-k8s.io/v1beta2/namespaces/acme/clusters';

function cluster(name: string, labels: Record<string, string> = {}) {
  return {
    apiVersion: API,
    kind: 'Cluster',
    metadata: { name, namespace: 'acme', labels },
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

interface WatchEventJson {
  type: string;
  object: any;
}

/** Reads newline-delimited watch events from a streaming fetch response. */
async function openWatch(url: string) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: WatchEventJson[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  let ended: 'end' | 'error' | undefined;
  (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let nl = buffer.indexOf('\n');
        while (nl >= 0) {
          events.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
          nl = buffer.indexOf('\n');
        }
        waiters.splice(0).forEach(w => w());
      }
      ended = 'end';
    } catch {
      ended = 'error';
    }
    waiters.splice(0).forEach(w => w());
  })();
  const waitFor = async (predicate: () => boolean, what: string) => {
    const deadline = Date.now() + 5000;
    while (!predicate()) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; events: ${JSON.stringify(
            events.map(e => e.type),
          )}`,
        );
      await new Promise<void>(resolve => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return {
    status: res.status,
    transferEncoding: res.headers.get('transfer-encoding'),
    events,
    count: (n: number) => waitFor(() => events.length >= n, `${n} events`),
    ended: () =>
      waitFor(() => ended !== undefined, 'the end of the stream').then(
        () => ended,
      ),
    close: () => controller.abort(),
  };
}

describe('KubernetesTestServer watches', () => {
  // Loading and compiling the CRD schemas takes a second or more on a cold machine.
  beforeAll(() => KubernetesTestServer.preload(), 30_000);
  let server: KubernetesTestServer;
  const watches: Array<{ close(): void }> = [];

  beforeEach(async () => {
    server = await KubernetesTestServer.start({ bookmarkIntervalMs: 60_000 });
    server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
    ]);
  });
  afterEach(async () => {
    watches.splice(0).forEach(w => w.close());
    await server.close();
  });

  async function watch(query: string) {
    const w = await openWatch(`${server.url}${CLUSTERS}?watch=1&${query}`);
    watches.push(w);
    return w;
  }

  it('streams ADDED, MODIFIED and DELETED in order, as chunked newline-delimited JSON', async () => {
    const list = await (await fetch(`${server.url}${CLUSTERS}`)).json();
    const w = await watch(`resourceVersion=${list.metadata.resourceVersion}`);
    expect(w.status).toBe(200);
    expect(w.transferEncoding).toBe('chunked');
    const ref = {
      apiVersion: API,
      kind: 'Cluster',
      namespace: 'acme',
      name: 'prod',
    };
    server.seed([cluster('prod')]);
    server.setStatus(ref, { phase: 'Provisioning' });
    server.setStatus(ref, { phase: 'Provisioned' });
    server.remove(ref);
    await w.count(4);
    expect(w.events.map(e => e.type)).toEqual([
      'ADDED',
      'MODIFIED',
      'MODIFIED',
      'DELETED',
    ]);
    expect(w.events.map(e => e.object.status?.phase)).toEqual([
      undefined,
      'Provisioning',
      'Provisioned',
      'Provisioned',
    ]);
    const rvs = w.events.map(e => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    expect(new Set(rvs).size).toBe(4);
  });

  it('starts with ADDED for every object when no resourceVersion is given', async () => {
    server.seed([cluster('a'), cluster('b')]);
    const w = await watch('');
    await w.count(2);
    expect(w.events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ]);
  });

  it('delivers no duplicates when watching from a list resourceVersion', async () => {
    server.seed([cluster('a'), cluster('b')]);
    const list = await (await fetch(`${server.url}${CLUSTERS}`)).json();
    expect(list.items).toHaveLength(2);
    const w = await watch(`resourceVersion=${list.metadata.resourceVersion}`);
    server.seed([cluster('c')]);
    await w.count(1);
    await new Promise(r => setTimeout(r, 100));
    expect(w.events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'c'],
    ]);
  });

  it('replays the changes after an older resourceVersion', async () => {
    const rv = server.resourceVersion;
    server.seed([cluster('a')]);
    server.setStatus(
      { apiVersion: API, kind: 'Cluster', namespace: 'acme', name: 'a' },
      { phase: 'Pending' },
    );
    const w = await watch(`resourceVersion=${rv}`);
    await w.count(2);
    expect(w.events.map(e => e.type)).toEqual(['ADDED', 'MODIFIED']);
  });

  it("sends bookmarks only once the watched resource changed after the watch's start, as a real apiserver", async () => {
    const w = await watch(
      `resourceVersion=${server.resourceVersion}&allowWatchBookmarks=true`,
    );
    const silent = await watch(`resourceVersion=${server.resourceVersion}`);
    // A change of another resource does not move a Cluster watch's bookmark.
    server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
    ]);
    server.sendBookmarks();
    await new Promise(r => setTimeout(r, 100));
    expect(w.events).toEqual([]);

    server.seed([cluster('a')]);
    const changedAt = server.resourceVersion;
    server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'later' } },
    ]);
    server.sendBookmarks();
    await w.count(2);
    expect(w.events[1]).toEqual({
      type: 'BOOKMARK',
      object: {
        kind: 'Cluster',
        apiVersion: API,
        // The Cluster resource's own version, not the server's latest.
        metadata: { resourceVersion: changedAt },
      },
    });
    await silent.count(1);
    await new Promise(r => setTimeout(r, 100));
    expect(silent.events.map(e => e.type)).toEqual(['ADDED']);
  });

  it('sends bookmarks periodically, and none to a watch of a quiet resource', async () => {
    const periodic = await KubernetesTestServer.start({
      bookmarkIntervalMs: 50,
    });
    const quiet = await openWatch(
      `${periodic.url}/apis/${API}/clusters?watch=true&allowWatchBookmarks=true`,
    );
    periodic.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
    ]);
    const start = periodic.resourceVersion;
    const w = await openWatch(
      `${periodic.url}/apis/${API}/clusters?watch=true&allowWatchBookmarks=true&resourceVersion=${start}`,
    );
    try {
      periodic.seed([cluster('a')]);
      await w.count(3);
      expect(w.events.slice(1).every(e => e.type === 'BOOKMARK')).toBe(true);
      // The watch from before: its ADDED, then bookmarks; a watch started after the change and
      // with nothing newer gets nothing.
      const late = await openWatch(
        `${periodic.url}/apis/${API}/namespaces/acme/clusters?watch=true&allowWatchBookmarks=true&resourceVersion=${periodic.resourceVersion}`,
      );
      await new Promise(r => setTimeout(r, 300));
      expect(late.events).toEqual([]);
      late.close();
      expect(quiet.events[0].type).toBe('ADDED');
    } finally {
      w.close();
      quiet.close();
      await periodic.close();
    }
  });

  it('ends a watch after its timeoutSeconds, and after the minimum request timeout without one', async () => {
    const short = await KubernetesTestServer.start({
      minRequestTimeoutSeconds: 0.2,
    });
    try {
      const asked = await openWatch(
        `${short.url}/apis/${API}/clusters?watch=true&timeoutSeconds=1`,
      );
      const unasked = await openWatch(
        `${short.url}/apis/${API}/clusters?watch=true`,
      );
      const started = Date.now();
      let askedEnded = false;
      asked.ended().then(() => (askedEnded = true));
      expect(await unasked.ended()).toBe('end');
      expect(askedEnded).toBe(false);
      expect(await asked.ended()).toBe('end');
      // A timer never fires early: the watch lasted the second it asked for.
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await short.close();
    }
  });

  it('answers a resourceVersion older than the history with an ERROR event carrying 410 Expired', async () => {
    const old = server.resourceVersion;
    server.seed([cluster('a')]);
    server.compact();
    const w = await watch(`resourceVersion=${old}`);
    expect(w.status).toBe(200);
    expect(await w.ended()).toBe('end');
    expect(w.events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          status: 'Failure',
          code: 410,
          reason: 'Expired',
          message: expect.stringMatching(/^too old resource version/),
        }),
      },
    ]);
    // The current resourceVersion is still fine.
    const fresh = await watch(`resourceVersion=${server.resourceVersion}`);
    server.seed([cluster('b')]);
    await fresh.count(1);
  });

  it('expires history beyond historyLimit', async () => {
    const small = await KubernetesTestServer.start({ historyLimit: 4 });
    try {
      small.seed([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
      ]);
      const old = small.resourceVersion;
      small.seed(Array.from({ length: 10 }, (_, i) => cluster(`c${i}`)));
      const w = await openWatch(
        `${small.url}${CLUSTERS}?watch=1&resourceVersion=${old}`,
      );
      await w.count(1);
      expect(w.events[0].object.code).toBe(410);
      w.close();
    } finally {
      await small.close();
    }
  });

  it('filters by label selector, turning changes in and out of the selection into ADDED and DELETED', async () => {
    const w = await watch(
      `resourceVersion=${
        server.resourceVersion
      }&labelSelector=${encodeURIComponent('tier=gold')}`,
    );
    const ref = {
      apiVersion: API,
      kind: 'Cluster',
      namespace: 'acme',
      name: 'a',
    };
    server.seed([
      cluster('a', { tier: 'silver' }),
      cluster('b', { tier: 'gold' }),
    ]);
    server.update(ref, o => ({
      ...o,
      metadata: { ...o.metadata, labels: { tier: 'gold' } },
    }));
    server.update(ref, o => ({
      ...o,
      metadata: { ...o.metadata, labels: { tier: 'bronze' } },
    }));
    await w.count(3);
    expect(w.events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'b'],
      ['ADDED', 'a'],
      ['DELETED', 'a'],
    ]);
  });

  it('drops open watch connections on request', async () => {
    const w = await watch(`resourceVersion=${server.resourceVersion}`);
    await new Promise(r => setTimeout(r, 50));
    expect(server.openWatches).toBe(1);
    expect(server.dropWatches()).toBe(1);
    expect(await w.ended()).toBe('error');
    expect(server.openWatches).toBe(0);
  });

  it('ends watches gracefully on request, and after timeoutSeconds', async () => {
    const w = await watch(`resourceVersion=${server.resourceVersion}`);
    await new Promise(r => setTimeout(r, 50));
    server.dropWatches({ graceful: true });
    expect(await w.ended()).toBe('end');
    const timed = await watch(
      `resourceVersion=${server.resourceVersion}&timeoutSeconds=1`,
    );
    expect(await timed.ended()).toBe('end');
  });

  it('serves watch events as Tables when kubectl asks for them', async () => {
    const res = await fetch(`${server.url}${CLUSTERS}?watch=1`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const reader = res.body!.getReader();
    server.seed([cluster('a')]);
    let text = '';
    while (!text.includes('\n'))
      text += new TextDecoder().decode((await reader.read()).value);
    const event = JSON.parse(text.split('\n')[0]);
    expect(event.type).toBe('ADDED');
    expect(event.object.kind).toBe('Table');
    expect(event.object.rows[0].cells[0]).toBe('a');
    await reader.cancel();
  });
});

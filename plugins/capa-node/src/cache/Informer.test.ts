import { mockServices } from '@backstage/backend-test-utils';
import { Informer, ListWatchTransport, WatchEvent } from './Informer';
import { KINDS } from '@capa-backstage/plugin-capa-common';
import { ObjectStore } from './ObjectStore';

const CLUSTERS = KINDS.Cluster;

const cluster = (name: string, rv: string, phase = 'Pending') => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: { name, namespace: 'acme', resourceVersion: rv },
  spec: {},
  status: { phase },
});

/** A scripted transport: records calls and lets the test drive each open watch. */
class ScriptedTransport implements ListWatchTransport {
  lists: Array<{ continue?: string }> = [];
  watches: Array<{
    resourceVersion: string;
    emit(e: WatchEvent): void;
    close(error?: Error): void;
    aborted: boolean;
  }> = [];
  listResponses: Array<() => Promise<any>> = [];

  async list(_kind: any, options: { limit: number; continue?: string }) {
    this.lists.push({ continue: options.continue });
    const next = this.listResponses.shift();
    if (!next) throw new Error('no scripted list response');
    return next();
  }

  async watch(
    _kind: any,
    resourceVersion: string,
    onEvent: (e: WatchEvent) => void,
    onClose: (error?: Error) => void,
  ) {
    const w = {
      resourceVersion,
      emit: onEvent,
      close: onClose,
      aborted: false,
    };
    this.watches.push(w);
    return { abort: () => (w.aborted = true) };
  }
}

const timings = {
  pageSize: 2,
  backoffInitialMs: 5,
  backoffMaxMs: 20,
  watchdogMs: 200,
  resyncMs: 60_000,
};

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 2));
  }
}

describe('Informer', () => {
  let informer: Informer | undefined;
  afterEach(() => informer?.stop());

  function setup() {
    const store = new ObjectStore('local');
    const transport = new ScriptedTransport();
    informer = new Informer(
      CLUSTERS,
      store,
      transport,
      mockServices.logger.mock(),
      timings,
    );
    return { store, transport, informer };
  }

  it('lists page by page, then watches from the list resourceVersion and applies events', async () => {
    const { store, transport, informer: i } = setup();
    transport.listResponses.push(
      async () => ({
        items: [cluster('a', '1'), cluster('b', '2')],
        resourceVersion: '10',
        continue: 'page2',
      }),
      async () => ({ items: [cluster('c', '3')], resourceVersion: '10' }),
    );
    i.start();
    await until(() => transport.watches.length === 1, 'watch');
    expect(transport.lists).toEqual([
      { continue: undefined },
      { continue: 'page2' },
    ]);
    expect(transport.watches[0].resourceVersion).toBe('10');
    expect(store.count('Cluster')).toBe(3);
    expect(i.status().synced).toBe(true);

    transport.watches[0].emit({
      type: 'MODIFIED',
      object: cluster('a', '11', 'Provisioned'),
    });
    transport.watches[0].emit({ type: 'DELETED', object: cluster('b', '12') });
    transport.watches[0].emit({ type: 'ADDED', object: cluster('d', '13') });
    transport.watches[0].emit({
      type: 'BOOKMARK',
      object: { metadata: { resourceVersion: '20' } },
    });
    expect(store.view('acme', 'a')?.phase).toBe('Provisioned');
    expect(store.view('acme', 'b')).toBeUndefined();
    expect(store.count('Cluster')).toBe(3);

    // A watch the server ends normally resumes from the last version seen (the bookmark's).
    transport.watches[0].close();
    await until(() => transport.watches.length === 2, 're-watch');
    expect(transport.watches[1].resourceVersion).toBe('20');
    expect(transport.lists).toHaveLength(2);
  });

  it('re-lists after a 410 Expired error event, replacing stale objects', async () => {
    const { store, transport, informer: i } = setup();
    transport.listResponses.push(
      async () => ({
        items: [cluster('a', '1'), cluster('gone', '2')],
        resourceVersion: '5',
      }),
      async () => ({
        items: [cluster('a', '30', 'Provisioned')],
        resourceVersion: '31',
      }),
    );
    i.start();
    await until(() => transport.watches.length === 1, 'watch');
    transport.watches[0].emit({
      type: 'ERROR',
      object: {
        kind: 'Status',
        code: 410,
        reason: 'Expired',
        message: 'too old resource version',
      },
    });
    await until(() => transport.watches.length === 2, 'watch after re-list');
    expect(transport.watches[0].aborted).toBe(true);
    expect(transport.watches[1].resourceVersion).toBe('31');
    expect(store.view('acme', 'gone')).toBeUndefined();
    expect(store.view('acme', 'a')?.phase).toBe('Provisioned');
  });

  it('reconnects with backoff after a dropped connection, without re-listing', async () => {
    const { transport, informer: i } = setup();
    transport.listResponses.push(async () => ({
      items: [],
      resourceVersion: '7',
    }));
    i.start();
    await until(() => transport.watches.length === 1, 'watch');
    transport.watches[0].emit({ type: 'ADDED', object: cluster('a', '8') });
    transport.watches[0].close(
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    );
    expect(i.status().error).toBe('socket hang up');
    await until(() => transport.watches.length === 2, 're-watch');
    expect(transport.watches[1].resourceVersion).toBe('8');
    expect(transport.lists).toHaveLength(1);
  });

  it('keeps retrying a failing list and reports a missing CRD', async () => {
    const { transport, informer: i } = setup();
    transport.listResponses.push(
      async () =>
        Promise.reject(
          Object.assign(
            new Error('the server could not find the requested resource'),
            { statusCode: 404 },
          ),
        ),
      async () => ({ items: [cluster('a', '1')], resourceVersion: '2' }),
    );
    i.start();
    await until(
      () => transport.lists.length === 2 && transport.watches.length === 1,
      'list retry',
    );
    expect(i.status()).toMatchObject({
      synced: true,
      missing: false,
      error: undefined,
    });
  });

  it('marks a kind missing while its list answers 404', async () => {
    const { transport, informer: i } = setup();
    for (let n = 0; n < 50; n++) {
      transport.listResponses.push(async () =>
        Promise.reject(
          Object.assign(new Error('not found'), { statusCode: 404 }),
        ),
      );
    }
    i.start();
    await until(() => transport.lists.length >= 2, 'a retry');
    expect(i.status()).toMatchObject({
      synced: false,
      missing: true,
      error: expect.stringMatching(/not served \(CRD not installed\)/),
    });
  });

  it('restarts a watch that stays silent past the watchdog', async () => {
    const { transport, informer: i } = setup();
    transport.listResponses.push(async () => ({
      items: [],
      resourceVersion: '3',
    }));
    i.start();
    await until(() => transport.watches.length === 1, 'watch');
    await until(() => transport.watches.length === 2, 'watchdog restart');
    expect(transport.watches[0].aborted).toBe(true);
    // Events of the aborted watch no longer count.
    transport.watches[0].emit({ type: 'ADDED', object: cluster('late', '4') });
    transport.watches[0].close(new Error('aborted'));
    expect(transport.watches).toHaveLength(2);
  });

  it('stops cleanly', async () => {
    const { transport, informer: i } = setup();
    transport.listResponses.push(async () => ({
      items: [],
      resourceVersion: '3',
    }));
    i.start();
    await until(() => transport.watches.length === 1, 'watch');
    i.stop();
    expect(transport.watches[0].aborted).toBe(true);
    transport.watches[0].close(new Error('aborted'));
    await new Promise(r => setTimeout(r, 30));
    expect(transport.watches).toHaveLength(1);
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import { cacheSourceOf } from '../cache/service';
import { KubernetesTestServer } from '../testUtils';
import { loadClientNode } from './loadClientNode';
import { ManagementClusters } from './ManagementClusters';

const TOKEN = 'metadata-token-51c2';
const ADMIN_TOKEN = 'k8s-aws-v1.ADMIN-NEVER-LISTED';
const SECRETS = '/api/v1/namespaces/acme/secrets';
const LIST_AS =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const ONE_AS = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

function secret(name: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: 'acme',
      labels: { 'cluster.x-k8s.io/cluster-name': 'prod' },
    },
    data: { value: Buffer.from(`token: ${ADMIN_TOKEN}`).toString('base64') },
  } as KubernetesObject;
}

describe('metadata-only lists and watches', () => {
  beforeAll(async () => {
    KubernetesTestServer.preload();
    await loadClientNode();
  }, 60_000);
  let server: KubernetesTestServer;
  beforeEach(async () => {
    server = await KubernetesTestServer.start({ token: TOKEN });
    server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
      secret('prod-kubeconfig'),
    ]);
  });
  afterEach(() => server.close());

  const get = (path: string, accept: string) =>
    fetch(`${server.url}${path}`, {
      headers: { accept, authorization: `Bearer ${TOKEN}` },
    });

  it('the test server answers PartialObjectMetadata as the apiserver does', async () => {
    const list = await (await get(SECRETS, LIST_AS)).json();
    expect(list).toMatchObject({
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: expect.any(String) },
      items: [
        {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { name: 'prod-kubeconfig', namespace: 'acme' },
        },
      ],
    });
    expect(list.items[0].data).toBeUndefined();
    expect(JSON.stringify(list)).not.toContain(
      (secret('x') as { data?: { value: string } }).data!.value,
    );
    const one = await (await get(`${SECRETS}/prod-kubeconfig`, ONE_AS)).json();
    expect(one).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 'prod-kubeconfig' },
    });
    expect(one.data).toBeUndefined();
    // The form that does not fit the answer is refused, not ignored.
    const wrong = await get(SECRETS, ONE_AS);
    expect(wrong.status).toBe(406);
    expect((await wrong.json()).message).toBe(
      'you requested PartialObjectMetadata, but the requested object is a list (*core.SecretList)',
    );
    expect((await get(`${SECRETS}/prod-kubeconfig`, LIST_AS)).status).toBe(406);
    // Plain JSON asked for first is the whole object; so is a version of the form not served.
    const whole = await (
      await get(SECRETS, `application/json,${LIST_AS}`)
    ).json();
    expect(whole.kind).toBe('SecretList');
    expect(whole.items[0].data).toBeDefined();
    const beta = await (
      await get(
        SECRETS,
        'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta2,application/json',
      )
    ).json();
    expect(beta.kind).toBe('SecretList');
    // A Table asked for first is a Table.
    const table = await (
      await get(
        SECRETS,
        `application/json;as=Table;g=meta.k8s.io;v=v1,${LIST_AS}`,
      )
    ).json();
    expect(table.kind).toBe('Table');
  });

  it('a watch converts its events to the single-object form only', async () => {
    const firstEvent = async (accept: string) => {
      const controller = new AbortController();
      const res = await fetch(`${server.url}${SECRETS}?watch=true`, {
        headers: { accept, authorization: `Bearer ${TOKEN}` },
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('\n'))
        text += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      return JSON.parse(text.slice(0, text.indexOf('\n'))).object;
    };
    const converted = await firstEvent(`${ONE_AS},application/json`);
    expect(converted.kind).toBe('PartialObjectMetadata');
    expect(converted.data).toBeUndefined();
    // The list form does not fit an event: the apiserver sends the object as it is.
    const whole = await firstEvent(LIST_AS);
    expect(whole.kind).toBe('Secret');
    expect(whole.data).toBeDefined();
  });

  it("the cache's source lists and watches Secrets as metadata: their data never arrives", async () => {
    const client = ManagementClusters.fromConfig(
      new ConfigReader({
        capa: {
          managementClusters: [{ name: 'mgmt', url: server.url, token: TOKEN }],
        },
      }),
      { logger: mockServices.logger.mock() },
    ).get('mgmt');
    const source = cacheSourceOf('mgmt', client, { watchTimeoutSeconds: 30 });
    const kind = { apiVersion: 'v1', kind: 'Secret' } as any;
    const page = await source.list(kind, { limit: 500 });
    expect(page.items).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: expect.objectContaining({
          name: 'prod-kubeconfig',
          namespace: 'acme',
        }),
      },
    ]);

    const events: unknown[] = [];
    const watch = await source.watch(
      kind,
      page.resourceVersion,
      e => events.push(e),
      () => {},
    );
    try {
      server.seed([secret('prod-user-kubeconfig')]);
      const deadline = Date.now() + 5000;
      while (!events.length && Date.now() < deadline)
        await new Promise(r => setTimeout(r, 20));
      expect(events).toEqual([
        {
          type: 'ADDED',
          object: {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: expect.objectContaining({
              name: 'prod-user-kubeconfig',
            }),
          },
        },
      ]);
    } finally {
      watch.abort();
    }
    const secretRequests = server.requests.filter(r =>
      r.path.endsWith('/secrets'),
    );
    expect(secretRequests.map(r => [r.query.watch, r.accept])).toEqual([
      [undefined, `${LIST_AS},application/json`],
      ['true', `${ONE_AS},application/json`],
    ]);
  });
});

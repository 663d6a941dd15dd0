import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import http from 'http';
import net from 'net';
import { KubernetesTestServer } from '../testUtils';
import { EKS_TOKEN_PREFIX } from './eksToken';
import { loadClientNode } from './loadClientNode';
import { ManagementClusters } from './ManagementClusters';

const TOKEN = 'timeouts-test-token';
const NAMESPACES = { apiVersion: 'v1', kind: 'Namespace' };

/** Resolves with how long `promise` took to settle, and its rejection (undefined if it resolved). */
async function timed(promise: Promise<unknown>) {
  const start = Date.now();
  const error = await promise.then(
    () => undefined,
    e => e as Error,
  );
  return { error, ms: Date.now() - start };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * A local STS that accepts every connection and, while `hang` is set, never answers; otherwise it
 * answers AssumeRole.
 */
class HangingSts {
  hang = true;
  requests = 0;
  private readonly server = http.createServer((req, res) => {
    this.requests++;
    req.resume();
    if (this.hang) return;
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAASSUMED</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>${new Date(
          Date.now() + 3600_000,
        ).toISOString()}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:x</AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role/capa/x</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    });
  });

  async start(): Promise<string> {
    await new Promise<void>(r => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${
      (this.server.address() as net.AddressInfo).port
    }`;
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise(r => this.server.close(r));
  }
}

/** A TCP server that accepts connections and never says anything: a TLS handshake never ends. */
async function silentTcpServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(s => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise(r => server.close(r));
    },
  };
}

function clustersFor(entries: object[], options: object = {}) {
  return ManagementClusters.fromConfig(
    new ConfigReader({ capa: { managementClusters: entries } }),
    { logger: mockServices.logger.mock(), ...options },
  );
}

describe('timeouts and cancellation of management cluster calls', () => {
  beforeAll(async () => {
    KubernetesTestServer.preload();
    await loadClientNode();
  }, 60_000);
  let server: KubernetesTestServer;
  const client = (timeouts: object = { request: '2s' }) =>
    clustersFor([
      { name: 'mgmt', url: server.url, token: TOKEN, timeouts },
    ]).get('mgmt');
  beforeEach(async () => {
    server = await KubernetesTestServer.start({ token: TOKEN });
  });
  afterEach(() => server.close());

  describe('a hanging STS', () => {
    let sts: HangingSts;
    let eks: KubernetesTestServer;
    beforeEach(async () => {
      sts = new HangingSts();
      eks = await KubernetesTestServer.start({
        authenticate: h => Boolean(h?.startsWith(`Bearer ${EKS_TOKEN_PREFIX}`)),
      });
    });
    afterEach(async () => {
      await sts.close();
      await eks.close();
    });

    it('bounds the EKS token by the request timeout, and the next call gets a fresh token', async () => {
      const endpoint = await sts.start();
      const mc = clustersFor(
        [
          {
            name: 'eks',
            url: eks.url,
            eks: {
              clusterName: 'mgmt',
              region: 'eu-west-1',
              roleArn: 'arn:aws:iam::111122223333:role/capa',
            },
            timeouts: { connect: '200ms', request: '600ms' },
          },
        ],
        {
          credentialsManager: {
            getCredentialProvider: async () => ({
              sdkCredentialProvider: async () => ({
                accessKeyId: 'AKIDBASE',
                secretAccessKey: 'base-secret',
              }),
            }),
          },
          stsClientConfig: { endpoint },
        },
      ).get('eks');
      const { error, ms } = await timed(mc.list(NAMESPACES));
      expect(ms).toBeLessThan(2000);
      expect(error?.name).toBe('ServiceUnavailableError');
      expect(error?.message).toMatch(
        /^management cluster "eks": cannot (list Namespace objects: its credentials \(EKS token or kubeconfig credential plugin\) did not come within the request timeout \(0\.6 s\)|make an EKS token for cluster mgmt in eu-west-1: AWS \(STS or the credential source\) did not answer within the request timeout)$/,
      );
      expect(sts.requests).toBeGreaterThanOrEqual(1);
      expect(eks.requests).toHaveLength(0);

      // STS is back: the next call does not wait on the abandoned attempt.
      sts.hang = false;
      await sleep(100);
      const list = await mc.list(NAMESPACES);
      expect(list.items).toEqual([]);
      expect(eks.requests.length).toBeGreaterThanOrEqual(1);
    });
  });

  describe('a hanging API server', () => {
    it('gives up on a watch the server never accepts', async () => {
      server.delay(Infinity, {
        method: 'GET',
        path: /^\/api\/v1\/namespaces$/,
      });
      const onClose = jest.fn();
      const { error, ms } = await timed(
        client({ request: '500ms' }).watch(
          NAMESPACES,
          {},
          { onEvent: () => {}, onClose },
        ),
      );
      expect(ms).toBeLessThan(2000);
      expect(error?.name).toBe('ServiceUnavailableError');
      expect(error?.message).toBe(
        'management cluster "mgmt" is unreachable (timeout) while trying to watch Namespace objects',
      );
      expect(onClose).not.toHaveBeenCalled();
    });

    it('gives up on a connection that is never established, after the connect timeout', async () => {
      const silent = await silentTcpServer();
      try {
        const mc = clustersFor([
          {
            name: 'silent',
            url: `https://127.0.0.1:${silent.port}`,
            token: TOKEN,
            dangerouslySkipTLSVerify: true,
            timeouts: { connect: '300ms', request: '20s' },
          },
        ]).get('silent');
        const { error, ms } = await timed(mc.list(NAMESPACES));
        expect(ms).toBeLessThan(2000);
        expect(error?.message).toBe(
          'management cluster "silent" is unreachable (connect timeout) while trying to list Namespace objects',
        );
        const watch = await timed(
          mc.watch(NAMESPACES, {}, { onEvent: () => {}, onClose: () => {} }),
        );
        expect(watch.ms).toBeLessThan(2000);
        expect(watch.error?.message).toMatch(/unreachable \(connect timeout\)/);
      } finally {
        await silent.close();
      }
    });
  });

  describe('cancellation', () => {
    it('ends a call in flight when its signal aborts, and sends nothing after', async () => {
      server.seed([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
      ]);
      server.delay(Infinity, {
        method: 'GET',
        path: /^\/api\/v1\/namespaces\//,
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const { error, ms } = await timed(
        client({ request: '20s' }).apply(
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'acme', labels: { a: 'b' } },
          },
          { signal: controller.signal },
        ),
      );
      expect(ms).toBeLessThan(1000);
      expect(error?.name).toBe('CancelledError');
      expect(error?.message).toBe(
        'management cluster "mgmt": cannot apply Namespace acme: cancelled; nothing more is sent to the management cluster',
      );
      const seen = server.requests.length;
      server.delay(0);
      await sleep(300);
      // The read in flight was the last request: no PATCH followed it.
      expect(server.requests).toHaveLength(seen);
      expect(server.requests.some(r => r.method === 'PATCH')).toBe(false);
    });

    it('binds a signal to every call of a client view, before and during watches', async () => {
      const controller = new AbortController();
      const bound = client().withSignal(controller.signal);
      const onClose = jest.fn();
      await bound.watch(NAMESPACES, {}, { onEvent: () => {}, onClose });
      expect(server.openWatches).toBe(1);
      controller.abort();
      await sleep(100);
      // The watch ends as stop() ends it: the server sees the connection go, onClose is not called.
      expect(server.openWatches).toBe(0);
      expect(onClose).not.toHaveBeenCalled();
      const before = server.requests.length;
      const { error } = await timed(
        bound.find({ ...NAMESPACES, name: 'acme' }),
      );
      expect(error?.name).toBe('CancelledError');
      expect(server.requests).toHaveLength(before);
      // The client itself is not bound.
      await expect(
        client().find({ ...NAMESPACES, name: 'acme' }),
      ).resolves.toBeUndefined();
    });
  });
});

import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { renderTenant } from '@capa-backstage/plugin-capa-common';
import { loadCrds } from '@capa-backstage/plugin-capa-common/testUtils';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { KubernetesTestServer } from '../testUtils';
import { ResourceExpiredError } from './errors';
import { EKS_TOKEN_PREFIX } from './eksToken';
import { loadClientNode } from './loadClientNode';
import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import type { WatchEvent } from './types';
import {
  ManagementClusters,
  ManagementClustersOptions,
} from './ManagementClusters';

const TOKEN = 'test-token-3f9a';
const TENANT = renderTenant({
  name: 'acme',
  owner: 'group:default/team-acme',
  aws: { accountId: '111122223333', externalId: 'acme-ext-7f3c' },
}).objects as unknown as KubernetesObject[];
const [NAMESPACE, IDENTITY] = TENANT;
const IDENTITY_REF = {
  apiVersion: IDENTITY.apiVersion,
  kind: IDENTITY.kind,
  name: 'acme',
};
const CLUSTER_API = 'cluster.x-k8s.io/v1beta2';

function cluster(
  name: string,
  extra: Record<string, unknown> = {},
): KubernetesObject {
  return {
    apiVersion: CLUSTER_API,
    kind: 'Cluster',
    metadata: { name, namespace: 'acme', ...extra },
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

function clustersFor(
  entries: object[],
  options: Partial<ManagementClustersOptions> = {},
) {
  return ManagementClusters.fromConfig(
    new ConfigReader({ capa: { managementClusters: entries } }),
    {
      logger: mockServices.logger.mock(),
      ...options,
    },
  );
}

async function unusedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>(resolve => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise(resolve => s.close(resolve));
  return port;
}

async function until(predicate: () => boolean, what: string) {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('ManagementClusterClient', () => {
  // The first load of client-node goes through Jest's transform (several seconds on a cold
  // cache), and the CRD schemas take a second to compile: both are paid here, not in a test.
  beforeAll(async () => {
    KubernetesTestServer.preload();
    await loadClientNode();
  }, 60_000);
  let server: KubernetesTestServer;
  const client = (options: Partial<ManagementClustersOptions> = {}) =>
    clustersFor([{ name: 'mgmt', url: server.url, token: TOKEN }], options).get(
      'mgmt',
    );

  beforeEach(async () => {
    server = await KubernetesTestServer.start({ token: TOKEN });
  });
  afterEach(async () => {
    await server.close();
  });

  describe('apply', () => {
    it('reports created, then unchanged, then configured, with server-side apply at the HTTP level', async () => {
      const mc = client();
      expect((await mc.apply(NAMESPACE)).action).toBe('created');
      const created = await mc.apply(IDENTITY);
      expect(created).toMatchObject({
        action: 'created',
        dryRun: false,
        kind: 'AWSClusterRoleIdentity',
        name: 'acme',
      });
      expect(created.object.metadata.resourceVersion).toEqual(
        expect.any(String),
      );

      const patch = server.requests.filter(r => r.method === 'PATCH').pop()!;
      expect(patch).toMatchObject({
        path: '/apis/infrastructure.cluster.x-k8s.io/v1beta2/awsclusterroleidentities/acme',
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: 'backstage-capa', force: 'false' },
      });
      expect(patch.query.dryRun).toBeUndefined();

      const again = await mc.apply(IDENTITY);
      expect(again.action).toBe('unchanged');
      expect(again.object.metadata.resourceVersion).toBe(
        created.object.metadata.resourceVersion,
      );

      const changed = structuredClone(IDENTITY);
      (changed.spec as any).durationSeconds = 1800;
      expect((await mc.apply(changed)).action).toBe('configured');
      expect(server.getObject(IDENTITY_REF)!.spec).toMatchObject({
        durationSeconds: 1800,
      });
    });

    it('applies namespaced objects and returns plain JSON for built-in kinds', async () => {
      const mc = client();
      await mc.apply(NAMESPACE);
      const result = await mc.apply(cluster('prod'));
      expect(result).toMatchObject({
        action: 'created',
        namespace: 'acme',
        name: 'prod',
      });
      const ns = await mc.get({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'acme',
      });
      expect(typeof ns.metadata.creationTimestamp).toBe('string');
    });

    it('stores nothing on a dry run and still tells created, unchanged and configured apart', async () => {
      const mc = client();
      const dry = await mc.apply(IDENTITY, { dryRun: true });
      expect(dry).toMatchObject({ action: 'created', dryRun: true });
      expect(server.getObject(IDENTITY_REF)).toBeUndefined();
      expect(
        server.requests.filter(r => r.method === 'PATCH').pop()!.query,
      ).toMatchObject({ dryRun: 'All', fieldManager: 'backstage-capa' });

      await mc.apply(IDENTITY);
      const rv = server.getObject(IDENTITY_REF)!.metadata.resourceVersion;
      expect((await mc.apply(IDENTITY, { dryRun: true })).action).toBe(
        'unchanged',
      );
      const changed = structuredClone(IDENTITY);
      (changed.spec as any).sessionName = 'renamed';
      expect((await mc.apply(changed, { dryRun: true })).action).toBe(
        'configured',
      );
      expect(server.getObject(IDENTITY_REF)!.metadata.resourceVersion).toBe(rv);
      expect(
        (server.getObject(IDENTITY_REF)!.spec as any).sessionName,
      ).toBeUndefined();
    });

    it('names the field manager that owns conflicting fields, and force takes them over', async () => {
      const mc = client();
      const other = structuredClone(IDENTITY);
      (other.spec as any).roleARN =
        'arn:aws:iam::444455556666:role/someone-else';
      server.seed([other], { fieldManager: 'kubectl-edit' });
      const error = await mc.apply(IDENTITY).catch(e => e);
      expect(error.name).toBe('ConflictError');
      expect(error.message).toBe(
        'management cluster "mgmt": cannot apply AWSClusterRoleIdentity acme: conflict: field manager "kubectl-edit" owns .spec.roleARN. Apply with force to take these fields over, or change them through their owner',
      );
      const forced = await mc.apply(IDENTITY, { force: true });
      expect(forced.action).toBe('configured');
      expect(
        server.requests.filter(r => r.method === 'PATCH').pop()!.query.force,
      ).toBe('true');
      expect((server.getObject(IDENTITY_REF)!.spec as any).roleARN).toContain(
        '111122223333',
      );
    });

    it('applies as another field manager, which owns only the fields it sent', async () => {
      const mc = client();
      await mc.apply(NAMESPACE);
      await mc.apply(cluster('prod'));
      const partial = {
        apiVersion: CLUSTER_API,
        kind: 'Cluster',
        metadata: { name: 'prod', namespace: 'acme' },
        spec: { paused: true },
      };
      const result = await mc.apply(partial, {
        fieldManager: 'backstage-capa-test',
      });
      expect(result.action).toBe('configured');
      const patch = server.requests.filter(r => r.method === 'PATCH').pop()!;
      expect(patch.query).toMatchObject({
        fieldManager: 'backstage-capa-test',
        force: 'false',
      });
      expect(patch.body).toEqual(partial);
      const stored = server.getObject({ ...partial, ...partial.metadata })!;
      const managers = (
        stored.metadata.managedFields as Array<{
          manager: string;
          fieldsV1: { 'f:spec': Record<string, unknown> };
        }>
      ).map(m => [m.manager, Object.keys(m.fieldsV1['f:spec'])]);
      expect(managers).toEqual([
        [
          'backstage-capa',
          ['f:clusterNetwork', 'f:controlPlaneRef', 'f:infrastructureRef'],
        ],
        ['backstage-capa-test', ['f:paused']],
      ]);
      // The default manager's next apply keeps the other manager's field.
      expect((await mc.apply(cluster('prod'))).action).toBe('unchanged');
      expect(
        (server.getObject({ ...partial, ...partial.metadata })!.spec as any)
          .paused,
      ).toBe(true);
    });

    it('refuses an unusable field manager before sending anything', async () => {
      const error = await client()
        .apply(NAMESPACE, { fieldManager: ' bad\nname' })
        .catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toBe(
        'management cluster "mgmt": cannot apply Namespace acme: the field manager must be 1-128 printable ASCII characters',
      );
      await expect(
        client().apply(NAMESPACE, { fieldManager: 'x'.repeat(129) }),
      ).rejects.toThrow('1-128 printable ASCII');
      expect(server.requests).toHaveLength(0);
    });

    it('turns 422 into an InputError listing the causes', async () => {
      const bad = structuredClone(IDENTITY);
      delete (bad.spec as any).roleARN;
      (bad.spec as any).durationSeconds = 'long';
      const error = await client()
        .apply(bad)
        .catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toContain(
        'management cluster "mgmt": cannot apply AWSClusterRoleIdentity acme: the API server rejected it as invalid (422)',
      );
      expect(error.message).toContain('\n- spec.roleARN: Required value');
      expect(error.message).toContain('\n- spec.durationSeconds:');
    });

    it('reports a field the CRD does not declare as an input error, though a real server answers 500', async () => {
      const bad = structuredClone(IDENTITY);
      (bad.spec as any).allowedNamespace = {};
      const error = await client()
        .apply(bad)
        .catch(e => e);
      const answer = server.requests.find(r => r.method === 'PATCH');
      expect(answer?.status).toBe(500);
      expect(answer?.query.fieldValidation).toBe('Strict');
      expect(error.name).toBe('InputError');
      expect(error.message).toBe(
        'management cluster "mgmt": cannot apply AWSClusterRoleIdentity acme: the API server rejected it, as its CRD does not declare these fields:\n- spec.allowedNamespace: field not declared in schema\nCheck the field, or that the management cluster runs the CRD version this portal renders (v1beta2)',
      );
    });

    it('says which namespace is missing', async () => {
      const error = await client()
        .apply(cluster('prod'))
        .catch(e => e);
      expect(error.name).toBe('NotFoundError');
      expect(error.message).toBe(
        'management cluster "mgmt": cannot apply Cluster acme/prod: namespace acme does not exist',
      );
    });

    it('refuses a namespaced object without a namespace before sending anything', async () => {
      const obj = cluster('prod');
      delete obj.metadata.namespace;
      await expect(client().apply(obj)).rejects.toThrow(
        'it is namespaced and has no namespace',
      );
      expect(server.requests.some(r => r.method === 'PATCH')).toBe(false);
    });
  });

  describe('errors', () => {
    it('maps 401 to AuthenticationError without the token', async () => {
      const mc = clustersFor([
        { name: 'mgmt', url: server.url, token: 'wrong-token-value' },
      ]).get('mgmt');
      const error = await mc
        .list({ apiVersion: 'v1', kind: 'Namespace' })
        .catch(e => e);
      expect(error.name).toBe('AuthenticationError');
      expect(error.message).toMatch(
        /^management cluster "mgmt": cannot list Namespace objects: the API server rejected the credentials \(401 Unauthorized\)/,
      );
      expect(error.message).not.toContain('wrong-token-value');
      expect(JSON.stringify(error)).not.toContain('wrong-token-value');
    });

    it('maps 403 to NotAllowedError with the server message', async () => {
      server.failNext({
        path: /awsclusterroleidentities\/acme$/,
        status: 403,
        message:
          'awsclusterroleidentities.infrastructure.cluster.x-k8s.io "acme" is forbidden: User "system:serviceaccount:backstage:backstage" cannot get resource',
      });
      const error = await client()
        .get(IDENTITY_REF)
        .catch(e => e);
      expect(error.name).toBe('NotAllowedError');
      expect(error.message).toContain(
        'management cluster "mgmt": cannot get AWSClusterRoleIdentity acme: forbidden (403): awsclusterroleidentities',
      );
    });

    it('maps a missing object to NotFoundError, and find() to undefined', async () => {
      const mc = client();
      const error = await mc.get(IDENTITY_REF).catch(e => e);
      expect(error.name).toBe('NotFoundError');
      expect(error.message).toBe(
        'management cluster "mgmt": AWSClusterRoleIdentity acme does not exist',
      );
      expect(await mc.find(IDENTITY_REF)).toBeUndefined();
    });

    it('maps 5xx to ServiceUnavailableError, never passing the Status object through', async () => {
      server.failNext({
        path: /clusters$/,
        status: 500,
        message: 'etcdserver: request timed out',
      });
      const error = await client()
        .list({ apiVersion: CLUSTER_API, kind: 'Cluster', namespace: 'acme' })
        .catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toBe(
        'management cluster "mgmt": cannot list Cluster objects in namespace acme: the API server failed (500 InternalError): etcdserver: request timed out',
      );
      expect(error.message).not.toContain('"kind":"Status"');
    });

    it('says a management cluster that refuses connections is unreachable', async () => {
      const port = await unusedPort();
      const mc = clustersFor([
        { name: 'down', url: `http://127.0.0.1:${port}`, token: TOKEN },
      ]).get('down');
      const error = await mc
        .list({ apiVersion: 'v1', kind: 'Namespace' })
        .catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toBe(
        'management cluster "down" is unreachable (ECONNREFUSED) while trying to list Namespace objects',
      );
    });

    it('times out on a server that never answers', async () => {
      server.delay(Infinity);
      const error = await client({ requestTimeoutMs: 300 })
        .get(IDENTITY_REF)
        .catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toBe(
        'management cluster "mgmt" is unreachable (timeout) while trying to get AWSClusterRoleIdentity acme',
      );
    });

    it('says CAPA or CAPI is not installed when discovery does not serve the kind', async () => {
      const bare = await KubernetesTestServer.start({ crds: [] });
      const capiOnly = await KubernetesTestServer.start({
        crds: loadCrds().filter(c => c.spec.group === 'cluster.x-k8s.io'),
      });
      try {
        const clusters = clustersFor([
          { name: 'bare', url: bare.url, token: TOKEN },
          { name: 'capi-only', url: capiOnly.url, token: TOKEN },
        ]);
        const noCapi = await clusters
          .get('bare')
          .apply(cluster('prod'))
          .catch(e => e);
        expect(noCapi.name).toBe('NotFoundError');
        expect(noCapi.message).toMatch(
          /^CAPI is not installed on management cluster "bare": it does not serve cluster\.x-k8s\.io\/v1beta2 Cluster/,
        );
        const noCapa = await clusters
          .get('capi-only')
          .apply(IDENTITY)
          .catch(e => e);
        expect(noCapa.message).toMatch(
          /^CAPA is not installed on management cluster "capi-only": it does not serve infrastructure\.cluster\.x-k8s\.io\/v1beta2 AWSClusterRoleIdentity/,
        );
        const watchError = await clusters
          .get('capi-only')
          .watch(
            {
              apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
              kind: 'AWSManagedControlPlane',
            },
            {},
            { onEvent: () => {}, onClose: () => {} },
          )
          .catch(e => e);
        expect(watchError.message).toMatch(
          /^CAPA is not installed on management cluster "capi-only"/,
        );
      } finally {
        await bare.close();
        await capiOnly.close();
      }
    });
  });

  describe('checkCapaInstalled', () => {
    it('finds everything on a management cluster with the CRDs', async () => {
      expect(await client().checkCapaInstalled()).toEqual({
        installed: true,
        capi: true,
        capa: true,
        missing: [],
      });
    });

    it('lists what is missing without the CRDs, and still fails on 401', async () => {
      const bare = await KubernetesTestServer.start({ crds: [], token: TOKEN });
      const capiOnly = await KubernetesTestServer.start({
        crds: loadCrds().filter(c => c.spec.group === 'cluster.x-k8s.io'),
      });
      try {
        const clusters = clustersFor([
          { name: 'bare', url: bare.url, token: TOKEN },
          { name: 'capi-only', url: capiOnly.url, token: TOKEN },
          { name: 'wrong-token', url: bare.url, token: 'nope-nope' },
        ]);
        const report = await clusters.get('bare').checkCapaInstalled();
        expect(report).toMatchObject({
          installed: false,
          capi: false,
          capa: false,
        });
        expect(report.missing).toContain('cluster.x-k8s.io/v1beta2 Cluster');
        expect(report.missing).toContain(
          'infrastructure.cluster.x-k8s.io/v1beta2 AWSClusterRoleIdentity',
        );
        expect(report.message).toMatch(
          /^CAPI \(Cluster API\) and CAPA \(Cluster API Provider AWS\) are not installed on management cluster "bare"/,
        );
        const partial = await clusters.get('capi-only').checkCapaInstalled();
        expect(partial).toMatchObject({
          installed: false,
          capi: true,
          capa: false,
        });
        expect(partial.message).toMatch(
          /^CAPA \(Cluster API Provider AWS\) is not installed on management cluster "capi-only"/,
        );
        await expect(
          clusters.get('wrong-token').checkCapaInstalled(),
        ).rejects.toMatchObject({ name: 'AuthenticationError' });
      } finally {
        await bare.close();
        await capiOnly.close();
      }
    });
  });

  describe('list, get and delete', () => {
    it('lists with label selectors and pages through continue tokens', async () => {
      server.seed(
        Array.from({ length: 5 }, (_, i) =>
          cluster(`c${i}`, { labels: { tier: i < 3 ? 'gold' : 'silver' } }),
        ),
      );
      const mc = client();
      const gold = await mc.list(
        { apiVersion: CLUSTER_API, kind: 'Cluster', namespace: 'acme' },
        { labelSelector: 'tier=gold' },
      );
      expect(gold.items.map(i => i.metadata.name)).toEqual(['c0', 'c1', 'c2']);
      expect(gold.resourceVersion).toBe(server.resourceVersion);
      const page1 = await mc.list(
        { apiVersion: CLUSTER_API, kind: 'Cluster' },
        { limit: 2 },
      );
      expect(page1).toMatchObject({
        remainingItemCount: 3,
        continue: expect.any(String),
      });
      const page2 = await mc.list(
        { apiVersion: CLUSTER_API, kind: 'Cluster' },
        { limit: 2, continue: page1.continue },
      );
      const page3 = await mc.list(
        { apiVersion: CLUSTER_API, kind: 'Cluster' },
        { limit: 2, continue: page2.continue },
      );
      expect(
        [...page1.items, ...page2.items, ...page3.items].map(
          i => i.metadata.name,
        ),
      ).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
      expect(page3.continue).toBeUndefined();
      expect(
        server.requests
          .filter(r => r.path.endsWith('/clusters'))
          .map(r => r.query.limit),
      ).toEqual([undefined, '2', '2', '2']);
      const namespaces = await mc.list({ apiVersion: 'v1', kind: 'Namespace' });
      expect(namespaces.items[0]).toMatchObject({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'acme' },
      });
    });

    it('turns an expired continue token into ResourceExpiredError', async () => {
      server.seed([cluster('a'), cluster('b')]);
      const mc = client();
      const page1 = await mc.list(
        { apiVersion: CLUSTER_API, kind: 'Cluster' },
        { limit: 1 },
      );
      server.compact();
      const error = await mc
        .list(
          { apiVersion: CLUSTER_API, kind: 'Cluster' },
          { limit: 1, continue: page1.continue },
        )
        .catch(e => e);
      expect(ResourceExpiredError.is(error)).toBe(true);
    });

    it('deletes, reporting objects that finalizers keep', async () => {
      server.seed([
        cluster('plain'),
        cluster('kept', { finalizers: ['cluster.cluster.x-k8s.io'] }),
      ]);
      const mc = client();
      const ref = (name: string) => ({
        apiVersion: CLUSTER_API,
        kind: 'Cluster',
        namespace: 'acme',
        name,
      });
      expect(await mc.delete(ref('plain'))).toBe('deleted');
      expect(await mc.delete(ref('kept'))).toBe('deleting');
      expect((await mc.get(ref('kept'))).metadata.deletionTimestamp).toEqual(
        expect.any(String),
      );
      await expect(mc.delete(ref('plain'))).rejects.toMatchObject({
        name: 'NotFoundError',
        message:
          'management cluster "mgmt": cannot delete Cluster acme/plain: it does not exist',
      });
      expect(await mc.delete(ref('kept'), { dryRun: true })).toBe('deleting');
    });
  });

  describe('watch', () => {
    const type = {
      apiVersion: CLUSTER_API,
      kind: 'Cluster',
      namespace: 'acme',
    };

    it('delivers events in order from a list resourceVersion, with bookmarks', async () => {
      server.seed([cluster('a')]);
      const mc = client();
      const list = await mc.list(type);
      const events: WatchEvent[] = [];
      const onClose = jest.fn();
      const handle = await mc.watch(
        type,
        { resourceVersion: list.resourceVersion },
        { onEvent: e => events.push(e), onClose },
      );
      server.seed([cluster('b')]);
      server.setStatus({ ...type, name: 'b' }, { phase: 'Provisioning' });
      server.sendBookmarks();
      await until(() => events.length >= 3, 'three events');
      expect(events.map(e => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'b'],
        ['MODIFIED', 'b'],
        ['BOOKMARK', undefined],
      ]);
      expect(events[2].object.metadata.resourceVersion).toBe(
        server.resourceVersion,
      );
      const watchRequest = server.requests.find(r => r.query.watch)!;
      expect(watchRequest.query).toMatchObject({
        watch: 'true',
        allowWatchBookmarks: 'true',
        resourceVersion: list.resourceVersion,
      });
      handle.stop();
      await until(() => server.openWatches === 0, 'the watch to close');
      expect(onClose).not.toHaveBeenCalled();
    });

    it('closes with ResourceExpiredError when the resourceVersion is too old', async () => {
      const old = server.resourceVersion;
      server.seed([cluster('a')]);
      server.compact();
      const onClose = jest.fn();
      await client().watch(
        type,
        { resourceVersion: old },
        { onEvent: () => {}, onClose },
      );
      await until(() => onClose.mock.calls.length > 0, 'onClose');
      expect(ResourceExpiredError.is(onClose.mock.calls[0][0])).toBe(true);
      expect(onClose).toHaveBeenCalledTimes(1);
    });

    it('reports a dropped connection, and a clean end without an error', async () => {
      const mc = client();
      const dropped = jest.fn();
      const ended = jest.fn();
      await mc.watch(
        type,
        { resourceVersion: server.resourceVersion },
        { onEvent: () => {}, onClose: dropped },
      );
      await until(() => server.openWatches === 1, 'the watch');
      server.dropWatches();
      await until(
        () => dropped.mock.calls.length > 0,
        'onClose after the drop',
      );
      expect(dropped.mock.calls[0][0]).toMatchObject({
        name: 'ServiceUnavailableError',
      });
      expect(dropped.mock.calls[0][0].message).toMatch(
        /^management cluster "mgmt" is unreachable \(\w+\) while trying to watch Cluster objects in namespace acme$/,
      );

      await mc.watch(
        type,
        { resourceVersion: server.resourceVersion },
        { onEvent: () => {}, onClose: ended },
      );
      await until(() => server.openWatches === 1, 'the second watch');
      server.dropWatches({ graceful: true });
      await until(() => ended.mock.calls.length > 0, 'onClose after the end');
      expect(ended).toHaveBeenCalledWith(undefined);
    });

    it('ends a silent watch after idleTimeoutMs', async () => {
      const onClose = jest.fn();
      await client().watch(
        type,
        {
          resourceVersion: server.resourceVersion,
          allowBookmarks: false,
          idleTimeoutMs: 200,
        },
        { onEvent: () => {}, onClose },
      );
      await until(() => onClose.mock.calls.length > 0, 'the idle timeout');
      expect(onClose.mock.calls[0][0].message).toMatch(
        /is unreachable \(timeout\) while trying to watch Cluster objects/,
      );
      await until(() => server.openWatches === 0, 'the watch to close');
    });

    it('rejects when the watch cannot start', async () => {
      server.failNext({
        method: 'GET',
        path: /clusters$/,
        status: 403,
        message: 'no watching',
      });
      const error = await client()
        .watch(type, {}, { onEvent: () => {}, onClose: () => {} })
        .catch(e => e);
      expect(error.name).toBe('NotAllowedError');
    });
  });

  describe('kinds of access', () => {
    it('uses a kubeconfig file, with names unique to each management cluster', async () => {
      // Both files name their cluster, user and context "capa-test" but point at different
      // servers with different tokens: client-node caches by those names, so they must not mix.
      const second = await KubernetesTestServer.start({
        token: 'second-token',
      });
      try {
        second.seed([
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'only-on-second' },
          },
        ]);
        const clusters = clustersFor([
          { name: 'one', kubeconfig: { path: server.writeKubeconfig() } },
          {
            name: 'two',
            kubeconfig: {
              path: second.writeKubeconfig(),
              context: 'capa-test',
            },
          },
        ]);
        const one = await clusters
          .get('one')
          .list({ apiVersion: 'v1', kind: 'Namespace' });
        const two = await clusters
          .get('two')
          .list({ apiVersion: 'v1', kind: 'Namespace' });
        expect(one.items.map(n => n.metadata.name)).toEqual([]);
        expect(two.items.map(n => n.metadata.name)).toEqual(['only-on-second']);
      } finally {
        await second.close();
      }
    });

    it('explains a missing kubeconfig file or context without quoting the file', async () => {
      const missing = clustersFor([
        { name: 'mgmt', kubeconfig: { path: '/nonexistent/kubeconfig' } },
      ]).get('mgmt');
      await expect(
        missing.list({ apiVersion: 'v1', kind: 'Namespace' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message:
          'management cluster "mgmt": cannot load the kubeconfig file set in capa.managementClusters[0].kubeconfig.path (ENOENT)',
      });
      const wrongContext = clustersFor([
        {
          name: 'mgmt',
          kubeconfig: { path: server.writeKubeconfig(), context: 'prod' },
        },
      ]).get('mgmt');
      const error = await wrongContext
        .list({ apiVersion: 'v1', kind: 'Namespace' })
        .catch(e => e);
      expect(error.message).toBe(
        'management cluster "mgmt": context "prod" (capa.managementClusters[0].kubeconfig.context) is not in the kubeconfig file; its contexts are: capa-test',
      );
      expect(error.message).not.toContain(TOKEN);
    });

    it('refuses a kubeconfig whose server is a metadata address in any spelling, before sending anything', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-kc-'));
      const file = path.join(dir, 'kubeconfig');
      fs.writeFileSync(
        file,
        fs
          .readFileSync(server.writeKubeconfig(), 'utf8')
          .replace(server.url, 'https://[::ffff:169.254.169.254]:443'),
      );
      const metadataClient = clustersFor([
        { name: 'mgmt', kubeconfig: { path: file } },
      ]).get('mgmt');
      await expect(
        metadataClient.list({ apiVersion: 'v1', kind: 'Namespace' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /must not be a link-local or cloud metadata address/,
        ),
      });
    });

    it('authenticates to an EKS management cluster with a k8s-aws-v1 token', async () => {
      const seen: string[] = [];
      const eks = await KubernetesTestServer.start({
        authenticate: header => {
          seen.push(header ?? '');
          return Boolean(header?.startsWith(`Bearer ${EKS_TOKEN_PREFIX}`));
        },
      });
      try {
        const credentialsManager = {
          getCredentialProvider: jest.fn(async () => ({
            sdkCredentialProvider: async () => ({
              accessKeyId: 'AKIDEXAMPLE',
              secretAccessKey: 'example-secret',
            }),
          })),
        };
        const mc = clustersFor(
          [
            {
              name: 'eks',
              url: eks.url,
              eks: { clusterName: 'mgmt', region: 'eu-west-1' },
            },
          ],
          {
            credentialsManager,
          },
        ).get('eks');
        await mc.list({ apiVersion: 'v1', kind: 'Namespace' });
        await mc.list({ apiVersion: 'v1', kind: 'Namespace' });
        expect(seen.length).toBeGreaterThanOrEqual(2);
        // One token, reused.
        expect(new Set(seen).size).toBe(1);
        const url = new URL(
          Buffer.from(
            seen[0].slice(`Bearer ${EKS_TOKEN_PREFIX}`.length),
            'base64url',
          ).toString('utf8'),
        );
        expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
        expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
          'host;x-k8s-aws-id',
        );
        expect(credentialsManager.getCredentialProvider).toHaveBeenCalledTimes(
          1,
        );
      } finally {
        await eks.close();
      }
    });

    it('reports an EKS token that cannot be made as an AuthenticationError', async () => {
      const credentialsManager = {
        getCredentialProvider: async () => ({
          sdkCredentialProvider: async () => {
            throw Object.assign(
              new Error('Could not load credentials from any providers'),
              { name: 'CredentialsProviderError' },
            );
          },
        }),
      };
      const mc = clustersFor(
        [
          {
            name: 'eks',
            url: server.url,
            eks: { clusterName: 'mgmt', region: 'eu-west-1' },
          },
        ],
        { credentialsManager },
      ).get('eks');
      const error = await mc
        .list({ apiVersion: 'v1', kind: 'Namespace' })
        .catch(e => e);
      expect(error.name).toBe('AuthenticationError');
      expect(error.message).toContain(
        'cannot make an EKS token for cluster mgmt in eu-west-1 (CredentialsProviderError)',
      );
    });
  });
});

describe('ManagementClusters', () => {
  it('names the unknown management cluster, but not the configured ones', () => {
    const clusters = clustersFor([
      { name: 'eu', inCluster: true },
      { name: 'us', url: 'https://us.example.com', token: 'secret-token' },
    ]);
    expect(() => clusters.get('apac')).toThrow(
      'management cluster "apac" is not configured (capa.managementClusters)',
    );
    expect(() => clusters.get('apac')).not.toThrow(/\beu\b|\bus\b/);
  });

  it('lists management clusters without secrets', () => {
    const clusters = clustersFor([
      { name: 'eu', inCluster: true },
      { name: 'us', url: 'https://us.example.com', token: 'secret-token' },
      {
        name: 'eks',
        url: 'https://abc.gr7.eu-west-1.eks.amazonaws.com',
        eks: {
          clusterName: 'mgmt',
          region: 'eu-west-1',
          roleArn: 'arn:aws:iam::999988887777:role/bs',
          externalId: 'secret-ext',
        },
        aws: {
          roleArn: 'arn:aws:iam::999988887777:role/verify',
          externalId: 'secret-ext-2',
        },
      },
    ]);
    const list = clusters.list();
    expect(list).toEqual([
      { name: 'eu', auth: 'inCluster' },
      { name: 'us', auth: 'token', url: 'https://us.example.com' },
      {
        name: 'eks',
        auth: 'eks',
        url: 'https://abc.gr7.eu-west-1.eks.amazonaws.com',
        eks: {
          clusterName: 'mgmt',
          region: 'eu-west-1',
          roleArn: 'arn:aws:iam::999988887777:role/bs',
        },
        awsRoleArn: 'arn:aws:iam::999988887777:role/verify',
      },
    ]);
    expect(JSON.stringify(list)).not.toMatch(/secret/);
  });

  it('fails at start-up on bad config', () => {
    expect(() => clustersFor([{ name: 'eu' }])).toThrow(
      /needs exactly one of kubeconfig, inCluster, token \(with url\) or eks \(with url\)/,
    );
  });
});

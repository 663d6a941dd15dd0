import { loadCrds } from '@capa-backstage/plugin-capa-common/testUtils';
import { KubernetesTestServer } from './KubernetesTestServer';

const IDENTITIES =
  '/apis/infrastructure.cluster.x-k8s.io/v1beta2/awsclusterroleidentities';
const CLUSTERS = (ns: string) =>
  `/apis/cluster.x-k8s.io/v1beta2/namespaces/${ns}/clusters`;

function identity(
  name: string,
  roleARN = 'arn:aws:iam::111122223333:role/controllers.cluster-api-provider-aws.sigs.k8s.io',
) {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSClusterRoleIdentity',
    metadata: { name, labels: { 'capa.backstage.io/tenant': name } },
    spec: {
      allowedNamespaces: { list: [name] },
      roleARN,
      sourceIdentityRef: {
        kind: 'AWSClusterControllerIdentity',
        name: 'default',
      },
    },
  };
}

function cluster(ns: string, name: string) {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name, namespace: ns },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] } },
      controlPlaneRef: {
        apiGroup: 'controlplane.cluster.x-k8s.io',
        kind: 'AWSManagedControlPlane',
        name: `${name}-control-plane`,
      },
      infrastructureRef: {
        apiGroup: 'infrastructure.cluster.x-k8s.io',
        kind: 'AWSManagedCluster',
        name,
      },
    },
  };
}

describe('KubernetesTestServer', () => {
  let server: KubernetesTestServer;
  // Loading and compiling the CRD schemas takes a second or more on a cold machine.
  beforeAll(() => KubernetesTestServer.preload(), 30_000);

  beforeEach(async () => {
    server = await KubernetesTestServer.start();
  });
  afterEach(async () => {
    await server.close();
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': contentType } : {}),
        ...headers,
      },
      body:
        body === undefined || typeof body === 'string'
          ? body
          : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return {
      status: res.status,
      body: json,
      contentType: res.headers.get('content-type'),
    };
  }

  const apply = (path: string, body: unknown, query = 'fieldManager=alice') =>
    call('PATCH', `${path}?${query}`, body, 'application/apply-patch+yaml');

  describe('discovery', () => {
    it('serves /version, /api, /apis and resource lists built from the CRDs', async () => {
      expect((await call('GET', '/version')).body.gitVersion).toMatch(
        /^v1\.32/,
      );
      expect((await call('GET', '/api')).body).toMatchObject({
        kind: 'APIVersions',
        versions: ['v1'],
      });
      const groups = (await call('GET', '/apis')).body;
      expect(groups.kind).toBe('APIGroupList');
      const capi = groups.groups.find(
        (g: any) => g.name === 'cluster.x-k8s.io',
      );
      // Cluster API still serves v1beta1; v1beta2 is the storage and preferred version.
      expect(capi.preferredVersion.version).toBe('v1beta2');
      expect(capi.versions.map((v: any) => v.version)).toEqual([
        'v1beta2',
        'v1beta1',
      ]);
      // CAPA serves v1beta2 only.
      expect(
        groups.groups.find(
          (g: any) => g.name === 'infrastructure.cluster.x-k8s.io',
        ).versions,
      ).toEqual([
        {
          groupVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
          version: 'v1beta2',
        },
      ]);
      const core = (await call('GET', '/api/v1')).body;
      expect(core.resources.map((r: any) => r.name)).toEqual([
        'namespaces',
        'namespaces/status',
        'secrets',
        'configmaps',
        'events',
      ]);
      const infra = (
        await call('GET', '/apis/infrastructure.cluster.x-k8s.io/v1beta2')
      ).body;
      expect(
        infra.resources.find((r: any) => r.name === 'awsclusterroleidentities'),
      ).toMatchObject({
        kind: 'AWSClusterRoleIdentity',
        namespaced: false,
        verbs: expect.arrayContaining([
          'get',
          'list',
          'watch',
          'patch',
          'create',
          'delete',
        ]),
      });
      expect(
        infra.resources.find((r: any) => r.name === 'awsmanagedmachinepools'),
      ).toMatchObject({ namespaced: true });
      expect(
        infra.resources.some(
          (r: any) => r.name === 'awsmanagedmachinepools/status',
        ),
      ).toBe(true);
      expect((await call('GET', '/apis/cluster.x-k8s.io')).body.kind).toBe(
        'APIGroup',
      );
    });

    it('answers unknown API groups with the plain-text 404 of an apiserver', async () => {
      const res = await call('GET', '/apis/example.com/v1');
      expect(res.status).toBe(404);
      expect(res.contentType).toMatch(/^text\/plain/);
      expect(
        await call('GET', '/apis/example.com/v1/namespaces/a/things'),
      ).toMatchObject({ status: 404 });
    });

    it('can start without the Cluster API and CAPA CRDs', async () => {
      const bare = await KubernetesTestServer.start({ crds: [] });
      try {
        const res = await fetch(`${bare.url}/apis`);
        // Only what every apiserver serves: the CRDs themselves.
        expect(
          (await res.json()).groups.map((g: { name: string }) => g.name),
        ).toEqual(['apiextensions.k8s.io']);
        expect(
          (await fetch(`${bare.url}/apis/cluster.x-k8s.io/v1beta2`)).status,
        ).toBe(404);
        expect((await fetch(`${bare.url}/api/v1/namespaces`)).status).toBe(200);
      } finally {
        await bare.close();
      }
    });

    it('can serve Cluster API without CAPA', async () => {
      const capiOnly = await KubernetesTestServer.start({
        crds: loadCrds().filter(c => c.spec.group === 'cluster.x-k8s.io'),
      });
      try {
        expect(
          (await fetch(`${capiOnly.url}/apis/cluster.x-k8s.io/v1beta2`)).status,
        ).toBe(200);
        expect(
          (
            await fetch(
              `${capiOnly.url}/apis/infrastructure.cluster.x-k8s.io/v1beta2`,
            )
          ).status,
        ).toBe(404);
      } finally {
        await capiOnly.close();
      }
    });

    it('serves OpenAPI v3 with the fieldValidation parameter kubectl looks for', async () => {
      const root = (await call('GET', '/openapi/v3')).body;
      const url =
        root.paths['apis/infrastructure.cluster.x-k8s.io/v1beta2']
          .serverRelativeURL;
      expect(url).toMatch(
        /^\/openapi\/v3\/apis\/infrastructure\.cluster\.x-k8s\.io\/v1beta2\?hash=/,
      );
      const doc = (await call('GET', url)).body;
      const patch =
        doc.paths[
          '/apis/infrastructure.cluster.x-k8s.io/v1beta2/awsclusterroleidentities/{name}'
        ].patch;
      expect(patch['x-kubernetes-group-version-kind']).toEqual({
        group: 'infrastructure.cluster.x-k8s.io',
        version: 'v1beta2',
        kind: 'AWSClusterRoleIdentity',
      });
      expect(patch.parameters.map((p: any) => p.name)).toEqual(
        expect.arrayContaining([
          'fieldValidation',
          'fieldManager',
          'force',
          'dryRun',
        ]),
      );
      expect(
        doc.components.schemas[
          'io.x-k8s.cluster.infrastructure.v1beta2.AWSClusterRoleIdentity'
        ].properties.spec,
      ).toBeDefined();
    });
  });

  describe('CRUD', () => {
    it('creates, gets, replaces and deletes a cluster-scoped object', async () => {
      const created = await call('POST', IDENTITIES, identity('acme'));
      expect(created.status).toBe(201);
      expect(created.body.metadata).toMatchObject({
        name: 'acme',
        generation: 1,
        resourceVersion: expect.any(String),
        uid: expect.any(String),
      });
      expect(created.body.metadata.managedFields).toEqual([
        expect.objectContaining({
          manager: 'node',
          operation: 'Update',
          fieldsType: 'FieldsV1',
        }),
      ]);
      expect(
        (await call('POST', IDENTITIES, identity('acme'))).body,
      ).toMatchObject({ code: 409, reason: 'AlreadyExists', kind: 'Status' });

      const got = await call('GET', `${IDENTITIES}/acme`);
      expect(got.body.spec.roleARN).toContain('111122223333');

      const replaced = await call('PUT', `${IDENTITIES}/acme`, {
        ...got.body,
        spec: { ...got.body.spec, externalID: 'abc-123' },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body.metadata.generation).toBe(2);
      expect(Number(replaced.body.metadata.resourceVersion)).toBeGreaterThan(
        Number(got.body.metadata.resourceVersion),
      );

      // A stale resourceVersion is an optimistic-concurrency conflict; none at all is invalid.
      expect(
        (await call('PUT', `${IDENTITIES}/acme`, got.body)).body,
      ).toMatchObject({ code: 409, reason: 'Conflict' });
      const { resourceVersion, ...noRv } = got.body.metadata;
      expect(
        (
          await call('PUT', `${IDENTITIES}/acme`, {
            ...got.body,
            metadata: noRv,
          })
        ).body,
      ).toMatchObject({ code: 422 });

      const deleted = await call('DELETE', `${IDENTITIES}/acme`);
      expect(deleted.body).toMatchObject({
        kind: 'Status',
        status: 'Success',
        details: { name: 'acme', kind: 'awsclusterroleidentities' },
      });
      expect((await call('GET', `${IDENTITIES}/acme`)).body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'awsclusterroleidentities.infrastructure.cluster.x-k8s.io "acme" not found',
        reason: 'NotFound',
        details: {
          name: 'acme',
          group: 'infrastructure.cluster.x-k8s.io',
          kind: 'awsclusterroleidentities',
        },
        code: 404,
      });
    });

    it('requires the namespace of a namespaced object to exist', async () => {
      const res = await call('POST', CLUSTERS('acme'), cluster('acme', 'prod'));
      expect(res.body).toMatchObject({
        code: 404,
        reason: 'NotFound',
        message: 'namespaces "acme" not found',
      });
      await call('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'acme' },
      });
      expect(
        (await call('POST', CLUSTERS('acme'), cluster('acme', 'prod'))).status,
      ).toBe(201);
      // The namespace in the body must match the URL.
      expect(
        (await call('POST', CLUSTERS('acme'), cluster('other', 'x'))).status,
      ).toBe(400);
    });

    it('keeps status out of writes to the main resource and writes it through /status', async () => {
      server.seed([cluster('acme', 'prod')]);
      const path = `${CLUSTERS('acme')}/prod`;
      const withStatus = {
        ...(await call('GET', path)).body,
        status: { phase: 'Provisioned' },
      };
      expect((await call('PUT', path, withStatus)).body.status).toBeUndefined();
      const patched = await call(
        'PATCH',
        `${path}/status`,
        { status: { phase: 'Provisioning' } },
        'application/merge-patch+json',
      );
      expect(patched.status).toBe(200);
      expect(patched.body.status).toEqual({ phase: 'Provisioning' });
      expect(patched.body.metadata.managedFields).toContainEqual(
        expect.objectContaining({ subresource: 'status', operation: 'Update' }),
      );
      // A status change does not bump the generation.
      expect(patched.body.metadata.generation).toBe(1);
    });

    it('server-side applies status through /status, owned by the controller', async () => {
      server.seed([cluster('acme', 'prod')]);
      const path = `${CLUSTERS('acme')}/prod/status`;
      const body = {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: 'prod', namespace: 'acme' },
        status: { phase: 'Provisioned' },
      };
      const res = await apply(path, body, 'fieldManager=capi-controller');
      expect(res.status).toBe(200);
      expect(res.body.status).toEqual({ phase: 'Provisioned' });
      expect(res.body.metadata.managedFields).toContainEqual(
        expect.objectContaining({
          manager: 'capi-controller',
          operation: 'Apply',
          subresource: 'status',
          fieldsV1: { 'f:status': { 'f:phase': {} } },
        }),
      );
      // PUT on /status changes status only.
      const replaced = await call('PUT', path, {
        ...res.body,
        spec: {},
        status: { phase: 'Deleting' },
      });
      expect(replaced.body.status.phase).toBe('Deleting');
      expect(replaced.body.spec.clusterNetwork).toBeDefined();
    });

    it('selects by field, deletes collections and refuses JSON patches', async () => {
      server.seed([
        identity('a'),
        identity('b'),
        { ...identity('c'), metadata: { name: 'c', labels: { keep: 'yes' } } },
      ]);
      const byName = await call(
        'GET',
        `${IDENTITIES}?fieldSelector=${encodeURIComponent('metadata.name=b')}`,
      );
      expect(byName.body.items.map((o: any) => o.metadata.name)).toEqual(['b']);
      expect(
        (await call('GET', `${IDENTITIES}?fieldSelector=spec.roleARN%3Dx`))
          .status,
      ).toBe(400);
      await call(
        'DELETE',
        `${IDENTITIES}?labelSelector=${encodeURIComponent('!keep')}`,
      );
      expect(
        server
          .listObjects(
            'infrastructure.cluster.x-k8s.io/v1beta2',
            'AWSClusterRoleIdentity',
          )
          .map(o => o.metadata.name),
      ).toEqual(['c']);
      expect(
        (
          await call(
            'PATCH',
            `${IDENTITIES}/c`,
            [{ op: 'remove', path: '/spec/externalID' }],
            'application/json-patch+json',
          )
        ).status,
      ).toBe(415);
    });

    it('applies merge patches and rejects strategic merge patches on custom resources', async () => {
      server.seed([identity('acme')]);
      const res = await call(
        'PATCH',
        `${IDENTITIES}/acme`,
        {
          metadata: { labels: { team: 'a' } },
          spec: { externalID: 'xyz-123' },
        },
        'application/merge-patch+json',
      );
      expect(res.body.metadata.labels).toEqual({
        'capa.backstage.io/tenant': 'acme',
        team: 'a',
      });
      expect(res.body.spec.externalID).toBe('xyz-123');
      const removed = await call(
        'PATCH',
        `${IDENTITIES}/acme`,
        { spec: { externalID: null } },
        'application/merge-patch+json',
      );
      expect(removed.body.spec.externalID).toBeUndefined();
      expect(
        (
          await call(
            'PATCH',
            `${IDENTITIES}/acme`,
            {},
            'application/strategic-merge-patch+json',
          )
        ).status,
      ).toBe(415);
    });

    it('keeps objects with finalizers until the last finalizer is removed', async () => {
      server.seed([
        {
          ...cluster('acme', 'prod'),
          metadata: {
            name: 'prod',
            namespace: 'acme',
            finalizers: ['cluster.cluster.x-k8s.io'],
          },
        },
      ]);
      const path = `${CLUSTERS('acme')}/prod`;
      const deleting = await call('DELETE', path);
      expect(deleting.status).toBe(200);
      expect(deleting.body.metadata.deletionTimestamp).toEqual(
        expect.any(String),
      );
      expect((await call('GET', path)).status).toBe(200);
      server.update(
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'Cluster',
          namespace: 'acme',
          name: 'prod',
        },
        o => ({
          ...o,
          metadata: { ...o.metadata, finalizers: [] },
        }),
      );
      expect((await call('GET', path)).status).toBe(404);
    });

    it('deletes what is in a namespace with the namespace', async () => {
      server.seed([cluster('acme', 'prod'), cluster('acme', 'dev')]);
      await call('DELETE', '/api/v1/namespaces/acme');
      expect(server.listObjects('cluster.x-k8s.io/v1beta2', 'Cluster')).toEqual(
        [],
      );
    });

    it('converts stringData of Secrets to base64 data', async () => {
      server.seed([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
      ]);
      const res = await call('POST', '/api/v1/namespaces/acme/secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'prod-user-kubeconfig' },
        stringData: { value: 'apiVersion: v1' },
      });
      expect(res.body).toMatchObject({
        type: 'Opaque',
        data: { value: Buffer.from('apiVersion: v1').toString('base64') },
      });
      expect(res.body.stringData).toBeUndefined();
    });
  });

  describe('validation', () => {
    it('answers 422 Invalid with causes from the CRD schema', async () => {
      const bad = identity('acme') as any;
      delete bad.spec.roleARN;
      bad.spec.sourceIdentityRef.kind = 'Nope';
      bad.spec.unknownField = true;
      const res = await call('POST', IDENTITIES, bad);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        kind: 'Status',
        reason: 'Invalid',
        code: 422,
        details: { name: 'acme', kind: 'AWSClusterRoleIdentity' },
      });
      expect(res.body.message).toMatch(
        /^AWSClusterRoleIdentity\.infrastructure\.cluster\.x-k8s\.io "acme" is invalid: \[/,
      );
      expect(res.body.details.causes).toEqual(
        expect.arrayContaining([
          {
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: 'spec.roleARN',
          },
          {
            reason: 'FieldValueInvalid',
            message: 'field not declared in schema',
            field: 'spec.unknownField',
          },
          expect.objectContaining({ field: 'spec.sourceIdentityRef.kind' }),
        ]),
      );
      expect(
        server.listObjects(
          'infrastructure.cluster.x-k8s.io/v1beta2',
          'AWSClusterRoleIdentity',
        ),
      ).toEqual([]);
    });

    it('validates names and label values as the apiserver does', async () => {
      const res = await call('POST', IDENTITIES, {
        ...identity('Bad_Name'),
        metadata: { name: 'Bad_Name', labels: { ok: 'not ok!' } },
      });
      expect(res.status).toBe(422);
      expect(res.body.details.causes.map((c: any) => c.field)).toEqual(
        expect.arrayContaining(['metadata.name', 'metadata.labels[ok]']),
      );
    });
  });

  describe('server-side apply', () => {
    it('creates with 201, then owns the fields per manager at leaf granularity', async () => {
      const res = await apply(`${IDENTITIES}/acme`, identity('acme'));
      expect(res.status).toBe(201);
      const [entry] = res.body.metadata.managedFields;
      expect(entry).toMatchObject({
        manager: 'alice',
        operation: 'Apply',
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      });
      expect(entry.fieldsV1).toEqual({
        'f:metadata': { 'f:labels': { 'f:capa.backstage.io/tenant': {} } },
        'f:spec': {
          'f:allowedNamespaces': { 'f:list': {} },
          'f:roleARN': {},
          'f:sourceIdentityRef': { 'f:kind': {}, 'f:name': {} },
        },
      });
    });

    it('accepts YAML bodies and requires a field manager', async () => {
      const yaml = `apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: AWSClusterRoleIdentity
metadata:
  name: acme
spec:
  roleARN: arn:aws:iam::111122223333:role/x
  sourceIdentityRef: {kind: AWSClusterControllerIdentity, name: default}
`;
      expect((await apply(`${IDENTITIES}/acme`, yaml)).status).toBe(201);
      const missing = await apply(`${IDENTITIES}/acme`, yaml, '');
      expect(missing.body).toMatchObject({
        code: 422,
        details: {
          causes: [expect.objectContaining({ field: 'fieldManager' })],
        },
      });
    });

    it('treats an identical re-apply as a no-op that keeps the resourceVersion', async () => {
      const first = await apply(`${IDENTITIES}/acme`, identity('acme'));
      const second = await apply(`${IDENTITIES}/acme`, identity('acme'));
      expect(second.status).toBe(200);
      expect(second.body.metadata.resourceVersion).toBe(
        first.body.metadata.resourceVersion,
      );
      expect(second.body.metadata.managedFields).toEqual(
        first.body.metadata.managedFields,
      );
    });

    it('reports a conflict naming the other manager, and force takes the field over', async () => {
      await apply(`${IDENTITIES}/acme`, identity('acme'));
      const other = identity('acme', 'arn:aws:iam::444455556666:role/other');
      const conflict = await apply(
        `${IDENTITIES}/acme`,
        other,
        'fieldManager=bob',
      );
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({
        kind: 'Status',
        reason: 'Conflict',
        message:
          'Apply failed with 1 conflict: conflict with "alice" using infrastructure.cluster.x-k8s.io/v1beta2: .spec.roleARN',
        details: {
          causes: [
            {
              reason: 'FieldManagerConflict',
              message:
                'conflict with "alice" using infrastructure.cluster.x-k8s.io/v1beta2',
              field: '.spec.roleARN',
            },
          ],
        },
      });
      expect(
        server.getObject({
          apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
          kind: 'AWSClusterRoleIdentity',
          name: 'acme',
        })!.spec,
      ).toMatchObject({
        roleARN: expect.stringContaining('111122223333'),
      });

      const forced = await apply(
        `${IDENTITIES}/acme`,
        other,
        'fieldManager=bob&force=true',
      );
      expect(forced.status).toBe(200);
      expect(forced.body.spec.roleARN).toContain('444455556666');
      const owners = Object.fromEntries(
        forced.body.metadata.managedFields.map((m: any) => [
          m.manager,
          m.fieldsV1,
        ]),
      );
      expect(owners.alice['f:spec']['f:roleARN']).toBeUndefined();
      expect(owners.bob['f:spec']['f:roleARN']).toEqual({});
      // Fields both applied with the same value are shared, not conflicting.
      expect(owners.alice['f:spec']['f:sourceIdentityRef']).toBeDefined();
      expect(owners.bob['f:spec']['f:sourceIdentityRef']).toBeDefined();
    });

    it('removes fields a manager stops applying, unless another manager owns them', async () => {
      const withExternalId = identity('acme') as any;
      withExternalId.spec.externalID = 'ext-123';
      withExternalId.metadata.labels.extra = 'x';
      await apply(`${IDENTITIES}/acme`, withExternalId);
      // An update that changes a value takes it over; one that writes the same value does not.
      await call(
        'PATCH',
        `${IDENTITIES}/acme?fieldManager=carol`,
        { metadata: { labels: { extra: 'y' } } },
        'application/merge-patch+json',
      );
      const res = await apply(`${IDENTITIES}/acme`, identity('acme'));
      expect(res.body.spec.externalID).toBeUndefined();
      expect(res.body.metadata.labels.extra).toBe('y');
    });

    it('does not store anything on a dry run, but validates and answers', async () => {
      const res = await apply(
        `${IDENTITIES}/acme`,
        identity('acme'),
        'fieldManager=alice&dryRun=All',
      );
      expect(res.status).toBe(201);
      expect(res.body.metadata.name).toBe('acme');
      expect(
        server.listObjects(
          'infrastructure.cluster.x-k8s.io/v1beta2',
          'AWSClusterRoleIdentity',
        ),
      ).toEqual([]);
      const bad = identity('acme') as any;
      bad.spec.roleARN = 42;
      expect(
        (
          await apply(
            `${IDENTITIES}/acme`,
            bad,
            'fieldManager=alice&dryRun=All',
          )
        ).status,
      ).toBe(422);
      expect(
        (
          await apply(
            `${IDENTITIES}/acme`,
            identity('acme'),
            'fieldManager=alice&dryRun=Some',
          )
        ).status,
      ).toBe(400);
    });
  });

  describe('lists', () => {
    it('filters by label selector and pages with limit and continue from one snapshot', async () => {
      server.seed(
        Array.from({ length: 7 }, (_, i) => ({
          ...identity(`t${i}`),
          metadata: { name: `t${i}`, labels: { tier: i % 2 ? 'odd' : 'even' } },
        })),
      );
      const odd = await call(
        'GET',
        `${IDENTITIES}?labelSelector=${encodeURIComponent('tier=odd')}`,
      );
      expect(odd.body.items.map((o: any) => o.metadata.name)).toEqual([
        't1',
        't3',
        't5',
      ]);
      const notOdd = await call(
        'GET',
        `${IDENTITIES}?labelSelector=${encodeURIComponent(
          'tier!=odd,tier in (even)',
        )}`,
      );
      expect(notOdd.body.items).toHaveLength(4);

      const page1 = await call('GET', `${IDENTITIES}?limit=3`);
      expect(page1.body.kind).toBe('AWSClusterRoleIdentityList');
      expect(page1.body.items.map((o: any) => o.metadata.name)).toEqual([
        't0',
        't1',
        't2',
      ]);
      expect(page1.body.metadata.remainingItemCount).toBe(4);
      // A change between pages does not show up in later pages of the same list.
      server.seed([{ ...identity('t00'), metadata: { name: 't00' } }]);
      const page2 = await call(
        'GET',
        `${IDENTITIES}?limit=3&continue=${encodeURIComponent(
          page1.body.metadata.continue,
        )}`,
      );
      expect(page2.body.items.map((o: any) => o.metadata.name)).toEqual([
        't3',
        't4',
        't5',
      ]);
      expect(page2.body.metadata.resourceVersion).toBe(
        page1.body.metadata.resourceVersion,
      );
      const page3 = await call(
        'GET',
        `${IDENTITIES}?limit=3&continue=${encodeURIComponent(
          page2.body.metadata.continue,
        )}`,
      );
      expect(page3.body.items.map((o: any) => o.metadata.name)).toEqual(['t6']);
      expect(page3.body.metadata.continue).toBeUndefined();
    });

    it('answers 410 Expired for a continue token from before compact()', async () => {
      server.seed([identity('a'), identity('b')]);
      const page1 = await call('GET', `${IDENTITIES}?limit=1`);
      server.compact();
      const res = await call(
        'GET',
        `${IDENTITIES}?limit=1&continue=${encodeURIComponent(
          page1.body.metadata.continue,
        )}`,
      );
      expect(res.body).toMatchObject({ code: 410, reason: 'Expired' });
    });

    it('lists one namespace or all of them, and serves Tables for kubectl', async () => {
      server.seed([cluster('a', 'one'), cluster('b', 'two')]);
      expect(
        (await call('GET', CLUSTERS('a'))).body.items.map(
          (o: any) => o.metadata.name,
        ),
      ).toEqual(['one']);
      expect(
        (await call('GET', '/apis/cluster.x-k8s.io/v1beta2/clusters')).body
          .items,
      ).toHaveLength(2);
      server.setStatus(
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'Cluster',
          namespace: 'a',
          name: 'one',
        },
        { phase: 'Provisioned' },
      );
      const table = await call('GET', CLUSTERS('a'), undefined, undefined, {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      });
      expect(table.body.kind).toBe('Table');
      const phase = table.body.columnDefinitions.findIndex(
        (c: any) => c.name === 'Phase',
      );
      expect(table.body.rows[0].cells[0]).toBe('one');
      expect(table.body.rows[0].cells[phase]).toBe('Provisioned');
    });
  });

  describe('test controls', () => {
    it('records requests without the Authorization header', async () => {
      await apply(
        `${IDENTITIES}/acme`,
        identity('acme'),
        'fieldManager=alice&force=true',
      );
      const r = server.requests.find(q => q.method === 'PATCH')!;
      expect(r).toMatchObject({
        path: `${IDENTITIES}/acme`,
        query: { fieldManager: 'alice', force: 'true' },
        contentType: 'application/apply-patch+yaml',
        status: 201,
        body: expect.objectContaining({ kind: 'AWSClusterRoleIdentity' }),
      });
      expect(JSON.stringify(r)).not.toMatch(/authorization/i);
    });

    it('injects failures with Status bodies, a given number of times', async () => {
      server.failNext({
        method: 'GET',
        path: /awsclusterroleidentities$/,
        status: 403,
        times: 2,
        message: 'nope',
      });
      expect((await call('GET', IDENTITIES)).body).toMatchObject({
        kind: 'Status',
        code: 403,
        reason: 'Forbidden',
        message: 'nope',
      });
      expect((await call('GET', IDENTITIES)).status).toBe(403);
      expect((await call('GET', IDENTITIES)).status).toBe(200);
      server.failNext({ path: /./, status: 500 });
      expect((await call('GET', '/version')).body).toMatchObject({
        code: 500,
        reason: 'InternalError',
      });
    });

    it('can drop a connection instead of answering', async () => {
      server.failNext({ path: /\/version/, destroy: true });
      await expect(fetch(`${server.url}/version`)).rejects.toThrow();
    });

    it('delays answers', async () => {
      server.delay(300, { path: /\/version/ });
      const start = Date.now();
      await call('GET', '/version');
      expect(Date.now() - start).toBeGreaterThanOrEqual(290);
      server.delay(0);
      const again = Date.now();
      await call('GET', '/version');
      expect(Date.now() - again).toBeLessThan(250);
    });

    it('listens on a given port when asked', async () => {
      const probe = await KubernetesTestServer.start();
      const port = Number(new URL(probe.url).port);
      await probe.close();
      const fixed = await KubernetesTestServer.start({ port });
      try {
        expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
        expect((await fetch(`${fixed.url}/version`)).status).toBe(200);
      } finally {
        await fixed.close();
      }
    });

    it('requires a bearer token when started with one', async () => {
      const secured = await KubernetesTestServer.start({ token: 's3cr3t' });
      try {
        const denied = await fetch(`${secured.url}/api/v1/namespaces`);
        expect(denied.status).toBe(401);
        expect(await denied.json()).toMatchObject({
          kind: 'Status',
          reason: 'Unauthorized',
          code: 401,
        });
        const ok = await fetch(`${secured.url}/api/v1/namespaces`, {
          headers: { authorization: 'Bearer s3cr3t' },
        });
        expect(ok.status).toBe(200);
        expect(secured.kubeconfigYaml()).toContain('token: s3cr3t');
      } finally {
        await secured.close();
      }
    });
  });
});

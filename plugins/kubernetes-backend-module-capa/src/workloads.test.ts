import type { Entity } from '@backstage/catalog-model';
import type {
  KubernetesFetcher,
  ObjectFetchParams,
} from '@backstage/plugin-kubernetes-node';
import http from 'http';
import type { AddressInfo } from 'net';
import { CA_DATA, serverOf } from './__fixtures__/clusters';
import {
  startKubernetesBackend,
  USERS,
} from './__testUtils__/kubernetesBackend';

jest.setTimeout(60_000);

/** A component of tenant acme that runs on acme's provisioned cluster, annotated for Kubernetes. */
const SHOP: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'shop' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-acme',
    dependsOn: ['resource:local.acme.provisioned'],
  },
  relations: [
    { type: 'dependsOn', targetRef: 'resource:default/local.acme.provisioned' },
  ],
};

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'shop-7d9f',
    namespace: 'shop',
    labels: { 'backstage.io/kubernetes-id': 'shop' },
  },
};

/** A component of tenant globex, whose role is configured with an external id. */
const BILLING: Entity = {
  ...SHOP,
  metadata: {
    name: 'billing',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'billing' },
  },
  spec: { ...SHOP.spec, owner: 'group:default/team-globex', dependsOn: [] },
  relations: [
    { type: 'dependsOn', targetRef: 'resource:default/local.globex.dev' },
  ],
};

/**
 * STS on loopback: answers AssumeRole with temporary credentials and records what was asked, so
 * the Kubernetes plugin's real `aws` auth provider runs without AWS.
 */
async function fakeSts() {
  const calls: Array<Record<string, string>> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', d => (body += d));
    req.on('end', () => {
      calls.push(Object.fromEntries(new URLSearchParams(body)));
      res.setHeader('Content-Type', 'text/xml');
      res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIATESTASSUMED</AccessKeyId>
      <SecretAccessKey>assumed-secret</SecretAccessKey>
      <SessionToken>assumed-session</SessionToken>
      <Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROATEST:session</AssumedRoleId>
      <Arn>arn:aws:sts::111122223333:assumed-role/backstage-kubernetes-read/session</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
</AssumeRoleResponse>`);
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  return {
    calls,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise(r => server.close(r)),
  };
}

const AWS_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_ENDPOINT_URL_STS',
  'AWS_PROFILE',
];

describe('a component annotated for Kubernetes', () => {
  const saved = Object.fromEntries(AWS_ENV.map(k => [k, process.env[k]]));
  let sts: Awaited<ReturnType<typeof fakeSts>>;

  beforeAll(async () => {
    sts = await fakeSts();
    // The base credentials the plugin's AWS auth provider starts from, and STS on loopback.
    process.env.AWS_ACCESS_KEY_ID = 'AKIATESTBASE';
    process.env.AWS_SECRET_ACCESS_KEY = 'base-secret';
    process.env.AWS_REGION = 'eu-west-1';
    process.env.AWS_ENDPOINT_URL_STS = sts.url;
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  });

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await sts.close();
  });

  it("is looked up on the tenant's cluster it depends on, with the tenant's read role", async () => {
    // What the plugin asks its fetcher: the cluster, and the bearer token its AWS auth provider made.
    const fetched: ObjectFetchParams[] = [];
    const fetcher: KubernetesFetcher = {
      async fetchObjectsForService(params) {
        fetched.push(params);
        return {
          errors: [],
          responses: [{ type: 'pods', resources: [POD] }],
        };
      },
      async fetchPodMetricsByNamespaces() {
        return { errors: [], responses: [] };
      },
    };
    const portal = await startKubernetesBackend({
      entities: [SHOP, BILLING],
      fetcher,
    });
    try {
      await portal.waitForClusters([
        'local',
        'local.acme.provisioned',
        'local.globex.dev',
      ]);
      const res = await portal.post('/services/shop', {
        entity: { kind: 'Component', metadata: { name: 'shop' } },
      });
      expect(res.status).toBe(200);
      // Its workloads, from the one cluster it depends on.
      expect(res.body.items).toEqual([
        expect.objectContaining({
          cluster: {
            name: 'local.acme.provisioned',
            title: 'provisioned (acme)',
          },
          resources: [{ type: 'pods', resources: [POD] }],
          errors: [],
        }),
      ]);
      expect(fetched).toHaveLength(1);
      const [{ clusterDetails, credential, labelSelector }] = fetched;
      expect(labelSelector).toBe('backstage.io/kubernetes-id=shop');
      expect(clusterDetails).toMatchObject({
        url: serverOf('acme', 'provisioned'),
        caData: CA_DATA,
      });

      // The plugin's AWS auth provider assumed acme's read role (the roleName convention in the
      // cluster's account) and signed an EKS token for the EKS cluster name with it.
      // (The AWS credentials manager also asks STS who the base credentials are, at start.)
      const assumed = sts.calls.filter(c => c.Action === 'AssumeRole');
      expect(assumed).toEqual([
        expect.objectContaining({
          RoleArn: 'arn:aws:iam::111122223333:role/backstage-kubernetes-read',
        }),
      ]);
      expect(assumed[0].ExternalId).toBeUndefined();
      expect(credential.type).toBe('bearer token');
      const token = (credential as { token: string }).token;
      expect(token.startsWith('k8s-aws-v1.')).toBe(true);
      const presigned = new URL(
        Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString(),
      );
      expect(presigned.searchParams.get('Action')).toBe('GetCallerIdentity');
      expect(presigned.searchParams.get('X-Amz-Credential')).toMatch(
        /^ASIATESTASSUMED\//,
      );
      expect(presigned.searchParams.get('X-Amz-SignedHeaders')).toContain(
        'x-k8s-aws-id',
      );

      // globex's configured role, with its external id, for globex's cluster.
      const billing = await portal.post('/services/billing', {
        entity: { kind: 'Component', metadata: { name: 'billing' } },
      });
      expect(billing.body.items.map((i: any) => i.cluster.name)).toEqual([
        'local.globex.dev',
      ]);
      expect(sts.calls.filter(c => c.Action === 'AssumeRole')[1]).toMatchObject(
        {
          RoleArn: 'arn:aws:iam::444455556666:role/globex-read',
          ExternalId: 'globex-portal',
        },
      );

      // A developer of acme gets acme's workloads, and nothing from globex's cluster: the plugin
      // reaches it with the backend's role, so the supplier does not give it to acme at all.
      const assumedBefore = sts.calls.filter(c => c.Action === 'AssumeRole');
      const acmeShop = await portal.post(
        '/services/shop',
        { entity: { kind: 'Component', metadata: { name: 'shop' } } },
        USERS.acmeDev,
      );
      expect(acmeShop.body.items.map((i: any) => i.cluster.name)).toEqual([
        'local.acme.provisioned',
      ]);
      const acmeBilling = await portal.post(
        '/services/billing',
        { entity: { kind: 'Component', metadata: { name: 'billing' } } },
        USERS.acmeDev,
      );
      expect(acmeBilling.body).toEqual({ items: [] });
      expect(
        sts.calls
          .filter(c => c.Action === 'AssumeRole')
          .slice(assumedBefore.length)
          .map(c => c.RoleArn),
      ).toEqual(['arn:aws:iam::111122223333:role/backstage-kubernetes-read']);
    } finally {
      await portal.stop();
    }
  });
});

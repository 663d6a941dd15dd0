import { CA_DATA, serverOf } from './__fixtures__/clusters';
import {
  startKubernetesBackend as start,
  USERS,
} from './__testUtils__/kubernetesBackend';

jest.setTimeout(60_000);

describe('kubernetesModuleCapa', () => {
  it("lists every Provisioned cluster in the Kubernetes plugin's cluster list with the aws auth provider, next to the configured ones", async () => {
    const portal = await start();
    try {
      const body = await portal.waitForClusters([
        'local',
        'local.acme.provisioned',
        'local.globex.dev',
      ]);
      expect(body.items).toEqual([
        { name: 'local', authProvider: 'localKubectlProxy' },
        {
          name: 'local.acme.provisioned',
          title: 'provisioned (acme)',
          authProvider: 'aws',
        },
        {
          name: 'local.globex.dev',
          title: 'dev (globex)',
          authProvider: 'aws',
        },
      ]);

      // What the plugin's AWS auth provider signs and assumes with, as the plugin holds it.
      const details = await portal.get('/test/cluster-details');
      expect(details.status).toBe(200);
      expect(details.body.slice(1)).toEqual([
        {
          name: 'local.acme.provisioned',
          title: 'provisioned (acme)',
          url: serverOf('acme', 'provisioned'),
          caData: CA_DATA,
          authMetadata: {
            'kubernetes.io/auth-provider': 'aws',
            'kubernetes.io/x-k8s-aws-id': 'acme-provisioned',
            'kubernetes.io/aws-assume-role':
              'arn:aws:iam::111122223333:role/backstage-kubernetes-read',
          },
        },
        {
          name: 'local.globex.dev',
          title: 'dev (globex)',
          url: serverOf('globex', 'dev'),
          caData: CA_DATA,
          authMetadata: {
            'kubernetes.io/auth-provider': 'aws',
            'kubernetes.io/x-k8s-aws-id': 'globex-dev',
            'kubernetes.io/aws-assume-role':
              'arn:aws:iam::444455556666:role/globex-read',
            'kubernetes.io/aws-external-id': 'globex-portal',
          },
        },
      ]);
    } finally {
      await portal.stop();
    }
  });

  it('adds a cluster once it is Provisioned and removes a deleted one, without a restart', async () => {
    const portal = await start();
    try {
      await portal.waitForClusters([
        'local',
        'local.acme.provisioned',
        'local.globex.dev',
      ]);
      // The provisioning cluster comes up.
      portal.server.setStatus(
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'Cluster',
          namespace: 'acme',
          name: 'provisioning',
        },
        { phase: 'Provisioned' },
      );
      await portal.waitForClusters([
        'local',
        'local.acme.provisioned',
        'local.acme.provisioning',
        'local.globex.dev',
      ]);
      // globex/dev is deleted: first Deleting, then gone.
      const ref = {
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        namespace: 'globex',
        name: 'dev',
      };
      portal.server.setStatus(ref, { phase: 'Deleting' });
      await portal.waitForClusters([
        'local',
        'local.acme.provisioned',
        'local.acme.provisioning',
      ]);
      portal.server.remove(ref);
      portal.server.remove({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: 'globex',
        name: 'dev-user-kubeconfig',
      });
      // Gone from the management cluster, it stays out of the list.
      await new Promise(r => setTimeout(r, 500));
      const res = await portal.get('/clusters');
      expect(res.body.items.map((c: { name: string }) => c.name)).toEqual([
        'local',
        'local.acme.provisioned',
        'local.acme.provisioning',
      ]);
    } finally {
      await portal.stop();
    }
  });

  it('gives each user only the clusters of its tenants', async () => {
    const portal = await start();
    try {
      await portal.waitForClusters([
        'local',
        'local.acme.provisioned',
        'local.globex.dev',
      ]);
      const list = async (user: string) =>
        (await portal.get('/clusters', user)).body.items.map(
          (c: { name: string }) => c.name,
        );
      // The plugin's own clusters are its concern; CAPA's follow capa.cluster.kubeconfig.read.
      await expect(list(USERS.acmeDev)).resolves.toEqual([
        'local',
        'local.acme.provisioned',
      ]);
      await expect(list(USERS.outsider)).resolves.toEqual(['local']);
    } finally {
      await portal.stop();
    }
  });

  it("refuses the cluster list to a user without the Kubernetes plugin's kubernetes.clusters.read permission", async () => {
    const portal = await start({ allowClusters: false });
    try {
      const res = await portal.get('/clusters');
      expect(res.status).toBe(403);
    } finally {
      await portal.stop();
    }
  });
});

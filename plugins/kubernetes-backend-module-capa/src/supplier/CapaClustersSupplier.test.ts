import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  isWatchedKind,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import { ObjectStore } from '@capa-backstage/plugin-capa-node';
import {
  CA_DATA,
  cluster,
  kubeconfigSecret,
  serverOf,
  tenants,
} from '../__fixtures__/clusters';
import {
  CapaClustersSupplier,
  type CapaClusterAuthorizer,
} from './CapaClustersSupplier';

const ROLE_CONFIG = {
  capa: {
    kubernetes: {
      roleName: 'backstage-kubernetes-read',
      tenants: {
        globex: {
          roleArn: 'arn:aws:iam::999988887777:role/globex-k8s-read',
          externalId: 'globex-portal',
        },
      },
    },
  },
};

const ASKER = { credentials: mockCredentials.user('user:default/someone') };

/** An authorizer that allows the asker every cluster. */
const allowAll = {
  allowsEverywhere: async (permissions: unknown[]) =>
    permissions.map(() => true),
  authorize: async (requests: any[]) =>
    requests.map(request => ({ request, allowed: true })),
};

let version = 0;

/** A store with the given objects, each Secret with a new resourceVersion as the cache gives it. */
function storeOf(objects: KubernetesObject[], mc = 'local') {
  const store = new ObjectStore(mc);
  for (const o of objects) upsert(store, o);
  return store;
}

function upsert(store: ObjectStore, o: KubernetesObject) {
  if (!isWatchedKind(o.kind)) return;
  version++;
  store.upsert(o.kind, {
    ...o,
    metadata: { ...o.metadata, resourceVersion: String(version) },
  });
}

/** A cache over stores whose Secret reads go to the objects themselves, recorded. */
function cacheOf(stores: ObjectStore[], secrets: KubernetesObject[]) {
  const reads: string[] = [];
  const failing = new Set<string>();
  return {
    reads,
    failing,
    cache: {
      managementClusters: () => stores.map(s => s.managementCluster),
      store: (mc: string) => stores.find(s => s.managementCluster === mc),
      async readSecretData(mc: string, namespace: string, name: string) {
        reads.push(`${mc}/${namespace}/${name}`);
        if (failing.has(mc)) throw new Error(`connect ECONNREFUSED (${mc})`);
        const secret = secrets.find(
          s => s.metadata.namespace === namespace && s.metadata.name === name,
        ) as { data?: Record<string, string> } | undefined;
        return secret?.data;
      },
    },
  };
}

function setup(
  objects: KubernetesObject[],
  config: object = ROLE_CONFIG,
  authorizer: CapaClusterAuthorizer = allowAll as CapaClusterAuthorizer,
) {
  const store = storeOf(objects);
  const secrets = objects.filter(o => o.kind === 'Secret');
  const fake = cacheOf([store], secrets);
  const logger = mockServices.logger.mock();
  const supplier = CapaClustersSupplier.fromConfig(new ConfigReader(config), {
    cache: fake.cache,
    authorizer,
    logger,
  });
  const names = async () =>
    (await supplier.getClusters(ASKER)).map(c => c.name);
  const warnings = () => logger.warn.mock.calls.map(c => String(c[0]));
  return { store, secrets, supplier, names, warnings, ...fake };
}

const PHASES = ['Provisioned', 'Provisioning', 'Pending', 'Deleting', 'Failed'];

describe('CapaClustersSupplier', () => {
  it('supplies only Provisioned clusters, with URL and CA from the user kubeconfig and AWS auth metadata', async () => {
    const objects = [
      ...tenants(),
      ...PHASES.flatMap(p => [
        ...cluster('acme', p.toLowerCase(), p),
        // CAPA writes the kubeconfig once the control plane is up; a deleting cluster still has it.
        kubeconfigSecret('acme', p.toLowerCase()),
      ]),
      ...cluster('acme', 'unknown', 'Unknown'),
      ...cluster('acme', 'nostatus', undefined),
      ...cluster('acme', 'invented', 'SomethingElse'),
    ];
    const { supplier } = setup(objects);

    await expect(supplier.getClusters(ASKER)).resolves.toEqual([
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
    ]);
  });

  it('leaves out a Provisioned cluster that is being deleted', async () => {
    const objects = [
      ...tenants(),
      ...cluster('acme', 'prod', 'Provisioned').map(o =>
        o.kind === 'Cluster'
          ? {
              ...o,
              metadata: {
                ...o.metadata,
                deletionTimestamp: '2026-11-30T00:00:00Z',
              },
            }
          : o,
      ),
      kubeconfigSecret('acme', 'prod'),
    ];
    await expect(setup(objects).names()).resolves.toEqual([]);
  });

  it("assumes the tenant's configured role with its external id, else the convention's in the cluster account", async () => {
    const objects = [
      ...tenants(),
      ...cluster('acme', 'prod', 'Provisioned'),
      kubeconfigSecret('acme', 'prod'),
      ...cluster('globex', 'dev', 'Provisioned'),
      kubeconfigSecret('globex', 'dev'),
    ];
    const clusters = await setup(objects).supplier.getClusters(ASKER);
    expect(clusters.map(c => [c.name, c.authMetadata])).toEqual([
      [
        'local.acme.prod',
        {
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/x-k8s-aws-id': 'acme-prod',
          'kubernetes.io/aws-assume-role':
            'arn:aws:iam::111122223333:role/backstage-kubernetes-read',
        },
      ],
      [
        'local.globex.dev',
        {
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/x-k8s-aws-id': 'globex-dev',
          'kubernetes.io/aws-assume-role':
            'arn:aws:iam::999988887777:role/globex-k8s-read',
          'kubernetes.io/aws-external-id': 'globex-portal',
        },
      ],
    ]);
  });

  it('skips the clusters of a tenant without a role, warning once for the tenant', async () => {
    const objects = [
      ...tenants(),
      ...cluster('acme', 'prod', 'Provisioned'),
      kubeconfigSecret('acme', 'prod'),
      ...cluster('acme', 'dev', 'Provisioned'),
      kubeconfigSecret('acme', 'dev'),
      ...cluster('globex', 'dev', 'Provisioned'),
      kubeconfigSecret('globex', 'dev'),
    ];
    const { names, warnings, reads } = setup(objects, {
      capa: {
        kubernetes: {
          tenants: {
            globex: { roleArn: 'arn:aws:iam::444455556666:role/read' },
          },
        },
      },
    });
    await expect(names()).resolves.toEqual(['local.globex.dev']);
    await expect(names()).resolves.toEqual(['local.globex.dev']);
    expect(warnings()).toEqual([
      'The clusters of tenant "acme" are not supplied to the Kubernetes plugin: tenant "acme" has no read role: set capa.kubernetes.tenants.acme.roleArn, or capa.kubernetes.roleName for every tenant',
    ]);
    // Nothing is read for a cluster that is not supplied anyway.
    expect(reads).toEqual(['local/globex/dev-user-kubeconfig']);
  });

  it('supplies nothing without capa.kubernetes, saying so once per tenant', async () => {
    const objects = [
      ...tenants(),
      ...cluster('acme', 'prod', 'Provisioned'),
      kubeconfigSecret('acme', 'prod'),
    ];
    const { names, warnings } = setup(objects, {});
    await expect(names()).resolves.toEqual([]);
    expect(warnings()).toHaveLength(1);
  });

  it('follows the live cache: a new cluster appears, a deleted one disappears, each kubeconfig version is read once', async () => {
    const objects = [
      ...tenants(),
      ...cluster('acme', 'prod', 'Provisioned'),
      kubeconfigSecret('acme', 'prod'),
    ];
    const { store, secrets, names, reads } = setup(objects);
    await expect(names()).resolves.toEqual(['local.acme.prod']);
    await expect(names()).resolves.toEqual(['local.acme.prod']);
    expect(reads).toEqual(['local/acme/prod-user-kubeconfig']);

    // A new cluster: provisioning first, then provisioned with its kubeconfig.
    for (const o of cluster('acme', 'dev', 'Provisioning')) upsert(store, o);
    await expect(names()).resolves.toEqual(['local.acme.prod']);
    for (const o of cluster('acme', 'dev', 'Provisioned')) upsert(store, o);
    const devSecret = kubeconfigSecret('acme', 'dev');
    secrets.push(devSecret);
    upsert(store, devSecret);
    await expect(names()).resolves.toEqual([
      'local.acme.dev',
      'local.acme.prod',
    ]);

    // A new version of prod's kubeconfig is read again.
    upsert(store, kubeconfigSecret('acme', 'prod'));
    await names();
    expect(reads).toEqual([
      'local/acme/prod-user-kubeconfig',
      'local/acme/dev-user-kubeconfig',
      'local/acme/prod-user-kubeconfig',
    ]);

    // prod is deleted.
    const prodCluster = cluster('acme', 'prod', 'Provisioned').find(
      o => o.kind === 'Cluster',
    )!;
    store.remove('Cluster', prodCluster);
    await expect(names()).resolves.toEqual(['local.acme.dev']);
  });

  it('gives each caller only the clusters it may connect to (capa.cluster.kubeconfig.read), asking once for all of them', async () => {
    const objects = [
      ...tenants(),
      ...cluster('acme', 'prod', 'Provisioned'),
      kubeconfigSecret('acme', 'prod'),
      ...cluster('globex', 'dev', 'Provisioned'),
      kubeconfigSecret('globex', 'dev'),
    ];
    const asked: any[] = [];
    const acmeOnly = {
      allowsEverywhere: async (permissions: any[]) => {
        asked.push(['everywhere', ...permissions.map(p => p.name)]);
        return permissions.map(() => false);
      },
      authorize: async (requests: any[], credentials: any) => {
        asked.push(['authorize', credentials.principal.userEntityRef]);
        return requests.map(request => ({
          request,
          allowed:
            request.permission.name === 'capa.cluster.kubeconfig.read' &&
            request.target.cluster.namespace === 'acme',
        }));
      },
    } as CapaClusterAuthorizer;
    const { names } = setup(objects, ROLE_CONFIG, acmeOnly);
    await expect(names()).resolves.toEqual(['local.acme.prod']);
    expect(asked).toEqual([
      ['everywhere', 'capa.cluster.kubeconfig.read'],
      ['authorize', 'user:default/someone'],
    ]);
  });

  it('names clusters of several management clusters apart', async () => {
    const objects = [
      ...tenants(),
      ...cluster('acme', 'prod', 'Provisioned'),
      kubeconfigSecret('acme', 'prod'),
    ];
    const fake = cacheOf(
      [storeOf(objects, 'eu'), storeOf(objects, 'us')],
      objects.filter(o => o.kind === 'Secret'),
    );
    const supplier = CapaClustersSupplier.fromConfig(
      new ConfigReader(ROLE_CONFIG),
      {
        cache: fake.cache,
        authorizer: allowAll as CapaClusterAuthorizer,
        logger: mockServices.logger.mock(),
      },
    );
    expect((await supplier.getClusters(ASKER)).map(c => c.name)).toEqual([
      'eu.acme.prod',
      'us.acme.prod',
    ]);
  });

  it.each([
    [
      'a server that is not an EKS endpoint',
      'https://10.0.0.1',
      'the server of its user kubeconfig, 10.0.0.1, is not an EKS endpoint (*.eks.amazonaws.com)',
    ],
    [
      'a plain http server',
      'http://X.gr7.eu-west-1.eks.amazonaws.com',
      'the server of its user kubeconfig is not an https URL without user info',
    ],
    [
      'a server with user info',
      'https://user:pw@X.gr7.eu-west-1.eks.amazonaws.com',
      'the server of its user kubeconfig is not an https URL without user info',
    ],
  ])(
    'leaves out a cluster whose kubeconfig has %s, with a warning',
    async (_, server, reason) => {
      const objects = [
        ...tenants(),
        ...cluster('acme', 'prod', 'Provisioned'),
        kubeconfigSecret('acme', 'prod', server),
      ];
      const { names, warnings } = setup(objects);
      await expect(names()).resolves.toEqual([]);
      expect(warnings()).toEqual([
        `Cluster local.acme.prod is not supplied to the Kubernetes plugin: ${reason}`,
      ]);
    },
  );

  it('leaves out a cluster whose kubeconfig server is not its control plane endpoint', async () => {
    const objects = [
      ...tenants(),
      ...cluster('acme', 'prod', 'Provisioned').map(o =>
        o.kind === 'Cluster'
          ? {
              ...o,
              spec: {
                ...(o as any).spec,
                controlPlaneEndpoint: {
                  host: 'REAL.gr7.eu-west-1.eks.amazonaws.com',
                  port: 443,
                },
              },
            }
          : o,
      ),
      kubeconfigSecret('acme', 'prod'),
    ];
    const { names, warnings } = setup(objects);
    await expect(names()).resolves.toEqual([]);
    expect(warnings()).toEqual([
      `Cluster local.acme.prod is not supplied to the Kubernetes plugin: the server of its user kubeconfig, ${serverOf(
        'acme',
        'prod',
      )}, is not the control plane endpoint https://real.gr7.eu-west-1.eks.amazonaws.com`,
    ]);
  });

  it('leaves out a Provisioned cluster whose kubeconfig Secret does not exist yet', async () => {
    const objects = [...tenants(), ...cluster('acme', 'prod', 'Provisioned')];
    const { names, warnings, reads } = setup(objects);
    await expect(names()).resolves.toEqual([]);
    expect(reads).toEqual([]);
    expect(warnings()).toEqual([
      'Cluster local.acme.prod is not supplied to the Kubernetes plugin: its user kubeconfig Secret prod-user-kubeconfig does not exist yet',
    ]);
  });

  it('leaves out a cluster whose kubeconfig cannot be read, and reads it again after 30 seconds, not on every call', async () => {
    const objects = [
      ...tenants(),
      ...cluster('acme', 'prod', 'Provisioned'),
      kubeconfigSecret('acme', 'prod'),
    ];
    const { names, reads, failing, warnings } = setup(objects);
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      failing.add('local');
      await expect(names()).resolves.toEqual([]);
      await expect(names()).resolves.toEqual([]);
      expect(reads).toHaveLength(1);
      expect(warnings()).toEqual([
        'Cluster local.acme.prod is not supplied to the Kubernetes plugin: its user kubeconfig could not be read: connect ECONNREFUSED (local)',
      ]);
      failing.delete('local');
      now.mockReturnValue(1_000_000 + 30_000);
      await expect(names()).resolves.toEqual(['local.acme.prod']);
      expect(reads).toHaveLength(2);
    } finally {
      now.mockRestore();
    }
  });

  it.each([
    [
      { tenants: { acme: { roleArn: 'backstage-read' } } },
      'Invalid configuration capa.kubernetes.tenants.acme.roleArn: an IAM role ARN, arn:<partition>:iam::<12-digit account>:role/<name>',
    ],
    [
      { roleName: 'arn:aws:iam::111122223333:role/read' },
      'Invalid configuration capa.kubernetes.roleName: a role name with an optional path ("path/name"), without "arn:" or a leading "/"',
    ],
    [
      { externalId: 'abc' },
      'Invalid configuration capa.kubernetes.externalId: only applies to the roleName convention; set roleName, or set the external id per tenant',
    ],
    [
      {
        tenants: {
          acme: {
            roleArn: 'arn:aws:iam::111122223333:role/read',
            externalId: 'has space',
          },
        },
      },
      'Invalid configuration capa.kubernetes.tenants.acme.externalId: an external id is 2 to 1224 characters of letters, digits and +=,.@:/-_',
    ],
  ])('refuses invalid role configuration %j', (kubernetes, message) => {
    expect(() =>
      CapaClustersSupplier.fromConfig(
        new ConfigReader({ capa: { kubernetes } }),
        {
          cache: cacheOf([], []).cache,
          authorizer: allowAll as CapaClusterAuthorizer,
          logger: mockServices.logger.mock(),
        },
      ),
    ).toThrow(message);
  });
});

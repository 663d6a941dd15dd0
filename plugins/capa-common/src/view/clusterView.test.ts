import { renderCluster } from '../render/renderCluster';
import { renderTenant } from '../render/renderTenant';
import { renderControllerIdentity } from '../render/renderControllerIdentity';
import { typicalCluster, typicalTenant } from '../__fixtures__/inputs';
import {
  ClusterViewLookup,
  toClusterSummary,
  toClusterView,
  updateKubeconfigCommand,
} from './clusterView';
import type { KubernetesObject, StoredObject } from '../objects';

/** Objects as these tests write them: on purpose, anything may be missing or malformed. */
type TestObject = KubernetesObject<any, any>;
/** What a stored object of any kind may be: the projection must cope. */
const stored = <T>(o: TestObject | undefined) => o as unknown as T;

/** A lookup over plain arrays, as a test stand-in for the watch cache's indexes. */
function lookupOf(
  objects: TestObject[],
  secrets: string[] = [],
): ClusterViewLookup {
  const find = (kind: string, name: string, namespace?: string) =>
    objects.find(
      o =>
        o.kind === kind &&
        o.metadata?.name === name &&
        (namespace === undefined || o.metadata?.namespace === namespace),
    );
  return {
    controlPlane: (ns, name) =>
      stored(find('AWSManagedControlPlane', name, ns)),
    machinePools: (ns, cluster) =>
      objects
        .filter(
          o =>
            o.kind === 'MachinePool' &&
            o.metadata?.namespace === ns &&
            o.spec?.clusterName === cluster,
        )
        .map(o => stored<StoredObject<'MachinePool'>>(o)),
    infrastructurePool: (ns, kind, name) => stored(find(kind, name, ns)),
    roleIdentity: name => stored(find('AWSClusterRoleIdentity', name)),
    controllerIdentity: name =>
      stored(find('AWSClusterControllerIdentity', name)),
    namespace: name => stored(find('Namespace', name)),
    secretExists: (ns, name) => secrets.includes(`${ns}/${name}`),
  };
}

const rendered = [
  ...renderControllerIdentity().objects,
  ...renderTenant(typicalTenant).objects,
  ...renderCluster(typicalCluster).objects,
] as TestObject[];
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function world(mutate: (objects: TestObject[]) => void = () => {}) {
  const objects = clone(rendered);
  mutate(objects);
  const cluster = stored<StoredObject<'Cluster'>>(
    objects.find(o => o.kind === 'Cluster')!,
  );
  return { cluster, objects };
}

const byKind = (objects: TestObject[], kind: string, name?: string) =>
  objects.find(o => o.kind === kind && (!name || o.metadata?.name === name))!;

describe('toClusterView', () => {
  it('joins a freshly rendered cluster: identity, region, pools, access, no status yet', () => {
    const { cluster, objects } = world();
    const view = toClusterView('local', cluster, lookupOf(objects));
    expect(view).toMatchObject({
      managementCluster: 'local',
      namespace: 'acme',
      name: 'prod',
      tenant: 'acme',
      owner: 'group:default/team-acme',
      phase: 'Unknown',
      deleting: false,
      aws: {
        accountId: '111122223333',
        roleArn:
          'arn:aws:iam::111122223333:role/controllers.cluster-api-provider-aws.sigs.k8s.io',
        identity: { kind: 'AWSClusterRoleIdentity', name: 'acme' },
        identityResolution: 'role',
        region: 'eu-west-1',
        partition: 'aws',
      },
      eks: {
        clusterName: 'acme-prod',
        version: { desired: 'v1.33' },
        authenticationMode: 'api_and_config_map',
      },
      kubeconfig: { secretName: 'prod-user-kubeconfig', available: false },
    });
    expect(
      view.nodePools.map(p => [
        p.name,
        p.desiredReplicas,
        p.readyReplicas,
        p.instanceType,
        p.minSize,
        p.maxSize,
      ]),
    ).toEqual([
      ['prod-batch', 0, 0, 'c7g.xlarge', 0, 10],
      ['prod-general', 3, 0, 'm6i.large', 2, 6],
    ]);
    expect(view.access).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          arn: 'arn:aws:iam::111122223333:role/acme-platform-admin',
          via: 'aws-auth',
          groups: ['system:masters'],
        }),
        expect.objectContaining({
          arn: 'arn:aws:iam::111122223333:role/acme-developers',
          via: 'access-entry',
          accessPolicies: ['AmazonEKSViewPolicy'],
        }),
      ]),
    );
    expect(view.problems).toEqual([
      'The Cluster has no status yet (its controller has not reconciled it)',
    ]);
  });

  it('reads phase, conditions, versions, endpoint and ready replicas from status', () => {
    const { cluster, objects } = world(objs => {
      const c = byKind(objs, 'Cluster');
      c.spec.controlPlaneEndpoint = {
        host: 'ABC.gr7.eu-west-1.eks.amazonaws.com',
        port: 443,
      };
      c.status = {
        phase: 'Provisioned',
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'Available',
            message: '',
            lastTransitionTime: '2026-11-01T10:00:00Z',
          },
          {
            type: 'WorkersAvailable',
            status: 'False',
            reason: 'NotAvailable',
            message: '1 of 2 pools not ready',
            lastTransitionTime: '2026-11-01T10:00:00Z',
          },
          { status: 'True' },
        ],
      };
      byKind(objs, 'AWSManagedControlPlane').status = {
        ready: true,
        version: 'v1.33.5',
      };
      byKind(objs, 'MachinePool', 'prod-general').status = {
        readyReplicas: 3,
        phase: 'Running',
      };
    });
    const view = toClusterView(
      'local',
      cluster,
      lookupOf(objects, ['acme/prod-user-kubeconfig']),
    );
    expect(view.phase).toBe('Provisioned');
    expect(view.objects[0].conditions.map(c => [c.type, c.status])).toEqual([
      ['Available', 'True'],
      ['WorkersAvailable', 'False'],
    ]);
    expect(view.objects.map(o => `${o.kind}/${o.name}`)).toEqual([
      'Cluster/prod',
      'AWSManagedControlPlane/prod-control-plane',
      'MachinePool/prod-batch',
      'AWSManagedMachinePool/prod-batch',
      'MachinePool/prod-general',
      'AWSManagedMachinePool/prod-general',
    ]);
    expect(view.diagnosis).toEqual([]);
    expect(view.stuck).toBeUndefined();
    expect(view.eks).toMatchObject({
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      ready: true,
      version: { desired: 'v1.33', actual: 'v1.33.5' },
    });
    expect(view.nodePools.find(p => p.name === 'prod-general')).toMatchObject({
      readyReplicas: 3,
      phase: 'Running',
    });
    expect(view.kubeconfig.available).toBe(true);
    expect(view.problems).toEqual([]);
    expect(toClusterSummary(view)).toMatchObject({
      phase: 'Provisioned',
      accountId: '111122223333',
      kubernetesVersion: 'v1.33.5',
      nodePools: { count: 2, desiredReplicas: 3, readyReplicas: 3 },
      unhealthyConditions: 1,
      problems: 0,
    });
  });

  it('shows a deletion in progress as Deleting, whatever the phase says', () => {
    const { cluster, objects } = world(objs => {
      const c = byKind(objs, 'Cluster');
      c.metadata!.deletionTimestamp = '2026-11-25T10:00:00Z';
      c.status = { phase: 'Provisioned' };
    });
    const view = toClusterView('local', cluster, lookupOf(objects));
    expect(view.phase).toBe('Deleting');
    expect(view.deleting).toBe(true);
  });

  it('keeps an unknown phase visible without crashing', () => {
    const { cluster, objects } = world(objs => {
      byKind(objs, 'Cluster').status = {
        phase: 'Exploding',
        conditions: 'not-a-list',
      };
    });
    const view = toClusterView('local', cluster, lookupOf(objects));
    expect(view.phase).toBe('Unknown');
    expect(view.reportedPhase).toBe('Exploding');
    expect(view.objects[0].conditions).toEqual([]);
  });

  it('reports the v1beta1 failure reason and message', () => {
    const { cluster, objects } = world(objs => {
      byKind(objs, 'Cluster').status = {
        phase: 'Failed',
        deprecated: {
          v1beta1: {
            failureReason: 'CreateError',
            failureMessage: 'EKS cluster creation failed',
          },
        },
      };
    });
    expect(toClusterView('local', cluster, lookupOf(objects)).failure).toEqual({
      reason: 'CreateError',
      message: 'EKS cluster creation failed',
    });
  });

  it('names a dangling identityRef instead of inventing an account', () => {
    const { cluster, objects } = world(objs =>
      objs.splice(objs.indexOf(byKind(objs, 'AWSClusterRoleIdentity')), 1),
    );
    const view = toClusterView('local', cluster, lookupOf(objects));
    expect(view.aws.identityResolution).toBe('dangling');
    expect(view.aws.accountId).toBeUndefined();
    expect(view.problems).toContain(
      'identityRef names AWSClusterRoleIdentity acme, which does not exist',
    );
  });

  it('resolves the controller identity to the manager account', () => {
    const { cluster, objects } = world(objs => {
      byKind(objs, 'AWSManagedControlPlane').spec.identityRef = {
        kind: 'AWSClusterControllerIdentity',
        name: 'default',
      };
    });
    const view = toClusterView('local', cluster, lookupOf(objects));
    expect(view.aws.identityResolution).toBe('manager');
    expect(view.aws.accountId).toBeUndefined();
  });

  it('survives a missing control plane and missing infrastructure pools', () => {
    const { cluster, objects } = world(objs => {
      objs.splice(objs.indexOf(byKind(objs, 'AWSManagedControlPlane')), 1);
      objs.splice(
        objs.indexOf(byKind(objs, 'AWSManagedMachinePool', 'prod-batch')),
        1,
      );
    });
    const view = toClusterView('local', cluster, lookupOf(objects));
    expect(view.aws.identityResolution).toBe('unknown');
    expect(view.eks.clusterName).toBeUndefined();
    expect(view.problems).toEqual(
      expect.arrayContaining([
        'The AWSManagedControlPlane prod-control-plane does not exist',
        'MachinePool prod-batch: its AWSManagedMachinePool prod-batch does not exist',
      ]),
    );
  });

  it('handles a Cluster with no spec at all', () => {
    const view = toClusterView(
      'local',
      stored({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: 'x', namespace: 'y' },
      }),
      lookupOf([]),
    );
    expect(view.problems).toContain('The Cluster has no controlPlaneRef');
    expect(view.nodePools).toEqual([]);
  });
});

describe('updateKubeconfigCommand', () => {
  const view = {
    eks: { clusterName: 'acme-prod', version: {} },
    aws: { identityResolution: 'role' as const, region: 'eu-west-1' },
  };

  it('builds the command with and without a role', () => {
    expect(updateKubeconfigCommand(view)).toBe(
      'aws eks update-kubeconfig --name acme-prod --region eu-west-1',
    );
    expect(
      updateKubeconfigCommand(
        view,
        'arn:aws:iam::111122223333:role/acme-admin',
      ),
    ).toBe(
      'aws eks update-kubeconfig --name acme-prod --region eu-west-1 --role-arn arn:aws:iam::111122223333:role/acme-admin',
    );
  });

  it('quotes values a shell would split', () => {
    expect(
      updateKubeconfigCommand({
        ...view,
        eks: { ...view.eks, clusterName: "a b'c" },
      }),
    ).toBe("aws eks update-kubeconfig --name 'a b'\\''c' --region eu-west-1");
  });

  it('gives nothing when the EKS name or region is unknown', () => {
    expect(
      updateKubeconfigCommand({
        ...view,
        aws: { identityResolution: 'unknown' },
      }),
    ).toBeUndefined();
  });
});

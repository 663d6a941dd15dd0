import { typicalCluster } from '../__fixtures__/inputs';
import {
  amiTypeVersionProblem,
  nodePoolInputSchema,
  nodePoolProblems,
  nodePoolScalingProblems,
} from '../validation/nodePoolSchema';
import { parseInput } from '../validation/parse';
import {
  CLUSTER_ACCESS,
  clusterAccessMapping,
  renderCluster,
  renderNodePool,
} from './renderCluster';

// The exports the day-2 actions build on must stay in step with what renderCluster renders, or an
// added pool or a granted principal would look different from one rendered at creation.
describe('exports shared with the day-2 actions', () => {
  describe('renderNodePool', () => {
    it('renders exactly what renderCluster renders for each pool', () => {
      const rendered = renderCluster(typicalCluster).objects;
      const [cluster, controlPlane] = rendered as any[];
      const pools = typicalCluster.nodePools!.map(p =>
        parseInput(nodePoolInputSchema, p, 'node pool'),
      );
      expect(
        pools.flatMap(pool =>
          renderNodePool({
            cluster: 'prod',
            namespace: 'acme',
            kubernetesVersion: 'v1.33',
            labels: cluster.metadata.labels,
            additionalTags: controlPlane.spec.additionalTags,
            pool,
          }),
        ),
      ).toEqual(
        rendered.filter(
          o => o.kind === 'MachinePool' || o.kind === 'AWSManagedMachinePool',
        ),
      );
    });
  });

  describe('clusterAccessMapping', () => {
    it('maps the creation levels admin and view exactly as renderCluster does', () => {
      const cp = renderCluster(typicalCluster).objects[1] as any;
      const admin = clusterAccessMapping(
        'admin',
        'arn:aws:iam::111122223333:role/acme-platform-admin',
        'aws',
      );
      const view = clusterAccessMapping(
        'view',
        'arn:aws:iam::111122223333:role/acme-developers',
        'aws',
      );
      expect(cp.spec.iamAuthenticatorConfig.mapRoles).toEqual([
        admin.mapRole,
        view.mapRole,
      ]);
      expect(cp.spec.accessEntries).toEqual([
        admin.accessEntry,
        view.accessEntry,
      ]);
      expect(view.mapRole!.groups).toEqual([CLUSTER_ACCESS.readOnly.group]);
    });

    it('maps edit to its own group and the EKS edit policy, in the principal partition', () => {
      const m = clusterAccessMapping(
        'edit',
        'arn:aws-us-gov:iam::111122223333:user/team/bob',
        'aws-us-gov',
      );
      expect(m).toEqual({
        kind: 'user',
        mapUser: {
          userarn: 'arn:aws-us-gov:iam::111122223333:user/team/bob',
          username: 'capa-edit:bob',
          groups: ['capa:edit'],
        },
        accessEntry: {
          principalARN: 'arn:aws-us-gov:iam::111122223333:user/team/bob',
          type: 'standard',
          username: 'capa-edit:bob',
          accessPolicies: [
            {
              policyARN:
                'arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
              accessScope: { type: 'cluster' },
            },
          ],
        },
      });
    });
  });

  describe('node pool rules', () => {
    it('checks scaling', () => {
      expect(
        nodePoolScalingProblems({ minSize: 1, maxSize: 3, desiredSize: 2 }),
      ).toEqual([]);
      expect(nodePoolScalingProblems({ minSize: 4, maxSize: 3 })).toEqual([
        { path: ['minSize'], message: 'must be <= maxSize (3)' },
      ]);
      expect(
        nodePoolScalingProblems({ minSize: 1, maxSize: 3, desiredSize: 5 }),
      ).toEqual([
        {
          path: ['desiredSize'],
          message: 'must be between minSize (1) and maxSize (3)',
        },
      ]);
    });

    it('refuses Amazon Linux 2 from Kubernetes 1.33, with or without a leading v', () => {
      expect(amiTypeVersionProblem('AL2_x86_64', '1.32')).toBeUndefined();
      expect(amiTypeVersionProblem('AL2_x86_64', 'v1.33')).toMatch(
        /not published for Kubernetes 1\.33 and later/,
      );
      expect(
        amiTypeVersionProblem('AL2023_x86_64_STANDARD', '1.36'),
      ).toBeUndefined();
    });

    it('names every cross-field problem of one pool', () => {
      const pool = parseInput(
        nodePoolInputSchema,
        {
          name: 'gpu',
          instanceType: 'g5g.xlarge',
          amiType: 'AL2_x86_64',
          minSize: 3,
          maxSize: 2,
        },
        'node pool',
      );
      expect(
        nodePoolProblems(pool, { name: 'prod', kubernetesVersion: '1.34' }).map(
          p => p.path.join('.'),
        ),
      ).toEqual(['minSize', 'amiType', 'amiType']);
    });
  });
});

import type { JsonObject } from '@backstage/types';
import type { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import {
  createCluster,
  crdProblems,
  ownership,
  REFS,
  runAction,
  startServer,
  writes,
} from './__testUtils__/day2';
import { createAccessGrantAction } from './accessGrant';
import { createAccessRevokeAction } from './accessRevoke';
import { decidingAuthorizer } from './__testUtils__/authorizer';

const TARGET = {
  managementCluster: 'local',
  namespace: 'acme',
  cluster: 'prod',
};
const ADMIN = 'arn:aws:iam::111122223333:role/acme-platform-admin';
const DEVS = 'arn:aws:iam::111122223333:role/acme-developers';
const ALICE = 'arn:aws:iam::111122223333:user/alice';

const adminMapRole = {
  rolearn: ADMIN,
  username: 'capa-admin:{{SessionName}}',
  groups: ['system:masters'],
};
const adminEntry = {
  principalARN: ADMIN,
  type: 'standard',
  username: 'capa-admin:{{SessionName}}',
  accessPolicies: [
    {
      policyARN:
        'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      accessScope: { type: 'cluster' },
    },
  ],
};
const devsMapRole = {
  rolearn: DEVS,
  username: 'capa-edit:{{SessionName}}',
  groups: ['capa:edit'],
};
const devsEntry = {
  principalARN: DEVS,
  type: 'standard',
  username: 'capa-edit:{{SessionName}}',
  accessPolicies: [
    {
      policyARN: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
      accessScope: { type: 'cluster' },
    },
  ],
};

const cpSpec = (server: KubernetesTestServer) =>
  server.getObject(REFS.controlPlane)!.spec as any;

describe('capa:access:grant and capa:access:revoke', () => {
  beforeAll(() => KubernetesTestServer.preload(), 60_000);
  let server: KubernetesTestServer;
  let clusters: ManagementClusters;
  beforeEach(async () => {
    ({ server, clusters } = await startServer());
  }, 30_000); // the first start loads every CRD: slow on a busy machine
  afterEach(() => server.close());

  async function withCluster(mode = 'api_and_config_map') {
    await createCluster(clusters, {
      access: { mode: mode as any, adminRoleArns: [ADMIN] },
    });
    server.requests.length = 0;
  }

  const grant = (input: JsonObject, options: { isDryRun?: boolean } = {}) =>
    runAction(
      createAccessGrantAction({
        managementClusters: clusters,
        authorizer: decidingAuthorizer(),
      }),
      { ...TARGET, ...input },
      options,
    );
  const revoke = (input: JsonObject) =>
    runAction(
      createAccessRevokeAction({
        managementClusters: clusters,
        authorizer: decidingAuthorizer(),
      }),
      {
        ...TARGET,
        ...input,
      },
    );

  describe('grant', () => {
    it('adds an access entry and an aws-auth mapping on an api_and_config_map cluster, and nothing else', async () => {
      await withCluster();
      const { error, logs, warnings, out } = await grant({
        principalArn: DEVS,
        level: 'edit',
      });
      expect(error).toBeUndefined();
      const sent = writes(server);
      expect(sent).toHaveLength(1);
      expect(sent[0].query).toMatchObject({
        fieldManager: 'backstage-capa-access',
        force: 'true',
      });
      expect(sent[0].body).toEqual({
        apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
        kind: 'AWSManagedControlPlane',
        metadata: { name: 'prod-control-plane', namespace: 'acme' },
        spec: {
          iamAuthenticatorConfig: { mapRoles: [adminMapRole, devsMapRole] },
          accessEntries: [adminEntry, devsEntry],
        },
      });
      expect(logs).toEqual(
        expect.arrayContaining([
          `Granting edit access to Cluster acme/prod for ${DEVS} (authentication mode api_and_config_map: accessEntries and mapRoles)`,
          `AWSManagedControlPlane acme/prod-control-plane: spec.iamAuthenticatorConfig.mapRoles: + ${DEVS} (aws-auth as capa-edit:{{SessionName}}, groups capa:edit)`,
          `AWSManagedControlPlane acme/prod-control-plane: spec.accessEntries: + ${DEVS} (access entry as capa-edit:{{SessionName}}, policies AmazonEKSEditPolicy)`,
          'AWSManagedControlPlane acme/prod-control-plane: configured (field manager backstage-capa-access)',
        ]),
      );
      expect(warnings).toEqual([
        `Through aws-auth, ${DEVS} joins the group "capa:edit": bind it to the "edit" ClusterRole in the workload cluster, or it can do nothing there.`,
      ]);
      expect(out).toMatchObject({
        changed: true,
        dryRun: false,
        mechanisms: ['access-entry', 'aws-auth'],
      });
      expect(
        ownership(server, REFS.controlPlane)['backstage-capa-access'],
      ).toEqual([
        '.spec.iamAuthenticatorConfig.mapRoles',
        '.spec.accessEntries',
      ]);
      expect(cpSpec(server).region).toBe('eu-west-1');
      expect(crdProblems(server, [REFS.controlPlane])).toEqual([]);
    });

    it('changes nothing the second time', async () => {
      await withCluster();
      await grant({ principalArn: DEVS, level: 'edit' });
      const rv = server.resourceVersion;
      const { error, out, logs } = await grant({
        principalArn: DEVS,
        level: 'edit',
      });
      expect(error).toBeUndefined();
      expect(writes(server)).toHaveLength(1);
      expect(server.resourceVersion).toBe(rv);
      expect(out.changed).toBe(false);
      expect(logs).toContain(
        'AWSManagedControlPlane acme/prod-control-plane: unchanged',
      );
    });

    it('changes the level of a principal in place', async () => {
      await withCluster();
      const { error, logs } = await grant({
        principalArn: ADMIN,
        level: 'view',
      });
      expect(error).toBeUndefined();
      expect(cpSpec(server).iamAuthenticatorConfig.mapRoles).toEqual([
        {
          rolearn: ADMIN,
          username: 'capa-read-only:{{SessionName}}',
          groups: ['capa:read-only'],
        },
      ]);
      expect(
        cpSpec(server).accessEntries.map(
          (e: any) => e.accessPolicies[0].policyARN,
        ),
      ).toEqual(['arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy']);
      expect(logs).toEqual(
        expect.arrayContaining([
          `AWSManagedControlPlane acme/prod-control-plane: spec.accessEntries: - ${ADMIN} (access entry as capa-admin:{{SessionName}}, policies AmazonEKSClusterAdminPolicy)`,
          `AWSManagedControlPlane acme/prod-control-plane: spec.accessEntries: + ${ADMIN} (access entry as capa-read-only:{{SessionName}}, policies AmazonEKSViewPolicy)`,
        ]),
      );
    });

    it('writes only aws-auth mapUsers for a user on a config_map cluster', async () => {
      await withCluster('config_map');
      const { error, out } = await grant({
        principalArn: ALICE,
        level: 'view',
      });
      expect(error).toBeUndefined();
      expect(writes(server)[0].body).toEqual({
        apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
        kind: 'AWSManagedControlPlane',
        metadata: { name: 'prod-control-plane', namespace: 'acme' },
        spec: {
          iamAuthenticatorConfig: {
            mapUsers: [
              {
                userarn: ALICE,
                username: 'capa-read-only:alice',
                groups: ['capa:read-only'],
              },
            ],
          },
        },
      });
      expect(out.mechanisms).toEqual(['aws-auth']);
      expect(cpSpec(server).accessEntries).toBeUndefined();
      expect(crdProblems(server, [REFS.controlPlane])).toEqual([]);
    });

    it('writes only an access entry on an api cluster', async () => {
      await withCluster('api');
      const { error, warnings } = await grant({
        principalArn: DEVS,
        level: 'admin',
      });
      expect(error).toBeUndefined();
      expect(Object.keys(writes(server)[0].body as any)).toEqual([
        'apiVersion',
        'kind',
        'metadata',
        'spec',
      ]);
      expect((writes(server)[0].body as any).spec).toEqual({
        accessEntries: [
          adminEntry,
          {
            ...devsEntry,
            username: 'capa-admin:{{SessionName}}',
            accessPolicies: adminEntry.accessPolicies,
          },
        ],
      });
      expect(warnings).toEqual([]);
    });

    it('stores nothing in a dry run', async () => {
      await withCluster();
      const rv = server.resourceVersion;
      const { error, out } = await grant(
        { principalArn: DEVS, level: 'edit' },
        { isDryRun: true },
      );
      expect(error).toBeUndefined();
      expect(writes(server).map(r => r.query.dryRun)).toEqual(['All']);
      expect(server.resourceVersion).toBe(rv);
      expect(out.dryRun).toBe(true);
    });

    it('reads again and retries once after a 409, keeping what changed meanwhile', async () => {
      await withCluster();
      const client = clusters.get('local');
      const apply = client.apply.bind(client);
      let first = true;
      jest.spyOn(client, 'apply').mockImplementation(async (obj, opts) => {
        if (first) {
          first = false;
          // Someone maps another user between the action's read and its apply...
          server.update(REFS.controlPlane, o => ({
            ...o,
            spec: {
              ...(o.spec as object),
              iamAuthenticatorConfig: {
                ...(o.spec as any).iamAuthenticatorConfig,
                mapUsers: [
                  { userarn: ALICE, username: 'alice', groups: ['x'] },
                ],
              },
            },
          }));
          // ...and the apply meets a conflict.
          server.failNext({
            method: 'PATCH',
            path: /awsmanagedcontrolplanes\/prod-control-plane$/,
            status: 409,
            message:
              'Operation cannot be fulfilled: the object has been modified',
          });
        }
        return apply(obj, opts);
      });
      const { error, warnings } = await grant({
        principalArn: DEVS,
        level: 'edit',
      });
      expect(error).toBeUndefined();
      expect(warnings[0]).toMatch(/retrying once$/);
      expect(writes(server)).toHaveLength(2);
      expect(cpSpec(server).iamAuthenticatorConfig).toEqual({
        mapRoles: [adminMapRole, devsMapRole],
        mapUsers: [{ userarn: ALICE, username: 'alice', groups: ['x'] }],
      });
    });

    describe('refusals, before anything is changed', () => {
      it('refuses an ARN that is not an IAM role or user', async () => {
        await withCluster();
        const { error } = await grant({
          principalArn: 'arn:aws:iam::111122223333:group/devs',
          level: 'edit',
        });
        expect(error?.name).toBe('InputError');
        expect(error?.message).toBe(
          'Invalid capa:access:grant input: principalArn must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name>, or an IAM user ARN: arn:<partition>:iam::<12-digit account>:user/<name>',
        );
        expect(server.requests).toHaveLength(0);
      });

      it('refuses a principal of another AWS partition', async () => {
        await withCluster();
        const { error } = await grant({
          principalArn: 'arn:aws-cn:iam::111122223333:role/devs',
          level: 'edit',
        });
        expect(error?.message).toMatch(
          /principalArn is in partition "aws-cn" but the cluster is in "aws"/,
        );
        expect(writes(server)).toHaveLength(0);
      });

      it('refuses a cluster that does not exist or is being deleted', async () => {
        const missing = await grant({ principalArn: DEVS, level: 'edit' });
        expect(missing.error?.name).toBe('NotFoundError');
        await withCluster();
        server.setStatus(REFS.cluster, { phase: 'Deleting' });
        const deleting = await revoke({ principalArn: ADMIN });
        expect(deleting.error?.message).toBe(
          'Cluster acme/prod on management cluster "local" is being deleted; nothing was changed',
        );
        expect(writes(server)).toHaveLength(0);
      });

      it('refuses lists another field manager applies', async () => {
        await withCluster();
        await clusters.get('local').apply(
          {
            apiVersion: REFS.controlPlane.apiVersion,
            kind: REFS.controlPlane.kind,
            metadata: { name: 'prod-control-plane', namespace: 'acme' },
            spec: { accessEntries: [adminEntry] },
          },
          { fieldManager: 'flux', force: true },
        );
        server.requests.length = 0;
        const { error } = await grant({ principalArn: DEVS, level: 'view' });
        expect(error?.name).toBe('ConflictError');
        expect(error?.message).toMatch(
          /AWSManagedControlPlane acme\/prod-control-plane: field manager "flux" owns \.spec\.accessEntries/,
        );
        expect(writes(server)).toHaveLength(0);
      });
    });
  });

  describe('revoke', () => {
    it('removes every mapping of the principal, and nothing else', async () => {
      await withCluster();
      await grant({ principalArn: DEVS, level: 'edit' });
      server.requests.length = 0;
      const { error, out, logs } = await revoke({ principalArn: ADMIN });
      expect(error).toBeUndefined();
      expect(writes(server)[0].body).toEqual({
        apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
        kind: 'AWSManagedControlPlane',
        metadata: { name: 'prod-control-plane', namespace: 'acme' },
        spec: {
          iamAuthenticatorConfig: { mapRoles: [devsMapRole] },
          accessEntries: [devsEntry],
        },
      });
      expect(writes(server)[0].query).toMatchObject({
        fieldManager: 'backstage-capa-access',
        force: 'false',
      });
      expect(out.changed).toBe(true);
      expect(logs).toContain(
        `AWSManagedControlPlane acme/prod-control-plane: spec.accessEntries: - ${ADMIN} (access entry as capa-admin:{{SessionName}}, policies AmazonEKSClusterAdminPolicy)`,
      );
      expect(crdProblems(server, [REFS.controlPlane])).toEqual([]);

      const rv = server.resourceVersion;
      const again = await revoke({ principalArn: ADMIN });
      expect(again.out.changed).toBe(false);
      expect(again.logs).toContain(
        `${ADMIN} is not mapped into Cluster acme/prod; nothing to revoke`,
      );
      expect(server.resourceVersion).toBe(rv);
      expect(writes(server)).toHaveLength(1);
    });

    it('leaves empty lists when the last principal goes', async () => {
      await withCluster();
      const { error } = await revoke({ principalArn: ADMIN });
      expect(error).toBeUndefined();
      expect(cpSpec(server).accessEntries).toEqual([]);
      expect(cpSpec(server).iamAuthenticatorConfig.mapRoles).toEqual([]);
      expect(crdProblems(server, [REFS.controlPlane])).toEqual([]);
    });
  });
});

/*
 * The tenant boundary, end to end: the real catalog, permission backend with the shipped CAPA
 * policy, scaffolder and capa actions, against a Kubernetes test server holding tenants acme and
 * globex. A developer of acme (member of team-acme) and a platform engineer (member of
 * platform-team) replay each attack the tenant-isolation review found.
 */
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import capaPlugin from '@capa-backstage/plugin-capa-backend';
import catalogModuleCapa from '@capa-backstage/plugin-catalog-backend-module-capa';
import capaPolicy from '@capa-backstage/plugin-permission-backend-module-capa-policy';
import scaffolderModuleCapa from '@capa-backstage/plugin-scaffolder-backend-module-capa';
import {
  renderCluster,
  renderControllerIdentity,
  renderTenant,
  toYaml,
} from '@capa-backstage/plugin-capa-common';
import { CAPA_FIELD_MANAGER } from '@capa-backstage/plugin-capa-node';
import {
  startPortalBackend,
  USERS,
  writesIn,
} from './__testUtils__/portalBackend';

const features = [
  catalogPlugin,
  catalogModuleScaffolderEntityModel,
  catalogModuleCapa,
  permissionPlugin,
  capaPolicy,
  scaffolderPlugin,
  scaffolderModuleCapa,
  capaPlugin,
];

const cluster = (tenant: string, name: string) =>
  renderCluster({
    name,
    tenant,
    region: 'eu-west-1',
    kubernetesVersion: '1.33',
    access: { mode: 'api_and_config_map' },
    nodePools: [{ name: 'general', minSize: 1, desiredSize: 1, maxSize: 3 }],
  }).objects;

const tenant = (name: string, accountId: string) =>
  renderTenant({
    name,
    owner: `group:default/team-${name}`,
    aws: { accountId },
  }).objects;

const REF = {
  namespace: (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', name }),
  identity: (name: string) => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSClusterRoleIdentity',
    name,
  }),
  controlPlane: (ns: string, name: string) => ({
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedControlPlane',
    namespace: ns,
    name: `${name}-control-plane`,
  }),
  cluster: (ns: string, name: string) => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    namespace: ns,
    name,
  }),
  machinePool: (ns: string, name: string) => ({
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachinePool',
    namespace: ns,
    name,
  }),
};

const OUTSIDE_ROLE = 'arn:aws:iam::999988887777:role/outsider';

describe('tenant isolation through the shipped permission policy', () => {
  let portal: Awaited<ReturnType<typeof startPortalBackend>>;

  beforeAll(async () => {
    portal = await startPortalBackend(features);
    portal.server.seed(
      [
        ...renderControllerIdentity().objects,
        ...tenant('acme', '111122223333'),
        ...tenant('globex', '444455556666'),
        ...cluster('acme', 'prod'),
        ...cluster('acme', 'old'),
        ...cluster('globex', 'prod'),
        ...cluster('globex', 'edge'),
      ],
      { fieldManager: CAPA_FIELD_MANAGER },
    );
    await Promise.all(
      [
        'group:default/team-acme',
        'group:default/team-globex',
        'user:default/acme-dev',
        'template:default/capa-create-eks-cluster',
        'template:default/raw-capa-apply',
        'resource:default/local.acme.prod',
        'resource:default/local.acme.old',
        'resource:default/local.globex.prod',
        'resource:default/local.globex.edge',
      ].map(ref => portal.waitForEntity(ref)),
    );
  }, 180_000);
  afterAll(() => portal?.stop());

  const spec = (ref: object) =>
    portal.server.getObject(ref as any)?.spec as any;

  /** Runs an action through a pass-through template. */
  const run = (user: string, action: string, input: object) =>
    portal.runTask(user, `raw-${action.replace(/:/g, '-')}`, { input });

  /** capa:apply of a manifest to "local". */
  const apply = (
    user: string,
    manifest: string,
    options: { dryRun?: boolean; force?: boolean } = {},
  ) =>
    run(user, 'capa:apply', {
      managementCluster: 'local',
      manifest,
      dryRun: options.dryRun ?? false,
      force: options.force ?? false,
    });

  function expectRefused(
    result: Awaited<ReturnType<typeof run>>,
    permission: string,
  ) {
    expect(result.status).toBe('failed');
    expect(result.log).toContain(USERS.acmeDev);
    expect(result.log).toContain(`permission ${permission}`);
    expect(result.log).toMatch(/Nothing was sent/);
    expect(writesIn(result.requests)).toEqual([]);
  }

  describe('attack: re-onboard another tenant (take over globex, point it at another account)', () => {
    const takeover = () =>
      toYaml(
        renderTenant({
          name: 'globex',
          owner: 'group:default/team-acme',
          aws: { accountId: '999988887777' },
        }).objects,
      );

    it('hides the onboarding template from a tenant developer', async () => {
      const res = await portal.call(
        USERS.acmeDev,
        '/api/catalog/entities/by-name/template/default/capa-onboard-tenant',
      );
      expect(res.status).toBe(404);
      const task = await portal.runTask(USERS.acmeDev, 'capa-onboard-tenant', {
        tenant: 'globex',
        owner: 'group:default/team-acme',
        accountId: '999988887777',
        managerAccountId: '123456789012',
        region: 'eu-west-1',
        managementCluster: 'local',
        verifyTrust: false,
      });
      expect(task.created).toBe(false);
      expect(writesIn(task.requests)).toEqual([]);
    });

    it('refuses the same objects sent through capa:apply, dry run included', async () => {
      for (const dryRun of [true, false]) {
        const result = await apply(USERS.acmeDev, takeover(), { dryRun });
        expectRefused(result, 'capa.platform.manage');
      }
      expect(
        portal.server.getObject(REF.namespace('globex'))!.metadata.annotations,
      ).toMatchObject({
        'capa.backstage.io/owner': 'group:default/team-globex',
      });
      expect(spec(REF.identity('globex')).roleARN).toContain('444455556666');
    });

    it('records each decision in the audit trail', async () => {
      const denied = portal.audit.filter(
        e =>
          e.eventId === 'capa-write-authorization' &&
          e.meta.actor === USERS.acmeDev &&
          e.meta.permission === 'capa.platform.manage',
      );
      expect(denied.length).toBeGreaterThanOrEqual(2);
      expect(denied[0]).toMatchObject({
        outcome: 'fail',
        meta: {
          action: 'capa:apply',
          managementCluster: 'local',
          result: 'denied',
          objects: ['Namespace globex', 'AWSClusterRoleIdentity globex'],
        },
      });
    });
  });

  it('attack: label a new namespace for globex and create a cluster there', async () => {
    const manifest = toYaml([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'sneaky',
          labels: { 'capa.backstage.io/tenant': 'globex' },
        },
      },
      ...renderCluster({
        name: 'mine',
        tenant: 'globex',
        namespace: 'sneaky',
        region: 'eu-west-1',
        kubernetesVersion: '1.33',
        nodePools: [{ name: 'a' }],
      }).objects,
    ]);
    const result = await apply(USERS.acmeDev, manifest);
    expectRefused(result, 'capa.platform.manage');
    expect(portal.server.getObject(REF.namespace('sneaky'))).toBeUndefined();
  });

  it('attack: open the controller identity to every namespace', async () => {
    const manifest = toYaml([
      {
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
        kind: 'AWSClusterControllerIdentity',
        metadata: { name: 'default' },
        spec: { allowedNamespaces: {} },
      },
    ]);
    expectRefused(
      await apply(USERS.acmeDev, manifest, { force: true }),
      'capa.platform.manage',
    );
    const identity = {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'AWSClusterControllerIdentity',
      name: 'default',
    };
    expect(spec(identity).allowedNamespaces).not.toEqual({});
    // The platform team may (it is its identity to configure).
    const allowed = await apply(USERS.platform, manifest, {
      force: true,
      dryRun: true,
    });
    expect(allowed.status).toBe('completed');
  });

  it('attack: map an outside role into globex as cluster admin', async () => {
    const input = {
      managementCluster: 'local',
      namespace: 'globex',
      cluster: 'prod',
      principalArn: OUTSIDE_ROLE,
      level: 'admin',
    };
    expectRefused(
      await run(USERS.acmeDev, 'capa:access:grant', input),
      'capa.cluster.access.manage',
    );
    expect(
      JSON.stringify(spec(REF.controlPlane('globex', 'prod'))),
    ).not.toContain(OUTSIDE_ROLE);
    // The tenant's own cluster: the owner of the tenant's group may.
    const own = await run(USERS.acmeDev, 'capa:access:grant', {
      ...input,
      namespace: 'acme',
      principalArn: 'arn:aws:iam::111122223333:role/acme-developers',
      level: 'view',
    });
    expect(own.status).toBe('completed');
    // The platform team may, anywhere.
    const platform = await run(USERS.platform, 'capa:access:grant', input);
    expect(platform.status).toBe('completed');
    const revoked = await run(USERS.acmeDev, 'capa:access:revoke', input);
    expectRefused(revoked, 'capa.cluster.access.manage');
    expect(
      (await run(USERS.platform, 'capa:access:revoke', input)).status,
    ).toBe('completed');
  });

  it("attack: upgrade, resize or delete another tenant's cluster", async () => {
    const target = {
      managementCluster: 'local',
      namespace: 'globex',
      cluster: 'prod',
    };
    expectRefused(
      await run(USERS.acmeDev, 'capa:cluster:upgrade', {
        ...target,
        version: '1.34',
      }),
      'capa.cluster.update',
    );
    expectRefused(
      await run(USERS.acmeDev, 'capa:nodepool:set', {
        ...target,
        nodePool: 'general',
        maxSize: 50,
      }),
      'capa.cluster.update',
    );
    expectRefused(
      await run(USERS.acmeDev, 'capa:cluster:delete', {
        managementCluster: 'local',
        namespace: 'globex',
        name: 'prod',
        confirm: 'prod',
      }),
      'capa.cluster.delete',
    );
    expect(spec(REF.controlPlane('globex', 'prod')).version).toBe('v1.33');
    expect(
      portal.server.getObject(REF.cluster('globex', 'prod')),
    ).toBeDefined();

    // Its own cluster: allowed.
    const resized = await run(USERS.acmeDev, 'capa:nodepool:set', {
      ...target,
      namespace: 'acme',
      nodePool: 'general',
      maxSize: 4,
    });
    expect(resized.status).toBe('completed');
    expect(spec(REF.machinePool('acme', 'prod-general'))).toBeDefined();

    // ...and may upgrade and delete it.
    const upgraded = await run(USERS.acmeDev, 'capa:cluster:upgrade', {
      ...target,
      namespace: 'acme',
      version: '1.34',
    });
    expect(upgraded.status).toBe('completed');
    expect(spec(REF.controlPlane('acme', 'prod')).version).toBe('v1.34');
    const deletedOwn = await run(USERS.acmeDev, 'capa:cluster:delete', {
      managementCluster: 'local',
      namespace: 'acme',
      name: 'old',
      confirm: 'old',
    });
    expect(deletedOwn.status).toBe('completed');
    expect(portal.server.getObject(REF.cluster('acme', 'old'))).toBeUndefined();

    // The platform team may delete any cluster.
    const deleted = await run(USERS.platform, 'capa:cluster:delete', {
      managementCluster: 'local',
      namespace: 'globex',
      name: 'edge',
      confirm: 'edge',
    });
    expect(deleted.status).toBe('completed');
  });

  describe('creating clusters', () => {
    const create = (user: string, tenantName: string, name: string) =>
      portal.runTask(user, 'capa-create-eks-cluster', {
        tenant: {
          managementCluster: 'local',
          tenant: tenantName,
          namespace: tenantName,
        },
        name,
        region: 'eu-west-1',
        kubernetesVersion: '1.34',
        nodePools: [
          {
            name: 'general',
            instanceType: 'm6i.large',
            minSize: 1,
            desiredSize: 1,
            maxSize: 2,
          },
        ],
      });

    it('lets a tenant developer create a cluster in their own tenant', async () => {
      // Play CAPA: the template waits for the new Cluster to start provisioning.
      const capa = setInterval(() => {
        const fresh = portal.server.getObject(REF.cluster('acme', 'fresh'));
        if (fresh && !(fresh.status as any)?.phase)
          portal.server.setStatus(REF.cluster('acme', 'fresh'), {
            phase: 'Provisioning',
          });
      }, 50);
      try {
        const result = await create(USERS.acmeDev, 'acme', 'fresh');
        expect(result.status).toBe('completed');
        expect(result.log).toMatch(/Cluster acme\/fresh: created$/m);
      } finally {
        clearInterval(capa);
      }
    });

    it('refuses a cluster in another tenant, before the dry run', async () => {
      const result = await create(USERS.acmeDev, 'globex', 'intruder');
      expect(result.status).toBe('failed');
      expect(result.log).toContain('permission capa.cluster.create');
      expect(result.log).toContain('tenant globex');
      expect(writesIn(result.requests)).toEqual([]);
    });

    it('refuses a cluster in its own namespace that uses another tenant\u2019s identity or the manager account', async () => {
      for (const identityName of ['globex', undefined]) {
        const objects = cluster('acme', 'borrowed') as any[];
        const cp = objects.find(o => o.kind === 'AWSManagedControlPlane');
        if (identityName) cp.spec.identityRef.name = identityName;
        else delete cp.spec.identityRef;
        const result = await apply(USERS.acmeDev, toYaml(objects));
        expectRefused(result, 'capa.platform.manage');
        expect(result.log).toMatch(
          identityName
            ? /uses AWSClusterRoleIdentity globex, which belongs to tenant globex/
            : /names no identityRef/,
        );
      }
    });

    it('lets the platform team create clusters in any tenant', async () => {
      const result = await apply(
        USERS.platform,
        toYaml(cluster('globex', 'ops')),
        {
          dryRun: true,
        },
      );
      expect(result.status).toBe('completed');
    });
  });

  it('refuses capa:iam:verify (the manager credentials) to a tenant developer before calling STS', async () => {
    const result = await run(USERS.acmeDev, 'capa:iam:verify', {
      accountId: '444455556666',
      managementCluster: 'local',
    });
    expect(result.status).toBe('failed');
    expect(result.log).toContain('permission capa.platform.manage');
    expect(result.log).not.toMatch(/Step 1\/3/);
  });
});

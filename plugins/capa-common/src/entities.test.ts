import {
  clusterEntityName,
  clusterEntityRef,
  identityEntityName,
  isEntityOfCluster,
  isGroupOfTenant,
  ownerOfNamespace,
} from './entities';

const VALID_ENTITY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

describe('clusterEntityName', () => {
  it('joins management cluster, namespace and name with dots', () => {
    expect(clusterEntityName('local', 'acme', 'prod')).toBe('local.acme.prod');
    expect(
      clusterEntityRef({
        managementCluster: 'local',
        namespace: 'acme',
        name: 'prod',
      }),
    ).toBe('resource:default/local.acme.prod');
  });

  it('gives different clusters different names where "-" joins used to collide', () => {
    const pairs: Array<[string[], string[]]> = [
      [
        ['local', 'acme', 'prod-x'],
        ['local', 'acme-prod', 'x'],
      ],
      [
        ['local-acme', 'prod', 'x'],
        ['local', 'acme-prod', 'x'],
      ],
    ];
    for (const [a, b] of pairs) {
      expect(clusterEntityName(a[0], a[1], a[2])).not.toBe(
        clusterEntityName(b[0], b[1], b[2]),
      );
    }
  });

  it('shortens names over 63 characters to a prefix and a SHA-256 hash, without dots', () => {
    const parts: [string, string, string] = [
      'management-eu-west-1',
      'tenant-with-a-long-name',
      'cluster-with-a-long-name',
    ];
    const long = clusterEntityName(...parts);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(VALID_ENTITY_NAME);
    expect(long).not.toContain('.');
    expect(long).toMatch(
      /^management-eu-west-1-tenant-with-a-long-name-[-a-z]*-[0-9a-f]{16}$/,
    );
    expect(long).toBe(clusterEntityName(...parts));
    expect(long).not.toBe(
      clusterEntityName(parts[0], parts[1], 'cluster-with-a-long-namf'),
    );
    // The hash covers the parts, not their readable join.
    expect(clusterEntityName('a'.repeat(30), 'b-c', 'd'.repeat(30))).not.toBe(
      clusterEntityName('a'.repeat(30), 'b', `c-${'d'.repeat(30)}`),
    );
  });

  it('gives valid entity names at every length up to the limits of Kubernetes names', () => {
    for (const n of [1, 20, 40, 63]) {
      const name = clusterEntityName(
        'm'.repeat(n),
        'n'.repeat(n),
        `${'c'.repeat(n)}.x-1`,
      );
      expect(name).toMatch(VALID_ENTITY_NAME);
      expect(name.length).toBeLessThanOrEqual(63);
    }
  });
});

describe('identityEntityName', () => {
  it('never equals a cluster entity name', () => {
    expect(identityEntityName('local', 'acme')).toBe('local_acme');
    expect(identityEntityName('local', 'acme.prod')).not.toBe(
      clusterEntityName('local', 'acme', 'prod'),
    );
    const long = identityEntityName('local', 'i'.repeat(70));
    expect(long).toMatch(/_[0-9a-f]{16}$/);
    expect(long).toMatch(VALID_ENTITY_NAME);
  });
});

describe('isEntityOfCluster', () => {
  const ref = { managementCluster: 'local', namespace: 'acme', name: 'prod' };
  const entity = {
    kind: 'Resource',
    metadata: {
      name: 'local.acme.prod',
      namespace: 'default',
      annotations: {
        'capa.backstage.io/management-cluster': 'local',
        'capa.backstage.io/namespace': 'acme',
        'capa.backstage.io/cluster-name': 'prod',
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/team-acme' },
  };

  it('accepts the entity the provider writes for the cluster', () => {
    expect(isEntityOfCluster(entity, ref)).toBe(true);
  });

  it('refuses an entity whose annotations name another cluster', () => {
    const other = {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          'capa.backstage.io/namespace': 'globex',
        },
      },
    };
    expect(isEntityOfCluster(other, ref)).toBe(false);
    expect(isEntityOfCluster(entity, { ...ref, name: 'dev' })).toBe(false);
    expect(isEntityOfCluster({ ...entity, kind: 'Component' }, ref)).toBe(
      false,
    );
    expect(
      isEntityOfCluster({ ...entity, spec: { type: 'database' } }, ref),
    ).toBe(false);
  });
});

describe('tenant groups and owners', () => {
  it('matches a group by its tenant label', () => {
    const group = {
      kind: 'Group',
      metadata: {
        name: 'team-acme',
        labels: { 'capa.backstage.io/tenant': 'acme' },
      },
    };
    expect(isGroupOfTenant(group, 'acme')).toBe(true);
    expect(isGroupOfTenant(group, 'globex')).toBe(false);
    expect(isGroupOfTenant({ ...group, kind: 'User' }, 'acme')).toBe(false);
  });

  it('reads the owner annotation first, then the owner-group label', () => {
    expect(
      ownerOfNamespace({
        metadata: {
          annotations: { 'capa.backstage.io/owner': 'group:sso/acme-admins' },
          labels: { 'capa.backstage.io/owner-group': 'team-acme' },
        },
      }),
    ).toBe('group:sso/acme-admins');
    expect(
      ownerOfNamespace({
        metadata: { labels: { 'capa.backstage.io/owner-group': 'team-acme' } },
      }),
    ).toBe('group:default/team-acme');
    expect(ownerOfNamespace({ metadata: {} })).toBeUndefined();
  });
});

import {
  identityAdmits,
  identitySignals,
  IdentityLookup,
} from './identityChecks';

const TENANT = { 'capa.backstage.io/tenant': 'acme' };

describe('identityAdmits, as CAPA decides (pkg/cloud/scope/session.go isClusterPermittedToUsePrincipal)', () => {
  it.each([
    ['absent: nobody', undefined, 'acme', TENANT, false],
    ['{}: everybody', {}, 'acme', {}, true],
    ['listed', { list: ['acme'] }, 'acme', {}, true],
    ['not listed', { list: ['globex'] }, 'acme', TENANT, false],
    ['empty list and no selector: nobody', { list: [] }, 'acme', {}, false],
    ['empty selector: nobody', { selector: {} }, 'acme', TENANT, false],
    [
      'empty matchLabels: nobody',
      { selector: { matchLabels: {} } },
      'acme',
      TENANT,
      false,
    ],
    [
      'matching labels',
      { selector: { matchLabels: TENANT } },
      'acme',
      TENANT,
      true,
    ],
    [
      'other labels',
      { selector: { matchLabels: TENANT } },
      'acme',
      { 'capa.backstage.io/tenant': 'globex' },
      false,
    ],
    [
      'Exists expression',
      {
        selector: {
          matchExpressions: [
            { key: 'capa.backstage.io/tenant', operator: 'Exists' },
          ],
        },
      },
      'acme',
      TENANT,
      true,
    ],
    [
      'In expression without the label',
      {
        selector: {
          matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }],
        },
      },
      'acme',
      TENANT,
      false,
    ],
  ] as const)('%s', (_, allowed, ns, labels, admitted) => {
    expect(identityAdmits(allowed as any, ns, labels)).toBe(admitted);
  });
});

describe('identitySignals', () => {
  const lookup = (
    roles: Record<string, any>,
    controllers: Record<string, any>,
  ): IdentityLookup => ({
    roleIdentity: name =>
      roles[name] &&
      ({
        kind: 'AWSClusterRoleIdentity',
        metadata: { name },
        spec: roles[name],
      } as any),
    controllerIdentity: name =>
      controllers[name] &&
      ({
        kind: 'AWSClusterControllerIdentity',
        metadata: { name },
        spec: controllers[name],
      } as any),
  });
  const cp = { kind: 'AWSManagedControlPlane', name: 'prod-control-plane' };
  const ref = { kind: 'AWSClusterRoleIdentity' as const, name: 'acme' };
  const role = (extra: object = {}) => ({
    roleARN: 'arn:aws:iam::111122223333:role/capa',
    allowedNamespaces: { list: ['acme'] },
    sourceIdentityRef: {
      kind: 'AWSClusterControllerIdentity',
      name: 'default',
    },
    ...extra,
  });

  it('finds nothing wrong with a chain that admits the namespace', () => {
    expect(
      identitySignals(
        cp,
        ref,
        'acme',
        TENANT,
        lookup({ acme: role() }, { default: { allowedNamespaces: {} } }),
      ),
    ).toEqual([]);
  });

  it('names the identity that does not exist, and who refers to it', () => {
    expect(identitySignals(cp, ref, 'acme', TENANT, lookup({}, {}))).toEqual([
      expect.objectContaining({
        kind: 'AWSManagedControlPlane',
        type: 'IdentityMissing',
        message: 'AWSClusterRoleIdentity acme does not exist',
      }),
    ]);
    expect(
      identitySignals(cp, ref, 'acme', TENANT, lookup({ acme: role() }, {})),
    ).toEqual([
      expect.objectContaining({
        kind: 'AWSClusterRoleIdentity',
        name: 'acme',
        type: 'IdentityMissing',
        reason: 'SourceIdentityMissing',
        message: 'AWSClusterControllerIdentity default does not exist',
      }),
    ]);
  });

  it('finds a source identity that refuses the namespace (SourcePrincipalUsageUnauthorized) and a role that does', () => {
    const signals = identitySignals(
      cp,
      ref,
      'acme',
      TENANT,
      lookup(
        { acme: role({ allowedNamespaces: { list: ['globex'] } }) },
        {
          default: {
            allowedNamespaces: {
              selector: { matchLabels: { team: 'platform' } },
            },
          },
        },
      ),
    );
    expect(signals.map(s => [s.kind, s.name, s.reason])).toEqual([
      ['AWSClusterRoleIdentity', 'acme', 'PrincipalUsageUnauthorized'],
      [
        'AWSClusterControllerIdentity',
        'default',
        'SourcePrincipalUsageUnauthorized',
      ],
    ]);
    expect(signals[0].message).toMatch(
      /^Namespace is not permitted to use AWSClusterRoleIdentity: acme \(allowedNamespaces/,
    );
  });

  it('warns about a session longer than role chaining allows, and stops at a chain that loops', () => {
    const looping = lookup(
      {
        acme: role({
          durationSeconds: 7200,
          sourceIdentityRef: { kind: 'AWSClusterRoleIdentity', name: 'acme' },
        }),
      },
      {},
    );
    const signals = identitySignals(cp, ref, 'acme', TENANT, looping);
    expect(
      signals.filter(s => s.type === 'SessionDurationOverChainLimit').length,
    ).toBeGreaterThan(0);
    expect(signals.length).toBeLessThanOrEqual(5);
  });
});

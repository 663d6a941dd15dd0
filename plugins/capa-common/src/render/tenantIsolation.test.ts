import { typicalTenant } from '../__fixtures__/inputs';
import { CAPA_LABELS } from '../constants';
import type { AllowedNamespaces, AWSClusterRoleIdentity } from '../objects';
import {
  CapaValidationError,
  CapaValidationIssue,
  TenantInput,
} from '../validation';
import { renderControllerIdentity } from './renderControllerIdentity';
import { renderTenant } from './renderTenant';

const TENANT = CAPA_LABELS.tenant;

/** The issues of the CapaValidationError that `fn` throws (fails when it throws nothing else). */
function issuesOf(fn: () => unknown): CapaValidationIssue[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CapaValidationError);
    return (e as CapaValidationError).issues;
  }
  throw new Error('expected a CapaValidationError, but nothing was thrown');
}

function tenantIdentity(input: TenantInput) {
  const { objects, warnings } = renderTenant(input);
  const identity = objects.find(
    o => o.kind === 'AWSClusterRoleIdentity',
  ) as AWSClusterRoleIdentity;
  return { identity, allowed: identity.spec.allowedNamespaces, warnings };
}

/**
 * What CAPA does with allowedNamespaces (see CAPA-NOTES.md): absent admits nothing, the zero value
 * admits everything, otherwise the list or a non-empty selector must match the namespace.
 */
function capaAdmits(
  allowed: AllowedNamespaces | undefined,
  ns: { name: string; labels: Record<string, string> },
): boolean {
  if (!allowed) return false;
  if (allowed.list === undefined && allowed.selector === undefined) return true;
  if (allowed.list?.includes(ns.name)) return true;
  const matchLabels = allowed.selector?.matchLabels ?? {};
  const expressions = allowed.selector?.matchExpressions ?? [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0)
    return false;
  return (
    Object.entries(matchLabels).every(([k, v]) => ns.labels[k] === v) &&
    expressions.every(e => e.operator === 'Exists' && e.key in ns.labels)
  );
}

const namespaces = {
  acme: { name: 'acme', labels: { [TENANT]: 'acme' } },
  acmeStaging: { name: 'acme-staging', labels: { [TENANT]: 'acme' } },
  globex: { name: 'globex', labels: { [TENANT]: 'globex' } },
  capaSystem: { name: 'capa-system', labels: {} },
  default: { name: 'default', labels: {} },
};

describe('tenant identity: the default allowedNamespaces', () => {
  it('is a selector on the tenant label only', () => {
    const { allowed, warnings } = tenantIdentity(typicalTenant);
    expect(allowed).toEqual({
      selector: { matchLabels: { [TENANT]: 'acme' } },
    });
    expect(warnings).toEqual([]);
  });

  it("admits the tenant's namespaces and no other", () => {
    const { allowed } = tenantIdentity(typicalTenant);
    expect(capaAdmits(allowed, namespaces.acme)).toBe(true);
    expect(capaAdmits(allowed, namespaces.acmeStaging)).toBe(true);
    expect(capaAdmits(allowed, namespaces.globex)).toBe(false);
    expect(capaAdmits(allowed, namespaces.capaSystem)).toBe(false);
    expect(capaAdmits(allowed, namespaces.default)).toBe(false);
  });

  it('admits the rendered tenant Namespace, also when it is not named after the tenant', () => {
    const { objects } = renderTenant({
      ...typicalTenant,
      namespace: 'acme-clusters',
    });
    const [ns, identity] = objects as [
      { metadata: { name: string; labels: Record<string, string> } },
      AWSClusterRoleIdentity,
    ];
    expect(ns.metadata.name).toBe('acme-clusters');
    expect(identity.spec.allowedNamespaces).toEqual({
      selector: { matchLabels: { [TENANT]: 'acme' } },
    });
    expect(capaAdmits(identity.spec.allowedNamespaces, ns.metadata)).toBe(true);
  });

  it('is not opened by dangerouslyAllowAllNamespaces alone', () => {
    const { allowed, warnings } = tenantIdentity({
      ...typicalTenant,
      dangerouslyAllowAllNamespaces: true,
    });
    expect(allowed).toEqual({
      selector: { matchLabels: { [TENANT]: 'acme' } },
    });
    expect(warnings).toEqual([]);
  });

  it('cannot be escaped by labelling the namespace with another tenant', () => {
    const issues = issuesOf(() =>
      renderTenant({
        ...typicalTenant,
        namespaceLabels: { [TENANT]: 'globex' },
      }),
    );
    expect(issues).toEqual([
      {
        path: `namespaceLabels["${TENANT}"]`,
        message: expect.stringContaining('is set by the renderer'),
      },
    ]);
  });
});

describe('tenant identity: allowedNamespaces open to every namespace', () => {
  it.each([
    ['{}', {}],
    ['{selector: {}}', { selector: {} }],
  ])(
    'refuses %s without dangerouslyAllowAllNamespaces',
    (_name, allowedNamespaces) => {
      const issues = issuesOf(() =>
        renderTenant({ ...typicalTenant, allowedNamespaces }),
      );
      expect(issues).toEqual([
        {
          path: 'allowedNamespaces',
          message: expect.stringMatching(
            /admits every namespace.*dangerouslyAllowAllNamespaces: true/,
          ),
        },
      ]);
    },
  );

  it.each([
    ['{}', {}],
    ['{selector: {}}', { selector: {} }],
  ])(
    'renders %s as {} with a warning when dangerouslyAllowAllNamespaces is true',
    (_name, allowedNamespaces) => {
      const { allowed, warnings } = tenantIdentity({
        ...typicalTenant,
        allowedNamespaces,
        dangerouslyAllowAllNamespaces: true,
      });
      expect(allowed).toEqual({});
      expect(warnings).toEqual([
        expect.stringMatching(
          /^AWSClusterRoleIdentity acme admits every namespace/,
        ),
      ]);
      expect(capaAdmits(allowed, namespaces.globex)).toBe(true);
    },
  );
});

describe('tenant identity: allowedNamespaces that admit no namespace', () => {
  it.each([false, true])(
    'refuses {selector: {matchLabels: {}}} (dangerouslyAllowAllNamespaces: %s)',
    dangerouslyAllowAllNamespaces => {
      const issues = issuesOf(() =>
        renderTenant({
          ...typicalTenant,
          allowedNamespaces: { selector: { matchLabels: {} } },
          dangerouslyAllowAllNamespaces,
        }),
      );
      expect(issues).toEqual([
        {
          path: 'allowedNamespaces.selector.matchLabels',
          message: expect.stringContaining(
            'an empty matchLabels map admits no namespace at all',
          ),
        },
      ]);
    },
  );

  it.each([false, true])(
    'refuses {list: []} (dangerouslyAllowAllNamespaces: %s)',
    dangerouslyAllowAllNamespaces => {
      const issues = issuesOf(() =>
        renderTenant({
          ...typicalTenant,
          allowedNamespaces: { list: [] },
          dangerouslyAllowAllNamespaces,
        }),
      );
      expect(issues).toEqual([
        {
          path: 'allowedNamespaces.list',
          message: expect.stringContaining(
            'an empty list admits no namespace at all',
          ),
        },
      ]);
    },
  );
});

describe("tenant identity: allowedNamespaces must admit the tenant's own namespaces", () => {
  it('refuses a selector without the tenant label', () => {
    const issues = issuesOf(() =>
      renderTenant({
        ...typicalTenant,
        allowedNamespaces: { selector: { matchLabels: { team: 'acme' } } },
      }),
    );
    expect(issues).toEqual([
      {
        path: 'allowedNamespaces.selector.matchLabels',
        message: `must contain ${TENANT}: acme, so that only this tenant's namespaces are selected`,
      },
    ]);
  });

  it("refuses a selector on another tenant's label", () => {
    const issues = issuesOf(() =>
      renderTenant({
        ...typicalTenant,
        allowedNamespaces: {
          selector: { matchLabels: { [TENANT]: 'globex' } },
        },
      }),
    );
    expect(issues.map(i => i.path)).toEqual([
      'allowedNamespaces.selector.matchLabels',
    ]);
  });

  it('refuses a list without the tenant namespace', () => {
    const issues = issuesOf(() =>
      renderTenant({
        ...typicalTenant,
        allowedNamespaces: { list: ['globex', 'team-b'] },
      }),
    );
    expect(issues).toEqual([
      {
        path: 'allowedNamespaces.list',
        message: `must include the tenant's own namespace "acme"`,
      },
    ]);
  });

  it('checks the list against the namespace input, not the tenant name', () => {
    const issues = issuesOf(() =>
      renderTenant({
        ...typicalTenant,
        namespace: 'acme-clusters',
        allowedNamespaces: { list: ['acme'] },
      }),
    );
    expect(issues).toEqual([
      {
        path: 'allowedNamespaces.list',
        message: `must include the tenant's own namespace "acme-clusters"`,
      },
    ]);
  });

  it('accepts a list with the tenant namespace, sorted and without duplicates', () => {
    const { allowed, warnings } = tenantIdentity({
      ...typicalTenant,
      allowedNamespaces: { list: ['acme-staging', 'acme', 'acme-staging'] },
    });
    expect(allowed).toEqual({ list: ['acme', 'acme-staging'] });
    expect(warnings).toEqual([]);
  });

  it('refuses a selector whose extra labels the tenant namespace would not carry', () => {
    expect(() =>
      renderTenant({
        ...typicalTenant,
        allowedNamespaces: {
          selector: { matchLabels: { [TENANT]: 'acme', stage: 'prod' } },
        },
      }),
    ).toThrow(
      /would not carry stage=prod, so the identity would not admit it; add them to namespaceLabels/,
    );
  });

  it('accepts a selector narrowed by more labels next to the tenant label', () => {
    const { allowed } = tenantIdentity({
      ...typicalTenant,
      namespaceLabels: { stage: 'prod' },
      allowedNamespaces: {
        selector: { matchLabels: { [TENANT]: 'acme', stage: 'prod' } },
      },
    });
    expect(allowed).toEqual({
      selector: { matchLabels: { [TENANT]: 'acme', stage: 'prod' } },
    });
  });
});

describe('controller identity', () => {
  it('is the cluster-scoped AWSClusterControllerIdentity named default', () => {
    const { objects } = renderControllerIdentity();
    expect(objects).toHaveLength(1);
    expect(objects[0].kind).toBe('AWSClusterControllerIdentity');
    expect(objects[0].metadata.name).toBe('default');
    expect(objects[0].metadata.namespace).toBeUndefined();
  });

  it('admits by default only namespaces that carry the tenant label (matchExpressions Exists)', () => {
    const { objects, warnings } = renderControllerIdentity();
    const allowed = objects[0].spec.allowedNamespaces;
    expect(allowed).toEqual({
      selector: { matchExpressions: [{ key: TENANT, operator: 'Exists' }] },
    });
    expect(warnings).toEqual([]);
    expect(capaAdmits(allowed, namespaces.acme)).toBe(true);
    expect(capaAdmits(allowed, namespaces.globex)).toBe(true);
    expect(capaAdmits(allowed, namespaces.capaSystem)).toBe(false);
    expect(capaAdmits(allowed, namespaces.default)).toBe(false);
  });

  it('refuses {} without dangerouslyAllowAllNamespaces', () => {
    const issues = issuesOf(() =>
      renderControllerIdentity({ allowedNamespaces: {} }),
    );
    expect(issues).toEqual([
      {
        path: 'allowedNamespaces',
        message: expect.stringContaining('admits every namespace'),
      },
    ]);
  });

  it('renders {} with a warning when dangerouslyAllowAllNamespaces is true', () => {
    const { objects, warnings } = renderControllerIdentity({
      allowedNamespaces: { selector: {} },
      dangerouslyAllowAllNamespaces: true,
    });
    expect(objects[0].spec.allowedNamespaces).toEqual({});
    expect(warnings).toEqual([
      expect.stringMatching(
        /^AWSClusterControllerIdentity default admits every namespace/,
      ),
    ]);
  });

  it.each([
    ['{list: []}', { list: [] }, 'allowedNamespaces.list'],
    [
      '{selector: {matchLabels: {}}}',
      { selector: { matchLabels: {} } },
      'allowedNamespaces.selector.matchLabels',
    ],
  ])(
    'refuses %s, which admits no namespace',
    (_name, allowedNamespaces, path) => {
      const issues = issuesOf(() =>
        renderControllerIdentity({ allowedNamespaces }),
      );
      expect(issues).toEqual([
        {
          path,
          message: expect.stringContaining('admits no namespace at all'),
        },
      ]);
    },
  );
});

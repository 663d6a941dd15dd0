/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expect*"] }] -- helpers named expect* assert */
import { parseAllDocuments } from 'yaml';
import {
  typicalCluster,
  typicalIamTrust,
  typicalTenant,
} from '../__fixtures__/inputs';
import { toYaml } from '../serialize';
import type { KubernetesObject } from '../objects';
import { CapaValidationError } from '../validation';
import { renderCluster } from './renderCluster';
import { renderIamTrust } from './renderIamTrust';
import { renderTenant } from './renderTenant';

/** Inputs are edited as plain JSON: an attack is, by definition, not of the input type. */
type Draft = any;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** A payload that would add a Secret if it reached the YAML unescaped. */
const SECRET =
  'x\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: stolen';

/**
 * Serialises the objects, parses the YAML back both as YAML 1.2 and as YAML 1.1 (what kubectl and
 * GitOps tools read through sigs.k8s.io/yaml), and checks that each gives exactly the same
 * documents and values.
 */
function expectFaithfulYaml(objects: readonly object[]): string {
  const text = toYaml(objects);
  for (const version of ['1.1', '1.2'] as const) {
    const docs = parseAllDocuments(text, { version });
    expect(docs).toHaveLength(objects.length);
    for (const doc of docs) expect(doc.errors).toEqual([]);
    expect(docs.map(d => d.toJS())).toEqual(clone(objects));
  }
  // YAML 1.1 readers break lines at NEL, LS and PS; they must never appear raw.
  expect(text).not.toMatch(/[\u0085\u2028\u2029]/);
  return text;
}

function expectRejectedAt(render: () => unknown, path: string) {
  let error: unknown;
  try {
    render();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CapaValidationError);
  expect((error as CapaValidationError).issues.map(i => i.path)).toContain(
    path,
  );
}

describe('injection through fields that validation restricts', () => {
  const tenantCases: Array<[string, (t: Draft) => void, string]> = [
    ['tenant name', t => (t.name = `acme${SECRET}`), 'name'],
    ['namespace', t => (t.namespace = `acme${SECRET}`), 'namespace'],
    ['owner', t => (t.owner = `group:default/team${SECRET}`), 'owner'],
    [
      'identity name',
      t => (t.identityName = 'acme\nkind: Secret'),
      'identityName',
    ],
    [
      'namespace label value',
      t => (t.namespaceLabels = { team: SECRET }),
      'namespaceLabels.team',
    ],
    [
      'namespace label value "---"',
      t => (t.namespaceLabels = { team: '---' }),
      'namespaceLabels.team',
    ],
    [
      'namespace label key',
      t => (t.namespaceLabels = { 'team: x\nkind': 'Secret' }),
      'namespaceLabels["team: x\\nkind"]',
    ],
    [
      'external id',
      t => (t.aws.externalId = `acme${SECRET}`),
      'aws.externalId',
    ],
    [
      'external id "---"',
      t => (t.aws.externalId = 'ab\n---'),
      'aws.externalId',
    ],
    [
      'session name',
      t => (t.aws.sessionName = `capa${SECRET}`),
      'aws.sessionName',
    ],
    [
      'role name',
      t => (t.aws.roleName = `controllers${SECRET}`),
      'aws.roleName',
    ],
    [
      'account id',
      t => (t.aws.accountId = '111122223333\nkind: Secret'),
      'aws.accountId',
    ],
    [
      'allowedNamespaces list',
      t => (t.allowedNamespaces = { list: ['acme', `b${SECRET}`] }),
      'allowedNamespaces.list[1]',
    ],
    [
      'allowedNamespaces selector value',
      t =>
        (t.allowedNamespaces = {
          selector: {
            matchLabels: { 'capa.backstage.io/tenant': `acme${SECRET}` },
          },
        }),
      'allowedNamespaces.selector.matchLabels["capa.backstage.io/tenant"]',
    ],
  ];

  it.each(tenantCases)(
    'rejects a YAML payload in the tenant %s',
    (_name, edit, path) => {
      const input = clone(typicalTenant) as Draft;
      edit(input);
      expectRejectedAt(() => renderTenant(input), path);
    },
  );

  const clusterCases: Array<[string, (c: Draft) => void, string]> = [
    ['cluster name', c => (c.name = `prod${SECRET}`), 'name'],
    ['region', c => (c.region = `eu-west-1${SECRET}`), 'region'],
    [
      'Kubernetes version',
      c => (c.kubernetesVersion = `1.33${SECRET}`),
      'kubernetesVersion',
    ],
    [
      'EKS cluster name',
      c => (c.eksClusterName = `acme-prod${SECRET}`),
      'eksClusterName',
    ],
    [
      'VPC CNI version',
      c => (c.vpcCniVersion = `v1.19.2-eksbuild.1${SECRET}`),
      'vpcCniVersion',
    ],
    [
      'node pool name',
      c => (c.nodePools[0].name = `general${SECRET}`),
      'nodePools[0].name',
    ],
    [
      'instance type',
      c => (c.nodePools[0].instanceType = `m6i.large${SECRET}`),
      'nodePools[0].instanceType',
    ],
    [
      'node label value',
      c => (c.nodePools[0].labels = { 'workload-class': SECRET }),
      'nodePools[0].labels["workload-class"]',
    ],
    [
      'taint value',
      c => (c.nodePools[1].taints[0].value = SECRET),
      'nodePools[1].taints[0].value',
    ],
    [
      'taint key',
      c => (c.nodePools[1].taints[0].key = `a${SECRET}`),
      'nodePools[1].taints[0].key',
    ],
    [
      'tag value with line breaks',
      c => (c.additionalTags = { owner: SECRET }),
      'additionalTags.owner',
    ],
    [
      'tag key with line breaks',
      c => (c.additionalTags = { [`owner${SECRET}`]: 'acme' }),
      `additionalTags[${JSON.stringify(`owner${SECRET}`)}]`,
    ],
    [
      'admin role ARN',
      c =>
        (c.access.adminRoleArns = [
          `arn:aws:iam::111122223333:role/admin${SECRET}`,
        ]),
      'access.adminRoleArns[0]',
    ],
    [
      'public CIDR',
      c => (c.endpointAccess.publicCIDRs = [`203.0.113.0/24${SECRET}`]),
      'endpointAccess.publicCIDRs[0]',
    ],
    [
      'add-on name',
      c =>
        (c.addons = [
          { name: `coredns${SECRET}`, version: 'v1.11.4-eksbuild.2' },
        ]),
      'addons[0].name',
    ],
    [
      'add-on configuration that is not JSON',
      c =>
        (c.addons = [
          {
            name: 'coredns',
            version: 'v1.11.4-eksbuild.2',
            configuration: `{}${SECRET}`,
          },
        ]),
      'addons[0].configuration',
    ],
    [
      'Fargate selector namespace',
      c =>
        (c.fargateProfiles = [
          { name: 'fp', selectors: [{ namespace: `jobs${SECRET}` }] },
        ]),
      'fargateProfiles[0].selectors[0].namespace',
    ],
  ];

  it.each(clusterCases)(
    'rejects a YAML payload in the cluster %s',
    (_name, edit, path) => {
      const input = clone(typicalCluster) as Draft;
      edit(input);
      expectRejectedAt(() => renderCluster(input), path);
    },
  );

  it.each([
    [
      'tenant name',
      (t: Draft) => (t.tenants[0].name = `acme${SECRET}`),
      'tenants[0].name',
    ],
    [
      'external id',
      (t: Draft) => (t.tenants[0].externalId = `acme${SECRET}`),
      'tenants[0].externalId',
    ],
    [
      'OIDC provider id',
      (t: Draft) => (t.manager.eksOidc.providerId = `5C1F${SECRET}`),
      'manager.eksOidc.providerId',
    ],
    [
      'service account',
      (t: Draft) => (t.manager.eksOidc.serviceAccounts = [`capa${SECRET}`]),
      'manager.eksOidc.serviceAccounts[0]',
    ],
  ])('rejects a YAML payload in the IAM trust %s', (_name, edit, path) => {
    const input = clone(typicalIamTrust) as Draft;
    edit(input);
    expectRejectedAt(() => renderIamTrust(input), path);
  });
});

describe('free text that validation allows is serialised faithfully', () => {
  const controlPlane = (objects: KubernetesObject[]) =>
    objects.find(o => o.kind === 'AWSManagedControlPlane')!;

  it('keeps an add-on configuration with YAML syntax inside JSON strings as one value', () => {
    const configuration = JSON.stringify(
      {
        env: { NOTE: '---\napiVersion: v1\nkind: Secret' },
        comment: 'value # not a comment',
        anchors: '&a *a !!binary |',
        quotes: `'single' "double" \\ backslash`,
      },
      null,
      2,
    );
    const { objects } = renderCluster({
      ...typicalCluster,
      addons: [
        { name: 'coredns', version: 'v1.11.4-eksbuild.2', configuration },
      ],
    });
    const text = expectFaithfulYaml(objects);
    expect(text.match(/^kind: /gm)).toHaveLength(objects.length);
    const parsed = parseAllDocuments(text).map(d => d.toJS());
    const addon = parsed[1].spec.addons.find(
      (a: { name: string }) => a.name === 'coredns',
    );
    expect(addon.configuration).toBe(configuration);
  });

  it('keeps an add-on configuration with a document marker after a raw line separator as one value', () => {
    // Valid JSON may hold a raw U+2028 inside a string; YAML 1.1 reads it as a line break, so
    // unescaped it would end the scalar and start a document of its own.
    const configuration =
      '{\n  "a": "x\u2028---\u2028apiVersion: v1\u2028kind: Secret\u2028#"\n}';
    expect(() => JSON.parse(configuration)).not.toThrow();
    const { objects } = renderCluster({
      ...typicalCluster,
      addons: [
        { name: 'coredns', version: 'v1.11.4-eksbuild.2', configuration },
      ],
    });
    const text = expectFaithfulYaml(objects);
    expect(text).toContain('x\\L---\\LapiVersion: v1\\Lkind: Secret\\L#');
  });

  it.each([
    '# Secret',
    '&anchor',
    '*alias',
    '!!str',
    '~',
    '? key',
    '{kind: Secret}',
    '[a]',
    '|',
    '>',
    '%YAML',
  ])(
    'refuses YAML indicator characters in a tag value (%j): AWS does not allow them',
    value => {
      expectRejectedAt(
        () =>
          renderCluster({ ...typicalCluster, additionalTags: { note: value } }),
        'additionalTags.note',
      );
    },
  );

  it.each([
    ['a document marker', '---'],
    ['a document marker with an object', '--- kind: Secret'],
    ['a document end marker', '...'],
    ['a mapping', 'kind: Secret'],
    ['a raw line separator', 'x\u2028---\u2028kind: Secret'],
    ['a raw paragraph separator', 'x\u2029kind: Secret'],
    ['YAML 1.1 booleans', 'on'],
    ['YAML 1.1 booleans (yes)', 'Yes'],
    ['YAML 1.1 booleans (n)', 'n'],
    ['YAML 1.1 numbers', '1_000'],
    ['sexagesimal numbers', '12:30:00'],
    ['null', 'null'],
    ['a key with an empty value', 'kind:'],
    ['a list item', '- kind: Secret'],
  ])('keeps a tag value that looks like %s', (_name, value) => {
    const { objects } = renderCluster({
      ...typicalCluster,
      additionalTags: { note: value },
    });
    expectFaithfulYaml(objects);
    expect(controlPlane(objects).spec).toMatchObject({
      additionalTags: { note: value },
    });
  });

  it.each(['---', 'kind: Secret', '- item', ': x', 'on', 'y'])(
    'keeps a tag key %j',
    key => {
      const { objects } = renderCluster({
        ...typicalCluster,
        additionalTags: { [key]: 'v' },
      });
      expectFaithfulYaml(objects);
    },
  );

  it.each([
    'on',
    'off',
    'yes',
    'no',
    'y',
    'N',
    'true',
    'null',
    '0x1F',
    '1_000',
    '0b101',
    '1e3',
    '007',
  ])('keeps the node label value %j a string for YAML 1.1 readers', value => {
    const { objects } = renderCluster({
      ...typicalCluster,
      nodePools: [{ name: 'general', labels: { gpu: value } }],
    });
    const text = expectFaithfulYaml(objects);
    expect(text).toContain(`gpu: "${value}"`);
  });

  it('keeps tenant label values that look like YAML 1.1 booleans strings', () => {
    const { objects } = renderTenant({
      ...typicalTenant,
      namespaceLabels: { 'pci-scope': 'no', on: 'yes' },
    });
    const text = expectFaithfulYaml(objects);
    expect(text).toContain('"on": "yes"');
  });

  it('renders the typical inputs as exactly their objects', () => {
    expectFaithfulYaml(renderTenant(typicalTenant).objects);
    expectFaithfulYaml(renderCluster(typicalCluster).objects);
    expectFaithfulYaml(renderIamTrust(typicalIamTrust).objects);
  });
});

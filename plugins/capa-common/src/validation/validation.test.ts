/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expect*"] }] -- helpers named expect* assert */
import { InputError } from '@backstage/errors';
import {
  typicalCluster,
  typicalIamTrust,
  typicalTenant,
} from '../__fixtures__/inputs';
import { renderCluster } from '../render/renderCluster';
import { renderControllerIdentity } from '../render/renderControllerIdentity';
import { renderIamTrust } from '../render/renderIamTrust';
import { renderTenant } from '../render/renderTenant';
import { CapaValidationError, CapaValidationIssue } from './errors';
import {
  cidrProblem,
  labelKeyProblem,
  labelValueProblem,
  tagKeyProblem,
  tagValueProblem,
} from './rules';

/** Inputs are edited as plain JSON: a broken input is, by definition, not of the input type. */
type Draft = any;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** The issues of the CapaValidationError that `fn` throws. */
function issuesOf(fn: () => unknown): CapaValidationIssue[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CapaValidationError);
    return (e as CapaValidationError).issues;
  }
  throw new Error('expected a CapaValidationError, but the input was accepted');
}

/** What a single-value rule returns: a message matching `problem`, or undefined for no problem. */
const problemMatching = (problem: RegExp | undefined) =>
  problem ? expect.stringMatching(problem) : undefined;

/** The error that `fn` throws. */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but nothing was thrown');
}

/**
 * One rule broken by one edit of a valid input: the path of the issue, the key words of its
 * message and, when one edit necessarily breaks more than one rule, how many issues it yields.
 */
type Row = [
  rule: string,
  edit: (input: Draft) => void,
  path: string,
  message: RegExp,
  count?: number,
];

function expectRejected(
  render: (input: unknown) => unknown,
  base: unknown,
  [, edit, path, message, count = 1]: Row,
) {
  const input = clone(base);
  edit(input);
  const issues = issuesOf(() => render(input));
  expect(issues).toContainEqual({
    path,
    message: expect.stringMatching(message),
  });
  expect(issues).toHaveLength(count);
}

const DNS_LABEL = /must be a DNS-1123 label/;
const DNS_SUBDOMAIN = /must be a DNS-1123 subdomain/;
const TOO_LONG_63 = /must be at most 63 characters/;
const ACCOUNT_ID = /must be a 12-digit AWS account id/;
const IAM_NAME = /must be an IAM name: 1-64 characters/;
const ROLE_ARN =
  /must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role\/<name>/;
const USER_ARN =
  /must be an IAM user ARN: arn:<partition>:iam::<12-digit account>:user\/<name>/;
const PARTITION = /must be one of aws, aws-cn, aws-us-gov/;
const REQUIRED = /^is required$/;
const unknownField = (name: string) => new RegExp(`unknown field "${name}"`);

describe('tenant input (renderTenant)', () => {
  const rows: Row[] = [
    [
      'name: DNS-1123 label (upper case)',
      t => (t.name = 'Acme'),
      'name',
      DNS_LABEL,
    ],
    [
      'name: DNS-1123 label (underscore)',
      t => (t.name = 'acme_corp'),
      'name',
      DNS_LABEL,
    ],
    [
      'name: DNS-1123 label (leading "-")',
      t => (t.name = '-acme'),
      'name',
      DNS_LABEL,
    ],
    [
      'name: DNS-1123 label (trailing "-")',
      t => (t.name = 'acme-'),
      'name',
      DNS_LABEL,
    ],
    [
      'name: DNS-1123 label (dot)',
      t => (t.name = 'acme.corp'),
      'name',
      DNS_LABEL,
    ],
    [
      'name: at most 63 characters',
      t => (t.name = 'a'.repeat(64)),
      'name',
      TOO_LONG_63,
    ],
    ['name: required', t => delete t.name, 'name', REQUIRED],
    [
      'owner: Backstage group ref',
      t => (t.owner = 'user:default/bob'),
      'owner',
      /must be a Backstage group reference/,
    ],
    [
      'namespace: DNS-1123 label',
      t => (t.namespace = 'Acme.NS'),
      'namespace',
      DNS_LABEL,
    ],
    [
      'namespace: at most 63 characters',
      t => (t.namespace = 'n'.repeat(64)),
      'namespace',
      TOO_LONG_63,
    ],
    [
      'namespaceLabels: key name syntax',
      t => (t.namespaceLabels = { '-team': 'web' }),
      'namespaceLabels["-team"]',
      /label key name must be 1-63 letters, digits/,
    ],
    [
      'namespaceLabels: key name length',
      t => (t.namespaceLabels = { [`acme.io/${'k'.repeat(64)}`]: 'web' }),
      `namespaceLabels["acme.io/${'k'.repeat(64)}"]`,
      /label key name must be 1-63/,
    ],
    [
      'namespaceLabels: key prefix is a DNS subdomain',
      t => (t.namespaceLabels = { 'Acme_IO/team': 'web' }),
      'namespaceLabels["Acme_IO/team"]',
      /label key prefix must be a DNS-1123 subdomain/,
    ],
    [
      'namespaceLabels: value syntax',
      t => (t.namespaceLabels = { team: 'web team' }),
      'namespaceLabels.team',
      /label values must be at most 63 letters, digits/,
    ],
    [
      'namespaceLabels: value length',
      t => (t.namespaceLabels = { team: 'w'.repeat(64) }),
      'namespaceLabels.team',
      /label values must be at most 63/,
    ],
    [
      'namespaceLabels: the renderer sets tenant, owner and managed-by',
      t => (t.namespaceLabels = { 'capa.backstage.io/owner-group': 'team-b' }),
      'namespaceLabels["capa.backstage.io/owner-group"]',
      /is set by the renderer \(tenant, owner, managed-by\); remove it/,
    ],
    [
      'aws.accountId: 12 digits (11)',
      t => (t.aws.accountId = '11112222333'),
      'aws.accountId',
      ACCOUNT_ID,
    ],
    [
      'aws.accountId: 12 digits (13)',
      t => (t.aws.accountId = '1111222233334'),
      'aws.accountId',
      ACCOUNT_ID,
    ],
    [
      'aws.accountId: digits only',
      t => (t.aws.accountId = '11112222333a'),
      'aws.accountId',
      ACCOUNT_ID,
    ],
    [
      'aws.accountId: a string, not a number',
      t => (t.aws.accountId = 111122223333),
      'aws.accountId',
      /Expected string, received number/,
    ],
    [
      'aws.accountId: required',
      t => delete t.aws.accountId,
      'aws.accountId',
      REQUIRED,
    ],
    [
      'aws.partition: known',
      t => (t.aws.partition = 'aws-iso'),
      'aws.partition',
      PARTITION,
    ],
    [
      'aws.roleName: IAM name characters',
      t => (t.aws.roleName = 'capa controllers'),
      'aws.roleName',
      IAM_NAME,
    ],
    [
      'aws.roleName: at most 64 characters',
      t => (t.aws.roleName = 'r'.repeat(65)),
      'aws.roleName',
      IAM_NAME,
    ],
    [
      'aws.roleName: a name, not an ARN',
      t => (t.aws.roleName = 'arn:aws:iam::111122223333:role/x'),
      'aws.roleName',
      IAM_NAME,
    ],
    [
      'aws.externalId: at least 2 characters',
      t => (t.aws.externalId = 'x'),
      'aws.externalId',
      /must be 2-1224 characters/,
    ],
    [
      'aws.externalId: allowed characters',
      t => (t.aws.externalId = 'acme capa'),
      'aws.externalId',
      /must be 2-1224 characters/,
    ],
    [
      'aws.externalId: at most 1224 characters',
      t => (t.aws.externalId = 'e'.repeat(1225)),
      'aws.externalId',
      /must be 2-1224 characters/,
    ],
    [
      'aws.sessionName: at least 2 characters',
      t => (t.aws.sessionName = 'c'),
      'aws.sessionName',
      /must be 2-64 characters/,
    ],
    [
      'aws.sessionName: at most 64 characters',
      t => (t.aws.sessionName = 's'.repeat(65)),
      'aws.sessionName',
      /must be 2-64 characters/,
    ],
    [
      'aws.sessionName: no ":" or "/"',
      t => (t.aws.sessionName = 'capa:acme'),
      'aws.sessionName',
      /must be 2-64 characters/,
    ],
    [
      'aws.durationSeconds: at least 900',
      t => (t.aws.durationSeconds = 899),
      'aws.durationSeconds',
      /must be between 900 and 43200 seconds/,
    ],
    [
      'aws.durationSeconds: at most 43200',
      t => (t.aws.durationSeconds = 43201),
      'aws.durationSeconds',
      /must be between 900 and 43200 seconds/,
    ],
    [
      'aws.durationSeconds: whole seconds',
      t => (t.aws.durationSeconds = 1800.5),
      'aws.durationSeconds',
      /must be a whole number of seconds/,
    ],
    [
      'aws: strict (unknown field)',
      t => (t.aws.region = 'eu-west-1'),
      'aws',
      unknownField('region'),
    ],
    ['aws: required', t => delete t.aws, 'aws', REQUIRED],
    [
      'identityName: DNS-1123 subdomain',
      t => (t.identityName = 'Acme_Identity'),
      'identityName',
      DNS_SUBDOMAIN,
    ],
    [
      'identityName: at most 253 characters',
      t => (t.identityName = `${'a'.repeat(60)}.`.repeat(4) + 'b'.repeat(10)),
      'identityName',
      /must be at most 253 characters/,
    ],
    [
      'sourceIdentity.kind: controller or role identity',
      t =>
        (t.sourceIdentity = {
          kind: 'AWSClusterStaticIdentity',
          name: 'static',
        }),
      'sourceIdentity.kind',
      /Invalid enum value.*'AWSClusterControllerIdentity' \| 'AWSClusterRoleIdentity'/,
    ],
    [
      'sourceIdentity.name: DNS-1123 subdomain',
      t => (t.sourceIdentity = { kind: 'AWSClusterRoleIdentity', name: 'Hub' }),
      'sourceIdentity.name',
      DNS_SUBDOMAIN,
    ],
    [
      'sourceIdentity: strict (unknown field)',
      t =>
        (t.sourceIdentity = {
          kind: 'AWSClusterRoleIdentity',
          name: 'hub',
          namespace: 'x',
        }),
      'sourceIdentity',
      unknownField('namespace'),
    ],
    [
      'sourceIdentity: not the identity being rendered',
      t =>
        (t.sourceIdentity = { kind: 'AWSClusterRoleIdentity', name: 'acme' }),
      'sourceIdentity.name',
      /must not be the identity being rendered \(it would assume itself\)/,
    ],
    [
      'allowedNamespaces.list: DNS-1123 labels',
      t => (t.allowedNamespaces = { list: ['acme', 'Acme-Staging'] }),
      'allowedNamespaces.list[1]',
      DNS_LABEL,
    ],
    [
      'allowedNamespaces.list: not empty',
      t => (t.allowedNamespaces = { list: [] }),
      'allowedNamespaces.list',
      /an empty list admits no namespace at all/,
    ],
    [
      "allowedNamespaces.list: includes the tenant's namespace",
      t => (t.allowedNamespaces = { list: ['globex'] }),
      'allowedNamespaces.list',
      /must include the tenant's own namespace "acme"/,
    ],
    [
      'allowedNamespaces.selector.matchLabels: not empty',
      t => (t.allowedNamespaces = { selector: { matchLabels: {} } }),
      'allowedNamespaces.selector.matchLabels',
      /an empty matchLabels map admits no namespace at all/,
    ],
    [
      'allowedNamespaces.selector.matchLabels: selects the tenant label',
      t =>
        (t.allowedNamespaces = { selector: { matchLabels: { team: 'acme' } } }),
      'allowedNamespaces.selector.matchLabels',
      /must contain capa\.backstage\.io\/tenant: acme/,
    ],
    [
      'allowedNamespaces.selector.matchLabels: label rules',
      t =>
        (t.allowedNamespaces = {
          selector: {
            matchLabels: { 'capa.backstage.io/tenant': 'acme', stage: 'a b' },
          },
        }),
      'allowedNamespaces.selector.matchLabels.stage',
      /label values must be/,
    ],
    [
      'allowedNamespaces.selector: strict (matchExpressions is not accepted)',
      t => (t.allowedNamespaces = { selector: { matchExpressions: [] } }),
      'allowedNamespaces.selector',
      unknownField('matchExpressions'),
      // {selector: {}} once the unknown field is set aside: open to every namespace, refused too.
      2,
    ],
    [
      'allowedNamespaces: not every namespace unless dangerouslyAllowAllNamespaces',
      t => (t.allowedNamespaces = {}),
      'allowedNamespaces',
      /admits every namespace of the management cluster/,
    ],
    [
      'dangerouslyAllowAllNamespaces: a boolean',
      t => (t.dangerouslyAllowAllNamespaces = 'true'),
      'dangerouslyAllowAllNamespaces',
      /Expected boolean, received string/,
    ],
    [
      'strict (unknown field)',
      t => (t.labels = { a: 'b' }),
      '',
      unknownField('labels'),
    ],
  ];

  it.each(rows)('rejects: %s', (...row) => {
    expectRejected(renderTenant, typicalTenant, row);
  });

  it.each([
    ['a group ref with namespace', 'group:default/team-acme'],
    ['a group ref without namespace', 'group:team-acme'],
    ['a bare group name', 'team-acme'],
  ])('accepts an owner given as %s', (_name, owner) => {
    expect(() => renderTenant({ ...typicalTenant, owner })).not.toThrow();
  });

  it('accepts the limits of each range', () => {
    const input = clone(typicalTenant) as Draft;
    input.name = 'a'.repeat(63);
    input.aws.durationSeconds = 43200;
    input.aws.externalId = 'ab';
    input.aws.sessionName = 's'.repeat(64);
    input.aws.roleName = 'r'.repeat(64);
    expect(() => renderTenant(input)).not.toThrow();
    input.aws.durationSeconds = 900;
    expect(() => renderTenant(input)).not.toThrow();
  });
});

describe('controller identity input (renderControllerIdentity)', () => {
  const rows: Row[] = [
    [
      'strict (unknown field)',
      c => (c.name = 'default'),
      '',
      unknownField('name'),
    ],
    [
      'allowedNamespaces: not every namespace',
      c => (c.allowedNamespaces = { selector: {} }),
      'allowedNamespaces',
      /admits every namespace/,
    ],
    [
      'allowedNamespaces.list: not empty',
      c => (c.allowedNamespaces = { list: [] }),
      'allowedNamespaces.list',
      /admits no namespace at all/,
    ],
    [
      'allowedNamespaces.selector.matchLabels: not empty',
      c => (c.allowedNamespaces = { selector: { matchLabels: {} } }),
      'allowedNamespaces.selector.matchLabels',
      /admits no namespace at all/,
    ],
    [
      'allowedNamespaces.list: DNS-1123 labels',
      c => (c.allowedNamespaces = { list: ['CAPA'] }),
      'allowedNamespaces.list[0]',
      DNS_LABEL,
    ],
  ];

  it.each(rows)('rejects: %s', (...row) => {
    expectRejected(renderControllerIdentity, {}, row);
  });
});

describe('cluster input (renderCluster)', () => {
  // typicalCluster: region eu-west-1, Kubernetes 1.33, nodePools[0] "general" (m6i.large, x86,
  // min 2 / desired 3 / max 6), nodePools[1] "batch" (c7g.xlarge, arm64, min 0 / max 10, a taint).
  const rows: Row[] = [
    ['name: DNS-1123 label', c => (c.name = 'Prod'), 'name', DNS_LABEL],
    [
      'name: at most 63 characters',
      c => (c.name = 'p'.repeat(64)),
      'name',
      TOO_LONG_63,
      3,
    ],
    ['tenant: DNS-1123 label', c => (c.tenant = 'ACME'), 'tenant', DNS_LABEL],
    ['tenant: required', c => delete c.tenant, 'tenant', REQUIRED],
    [
      'namespace: DNS-1123 label',
      c => (c.namespace = 'acme_ns'),
      'namespace',
      DNS_LABEL,
    ],
    [
      'identityName: DNS-1123 subdomain',
      c => (c.identityName = 'Acme'),
      'identityName',
      DNS_SUBDOMAIN,
    ],
    [
      'region: known AWS region',
      c => (c.region = 'eu-west-9'),
      'region',
      /must be a known AWS region where EKS runs/,
    ],
    ['region: required', c => delete c.region, 'region', REQUIRED],
    [
      'kubernetesVersion: in the supported list',
      c => (c.kubernetesVersion = '1.29'),
      'kubernetesVersion',
      /must be a supported Kubernetes minor version: 1\.31, 1\.32, 1\.33, 1\.34, 1\.35, 1\.36 \(EKS picks the patch release\)/,
    ],
    [
      'kubernetesVersion: a minor version, not a patch release',
      c => (c.kubernetesVersion = '1.33.2'),
      'kubernetesVersion',
      /supported Kubernetes minor version/,
    ],
    [
      'kubernetesVersion: a string',
      c => (c.kubernetesVersion = 1.33),
      'kubernetesVersion',
      /Expected string, received number/,
    ],
    [
      'eksClusterName: EKS name characters',
      c => (c.eksClusterName = 'acme.prod'),
      'eksClusterName',
      /must be an EKS cluster name: 1-100 letters/,
    ],
    [
      'eksClusterName: starts with a letter or digit',
      c => (c.eksClusterName = '-acme'),
      'eksClusterName',
      /must be an EKS cluster name/,
    ],
    [
      'eksClusterName: at most 100 characters',
      c => (c.eksClusterName = 'e'.repeat(101)),
      'eksClusterName',
      /must be an EKS cluster name: 1-100/,
    ],
    [
      'eksClusterName: the default "<namespace>-<name>" fits in 100 characters',
      c => {
        c.namespace = 'n'.repeat(63);
        c.name = 'c'.repeat(40);
      },
      'eksClusterName',
      /the default ".*" is longer than EKS's 100 characters; set eksClusterName/,
    ],
    [
      'vpcCniVersion: EKS add-on version',
      c => (c.vpcCniVersion = '1.19.2'),
      'vpcCniVersion',
      /must be an EKS add-on version such as "v1\.19\.2-eksbuild\.1"/,
    ],
    [
      'addons[].name: DNS-1123 label',
      c => (c.addons = [{ name: 'CoreDNS', version: 'v1.11.4-eksbuild.2' }]),
      'addons[0].name',
      DNS_LABEL,
    ],
    [
      'addons[].version: EKS add-on version',
      c => (c.addons = [{ name: 'coredns', version: 'latest' }]),
      'addons[0].version',
      /must be an EKS add-on version/,
    ],
    [
      'addons[].conflictResolution: overwrite, none or preserve',
      c =>
        (c.addons = [
          {
            name: 'coredns',
            version: 'v1.11.4-eksbuild.2',
            conflictResolution: 'replace',
          },
        ]),
      'addons[0].conflictResolution',
      /Invalid enum value. Expected 'overwrite' \| 'none' \| 'preserve'/,
    ],
    [
      'addons[].configuration: a JSON document',
      c =>
        (c.addons = [
          {
            name: 'coredns',
            version: 'v1.11.4-eksbuild.2',
            configuration: 'replicaCount: 3',
          },
        ]),
      'addons[0].configuration',
      /must be a JSON document/,
    ],
    [
      'addons[].serviceAccountRoleARN: a role ARN',
      c =>
        (c.addons = [
          {
            name: 'aws-ebs-csi-driver',
            version: 'v1.40.0-eksbuild.1',
            serviceAccountRoleARN: 'ebs-csi',
          },
        ]),
      'addons[0].serviceAccountRoleARN',
      ROLE_ARN,
    ],
    [
      'addons[]: strict (unknown field)',
      c =>
        (c.addons = [
          { name: 'coredns', version: 'v1.11.4-eksbuild.2', tags: {} },
        ]),
      'addons[0]',
      unknownField('tags'),
    ],
    [
      'addons: unique names',
      c =>
        (c.addons = [
          { name: 'coredns', version: 'v1.11.4-eksbuild.2' },
          { name: 'coredns', version: 'v1.11.4-eksbuild.14' },
        ]),
      'addons[1].name',
      /add-on name "coredns" is used twice \(also at addons\[0\]\.name\); add-on names must be unique/,
    ],
    [
      'addons: vpc-cni is set through vpcCniVersion',
      c => (c.addons = [{ name: 'vpc-cni', version: 'v1.20.0-eksbuild.1' }]),
      'addons[0].name',
      /vpc-cni is always installed; set its version with vpcCniVersion/,
    ],
    [
      'endpointAccess: public or private',
      c => (c.endpointAccess = { public: false, private: false }),
      'endpointAccess',
      /at least one of public and private must be true/,
    ],
    [
      'endpointAccess.publicCIDRs: only with public access',
      c => (c.endpointAccess.public = false),
      'endpointAccess.publicCIDRs',
      /only applies when public is true/,
    ],
    [
      'endpointAccess.publicCIDRs[]: CIDR syntax',
      c => (c.endpointAccess.publicCIDRs = ['203.0.113.0']),
      'endpointAccess.publicCIDRs[0]',
      /must be a CIDR block such as 10\.0\.0\.0\/16/,
    ],
    [
      'endpointAccess.publicCIDRs[]: a valid address',
      c => (c.endpointAccess.publicCIDRs = ['203.0.113.256/32']),
      'endpointAccess.publicCIDRs[0]',
      /must be a CIDR block with a valid IPv4 or IPv6 address/,
    ],
    [
      'endpointAccess.publicCIDRs[]: IPv4 prefix at most 32',
      c => (c.endpointAccess.publicCIDRs = ['203.0.113.0/33']),
      'endpointAccess.publicCIDRs[0]',
      /prefix length must be at most 32/,
    ],
    [
      'endpointAccess.publicCIDRs[]: no host bits',
      c => (c.endpointAccess.publicCIDRs = ['203.0.113.7/24']),
      'endpointAccess.publicCIDRs[0]',
      /host bits must be zero \(use the network address\)/,
    ],
    [
      'endpointAccess.publicCIDRs[]: IPv6 prefix at most 128',
      c => (c.endpointAccess.publicCIDRs = ['2001:db8::/129']),
      'endpointAccess.publicCIDRs[0]',
      /prefix length must be at most 128/,
    ],
    [
      'endpointAccess.publicCIDRs[]: IPv6 without host bits',
      c => (c.endpointAccess.publicCIDRs = ['2001:db8::1/64']),
      'endpointAccess.publicCIDRs[0]',
      /host bits must be zero/,
    ],
    [
      'endpointAccess.publicCIDRs[]: one "::" in IPv6',
      c => (c.endpointAccess.publicCIDRs = ['2001::db8::/64']),
      'endpointAccess.publicCIDRs[0]',
      /valid IPv4 or IPv6 address/,
    ],
    [
      'endpointAccess: strict (unknown field)',
      c => (c.endpointAccess.privateCIDRs = []),
      'endpointAccess',
      unknownField('privateCIDRs'),
    ],
    [
      'logging: strict (unknown field)',
      c => (c.logging.api = true),
      'logging',
      unknownField('api'),
    ],
    [
      'logging.*: booleans',
      c => (c.logging.audit = 'yes'),
      'logging.audit',
      /Expected boolean, received string/,
    ],
    [
      'access.mode: config_map, api or api_and_config_map',
      c => (c.access.mode = 'iam'),
      'access.mode',
      /Expected 'config_map' \| 'api' \| 'api_and_config_map'/,
    ],
    [
      'access.adminRoleArns[]: role ARNs',
      c => (c.access.adminRoleArns = ['arn:aws:iam::111122223333:user/alice']),
      'access.adminRoleArns[0]',
      ROLE_ARN,
    ],
    [
      'access.readOnlyRoleArns[]: 12-digit account in the ARN',
      c => (c.access.readOnlyRoleArns = ['arn:aws:iam::11112222333:role/dev']),
      'access.readOnlyRoleArns[0]',
      ROLE_ARN,
    ],
    [
      'access.readOnlyRoleArns[]: a known partition in the ARN',
      c =>
        (c.access.readOnlyRoleArns = [
          'arn:aws-iso:iam::111122223333:role/dev',
        ]),
      'access.readOnlyRoleArns[0]',
      ROLE_ARN,
      // and "aws-iso" is not the partition of eu-west-1 either
      2,
    ],
    [
      'access.readOnlyRoleArns[]: role name at most 64 characters',
      c =>
        (c.access.readOnlyRoleArns = [
          `arn:aws:iam::111122223333:role/${'r'.repeat(65)}`,
        ]),
      'access.readOnlyRoleArns[0]',
      ROLE_ARN,
    ],
    [
      'access.adminUserArns[]: user ARNs',
      c => (c.access.adminUserArns = ['arn:aws:iam::111122223333:role/admin']),
      'access.adminUserArns[0]',
      USER_ARN,
    ],
    [
      'access.readOnlyUserArns[]: well-formed user ARNs',
      c =>
        (c.access.readOnlyUserArns = [
          'arn:aws:iam:eu-west-1:111122223333:user/bob',
        ]),
      'access.readOnlyUserArns[0]',
      USER_ARN,
    ],
    [
      'access: each principal once',
      c => (c.access.readOnlyRoleArns = [...c.access.adminRoleArns]),
      'access.readOnlyRoleArns[0]',
      /principal ARN "arn:aws:iam::111122223333:role\/acme-platform-admin" is used twice \(also at access\.adminRoleArns\[0\]\)/,
    ],
    [
      "access: ARNs in the region's partition",
      c =>
        (c.access.adminRoleArns = [
          'arn:aws-cn:iam::111122223333:role/acme-platform-admin',
        ]),
      'access.adminRoleArns[0]',
      /is in partition "aws-cn" but region eu-west-1 is in "aws"/,
    ],
    [
      "access: user ARNs in the region's partition too",
      c => {
        c.region = 'us-gov-west-1';
        c.access = { adminUserArns: ['arn:aws:iam::111122223333:user/alice'] };
      },
      'access.adminUserArns[0]',
      /is in partition "aws" but region us-gov-west-1 is in "aws-us-gov"/,
    ],
    [
      'access: strict (unknown field)',
      c => (c.access.adminGroups = []),
      'access',
      unknownField('adminGroups'),
    ],
    [
      'additionalTags: keys not starting with "aws:"',
      c => (c.additionalTags = { 'AWS:cost-center': 'x' }),
      'additionalTags["AWS:cost-center"]',
      /tag keys must not start with "aws:" \(reserved by AWS\)/,
    ],
    [
      'additionalTags: keys of 1-128 characters',
      c => (c.additionalTags = { ['k'.repeat(129)]: 'x' }),
      `additionalTags.${'k'.repeat(129)}`,
      /tag keys must be 1-128 characters/,
    ],
    [
      'additionalTags: keys not empty',
      c => (c.additionalTags = { '': 'x' }),
      'additionalTags[""]',
      /tag keys must be 1-128 characters/,
    ],
    [
      'additionalTags: key characters',
      c => (c.additionalTags = { 'cost#center': 'x' }),
      'additionalTags["cost#center"]',
      /tag keys may hold only letters, digits, spaces/,
    ],
    [
      'additionalTags: values of at most 256 characters',
      c => (c.additionalTags = { owner: 'v'.repeat(257) }),
      'additionalTags.owner',
      /tag values must be at most 256 characters/,
    ],
    [
      'additionalTags: value characters',
      c => (c.additionalTags = { owner: 'acme;rm' }),
      'additionalTags.owner',
      /tag values may hold only letters, digits, spaces/,
    ],
    [
      'additionalTags: string values',
      c => (c.additionalTags = { replicas: 3 }),
      'additionalTags.replicas',
      /Expected string, received number/,
    ],
    [
      'network.vpcCidr: prefix /16 or longer',
      c => (c.network.vpcCidr = '10.0.0.0/8'),
      'network.vpcCidr',
      /prefix length must be between \/16 and \/28/,
    ],
    [
      'network.vpcCidr: prefix /28 or shorter',
      c => (c.network.vpcCidr = '10.0.0.0/29'),
      'network.vpcCidr',
      /prefix length must be between \/16 and \/28/,
    ],
    [
      'network.vpcCidr: IPv4 only',
      c => (c.network.vpcCidr = '2001:db8::/56'),
      'network.vpcCidr',
      /must be an IPv4 CIDR block such as 10\.0\.0\.0\/16/,
    ],
    [
      'network.vpcCidr: no host bits',
      c => (c.network.vpcCidr = '10.20.1.0/16'),
      'network.vpcCidr',
      /host bits must be zero/,
    ],
    [
      'network.vpcCidr: no leading zeros',
      c => (c.network.vpcCidr = '010.20.0.0/16'),
      'network.vpcCidr',
      /must be an IPv4 CIDR block/,
    ],
    [
      'network.podCidr: IPv4 only',
      c => (c.network.podCidr = 'fd00::/48'),
      'network.podCidr',
      /must be an IPv4 CIDR block/,
    ],
    [
      'network.podCidr: CIDR syntax',
      c => (c.network.podCidr = '192.168.0.0/16/1'),
      'network.podCidr',
      /must be a CIDR block such as/,
    ],
    [
      'network.serviceCidr: prefix /12 or longer',
      c => (c.network.serviceCidr = '172.16.0.0/11'),
      'network.serviceCidr',
      /prefix length must be between \/12 and \/24/,
    ],
    [
      'network.serviceCidr: prefix /24 or shorter',
      c => (c.network.serviceCidr = '172.20.0.0/25'),
      'network.serviceCidr',
      /prefix length must be between \/12 and \/24/,
    ],
    [
      'network: strict (unknown field)',
      c => (c.network.subnets = []),
      'network',
      unknownField('subnets'),
    ],
    [
      'nodePools[].name: DNS-1123 label',
      c => (c.nodePools[1].name = 'Batch'),
      'nodePools[1].name',
      DNS_LABEL,
    ],
    [
      'nodePools[].name: "<cluster>-<pool>" (MachinePool and node group name) at most 63 characters',
      c => (c.nodePools[1].name = 'b'.repeat(59)),
      'nodePools[1].name',
      /"prod-b+" names the MachinePool and EKS node group and must be at most 63 characters/,
    ],
    [
      'nodePools: unique names',
      c => (c.nodePools[1].name = 'general'),
      'nodePools[1].name',
      /node pool name "general" is used twice \(also at nodePools\[0\]\.name\); node pool names must be unique/,
    ],
    [
      'nodePools[].instanceType: family.size',
      c => (c.nodePools[0].instanceType = 'm6i'),
      'nodePools[0].instanceType',
      /must be an EC2 instance type such as "t3\.large"/,
    ],
    [
      'nodePools[].minSize: 0 or more',
      c => (c.nodePools[1].minSize = -1),
      'nodePools[1].minSize',
      /must be 0 or more/,
    ],
    [
      'nodePools[].minSize: whole number',
      c => (c.nodePools[0].minSize = 2.5),
      'nodePools[0].minSize',
      /must be a whole number/,
    ],
    [
      'nodePools[].maxSize: 1 or more',
      c => (c.nodePools[1].maxSize = 0),
      'nodePools[1].maxSize',
      /must be 1 or more/,
    ],
    [
      'nodePools[].maxSize: whole number',
      c => (c.nodePools[1].maxSize = 9.5),
      'nodePools[1].maxSize',
      /must be a whole number/,
    ],
    [
      'nodePools[].maxSize: a number',
      c => (c.nodePools[1].maxSize = '10'),
      'nodePools[1].maxSize',
      /Expected number, received string/,
    ],
    [
      'nodePools[].desiredSize: whole number',
      c => (c.nodePools[0].desiredSize = 2.5),
      'nodePools[0].desiredSize',
      /must be a whole number/,
    ],
    [
      'nodePools[].desiredSize: 0 or more',
      c => (c.nodePools[1].desiredSize = -1),
      'nodePools[1].desiredSize',
      /must be 0 or more/,
      // -1 is also below minSize (0)
      2,
    ],
    [
      'nodePools[]: minSize <= maxSize',
      c => {
        c.nodePools[0].minSize = 7;
        delete c.nodePools[0].desiredSize;
      },
      'nodePools[0].minSize',
      /must be <= maxSize \(6\)/,
    ],
    [
      'nodePools[]: desiredSize <= maxSize',
      c => (c.nodePools[0].desiredSize = 7),
      'nodePools[0].desiredSize',
      /must be between minSize \(2\) and maxSize \(6\)/,
    ],
    [
      'nodePools[]: minSize <= desiredSize',
      c => (c.nodePools[0].desiredSize = 1),
      'nodePools[0].desiredSize',
      /must be between minSize \(2\) and maxSize \(6\)/,
    ],
    [
      'nodePools[].capacityType: onDemand or spot',
      c => (c.nodePools[1].capacityType = 'SPOT'),
      'nodePools[1].capacityType',
      /Expected 'onDemand' \| 'spot'/,
    ],
    [
      'nodePools[].amiType: a CAPA AMI type',
      c => (c.nodePools[0].amiType = 'AL2023'),
      'nodePools[0].amiType',
      /Invalid enum value.*'AL2_x86_64'/,
    ],
    [
      'nodePools[].amiType: no Amazon Linux 2 on Kubernetes >= 1.33',
      c => (c.nodePools[0].amiType = 'AL2_x86_64'),
      'nodePools[0].amiType',
      /Amazon Linux 2 AMIs are not published for Kubernetes 1\.33 and later; use an AL2023_\* or BOTTLEROCKET_\* type/,
    ],
    [
      'nodePools[].amiType: x86_64 AMI on an arm64 (Graviton) instance',
      c => (c.nodePools[1].amiType = 'AL2023_x86_64_STANDARD'),
      'nodePools[1].amiType',
      /AL2023_x86_64_STANDARD is for x86_64 but c7g\.xlarge is an arm64 \(Graviton\) instance type/,
    ],
    [
      'nodePools[].amiType: arm64 AMI on an x86_64 instance',
      c => (c.nodePools[0].amiType = 'BOTTLEROCKET_ARM_64'),
      'nodePools[0].amiType',
      /BOTTLEROCKET_ARM_64 is for arm64 but m6i\.large is an x86_64 instance type/,
    ],
    [
      'nodePools[].diskSizeGiB: at least 8',
      c => (c.nodePools[0].diskSizeGiB = 4),
      'nodePools[0].diskSizeGiB',
      /must be at least 8 GiB/,
    ],
    [
      'nodePools[].diskSizeGiB: at most 16384',
      c => (c.nodePools[0].diskSizeGiB = 16385),
      'nodePools[0].diskSizeGiB',
      /must be at most 16384 GiB/,
    ],
    [
      'nodePools[].diskSizeGiB: whole number',
      c => (c.nodePools[0].diskSizeGiB = 20.5),
      'nodePools[0].diskSizeGiB',
      /must be a whole number/,
    ],
    [
      'nodePools[].labels: key rules',
      c => (c.nodePools[0].labels = { 'node role': 'web' }),
      'nodePools[0].labels["node role"]',
      /label key name must be/,
    ],
    [
      'nodePools[].labels: value rules',
      c => (c.nodePools[0].labels = { 'workload-class': 'general purpose' }),
      'nodePools[0].labels["workload-class"]',
      /label values must be/,
    ],
    [
      'nodePools[].taints[].key: label key name rules',
      c => (c.nodePools[1].taints[0].key = 'workload class'),
      'nodePools[1].taints[0].key',
      /taint key name must be 1-63 letters/,
    ],
    [
      'nodePools[].taints[].key: label key prefix rules',
      c => (c.nodePools[1].taints[0].key = 'Acme_IO/workload-class'),
      'nodePools[1].taints[0].key',
      /taint key prefix must be a DNS-1123 subdomain/,
    ],
    [
      'nodePools[].taints[].value: label value rules',
      c => (c.nodePools[1].taints[0].value = 'batch jobs'),
      'nodePools[1].taints[0].value',
      /taint values must be at most 63/,
    ],
    [
      'nodePools[].taints[].effect: Kubernetes effect names',
      c => (c.nodePools[1].taints[0].effect = 'no-schedule'),
      'nodePools[1].taints[0].effect',
      /Expected 'NoSchedule' \| 'PreferNoSchedule' \| 'NoExecute'/,
    ],
    [
      'nodePools[].taints[]: strict (unknown field)',
      c => (c.nodePools[1].taints[0].operator = 'Equal'),
      'nodePools[1].taints[0]',
      unknownField('operator'),
    ],
    [
      'nodePools[]: strict (unknown field)',
      c => (c.nodePools[0].replicas = 3),
      'nodePools[0]',
      unknownField('replicas'),
    ],
    [
      'nodePools: at least one node pool or Fargate profile',
      c => (c.nodePools = []),
      'nodePools',
      /needs at least one node pool \(or a Fargate profile\)/,
    ],
    [
      'fargateProfiles[].name: DNS-1123 label',
      c =>
        (c.fargateProfiles = [
          { name: 'FP', selectors: [{ namespace: 'jobs' }] },
        ]),
      'fargateProfiles[0].name',
      DNS_LABEL,
    ],
    [
      'fargateProfiles[].selectors: at least one',
      c => (c.fargateProfiles = [{ name: 'fp', selectors: [] }]),
      'fargateProfiles[0].selectors',
      /needs at least one selector/,
    ],
    [
      'fargateProfiles[].selectors: at most 5',
      c =>
        (c.fargateProfiles = [
          {
            name: 'fp',
            selectors: ['a', 'b', 'c', 'd', 'e', 'f'].map(namespace => ({
              namespace,
            })),
          },
        ]),
      'fargateProfiles[0].selectors',
      /must hold at most 5 selectors \(EKS: selectors per Fargate profile\)/,
    ],
    [
      'fargateProfiles[].selectors[].namespace: DNS-1123 label',
      c =>
        (c.fargateProfiles = [
          { name: 'fp', selectors: [{ namespace: 'Jobs' }] },
        ]),
      'fargateProfiles[0].selectors[0].namespace',
      DNS_LABEL,
    ],
    [
      'fargateProfiles[].selectors[].labels: label rules',
      c =>
        (c.fargateProfiles = [
          {
            name: 'fp',
            selectors: [{ namespace: 'jobs', labels: { app: 'a/b' } }],
          },
        ]),
      'fargateProfiles[0].selectors[0].labels.app',
      /label values must be/,
    ],
    [
      'fargateProfiles[].selectors[]: strict (unknown field)',
      c =>
        (c.fargateProfiles = [
          { name: 'fp', selectors: [{ namespace: 'jobs', podLabels: {} }] },
        ]),
      'fargateProfiles[0].selectors[0]',
      unknownField('podLabels'),
    ],
    [
      'fargateProfiles[]: strict (unknown field)',
      c =>
        (c.fargateProfiles = [
          { name: 'fp', roleName: 'x', selectors: [{ namespace: 'jobs' }] },
        ]),
      'fargateProfiles[0]',
      unknownField('roleName'),
    ],
    [
      'fargateProfiles: unique names',
      c =>
        (c.fargateProfiles = [
          { name: 'fp', selectors: [{ namespace: 'jobs' }] },
          { name: 'fp', selectors: [{ namespace: 'web' }] },
        ]),
      'fargateProfiles[1].name',
      /Fargate profile name "fp" is used twice \(also at fargateProfiles\[0\]\.name\)/,
    ],
    [
      'strict (unknown field)',
      c => (c.version = 'v1.33'),
      '',
      unknownField('version'),
    ],
  ];

  it.each(rows)('rejects: %s', (...row) => {
    expectRejected(renderCluster, typicalCluster, row);
  });

  it('accepts the Kubernetes version with a leading "v"', () => {
    const { objects } = renderCluster({
      ...typicalCluster,
      kubernetesVersion: 'v1.33',
    });
    expect(objects[1].spec).toMatchObject({ version: 'v1.33' });
  });

  it('honours a custom list of Kubernetes versions', () => {
    const options = { kubernetesVersions: ['1.37', '1.38'] };
    expect(() =>
      renderCluster({ ...typicalCluster, kubernetesVersion: '1.37' }, options),
    ).not.toThrow();
    const issues = issuesOf(() => renderCluster(typicalCluster, options));
    expect(issues).toEqual([
      {
        path: 'kubernetesVersion',
        message:
          'must be a supported Kubernetes minor version: 1.37, 1.38 (EKS picks the patch release)',
      },
    ]);
  });

  it('accepts IPv6 where IPv6 is allowed (public endpoint CIDRs)', () => {
    const input = clone(typicalCluster) as Draft;
    input.endpointAccess.publicCIDRs = [
      '203.0.113.0/24',
      '2001:db8::/32',
      '2001:db8:0:0:1::/80',
      '::/0',
    ];
    expect(() => renderCluster(input)).not.toThrow();
  });

  it('accepts Amazon Linux 2 before Kubernetes 1.33', () => {
    const input = clone(typicalCluster) as Draft;
    input.kubernetesVersion = '1.32';
    input.nodePools[0].amiType = 'AL2_x86_64';
    expect(() => renderCluster(input)).not.toThrow();
  });

  it.each([
    ['m7g.large', 'AL2023_ARM_64_STANDARD'],
    ['c7gn.2xlarge', 'BOTTLEROCKET_ARM_64'],
    ['g5g.xlarge', 'AL2023_ARM_64_NVIDIA'],
    ['g4dn.xlarge', 'AL2023_x86_64_NVIDIA'],
    ['m7i-flex.large', 'AL2023_x86_64_STANDARD'],
    ['m6i.large', 'WINDOWS_CORE_2022_x86_64'],
  ])('accepts instance type %s with AMI type %s', (instanceType, amiType) => {
    const input = clone(typicalCluster) as Draft;
    input.nodePools[0] = { name: 'general', instanceType, amiType };
    expect(() => renderCluster(input)).not.toThrow();
  });

  it('accepts a cluster with Fargate profiles and no node pool', () => {
    const input = clone(typicalCluster) as Draft;
    input.nodePools = [];
    input.fargateProfiles = [
      { name: 'fp', selectors: [{ namespace: 'default' }] },
    ];
    expect(() => renderCluster(input)).not.toThrow();
  });

  it('reports a node pool without desiredSize whose minSize exceeds maxSize once, on minSize', () => {
    const input = clone(typicalCluster) as Draft;
    input.nodePools[1].minSize = 11;
    expect(issuesOf(() => renderCluster(input))).toEqual([
      { path: 'nodePools[1].minSize', message: 'must be <= maxSize (10)' },
    ]);
  });
});

describe('IAM trust input (renderIamTrust)', () => {
  // typicalIamTrust: partition aws (default), manager 999988887777 with eksOidc in eu-west-1,
  // tenants[0] acme (external id), tenants[1] globex.
  const rows: Row[] = [
    [
      'partition: known',
      t => (t.partition = 'aws-iso-b'),
      'partition',
      PARTITION,
    ],
    [
      'manager.accountId: 12 digits',
      t => (t.manager.accountId = '99998888777'),
      'manager.accountId',
      ACCOUNT_ID,
    ],
    [
      'manager.accountId: required',
      t => delete t.manager.accountId,
      'manager.accountId',
      REQUIRED,
    ],
    [
      'manager.roleName: IAM name',
      t => (t.manager.roleName = 'role/controllers'),
      'manager.roleName',
      IAM_NAME,
    ],
    [
      'manager.eksOidc.providerId: 32 hex characters',
      t => (t.manager.eksOidc.providerId = '5C1F4E2B9A8D7C6B5A4F3E2D1C0B9A8'),
      'manager.eksOidc.providerId',
      /must be the 32 hexadecimal characters at the end of the EKS cluster's OIDC issuer URL/,
    ],
    [
      'manager.eksOidc.providerId: hex only',
      t => (t.manager.eksOidc.providerId = 'ZC1F4E2B9A8D7C6B5A4F3E2D1C0B9A87'),
      'manager.eksOidc.providerId',
      /32 hexadecimal characters/,
    ],
    [
      'manager.eksOidc.providerId: not the issuer URL',
      t =>
        (t.manager.eksOidc.providerId =
          'https://oidc.eks.eu-west-1.amazonaws.com/id/5C1F4E2B9A8D7C6B5A4F3E2D1C0B9A87'),
      'manager.eksOidc.providerId',
      /32 hexadecimal characters/,
    ],
    [
      'manager.eksOidc.region: in the partition',
      t => (t.manager.eksOidc.region = 'cn-north-1'),
      'manager.eksOidc.region',
      /must be a known AWS region of partition "aws"/,
    ],
    [
      'manager.eksOidc.region: known',
      t => (t.manager.eksOidc.region = 'eu-west-9'),
      'manager.eksOidc.region',
      /must be a known AWS region of partition "aws"/,
    ],
    [
      'manager.eksOidc.controllerNamespace: DNS-1123 label',
      t => (t.manager.eksOidc.controllerNamespace = 'CAPA'),
      'manager.eksOidc.controllerNamespace',
      DNS_LABEL,
    ],
    [
      'manager.eksOidc.serviceAccounts: at least one',
      t => (t.manager.eksOidc.serviceAccounts = []),
      'manager.eksOidc.serviceAccounts',
      /needs at least one service account/,
    ],
    [
      'manager.eksOidc.serviceAccounts[]: DNS-1123 subdomains',
      t => (t.manager.eksOidc.serviceAccounts = ['capa:manager']),
      'manager.eksOidc.serviceAccounts[0]',
      DNS_SUBDOMAIN,
    ],
    [
      'manager.eksOidc.serviceAccounts: unique',
      t =>
        (t.manager.eksOidc.serviceAccounts = [
          'capa-controller-manager',
          'capa-controller-manager',
        ]),
      'manager.eksOidc.serviceAccounts[1]',
      /service account "capa-controller-manager" is used twice \(also at manager\.eksOidc\.serviceAccounts\[0\]\)/,
    ],
    [
      'manager.eksOidc: strict (unknown field)',
      t => (t.manager.eksOidc.issuer = 'x'),
      'manager.eksOidc',
      unknownField('issuer'),
    ],
    [
      'manager: strict (unknown field)',
      t => (t.manager.partition = 'aws'),
      'manager',
      unknownField('partition'),
    ],
    [
      'tenants: at least one',
      t => (t.tenants = []),
      'tenants',
      /needs at least one tenant account/,
    ],
    [
      'tenants[].name: DNS-1123 label',
      t => (t.tenants[1].name = 'Globex'),
      'tenants[1].name',
      DNS_LABEL,
    ],
    [
      'tenants: unique names',
      t => (t.tenants[1].name = 'acme'),
      'tenants[1].name',
      /tenant name "acme" is used twice \(also at tenants\[0\]\.name\); tenant names must be unique/,
    ],
    [
      'tenants[].accountId: 12 digits',
      t => (t.tenants[1].accountId = '4444-5555-6666'),
      'tenants[1].accountId',
      ACCOUNT_ID,
    ],
    [
      'tenants: one entry per account and role',
      t => (t.tenants[1].accountId = t.tenants[0].accountId),
      'tenants[1].accountId',
      /tenant account\/role "111122223333\/controllers\.cluster-api-provider-aws\.sigs\.k8s\.io" is used twice/,
    ],
    [
      'tenants[].roleName: IAM name',
      t => (t.tenants[0].roleName = 'controllers*'),
      'tenants[0].roleName',
      IAM_NAME,
    ],
    [
      'tenants[].externalId: 2-1224 characters',
      t => (t.tenants[0].externalId = 'a\nb'),
      'tenants[0].externalId',
      /must be 2-1224 characters/,
    ],
    [
      'tenants[].fargate: a boolean',
      t => (t.tenants[0].fargate = 'yes'),
      'tenants[0].fargate',
      /Expected boolean, received string/,
    ],
    [
      'tenants[]: strict (unknown field)',
      t => (t.tenants[0].region = 'eu-west-1'),
      'tenants[0]',
      unknownField('region'),
    ],
    [
      'strict (unknown field)',
      t => (t.allowAssumeRole = true),
      '',
      unknownField('allowAssumeRole'),
    ],
  ];

  it.each(rows)('rejects: %s', (...row) => {
    expectRejected(renderIamTrust, typicalIamTrust, row);
  });

  it('accepts an OIDC region of the chosen partition', () => {
    const input = clone(typicalIamTrust) as Draft;
    input.partition = 'aws-cn';
    input.manager.eksOidc.region = 'cn-northwest-1';
    expect(() => renderIamTrust(input)).not.toThrow();
  });

  it('accepts the same account twice with different role names', () => {
    const input = clone(typicalIamTrust) as Draft;
    input.tenants[1].accountId = input.tenants[0].accountId;
    input.tenants[1].roleName =
      'controllers-globex.cluster-api-provider-aws.sigs.k8s.io';
    expect(() => renderIamTrust(input)).not.toThrow();
  });
});

describe('single-value rules (rules.ts)', () => {
  it.each([
    ['10.0.0.0/16', undefined],
    ['0.0.0.0/0', undefined],
    ['192.168.1.1/32', undefined],
    ['::/0', undefined],
    ['2001:db8::/32', undefined],
    ['2001:DB8:0:0:0:0:0:0/64', undefined],
    ['fe80::/10', undefined],
    ['10.0.0.0', /must be a CIDR block such as/],
    ['10.0.0.0/', /must be a CIDR block such as/],
    ['10.0.0/8', /valid IPv4 or IPv6 address/],
    ['10.0.0.0.0/8', /valid IPv4 or IPv6 address/],
    ['256.0.0.0/8', /valid IPv4 or IPv6 address/],
    ['10.0.0.-1/8', /valid IPv4 or IPv6 address/],
    ['2001:db8:::/32', /valid IPv4 or IPv6 address/],
    ['2001:db8::g/32', /valid IPv4 or IPv6 address/],
    ['1:2:3:4:5:6:7/64', /valid IPv4 or IPv6 address/],
    ['1:2:3:4:5:6:7:8:9/64', /valid IPv4 or IPv6 address/],
    ['::ffff:10.0.0.0/104', /valid IPv4 or IPv6 address/],
    ['10.0.0.0/33', /prefix length must be at most 32/],
    ['::/129', /prefix length must be at most 128/],
    ['10.0.0.1/8', /host bits must be zero/],
    ['2001:db8::1/32', /host bits must be zero/],
  ])('cidrProblem(%j)', (cidr, problem) => {
    expect(cidrProblem(cidr)).toEqual(problemMatching(problem));
  });

  it('cidrProblem enforces ipv4Only and the prefix range', () => {
    const opts = { ipv4Only: true, minPrefix: 16, maxPrefix: 28 };
    expect(cidrProblem('2001:db8::/32', opts)).toMatch(
      /must be an IPv4 CIDR block/,
    );
    expect(cidrProblem('10.0.0.0/15', opts)).toBe(
      'prefix length must be between /16 and /28',
    );
    expect(cidrProblem('10.0.0.0/29', opts)).toBe(
      'prefix length must be between /16 and /28',
    );
    expect(cidrProblem('10.0.0.0/16', opts)).toBeUndefined();
    expect(cidrProblem('10.0.0.0/28', opts)).toBeUndefined();
  });

  it.each([
    ['app', undefined],
    ['app.kubernetes.io/name', undefined],
    ['a', undefined],
    ['A_b.c-D', undefined],
    ['', /label key name/],
    ['/name', /label key prefix/],
    ['acme.io/', /label key name/],
    ['-app', /label key name/],
    ['app_', /label key name/],
    ['a/b/c', /label key prefix/],
    [`${'p'.repeat(254)}/name`, /label key prefix/],
    ['n'.repeat(64), /label key name/],
  ])('labelKeyProblem(%j)', (key, problem) => {
    expect(labelKeyProblem(key)).toEqual(problemMatching(problem));
  });

  it.each([
    ['', undefined],
    ['v1.2_3-x', undefined],
    ['v'.repeat(63), undefined],
    ['v'.repeat(64), /at most 63/],
    ['-v', /starting and ending with a letter or digit/],
    ['a b', /label values/],
    ['a:b', /label values/],
  ])('labelValueProblem(%j)', (value, problem) => {
    expect(labelValueProblem(value)).toEqual(problemMatching(problem));
  });

  it.each([
    ['Cost Center', undefined],
    ['kubernetes.io/cluster/acme', undefined],
    ['Ünïcödé', undefined],
    ['', /1-128 characters/],
    ['k'.repeat(128), undefined],
    ['k'.repeat(129), /1-128 characters/],
    ['aws:createdBy', /must not start with "aws:"/],
    ['Aws:createdBy', /must not start with "aws:"/],
    ['cost*center', /tag keys may hold only/],
    ['line\nbreak', /tag keys may hold only/],
  ])('tagKeyProblem(%j)', (key, problem) => {
    expect(tagKeyProblem(key)).toEqual(problemMatching(problem));
  });

  it.each([
    ['', undefined],
    ['team@acme.io +1 = 2', undefined],
    ['v'.repeat(256), undefined],
    ['v'.repeat(257), /at most 256 characters/],
    ['a"b', /tag values may hold only/],
    ['a\nb', /tag values may hold only/],
    ['a#b', /tag values may hold only/],
  ])('tagValueProblem(%j)', (value, problem) => {
    expect(tagValueProblem(value)).toEqual(problemMatching(problem));
  });
});

describe('error reporting', () => {
  /** Breaks five rules of typicalCluster, each in a different field. */
  function fiveBrokenRules(): Draft {
    const input = clone(typicalCluster) as Draft;
    input.name = 'Prod';
    input.kubernetesVersion = '1.20';
    input.additionalTags = { 'aws:owner': 'acme' };
    input.endpointAccess = { public: false, private: false };
    input.nodePools[1].name = 'general';
    return input;
  }

  it('reports every broken rule at once, each with its field path', () => {
    const issues = issuesOf(() => renderCluster(fiveBrokenRules()));
    expect(issues.map(i => i.path).sort()).toEqual(
      [
        'name',
        'kubernetesVersion',
        'additionalTags["aws:owner"]',
        'endpointAccess',
        'nodePools[1].name',
      ].sort(),
    );
  });

  it('lists every problem in the error message, one line each', () => {
    const error = errorOf(() => renderCluster(fiveBrokenRules()));
    expect(error.message).toMatch(
      /^Invalid cluster input: 5 problems\n- name: must be a DNS-1123 label/,
    );
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.slice(1).every(l => l.startsWith('- '))).toBe(true);
  });

  it('is an InputError, so Backstage backends answer 400', () => {
    const error = errorOf(() => renderTenant({}));
    expect(error).toBeInstanceOf(InputError);
    expect(error.name).toBe('InputError');
  });

  it('names the input in the message of each renderer', () => {
    expect(() => renderTenant({})).toThrow(/^Invalid tenant input: 3 problems/);
    expect(() => renderControllerIdentity({ bogus: 1 })).toThrow(
      /^Invalid controller identity input: 1 problem\n/,
    );
    expect(() => renderCluster({})).toThrow(/^Invalid cluster input: /);
    expect(() => renderIamTrust({})).toThrow(/^Invalid IAM trust input: /);
  });

  it.each([
    ['renderTenant', () => renderTenant({ ...typicalTenant, name: 'Acme' })],
    [
      'renderControllerIdentity',
      () => renderControllerIdentity({ allowedNamespaces: {} }),
    ],
    ['renderCluster', () => renderCluster(fiveBrokenRules())],
    [
      'renderIamTrust',
      () => renderIamTrust({ ...typicalIamTrust, tenants: [] }),
    ],
  ])('%s renders nothing when the input is invalid', (_name, render) => {
    let result: unknown = 'not assigned';
    expect(() => {
      result = render();
    }).toThrow(CapaValidationError);
    expect(result).toBe('not assigned');
  });

  it.each([
    ['renderTenant', renderTenant],
    ['renderCluster', renderCluster],
    ['renderIamTrust', renderIamTrust],
    ['renderControllerIdentity', renderControllerIdentity],
  ])('%s rejects an input that is not an object', (_name, render) => {
    expect(issuesOf(() => render(null))).toEqual([
      { path: '', message: 'Expected object, received null' },
    ]);
    expect(issuesOf(() => render('name: acme'))).toEqual([
      { path: '', message: 'Expected object, received string' },
    ]);
  });

  it('does not change the input it validates', () => {
    const input = clone(typicalCluster);
    renderCluster(input);
    expect(input).toEqual(typicalCluster);
  });
});

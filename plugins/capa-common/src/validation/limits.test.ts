import {
  typicalCluster,
  typicalIamTrust,
  typicalTenant,
} from '../__fixtures__/inputs';
import { renderCluster } from '../render/renderCluster';
import { renderIamTrust } from '../render/renderIamTrust';
import { renderTenant } from '../render/renderTenant';
import { CapaValidationError } from './errors';
import { INPUT_LIMITS } from './limits';

/** Inputs are edited as plain JSON: a broken input is, by definition, not of the input type. */
type Draft = any;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const map = (n: number, prefix: string) =>
  Object.fromEntries(range(n).map(i => [`${prefix}${i}`, 'v']));

function issuesOf(render: (input: unknown) => unknown, input: unknown) {
  try {
    render(input);
  } catch (e) {
    expect(e).toBeInstanceOf(CapaValidationError);
    return (e as CapaValidationError).issues;
  }
  throw new Error('expected a CapaValidationError, but the input was accepted');
}

const cluster = (edit: (c: Draft) => void) => {
  const c = clone(typicalCluster) as Draft;
  edit(c);
  return c;
};
const pool = (name: string, extra: object = {}) => ({
  name,
  minSize: 1,
  maxSize: 2,
  ...extra,
});

describe('input caps', () => {
  it.each<[string, (c: Draft) => void, string, RegExp]>([
    [
      'node pools per cluster (EKS: 30)',
      c => (c.nodePools = range(31).map(i => pool(`p${i}`))),
      'nodePools',
      /must hold at most 30 node pools \(EKS: managed node groups per cluster\)/,
    ],
    [
      'tags',
      c => (c.additionalTags = map(48, 'team')),
      'additionalTags',
      /must hold at most 47 tags \(AWS allows 50 per resource/,
    ],
    [
      'labels of a node pool',
      c => (c.nodePools = [pool('a', { labels: map(51, 'l') })]),
      'nodePools[0].labels',
      /must hold at most 50 labels/,
    ],
    [
      'taints of a node pool (EKS: 50)',
      c =>
        (c.nodePools = [
          pool('a', {
            taints: range(51).map(i => ({
              key: `k${i}`,
              effect: 'NoSchedule',
            })),
          }),
        ]),
      'nodePools[0].taints',
      /must hold at most 50 taints \(EKS: taints per managed node group\)/,
    ],
    [
      'add-on configuration size',
      c =>
        (c.addons = [
          {
            name: 'coredns',
            version: 'v1.11.4-eksbuild.2',
            configuration: JSON.stringify({ x: 'a'.repeat(70_000) }),
          },
        ]),
      'addons[0].configuration',
      /must be at most 64 KiB/,
    ],
    [
      'public endpoint CIDRs (EKS: 40)',
      c =>
        (c.endpointAccess = {
          public: true,
          private: true,
          publicCIDRs: range(41).map(i => `10.${i}.0.0/16`),
        }),
      'endpointAccess.publicCIDRs',
      /must hold at most 40 CIDR ranges/,
    ],
    [
      'principals per access list',
      c =>
        (c.access = {
          mode: 'api',
          adminRoleArns: range(101).map(
            i => `arn:aws:iam::111122223333:role/admin-${i}`,
          ),
        }),
      'access.adminRoleArns',
      /must hold at most 100 principals/,
    ],
    [
      'Fargate profiles (EKS: 10)',
      c =>
        (c.fargateProfiles = range(11).map(i => ({
          name: `fp${i}`,
          selectors: [{ namespace: 'jobs' }],
        }))),
      'fargateProfiles',
      /must hold at most 10 Fargate profiles/,
    ],
    [
      'labels of a Fargate selector (EKS: 5)',
      c =>
        (c.fargateProfiles = [
          {
            name: 'fp',
            selectors: [{ namespace: 'jobs', labels: map(6, 'l') }],
          },
        ]),
      'fargateProfiles[0].selectors[0].labels',
      /must hold at most 5 labels \(EKS: label pairs per Fargate profile selector\)/,
    ],
  ])('caps %s, naming the field', (_what, edit, path, message) => {
    const issues = issuesOf(renderCluster, cluster(edit));
    expect(issues).toContainEqual({
      path,
      message: expect.stringMatching(message),
    });
  });

  it('refuses 10,000 node pools with one issue, before rendering anything', () => {
    const issues = issuesOf(
      renderCluster,
      cluster(c => (c.nodePools = range(10_000).map(i => pool(`p${i}`)))),
    );
    expect(issues.filter(i => i.path === 'nodePools')).toHaveLength(1);
  });

  it('caps the labels of a tenant namespace and the tenants of an IAM trust', () => {
    expect(
      issuesOf(renderTenant, {
        ...clone(typicalTenant),
        namespaceLabels: map(51, 'l'),
      }),
    ).toContainEqual({
      path: 'namespaceLabels',
      message: expect.stringMatching(/must hold at most 50 labels/),
    });
    const trust = clone(typicalIamTrust) as Draft;
    trust.tenants = range(INPUT_LIMITS.tenantsPerIamTrust + 1).map(i => ({
      name: `t${i}`,
      accountId: String(100000000000 + i),
    }));
    expect(issuesOf(renderIamTrust, trust)).toContainEqual({
      path: 'tenants',
      message: expect.stringMatching(/must hold at most 200 tenant accounts/),
    });
  });

  it('accepts inputs at the caps', () => {
    expect(() =>
      renderCluster(
        cluster(c => {
          c.nodePools = range(30).map(i => pool(`p${i}`));
          c.additionalTags = map(47, 'team');
        }),
      ),
    ).not.toThrow();
  });
});

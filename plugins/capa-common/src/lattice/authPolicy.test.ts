import { CONTEXT, EXPOSE } from './__testUtils__/context';
import {
  delivered,
  expectValid,
  issuesOf,
  management,
  workload,
} from './__testUtils__/expect';
import { evaluate } from './__testUtils__/evaluatePolicy';
import { renderLatticeExpose, renderLatticeGrants } from './renderExpose';
import type { LatticePolicyDocument } from './types';

describe('the IAMAuthPolicy of an exposed service', () => {
  describe('admits exactly the listed callers', () => {
    const policy = () => {
      const r = renderLatticeExpose(EXPOSE, CONTEXT);
      return JSON.parse(r.authPolicy.spec.policy) as LatticePolicyDocument;
    };
    const allowed = {
      accountId: '111122223333',
      tags: {
        'eks-cluster-name': 'acme_prod',
        'kubernetes-namespace': 'payments',
        'kubernetes-service-account': 'default',
        'kubernetes-pod-name': 'checkout-5d9c',
      },
    };

    it('parses as JSON and names the tenant account as principal, never "*"', () => {
      const doc = policy();
      expect(doc.Statement).toEqual([
        {
          Sid: 'AllowCaller1',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'vpc-lattice-svcs:Invoke',
          Resource: '*',
          Condition: {
            StringEquals: {
              'aws:PrincipalTag/eks-cluster-name': 'acme_prod',
              'aws:PrincipalTag/kubernetes-namespace': 'payments',
            },
          },
        },
      ]);
    });

    it.each([
      ['the allowed caller', allowed, 'allowed'],
      [
        'another namespace',
        {
          ...allowed,
          tags: { ...allowed.tags, 'kubernetes-namespace': 'web' },
        },
        'denied',
      ],
      [
        'another cluster',
        {
          ...allowed,
          tags: { ...allowed.tags, 'eks-cluster-name': 'acme_dev' },
        },
        'denied',
      ],
      [
        'another account with the same tags',
        { ...allowed, accountId: '444455556666' },
        'denied',
      ],
      [
        'a session without tags (not Pod Identity)',
        { accountId: '111122223333', tags: {} },
        'denied',
      ],
    ])('%s: %s', (_name, request, expected) => {
      expect(evaluate(policy(), request)).toBe(expected);
    });

    it('narrows to a service account when the caller names one', () => {
      const r = renderLatticeExpose(
        {
          ...EXPOSE,
          callers: [
            {
              cluster: 'prod',
              namespace: 'payments',
              serviceAccount: 'checkout',
            },
          ],
        },
        CONTEXT,
      );
      const doc = JSON.parse(r.authPolicy.spec.policy);
      const tags = {
        ...allowed.tags,
        'kubernetes-service-account': 'checkout',
      };
      expect(evaluate(doc, { ...allowed, tags })).toBe('allowed');
      expect(evaluate(doc, allowed)).toBe('denied');
    });

    it('denies everyone once the last caller is gone', () => {
      const closed = renderLatticeGrants(
        {
          serviceNetwork: 'acme-mesh',
          namespace: 'acme',
          cluster: 'dev',
          service: EXPOSE.service,
          partition: 'aws',
        },
        [],
      );
      expect(closed.route).toBeUndefined();
      expect(closed.warnings).toEqual([
        expect.stringMatching(
          /kubectl -n payments delete httproute payments-api/,
        ),
      ]);
      expectValid(workload, closed.authPolicy);
      for (const o of closed.objects) expectValid(management, o);
      expect(delivered(closed.delivery.configMap)).toEqual([closed.authPolicy]);
      const doc = JSON.parse(
        (closed.authPolicy.spec as { policy: string }).policy,
      );
      expect(evaluate(doc, allowed)).toBe('denied');
      expect(
        doc.Statement.every((s: { Effect: string }) => s.Effect === 'Deny'),
      ).toBe(true);
    });
  });

  describe('callers in another account', () => {
    const foreign = {
      ...EXPOSE,
      callers: [
        ...EXPOSE.callers,
        { cluster: 'globex/web', namespace: 'shop' },
      ],
    };
    const snArn =
      'arn:aws:vpc-lattice:eu-west-1:111122223333:servicenetwork/sn-0123456789abcdef0';

    it('are refused with the AWS RAM explanation unless the platform enables sharing', () => {
      expect(issuesOf(() => renderLatticeExpose(foreign, CONTEXT))).toEqual([
        {
          path: 'callers[1].cluster',
          message: expect.stringMatching(
            /globex\/web is in AWS account 444455556666, the service in 111122223333: .*shared .* through AWS RAM.*capa.lattice.crossAccountSharing/,
          ),
        },
      ]);
    });

    it('need the service network ARN, then get a RAM share and their own account as principal', () => {
      const sharing = { ...CONTEXT, crossAccountSharing: {} };
      expect(issuesOf(() => renderLatticeExpose(foreign, sharing))).toEqual([
        {
          path: 'serviceNetworkArn',
          message: expect.stringMatching(
            /is required when a caller is in another AWS account/,
          ),
        },
      ]);
      const r = renderLatticeExpose(
        { ...foreign, serviceNetworkArn: snArn },
        sharing,
      );
      expect(r.ramShare?.cloudFormation).toMatchObject({
        Resources: {
          ServiceNetworkShare: {
            Type: 'AWS::RAM::ResourceShare',
            Properties: {
              ResourceArns: [snArn],
              Principals: ['444455556666'],
              AllowExternalPrincipals: false,
            },
          },
        },
      });
      const doc = JSON.parse(r.authPolicy.spec.policy);
      const web = {
        'eks-cluster-name': 'globex_web',
        'kubernetes-namespace': 'shop',
      };
      expect(evaluate(doc, { accountId: '444455556666', tags: web })).toBe(
        'allowed',
      );
      expect(evaluate(doc, { accountId: '111122223333', tags: web })).toBe(
        'denied',
      );
    });
  });
});

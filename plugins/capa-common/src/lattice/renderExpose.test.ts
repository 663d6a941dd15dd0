import { CONTEXT, EXPOSE } from './__testUtils__/context';
import {
  delivered,
  expectValid,
  issuesOf,
  management,
  workload,
} from './__testUtils__/expect';
import { readLatticeExposeRecord } from './records';
import { renderLatticeExpose } from './renderExpose';

describe('renderLatticeExpose', () => {
  it('renders an HTTPRoute and an IAMAuthPolicy that validate strictly against the CRDs', () => {
    const r = renderLatticeExpose(
      {
        ...EXPOSE,
        service: { ...EXPOSE.service, domain: 'payments.acme.example.com' },
      },
      CONTEXT,
    );
    for (const o of r.workload) expectValid(workload, o);
    for (const o of r.objects) expectValid(management, o);
    expect(delivered(r.delivery.configMap)).toEqual(r.workload);
    expect(r.route).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'payments-api', namespace: 'payments' },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: 'acme-mesh',
            namespace: 'lattice-gateway',
            sectionName: 'http',
          },
        ],
        hostnames: ['payments.acme.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [
              {
                group: '',
                kind: 'Service',
                name: 'payments-api',
                port: 8080,
                weight: 1,
              },
            ],
          },
        ],
      },
    });
    expect(r.authPolicy.spec.targetRef).toEqual({
      group: 'gateway.networking.k8s.io',
      kind: 'HTTPRoute',
      name: 'payments-api',
      namespace: 'payments',
    });
    expect(r.delivery.configMap.metadata.name).toBe(
      'lattice-expose.dev.payments.payments-api',
    );
    expect(r.delivery.configMap.metadata.annotations).toEqual({
      'capa.backstage.io/lattice-callers': JSON.stringify([
        {
          cluster: 'acme/prod',
          eksClusterName: 'acme_prod',
          accountId: '111122223333',
          namespace: 'payments',
        },
      ]),
      'capa.backstage.io/lattice-domain': 'payments.acme.example.com',
      'capa.backstage.io/lattice-service': 'payments/payments-api:8080',
    });
    expect(readLatticeExposeRecord(r.delivery.configMap)).toEqual({
      serviceNetwork: 'acme-mesh',
      cluster: 'dev',
      service: {
        name: 'payments-api',
        namespace: 'payments',
        port: 8080,
        domain: 'payments.acme.example.com',
      },
      callers: r.callers,
    });
  });

  it('renders the caller role: Pod Identity trust for that cluster only, invoke narrowed to the service', () => {
    const arn =
      'arn:aws:vpc-lattice:eu-west-1:111122223333:service/svc-0123456789abcdef0';
    const [role] = renderLatticeExpose(
      { ...EXPOSE, serviceArn: arn },
      CONTEXT,
    ).callerRoles;
    expect(role.roleName).toMatch(/^lattice-caller-payments-[0-9a-f]{12}$/);
    expect(role.roleName.length).toBeLessThanOrEqual(64);
    expect(role.trustPolicy.Statement).toEqual([
      {
        Sid: 'EksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111122223333' },
          ArnEquals: {
            'aws:SourceArn':
              'arn:aws:eks:eu-west-1:111122223333:cluster/acme_prod',
          },
        },
      },
    ]);
    expect(role.permissionPolicy.Statement).toEqual([
      {
        Sid: 'InvokeLatticeService',
        Effect: 'Allow',
        Action: 'vpc-lattice-svcs:Invoke',
        Resource: `${arn}/*`,
      },
    ]);
    expect(role.cli[2]).toEqual([
      'aws',
      'eks',
      'create-pod-identity-association',
      '--region',
      'eu-west-1',
      '--cluster-name',
      'acme_prod',
      '--namespace',
      'payments',
      '--service-account',
      'default',
      '--role-arn',
      role.roleArn,
    ]);
    expect(role.cloudFormation).toMatchObject({
      Resources: {
        PodIdentityAssociation: {
          Type: 'AWS::EKS::PodIdentityAssociation',
          Properties: {
            ClusterName: 'acme_prod',
            Namespace: 'payments',
            ServiceAccount: 'default',
          },
        },
      },
    });
    const unnarrowed = renderLatticeExpose(EXPOSE, CONTEXT);
    expect(
      unnarrowed.callerRoles[0].permissionPolicy.Statement[0].Resource,
    ).toBe('*');
    expect(unnarrowed.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/until the service's ARN is known/),
      ]),
    );
  });

  it('reports every bad input at once, as field path and rule, before rendering anything', () => {
    const issues = issuesOf(() =>
      renderLatticeExpose(
        {
          ...EXPOSE,
          cluster: 'new',
          service: {
            name: '9payments',
            namespace: 'Payments',
            port: 70000,
            domain: 'not a host',
          },
          callers: [
            { cluster: 'prod', namespace: 'payments' },
            { cluster: 'acme/prod', namespace: 'payments' },
            { cluster: 'staging', namespace: 'web' },
            { cluster: 'ghost', namespace: 'web' },
          ],
        },
        CONTEXT,
      ),
    );
    expect(issues).toEqual([
      {
        path: 'service.name',
        message: expect.stringMatching(/DNS-1035 label/),
      },
      {
        path: 'service.namespace',
        message: expect.stringMatching(/DNS-1123 label/),
      },
      {
        path: 'service.port',
        message: 'must be a port number from 1 to 65535',
      },
      {
        path: 'service.domain',
        message: expect.stringMatching(/fully qualified host name/),
      },
      {
        path: 'cluster',
        message: expect.stringMatching(/acme\/new is Provisioning/),
      },
      {
        path: 'callers[1]',
        message: expect.stringMatching(
          /caller "acme\/prod payments" is used twice \(also at callers\[0\]\)/,
        ),
      },
      {
        path: 'callers[2].cluster',
        message: expect.stringMatching(
          /acme\/staging has not joined service network "acme-mesh"/,
        ),
      },
      {
        path: 'callers[3].cluster',
        message: expect.stringMatching(/acme\/ghost does not exist/),
      },
    ]);
  });

  it('refuses an empty caller list instead of admitting everyone', () => {
    expect(
      issuesOf(() => renderLatticeExpose({ ...EXPOSE, callers: [] }, CONTEXT)),
    ).toEqual([
      {
        path: 'callers',
        message: expect.stringMatching(
          /must name at least one caller.*never granted to everyone/,
        ),
      },
    ]);
  });

  it.each([
    ['port 0', { port: 0 }, 'service.port'],
    ['a fractional port', { port: 80.5 }, 'service.port'],
    [
      'a 64-character service name',
      { name: `a${'b'.repeat(63)}` },
      'service.name',
    ],
    ['a wildcard domain', { domain: '*.example.com' }, 'service.domain'],
    ['a single-label domain', { domain: 'payments' }, 'service.domain'],
    ['a namespace with "_"', { namespace: 'pay_ments' }, 'service.namespace'],
  ])('refuses %s', (_name, service, path) => {
    const issues = issuesOf(() =>
      renderLatticeExpose(
        { ...EXPOSE, service: { ...EXPOSE.service, ...service } },
        CONTEXT,
      ),
    );
    expect(issues.map(i => i.path)).toEqual([path]);
  });
});

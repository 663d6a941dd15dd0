import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

const expose = {
  managementCluster: 'local',
  namespace: 'acme',
  cluster: 'dev',
  serviceNetwork: 'acme-mesh',
  service: { name: 'payments-api', namespace: 'payments', port: 8080 },
  callers: [{ cluster: 'prod', namespace: 'payments' }],
};

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      "Dry run, then let acme/prod's namespace payments call the payments-api Service of acme/dev",
    example: stringify({
      steps: [
        {
          id: 'expose-dry-run',
          action: 'capa:network:expose',
          name: 'Dry run',
          input: { ...expose, dryRun: true },
        },
        {
          id: 'expose',
          action: 'capa:network:expose',
          name: 'Allow the caller',
          input: expose,
        },
      ],
    }),
  },
  {
    description:
      'Allow one service account only, on a custom domain, with the caller roles narrowed to the Lattice service',
    example: stringify({
      steps: [
        {
          id: 'expose',
          action: 'capa:network:expose',
          name: 'Allow the checkout service account',
          input: {
            ...expose,
            service: { ...expose.service, domain: 'payments.acme.example.com' },
            callers: [
              {
                cluster: 'prod',
                namespace: 'payments',
                serviceAccount: 'checkout',
              },
            ],
            serviceArn:
              'arn:aws:vpc-lattice:eu-west-1:111122223333:service/svc-0123456789abcdef0',
          },
        },
      ],
    }),
  },
];

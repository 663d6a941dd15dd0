import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      "Revoke acme/prod namespace payments' access to the payments-api Service of acme/dev",
    example: stringify({
      steps: [
        {
          id: 'revoke',
          action: 'capa:network:revoke',
          name: 'Revoke the caller',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'dev',
            service: { name: 'payments-api', namespace: 'payments' },
            callers: [{ cluster: 'prod', namespace: 'payments' }],
          },
        },
      ],
    }),
  },
];

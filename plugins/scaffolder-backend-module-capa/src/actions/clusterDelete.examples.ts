import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description: 'Delete a cluster and wait until it is gone',
    example: stringify({
      steps: [
        {
          id: 'delete',
          action: 'capa:cluster:delete',
          name: 'Delete acme/sandbox',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            name: 'sandbox',
            confirm: 'sandbox',
            wait: { timeoutMinutes: 60 },
          },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      'Dry run, then join two clusters of tenant acme to the service network acme-mesh',
    example: stringify({
      steps: [
        {
          id: 'join-dry-run',
          action: 'capa:network:join',
          name: 'Dry run',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            clusters: ['prod', 'dev'],
            serviceNetwork: 'acme-mesh',
            dryRun: true,
          },
        },
        {
          id: 'join',
          action: 'capa:network:join',
          name: 'Join the service network',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            clusters: ['prod', 'dev'],
            serviceNetwork: 'acme-mesh',
          },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description: 'Dry run, then apply, what a render step produced',
    example: stringify({
      steps: [
        {
          id: 'dry-run',
          action: 'capa:apply',
          name: 'Dry run',
          input: {
            managementCluster: 'local',
            manifest: '${{ steps.render.output.manifest }}',
            dryRun: true,
          },
        },
        {
          id: 'apply',
          action: 'capa:apply',
          name: 'Apply',
          input: {
            managementCluster: 'local',
            manifest: '${{ steps.render.output.manifest }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Apply files from the workspace and wait until the cluster is provisioned',
    example: stringify({
      steps: [
        {
          id: 'apply',
          action: 'capa:apply',
          name: 'Apply and wait',
          input: {
            managementCluster: 'local',
            files: ['capa/clusters/acme/prod.yaml'],
            waitFor: { phase: 'Provisioned', timeoutMinutes: 45 },
          },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      'Dry run, then upgrade a cluster to Kubernetes 1.34, waiting for the control plane before the node pools',
    example: stringify({
      steps: [
        {
          id: 'dry-run',
          action: 'capa:cluster:upgrade',
          name: 'Dry run',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            version: '1.34',
            dryRun: true,
          },
        },
        {
          id: 'upgrade',
          action: 'capa:cluster:upgrade',
          name: 'Upgrade acme/prod',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            version: '1.34',
            waitFor: { timeoutMinutes: 60 },
          },
        },
      ],
    }),
  },
  {
    description:
      'Upgrade a cluster whose node pool pins an AMI release, giving the release for the new version',
    example: stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'capa:cluster:upgrade',
          name: 'Upgrade acme/prod',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            version: '1.34',
            amiVersions: { general: '1.34.2-20250920' },
          },
        },
      ],
    }),
  },
];

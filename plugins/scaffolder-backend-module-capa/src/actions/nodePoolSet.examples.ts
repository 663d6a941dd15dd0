import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description: 'Dry run, then add an arm64 spot node pool to a cluster',
    example: stringify({
      steps: [
        {
          id: 'dry-run',
          action: 'capa:nodepool:set',
          name: 'Dry run',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            nodePool: 'arm-spot',
            instanceType: 'c7g.xlarge',
            amiType: 'AL2023_ARM_64_STANDARD',
            capacityType: 'spot',
            minSize: 0,
            maxSize: 10,
            taints: [
              { key: 'workload-class', value: 'batch', effect: 'NoSchedule' },
            ],
            dryRun: true,
          },
        },
        {
          id: 'add',
          action: 'capa:nodepool:set',
          name: 'Add node pool arm-spot',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            nodePool: 'arm-spot',
            instanceType: 'c7g.xlarge',
            amiType: 'AL2023_ARM_64_STANDARD',
            capacityType: 'spot',
            minSize: 0,
            maxSize: 10,
            taints: [
              { key: 'workload-class', value: 'batch', effect: 'NoSchedule' },
            ],
          },
        },
      ],
    }),
  },
  {
    description: 'Resize a node pool',
    example: stringify({
      steps: [
        {
          id: 'resize',
          action: 'capa:nodepool:set',
          name: 'Resize general',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            nodePool: 'general',
            minSize: 2,
            desiredSize: 4,
            maxSize: 8,
          },
        },
      ],
    }),
  },
  {
    description: "Remove a cluster's last node pool (needs confirm)",
    example: stringify({
      steps: [
        {
          id: 'remove',
          action: 'capa:nodepool:set',
          name: 'Remove general',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            nodePool: 'general',
            remove: true,
            confirm: 'general',
          },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      'Render a cluster with two node pools and admin/read-only roles',
    example: stringify({
      steps: [
        {
          id: 'render-cluster',
          action: 'capa:cluster:render',
          name: 'Render cluster acme/prod',
          input: {
            cluster: {
              name: 'prod',
              tenant: 'acme',
              region: 'eu-west-1',
              kubernetesVersion: '1.33',
              access: {
                mode: 'api_and_config_map',
                adminRoleArns: [
                  'arn:aws:iam::111122223333:role/acme-platform-admin',
                ],
                readOnlyRoleArns: [
                  'arn:aws:iam::111122223333:role/acme-developers',
                ],
              },
              nodePools: [
                {
                  name: 'general',
                  instanceType: 'm6i.large',
                  minSize: 2,
                  desiredSize: 3,
                  maxSize: 6,
                },
                {
                  name: 'arm',
                  instanceType: 'm7g.large',
                  amiType: 'AL2023_ARM_64_STANDARD',
                  capacityType: 'spot',
                  minSize: 0,
                  maxSize: 5,
                  taints: [
                    { key: 'arch', value: 'arm64', effect: 'NoSchedule' },
                  ],
                },
              ],
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render a private cluster in its own VPC CIDR with control plane logging',
    example: stringify({
      steps: [
        {
          id: 'render-cluster',
          action: 'capa:cluster:render',
          name: 'Render cluster globex/internal',
          input: {
            targetPath: 'gitops/capa',
            cluster: {
              name: 'internal',
              tenant: 'globex',
              region: 'us-east-2',
              kubernetesVersion: '1.34',
              endpointAccess: { public: false, private: true },
              logging: { apiServer: true, audit: true, authenticator: true },
              network: { vpcCidr: '10.42.0.0/16' },
              additionalTags: { 'cost-center': 'cc-2001' },
              nodePools: [{ name: 'default', minSize: 1, maxSize: 3 }],
            },
          },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      'Trust between a manager account and one tenant account with an external id',
    example: stringify({
      steps: [
        {
          id: 'render-iam',
          action: 'capa:iam:render',
          name: 'Render IAM trust',
          input: {
            iam: {
              manager: { accountId: '999988887777' },
              tenants: [
                {
                  name: 'acme',
                  accountId: '111122223333',
                  externalId: 'acme-capa-7f3c9d',
                },
              ],
            },
          },
        },
      ],
    }),
  },
  {
    description: 'A manager on EKS using IRSA, and two tenant accounts',
    example: stringify({
      steps: [
        {
          id: 'render-iam',
          action: 'capa:iam:render',
          name: 'Render IAM trust',
          input: {
            targetPath: 'gitops',
            iam: {
              manager: {
                accountId: '999988887777',
                eksOidc: {
                  region: 'eu-west-1',
                  providerId: '5C1F4E2B9A8D7C6B5A4F3E2D1C0B9A87',
                },
              },
              tenants: [
                {
                  name: 'acme',
                  accountId: '111122223333',
                  externalId: 'acme-capa-7f3c9d',
                },
                { name: 'globex', accountId: '444455556666', fargate: true },
              ],
            },
          },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      "Verify that the manager can assume the tenant's CAPA controllers role",
    example: stringify({
      steps: [
        {
          id: 'verify-trust',
          action: 'capa:iam:verify',
          name: 'Verify IAM trust',
          input: { accountId: '111122223333', externalId: 'acme-capa-7f3c9d' },
        },
      ],
    }),
  },
  {
    description:
      'Verify a custom role with the credentials configured for a management cluster',
    example: stringify({
      steps: [
        {
          id: 'verify-trust',
          action: 'capa:iam:verify',
          name: 'Verify IAM trust',
          input: {
            accountId: '444455556666',
            roleArn: 'arn:aws:iam::444455556666:role/capa/controllers-globex',
            managementCluster: 'local',
            region: 'eu-west-1',
          },
        },
      ],
    }),
  },
];

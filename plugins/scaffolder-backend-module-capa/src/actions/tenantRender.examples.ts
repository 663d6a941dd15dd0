import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description:
      'Render a tenant whose clusters live in AWS account 111122223333',
    example: stringify({
      steps: [
        {
          id: 'render-tenant',
          action: 'capa:tenant:render',
          name: 'Render tenant acme',
          input: {
            tenant: {
              name: 'acme',
              owner: 'group:default/team-acme',
              aws: {
                accountId: '111122223333',
                externalId: 'acme-capa-7f3c9d',
              },
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Render a tenant in AWS GovCloud with a custom role and session settings',
    example: stringify({
      steps: [
        {
          id: 'render-tenant',
          action: 'capa:tenant:render',
          name: 'Render tenant globex',
          input: {
            targetPath: 'gitops/capa',
            tenant: {
              name: 'globex',
              owner: 'team-globex',
              namespace: 'tenant-globex',
              aws: {
                accountId: '444455556666',
                partition: 'aws-us-gov',
                roleName: 'controllers-globex',
                sessionName: 'capa-globex',
                durationSeconds: 3600,
              },
            },
          },
        },
      ],
    }),
  },
];

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description: "Remove an IAM role's access to a cluster",
    example: stringify({
      steps: [
        {
          id: 'revoke',
          action: 'capa:access:revoke',
          name: 'Revoke access',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            principalArn: 'arn:aws:iam::111122223333:role/acme-platform-admin',
          },
        },
      ],
    }),
  },
];

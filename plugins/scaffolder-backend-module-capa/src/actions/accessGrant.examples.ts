import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** @public */
export const examples: TemplateExample[] = [
  {
    description: 'Dry run, then give an IAM role edit access to a cluster',
    example: stringify({
      steps: [
        {
          id: 'dry-run',
          action: 'capa:access:grant',
          name: 'Dry run',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            principalArn: 'arn:aws:iam::111122223333:role/acme-developers',
            level: 'edit',
            dryRun: true,
          },
        },
        {
          id: 'grant',
          action: 'capa:access:grant',
          name: 'Grant edit access',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            principalArn: 'arn:aws:iam::111122223333:role/acme-developers',
            level: 'edit',
          },
        },
      ],
    }),
  },
  {
    description: 'Give an IAM user read-only access',
    example: stringify({
      steps: [
        {
          id: 'grant',
          action: 'capa:access:grant',
          name: 'Grant view access',
          input: {
            managementCluster: 'local',
            namespace: 'acme',
            cluster: 'prod',
            principalArn: 'arn:aws:iam::111122223333:user/alice',
            level: 'view',
          },
        },
      ],
    }),
  },
];

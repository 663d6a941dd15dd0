/** The AWS RAM share that lets other accounts' clusters join the service network. @public */
export interface LatticeRamShare {
  accounts: string[];
  cli: string[][];
  cloudFormation: Record<string, unknown>;
}

/**
 * The AWS RAM share of the service network with the callers' accounts (deployed in the service
 * network's account), as AWS CLI commands and a CloudFormation template.
 */
export function renderRamShare(
  serviceNetwork: string,
  serviceNetworkArn: string,
  accounts: string[],
  allowExternalPrincipals: boolean,
): LatticeRamShare {
  const name = `lattice-${serviceNetwork}`;
  return {
    accounts,
    cli: [
      [
        'aws',
        'ram',
        'create-resource-share',
        '--name',
        name,
        '--resource-arns',
        serviceNetworkArn,
        '--principals',
        ...accounts,
        allowExternalPrincipals
          ? '--allow-external-principals'
          : '--no-allow-external-principals',
      ],
    ],
    cloudFormation: {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: `Shares VPC Lattice service network ${serviceNetwork} with ${accounts.join(
        ', ',
      )}`,
      Resources: {
        ServiceNetworkShare: {
          Type: 'AWS::RAM::ResourceShare',
          Properties: {
            Name: name,
            ResourceArns: [serviceNetworkArn],
            Principals: accounts,
            AllowExternalPrincipals: allowExternalPrincipals,
          },
        },
      },
    },
  };
}

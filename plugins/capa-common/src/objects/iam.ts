/** One statement of an IAM policy, in clusterawsadm's (and IAM's) capitalised field names. @public */
export interface IamStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Record<string, string[]>;
  Action: string[];
  Resource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

/** A plain IAM policy document. @public */
export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/** clusterawsadm's configuration (`clusterawsadm bootstrap iam create-cloudformation-stack --config`). @public */
export interface AWSIAMConfiguration {
  apiVersion: 'bootstrap.aws.infrastructure.cluster.x-k8s.io/v1beta1';
  kind: 'AWSIAMConfiguration';
  spec: {
    partition?: string;
    nameSuffix?: string;
    clusterAPIControllers: {
      disable: false;
      extraStatements?: IamStatement[];
      trustStatements?: IamStatement[];
    };
    eks?: {
      disable: boolean;
      managedMachinePool: { disable: boolean };
      fargate: { disable: boolean };
    };
  };
}

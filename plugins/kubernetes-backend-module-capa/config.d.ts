export interface Config {
  capa?: {
    /**
     * How Backstage's Kubernetes plugin reaches the workload clusters the CAPA module supplies to
     * it (@capa-backstage/plugin-kubernetes-backend-module-capa). Its AWS auth provider assumes a
     * read role in the tenant's AWS account and signs an EKS token for the cluster; the cluster's
     * access entries or aws-auth mapping must grant that role read access. A tenant with no role
     * here is not supplied (logged once as a warning).
     */
    kubernetes?: {
      /**
       * The convention for tenants not listed under `tenants`: the IAM role with this name (an
       * optional path, then the name, e.g. "backstage-kubernetes-read" or
       * "portal/backstage-kubernetes-read") in the AWS account of each cluster, i.e. the account of
       * the AWSClusterRoleIdentity its control plane uses:
       * `arn:<partition>:iam::<cluster account>:role/<roleName>`. Unset: only tenants listed under
       * `tenants` are supplied.
       */
      roleName?: string;
      /**
       * The external id passed when assuming a role named by `roleName`; per tenant, `tenants`
       * overrides it.
       * @visibility secret
       */
      externalId?: string;
      /**
       * The role to assume per tenant (the `capa.backstage.io/tenant` label of the cluster's
       * namespace), overriding `roleName`.
       */
      tenants?: {
        [tenant: string]: {
          /** The IAM role ARN to assume, `arn:<partition>:iam::<account>:role/<name>`. */
          roleArn: string;
          /**
           * The external id the role's trust policy requires, if any.
           * @visibility secret
           */
          externalId?: string;
        };
      };
    };
  };
}

import { HumanDuration } from '@backstage/types';

export interface Config {
  capa?: {
    /**
     * The Cluster API management clusters the CAPA plugins read from and apply to. Each one is
     * reached in exactly one way: `kubeconfig`, `inCluster`, `url` with `token`, or `url` with
     * `eks`.
     */
    managementClusters?: Array<{
      /**
       * Unique name of the management cluster, used in URLs, catalog annotations and messages: a
       * DNS label (lowercase letters, digits and '-', at most 63 characters).
       */
      name: string;

      /**
       * Reach the cluster through a kubeconfig file (for example one with an `exec` plugin such
       * as `aws eks get-token`).
       */
      kubeconfig?: {
        /** Path of the kubeconfig file on the backend host. */
        path: string;
        /** Context to use; defaults to the file's current-context. */
        context?: string;
      };

      /**
       * Reach the cluster Backstage runs in, with the pod's service account (its token file is
       * re-read as Kubernetes rotates it). Must be `true` when set.
       */
      inCluster?: boolean;

      /**
       * API server URL, for `token` and `eks`. https, or http on a loopback address only; no
       * user name or password in it.
       */
      url?: string;

      /**
       * Base64-encoded PEM certificate(s) of the API server's certificate authority, for `url`.
       * Without it the host's trusted roots are used.
       *
       * @visibility secret
       */
      caData?: string;

      /**
       * Bearer token (for example a service-account token) for `url`.
       *
       * @visibility secret
       */
      token?: string;

      /**
       * Skip TLS verification of the API server at `url`. Insecure: for local experiments only.
       */
      dangerouslySkipTLSVerify?: boolean;

      /**
       * Reach an EKS cluster at `url` with an AWS IAM authentication token, signed with the
       * backend's AWS credentials (the `aws` integration config or the default provider chain),
       * optionally after assuming a role.
       */
      eks?: {
        /** Name of the EKS cluster (the token is bound to it). */
        clusterName: string;
        /** AWS region of the EKS cluster; the token is signed for this region's STS endpoint. */
        region: string;
        /** IAM role to assume before signing the token. */
        roleArn?: string;
        /**
         * External id required by the role's trust policy.
         *
         * @visibility secret
         */
        externalId?: string;
      };

      /**
       * AWS credentials the scaffolder uses for this management cluster's STS checks (for
       * example verifying a tenant's trust): a role to assume from the backend's credentials.
       * Without it the backend's own credentials are used.
       */
      aws?: {
        /** IAM role (in the manager account) to assume for STS checks. */
        roleArn?: string;
        /**
         * External id required by that role's trust policy.
         *
         * @visibility secret
         */
        externalId?: string;
      };

      /**
       * Timeouts of every outbound call for this management cluster: to its API server, and to
       * AWS STS for its EKS token, its assumed roles and `capa:iam:verify`. Each is a duration
       * such as `{ seconds: 30 }` or `'30s'`, between 100 ms and 10 minutes.
       */
      timeouts?: {
        /** Opening a connection (TCP, and TLS for https). Default 10 seconds. */
        connect?: HumanDuration | string;
        /**
         * One request from start to end, getting its credentials (EKS token, credential plugin,
         * assumed role) included; a watch until the server accepts it. Default 30 seconds.
         */
        request?: HumanDuration | string;
      };
    }>;
  };
}

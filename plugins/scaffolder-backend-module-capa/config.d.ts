export interface Config {
  capa?: {
    /**
     * Kubernetes minor versions the cluster actions accept, e.g. ["1.33", "1.34"]. Defaults to
     * the EKS versions in standard or extended support when this release was made.
     */
    kubernetesVersions?: string[];
    /** Cross-cluster service access over VPC Lattice (capa:network:* actions). */
    lattice?: {
      /**
       * Lets a tenant allow callers in another AWS account: the service network is then shared
       * with that account through AWS RAM (the actions render the share). Off by default.
       */
      crossAccountSharing?: {
        enabled?: boolean;
        /** RAM's allowExternalPrincipals: share outside the AWS Organization too (default false). */
        allowExternalPrincipals?: boolean;
      };
    };
  };
}

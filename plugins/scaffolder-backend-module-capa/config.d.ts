export interface Config {
  capa?: {
    /**
     * Kubernetes minor versions the cluster actions accept, e.g. ["1.33", "1.34"]. Defaults to
     * the EKS versions in standard or extended support when this release was made.
     */
    kubernetesVersions?: string[];
  };
}

/**
 * Upper bounds on what an input may hold. Where AWS sets the bound it is AWS's (EKS service quotas
 * and API limits, at their defaults); the others keep one input from costing the portal, the
 * management cluster or the person reading the task log more than any real cluster needs.
 *
 * @public
 */
export const INPUT_LIMITS = {
  /** EKS: managed node groups per cluster (service quota, default 30). */
  nodePoolsPerCluster: 30,
  /** EKS: Fargate profiles per cluster (service quota, default 10). */
  fargateProfilesPerCluster: 10,
  /** EKS: selectors per Fargate profile (service quota, default 5). */
  selectorsPerFargateProfile: 5,
  /** EKS: label pairs per Fargate profile selector (service quota, default 5). */
  labelsPerFargateSelector: 5,
  /**
   * AWS: 50 tags per resource. The renderer adds `capa.backstage.io/tenant` and CAPA adds its
   * cluster-ownership and role tags, which leaves 47.
   */
  tags: 47,
  /** EKS: taints per managed node group. */
  taintsPerNodePool: 50,
  /** Kubernetes labels of a node pool, a namespace or a selector. */
  labels: 50,
  /** EKS: public endpoint access CIDR ranges per cluster (not adjustable). */
  publicCidrs: 40,
  /** IAM principals in each access list of a cluster. */
  principalsPerList: 100,
  /** EKS add-ons of a cluster. */
  addonsPerCluster: 50,
  /** Bytes of one add-on's configuration values (JSON). */
  addonConfigurationBytes: 64 * 1024,
  /** Tenant accounts in one IAM trust rendering. */
  tenantsPerIamTrust: 200,
  /**
   * YAML documents (objects) in one capa:apply, all its files together. A tenant and one cluster
   * render to 7 objects typically and to 75 at every cap above (30 node pools of two objects, 10
   * Fargate profiles); 200 holds a tenant with two such clusters. Each object costs a read and a
   * write, one after the other, so this also keeps one apply to a few hundred requests.
   */
  manifestObjects: 200,
  /**
   * Bytes of the manifests of one capa:apply, all its files together. A typical tenant and cluster
   * are about 3 KB; one at every cap above is 3.6 MB, nearly all of it 50 add-on configurations of
   * 64 KiB. The YAML parser takes about a second per MiB of small documents, and stops after
   * manifestObjects documents: this bounds what one apply reads and parses.
   */
  manifestBytes: 4 * 1024 * 1024,
} as const;

/** "must hold at most 30 node pools (EKS: managed node groups per cluster)" */
export const atMost = (n: number, what: string, why?: string) =>
  `must hold at most ${n} ${what}${why ? ` (${why})` : ''}`;

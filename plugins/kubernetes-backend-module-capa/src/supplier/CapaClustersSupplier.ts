import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_CLUSTER_ID,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
} from '@backstage/plugin-kubernetes-common';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import {
  capaClusterKubeconfigReadPermission,
  clusterEntityName,
  compareStrings,
  type ClusterRef,
  type ClusterView,
} from '@capa-backstage/plugin-capa-common';
import type {
  CapaAuthorizer,
  CapaClusterCache,
} from '@capa-backstage/plugin-capa-node';
import {
  endpointOfKubeconfig,
  type ClusterEndpoint,
} from './kubeconfigEndpoint';
import { readRoleOf, readTenantRoles, type TenantRoles } from './roles';

/** The endpoint read from one version of a user kubeconfig Secret, or why it cannot be used. */
interface Read {
  resourceVersion: string;
  result: Promise<ClusterEndpoint | { problem: string }>;
  /** Set when the read failed: it is tried again after RETRY_READ_MS, not on every request. */
  failedAt?: number;
}

/**
 * getClusters serves every request of the Kubernetes plugin and waits for its reads: a management
 * cluster that cannot be reached is asked again this long after a failed read, not each time.
 */
const RETRY_READ_MS = 30_000;

/**
 * What the supplier reads of the shared watch cache.
 *
 * @public
 */
export type CapaClusterCacheReader = Pick<
  CapaClusterCache,
  'managementClusters' | 'store' | 'readSecretData'
>;

/**
 * What the supplier asks of the CAPA authorizer.
 *
 * @public
 */
export type CapaClusterAuthorizer = Pick<
  CapaAuthorizer,
  'allowsEverywhere' | 'authorize'
>;

/** A cluster that can be supplied, and which cluster it is, for the permission check. */
interface Candidate {
  ref: ClusterRef;
  details: ClusterDetails;
}

/**
 * Supplies Backstage's Kubernetes plugin with every Provisioned workload cluster of every
 * management cluster, read from the shared watch cache on each call, so that a new cluster appears
 * and a deleted one disappears without a restart.
 *
 * A cluster is named as its catalog entity (`<managementCluster>.<namespace>.<name>`), so the
 * `catalogRelation` service locator finds a component's workloads on the clusters it `dependsOn`.
 * Its URL and CA come from its user kubeconfig, read once per Secret version (it holds no
 * credentials); the Kubernetes plugin's `aws` auth provider signs a token for the EKS cluster name
 * with the tenant's read role (`capa.kubernetes`). A cluster that cannot be supplied is left out
 * with one warning saying why.
 *
 * The plugin reaches every cluster with the backend's roles, whoever asks, and shows what runs
 * inside (pods, their specs, logs through its proxy), so each caller gets only the clusters it may
 * connect to: `capa.cluster.kubeconfig.read`, as the CAPA API decides it (not `capa.cluster.read`,
 * which policies may give everyone for the fleet's status). The plugin asks this supplier with the
 * caller's credentials for its cluster list, for the clusters of an entity and for its proxy, so a
 * tenant never sees another tenant's cluster or workloads through it.
 *
 * @public
 */
export class CapaClustersSupplier implements KubernetesClustersSupplier {
  private readonly reads = new Map<string, Read>();
  private readonly warned = new Set<string>();

  /** Reads the roles from `capa.kubernetes`; throws on an invalid one. */
  static fromConfig(
    config: Config,
    deps: {
      cache: CapaClusterCacheReader;
      authorizer: CapaClusterAuthorizer;
      logger: LoggerService;
    },
  ): CapaClustersSupplier {
    return new CapaClustersSupplier(
      deps.cache,
      deps.authorizer,
      readTenantRoles(config),
      deps.logger,
    );
  }

  private constructor(
    private readonly cache: CapaClusterCacheReader,
    private readonly authorizer: CapaClusterAuthorizer,
    private readonly roles: TenantRoles,
    private readonly logger: LoggerService,
  ) {}

  /** Every Provisioned cluster the cache holds now that the caller may connect to. */
  async getClusters(options: {
    credentials: BackstageCredentials;
  }): Promise<ClusterDetails[]> {
    const candidates = await this.candidates();
    const [everywhere] = await this.authorizer.allowsEverywhere(
      [capaClusterKubeconfigReadPermission],
      options.credentials,
    );
    if (everywhere || candidates.length === 0)
      return candidates.map(c => c.details);
    const decisions = await this.authorizer.authorize(
      candidates.map(c => ({
        permission: capaClusterKubeconfigReadPermission,
        target: { type: 'cluster' as const, cluster: c.ref },
      })),
      options.credentials,
    );
    return candidates
      .filter((_, i) => decisions[i].allowed)
      .map(c => c.details);
  }

  /** Every cluster that can be supplied, sorted by name. */
  private async candidates(): Promise<Candidate[]> {
    const pending: Array<Promise<Candidate | undefined>> = [];
    const live = new Set<string>();
    for (const mc of this.cache.managementClusters()) {
      const store = this.cache.store(mc);
      if (!store) continue;
      const secretVersions = new Map(
        store
          .objects('Secret')
          .map(s => [
            `${s.metadata.namespace}/${s.metadata.name}`,
            s.metadata.resourceVersion ?? '',
          ]),
      );
      for (const view of store.listViews()) {
        if (view.phase !== 'Provisioned' || view.deleting) continue;
        const secretKey = `${view.namespace}/${view.kubeconfig.secretName}`;
        const key = `${mc}/${secretKey}`;
        live.add(key);
        pending.push(
          this.details(view, key, secretVersions.get(secretKey)).then(
            details =>
              details && {
                ref: {
                  managementCluster: mc,
                  namespace: view.namespace,
                  name: view.name,
                },
                details,
              },
          ),
        );
      }
    }
    // Forget the reads of Secrets whose cluster is gone, so the memo follows the fleet.
    for (const key of this.reads.keys())
      if (!live.has(key)) this.reads.delete(key);
    const candidates = (await Promise.all(pending)).filter(
      (c): c is Candidate => !!c,
    );
    return candidates.sort((a, b) =>
      compareStrings(a.details.name, b.details.name),
    );
  }

  private async details(
    view: ClusterView,
    key: string,
    secretVersion: string | undefined,
  ): Promise<ClusterDetails | undefined> {
    const name = clusterEntityName(
      view.managementCluster,
      view.namespace,
      view.name,
    );
    const eksName = view.eks.clusterName;
    if (!eksName)
      return this.skip(name, 'its control plane names no EKS cluster');
    const read = readRoleOf(this.roles, {
      tenant: view.tenant,
      accountId: view.aws.accountId,
      partition: view.aws.partition,
    });
    if ('reason' in read)
      return read.tenantWide
        ? this.warnOnce(
            `tenant:${view.tenant}`,
            `The clusters of tenant "${view.tenant}" are not supplied to the Kubernetes plugin: ${read.reason}`,
          )
        : this.skip(name, read.reason);
    if (secretVersion === undefined)
      return this.skip(
        name,
        `its user kubeconfig Secret ${view.kubeconfig.secretName} does not exist yet`,
      );
    const endpoint = await this.endpoint(view, key, secretVersion);
    if ('problem' in endpoint) return this.skip(name, endpoint.problem);
    const { role } = read;
    return {
      name,
      title: `${view.name} (${view.namespace})`,
      url: endpoint.url,
      caData: endpoint.caData,
      authMetadata: {
        [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'aws',
        [ANNOTATION_KUBERNETES_AWS_CLUSTER_ID]: eksName,
        [ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE]: role.roleArn,
        ...(role.externalId
          ? { [ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID]: role.externalId }
          : {}),
      },
    };
  }

  /** The endpoint of a user kubeconfig Secret version, read from the management cluster once. */
  private endpoint(view: ClusterView, key: string, resourceVersion: string) {
    const cached = this.reads.get(key);
    if (
      cached?.resourceVersion === resourceVersion &&
      (cached.failedAt === undefined ||
        Date.now() - cached.failedAt < RETRY_READ_MS)
    )
      return cached.result;
    const read: Read = {
      resourceVersion,
      result: Promise.resolve({ problem: '' }),
    };
    read.result = this.cache
      .readSecretData(
        view.managementCluster,
        view.namespace,
        view.kubeconfig.secretName,
      )
      .then(data =>
        data?.value
          ? endpointOfKubeconfig(
              Buffer.from(data.value, 'base64').toString('utf8'),
              view.eks.endpoint,
            )
          : {
              problem: `its user kubeconfig Secret ${view.kubeconfig.secretName} has no value`,
            },
      )
      .catch(error => {
        read.failedAt = Date.now();
        return {
          problem: `its user kubeconfig could not be read: ${
            error instanceof Error ? error.message : String(error)
          }`,
        };
      });
    this.reads.set(key, read);
    return read.result;
  }

  /** Leaves a cluster out, with a warning the first time for this reason. */
  private skip(cluster: string, reason: string): undefined {
    return this.warnOnce(
      `${cluster}\n${reason}`,
      `Cluster ${cluster} is not supplied to the Kubernetes plugin: ${reason}`,
    );
  }

  /** getClusters runs on every request of the Kubernetes plugin: each warning is logged once. */
  private warnOnce(key: string, message: string): undefined {
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.logger.warn(message);
    }
    return undefined;
  }
}

import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  CAPA_CLUSTER_CAPABILITIES,
  capaClusterKubeconfigReadPermission,
  capaClusterReadPermission,
  clusterEntityRef,
  clusterEvents,
  latticeServiceNetworkView,
  diagnosisAt,
  updateKubeconfigCommand,
  type CapaClusterCapability,
  type ClusterList,
  type ClusterRef,
  type ClusterSummary,
} from '@capa-backstage/plugin-capa-common';
import type {
  CapaAuthorizer,
  CapaClusterCache,
  ObjectStore,
  WarningEvents,
} from '@capa-backstage/plugin-capa-node';
import {
  spec,
  type GetCluster,
  type GetClusterEvents,
  type GetClusterServiceNetwork,
  type GetKubeconfig,
  type ListClusters,
} from '../schema/openapi';
import { FleetOrder } from './fleetOrder';
import {
  candidatesOf,
  fleetCounts,
  fleetPage,
  type FleetQuery,
} from './fleetQuery';
import { FleetRows } from './fleetRows';
import { userKubeconfigProblem } from './userKubeconfig';

/** The parameters of a fleet page, as `GET /clusters` takes them. */
export type FleetParams = ListClusters['query'];

// The HTTP validator and the actions' schemas fill in the spec's defaults; these are the same.
const DEFAULTS = {
  limit: spec.components.parameters.limit.schema.default,
  order: spec.components.parameters.order.schema.default,
  facets: spec.components.parameters.facets.schema.default,
};

/**
 * What the HTTP routes and the actions answer about clusters, for one caller: every read is
 * authorized here, so both say the same for the same caller. Cluster reads authorize before they
 * look anything up, so a denied caller gets the same answer whether or not the cluster exists.
 */
export class ClusterAccess {
  private readonly rows = new FleetRows();

  constructor(
    private readonly deps: {
      authorizer: CapaAuthorizer;
      cache: CapaClusterCache;
    },
  ) {}

  /** The store of a management cluster; the error does not list the configured ones. */
  source(mc: string): ObjectStore {
    const store = this.deps.cache.store(mc);
    if (!store) throw new NotFoundError(`Unknown management cluster "${mc}"`);
    return store;
  }

  /** Whether the caller may do `permission` on each cluster, in order. */
  async allowedClusters(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    clusters: ClusterRef[],
  ): Promise<boolean[]> {
    if (!clusters.length) return [];
    const decisions = await this.deps.authorizer.authorize(
      clusters.map(cluster => ({
        permission,
        target: { type: 'cluster', cluster },
      })),
      credentials,
    );
    return decisions.map(d => d.allowed);
  }

  /** Throws NotAllowedError unless the caller may do `permission` on the cluster. */
  async requireCluster(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    cluster: ClusterRef,
    verb: string,
  ): Promise<void> {
    const [allowed] = await this.allowedClusters(credentials, permission, [
      cluster,
    ]);
    if (!allowed)
      throw new NotAllowedError(
        `Not allowed to ${verb} ${clusterEntityRef(cluster)}`,
      );
  }

  /** Keeps the items whose cluster the caller may read and, with `can`, also do that on. */
  async visible<T>(
    credentials: BackstageCredentials,
    items: T[],
    clusterOf: (item: T) => ClusterRef,
    can: CapaClusterCapability | undefined,
  ): Promise<T[]> {
    const permissions = [
      capaClusterReadPermission,
      ...(can ? [CAPA_CLUSTER_CAPABILITIES[can]] : []),
    ];
    let kept = items;
    for (const permission of permissions) {
      const allowed = await this.allowedClusters(
        credentials,
        permission,
        kept.map(clusterOf),
      );
      if (!allowed.every(Boolean)) kept = kept.filter((_, i) => allowed[i]);
    }
    return kept;
  }

  /** One page of the fleet the caller may read (`GET /clusters`). */
  async listClusters(
    credentials: BackstageCredentials,
    params: FleetParams,
  ): Promise<ClusterList> {
    const { can, sort, search, cursor, ...q } = params;
    const query: FleetQuery = {
      filters: {
        managementCluster: q.managementCluster,
        namespace: q.namespace,
        tenant: q.tenant,
        phase: q.phase,
        accountId: q.accountId,
        region: q.region,
        kubernetesVersion: q.kubernetesVersion,
        cause: q.cause,
      },
      search,
      sort,
      order: q.order ?? DEFAULTS.order,
      limit: q.limit ?? DEFAULTS.limit,
      cursor,
      facets: q.facets ?? DEFAULTS.facets,
    };
    const managementClusters = this.deps.cache.managementClusters();
    // An unknown management cluster is a 404, not an empty list.
    if (q.managementCluster) this.source(q.managementCluster);
    const order = new FleetOrder(managementClusters, query.sort, query.order);
    // One snapshot for the whole request: the stores may change while it awaits decisions.
    const snapshot = this.rows.snapshot(
      managementClusters,
      managementClusters.map(mc => this.source(mc).listSummaries()),
    );
    const rows = snapshot.ordered(order);
    const now = Date.now();
    const visible = await this.visibleRows(credentials, rows, query, now, can);
    const pass = { now, visible };
    // Counts of the whole fleet are the same for every caller who sees it all.
    const counts = visible
      ? fleetCounts(rows, query, pass)
      : snapshot.countsOf(
          JSON.stringify([query.filters, query.search, query.facets]),
          now,
          () => fleetCounts(rows, query, pass),
        );
    return fleetPage(rows, query, order, pass, counts);
  }

  /**
   * The rows the caller may see of those that can change the answer; undefined when the caller
   * may see every cluster, which settles a fleet of any size with one decision per permission.
   */
  private async visibleRows(
    credentials: BackstageCredentials,
    rows: readonly ClusterSummary[],
    query: FleetQuery,
    now: number,
    can: CapaClusterCapability | undefined,
  ): Promise<Set<ClusterSummary> | undefined> {
    const permissions = [
      capaClusterReadPermission,
      ...(can ? [CAPA_CLUSTER_CAPABILITIES[can]] : []),
    ];
    const everywhere = await this.deps.authorizer.allowsEverywhere(
      permissions,
      credentials,
    );
    if (everywhere.every(Boolean)) return undefined;
    const candidates = candidatesOf(rows, query, now).map(c => c.row);
    return new Set(await this.visible(credentials, candidates, r => r, can));
  }

  /**
   * The cluster view (`GET /clusters/:mc/:ns/:name`), with `staleSince` while its management
   * cluster cannot be reached. A cluster the cache lacks is a NotFoundError only when the cache is
   * complete; before that, or while the management cluster cannot be reached, a
   * ServiceUnavailableError says so.
   */
  async clusterView(
    credentials: BackstageCredentials,
    cluster: ClusterRef,
  ): Promise<GetCluster['response']> {
    const { managementCluster: mc, namespace, name } = cluster;
    await this.requireCluster(
      credentials,
      capaClusterReadPermission,
      cluster,
      'read',
    );
    const view = this.source(mc).view(namespace, name);
    const health = this.deps.cache.health().find(h => h.name === mc);
    if (!view) {
      // Absent from a cache that is not complete proves nothing.
      if (!health?.synced || health.failingSince)
        throw new ServiceUnavailableError(
          `Management cluster "${mc}" ${
            health?.failingSince
              ? `cannot be reached (since ${health.failingSince})`
              : 'has not been listed yet'
          }: whether cluster ${namespace}/${name} exists is not known`,
        );
      throw new NotFoundError(
        `Cluster ${namespace}/${name} not found on management cluster "${mc}"`,
      );
    }
    const diagnosis = diagnosisAt(view, Date.now());
    return {
      ...view,
      diagnosis,
      ...(health?.failingSince ? { staleSince: health.failingSince } : {}),
    };
  }

  /**
   * The recent Warning events of the cluster's objects and the diagnosis with them
   * (`GET /clusters/:mc/:ns/:name/events`). Reads one bounded page of the namespace's Warning
   * events from the management cluster.
   */
  async clusterEvents(
    credentials: BackstageCredentials,
    cluster: ClusterRef,
  ): Promise<GetClusterEvents['response']> {
    const view = await this.clusterView(credentials, cluster);
    let events: WarningEvents;
    try {
      events = await this.deps.cache.readWarningEvents(
        cluster.managementCluster,
        cluster.namespace,
      );
    } catch (e) {
      throw new ServiceUnavailableError(
        `Cannot read the events of ${cluster.namespace}/${cluster.name} from management cluster "${cluster.managementCluster}"`,
        e,
      );
    }
    return clusterEvents(view, events.items, events.truncated);
  }

  /**
   * The cluster's VPC Lattice service access (`GET /clusters/:mc/:ns/:name/service-network`), from
   * the watch cache, for callers who may read the cluster.
   */
  async clusterServiceNetwork(
    credentials: BackstageCredentials,
    cluster: ClusterRef,
  ): Promise<GetClusterServiceNetwork['response']> {
    // Authorizes, and answers 404 or 503 as the cluster view does.
    await this.clusterView(credentials, cluster);
    const store = this.source(cluster.managementCluster);
    return latticeServiceNetworkView(
      cluster,
      store.objects('ConfigMap'),
      store.objects('ClusterResourceSetBinding'),
    );
  }

  /**
   * The cluster's exec-based user kubeconfig and the `aws eks update-kubeconfig` commands
   * (`GET /clusters/:mc/:ns/:name/kubeconfig`). Reads one Secret from the management cluster.
   */
  async userKubeconfig(
    credentials: BackstageCredentials,
    cluster: ClusterRef,
  ): Promise<GetKubeconfig['response']> {
    const { managementCluster: mc, namespace, name } = cluster;
    await this.requireCluster(
      credentials,
      capaClusterKubeconfigReadPermission,
      cluster,
      'read the kubeconfig of',
    );
    const view = this.source(mc).view(namespace, name);
    if (!view)
      throw new NotFoundError(
        `Cluster ${namespace}/${name} not found on management cluster "${mc}"`,
      );
    // Only ever the exec-based user kubeconfig; the admin `<cluster>-kubeconfig` is never read.
    const secretName = view.kubeconfig.secretName;
    const data = await this.deps.cache.readSecretData(
      mc,
      namespace,
      secretName,
    );
    if (!data?.value) {
      throw new NotFoundError(
        `The kubeconfig of ${namespace}/${name} is not available yet: Secret ${secretName} does not exist (CAPA creates it once the EKS control plane is ready)`,
      );
    }
    const kubeconfig = Buffer.from(data.value, 'base64').toString('utf8');
    const refusal = userKubeconfigProblem(kubeconfig);
    if (refusal) {
      throw new NotAllowedError(
        `Refusing to serve Secret ${secretName}: ${refusal}; only exec-based kubeconfigs without credentials are served`,
      );
    }
    const roles = view.access.filter(p => p.kind === 'role').map(p => p.arn);
    return {
      kubeconfig,
      secretName,
      updateKubeconfigCommand: updateKubeconfigCommand(view) ?? '',
      roleCommands: [...new Set(roles)].map(roleArn => ({
        roleArn,
        command: updateKubeconfigCommand(view, roleArn) ?? '',
      })),
    };
  }
}

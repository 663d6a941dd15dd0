import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  CAPA_CLUSTER_CAPABILITIES,
  CAPA_LABELS,
  CAPA_ANNOTATIONS,
  capaClusterCreatePermission,
  capaClusterKubeconfigReadPermission,
  capaClusterReadPermission,
  CapaClusterCapability,
  ClusterRef,
  clusterEntityRef,
  ownerOfNamespace,
  TenantSummary,
  updateKubeconfigCommand,
} from '@capa-backstage/plugin-capa-common';
import {
  CapaAuthorizer,
  CapaClusterCache,
  ObjectStore,
} from '@capa-backstage/plugin-capa-node';
import express from 'express';
import { createOpenApiRouter, spec } from '../schema/openapi';
import { candidatesOf, fleetPage, type FleetQuery } from './fleetQuery';
import { userKubeconfigProblem } from './userKubeconfig';

/** @public */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  authorizer: CapaAuthorizer;
  cache: CapaClusterCache;
  /** The Kubernetes minor versions templates may offer (capa.kubernetesVersions). */
  kubernetesVersions: readonly string[];
}

// The validator fills in the spec's defaults; these only satisfy the types, from the same source.
const DEFAULTS = {
  limit: spec.components.parameters.limit.schema.default,
  order: spec.components.parameters.order.schema.default,
  facets: spec.components.parameters.facets.schema.default,
};

/**
 * Builds the plugin's HTTP API. Handlers only read the watch cache, except the kubeconfig read.
 * Every cluster route authorizes before it looks anything up, so a denied caller gets the same
 * answer whether or not the cluster exists.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, authorizer, cache } = options;
  // Validates every request against the spec (400 naming the parameter) before any handler.
  const router = await createOpenApiRouter();

  /** The store of a management cluster; the error does not list the configured ones. */
  function source(mc: string): ObjectStore {
    const store = cache.store(mc);
    if (!store) throw new NotFoundError(`Unknown management cluster "${mc}"`);
    return store;
  }

  /** Whether the caller may do `permission` on each cluster, in order. */
  async function allowedClusters(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    clusters: ClusterRef[],
  ): Promise<boolean[]> {
    if (!clusters.length) return [];
    const decisions = await authorizer.authorize(
      clusters.map(cluster => ({
        permission,
        target: { type: 'cluster', cluster },
      })),
      credentials,
    );
    return decisions.map(d => d.allowed);
  }

  /** Throws NotAllowedError unless the caller may do `permission` on the cluster. */
  async function requireCluster(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    cluster: ClusterRef,
    verb: string,
  ) {
    const [allowed] = await allowedClusters(credentials, permission, [cluster]);
    if (!allowed)
      throw new NotAllowedError(
        `Not allowed to ${verb} ${clusterEntityRef(cluster)}`,
      );
  }

  /** Keeps the items whose cluster the caller may read and, with `can`, also do that on. */
  async function visible<T>(
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
      const allowed = await allowedClusters(
        credentials,
        permission,
        kept.map(clusterOf),
      );
      if (!allowed.every(Boolean)) kept = kept.filter((_, i) => allowed[i]);
    }
    return kept;
  }

  router.get('/health', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const health = cache.health();
    // Object counts and error texts describe the whole fleet: only for who may read every cluster.
    const [full] = await authorizer.allowsEverywhere(
      [capaClusterReadPermission],
      credentials,
    );
    res.json({
      managementClusters: full
        ? health
        : health.map(h => ({
            name: h.name,
            reachable: h.reachable,
            synced: h.synced,
            ...(h.failingSince ? { failingSince: h.failingSince } : {}),
            crds: h.crds,
            cacheAgeSeconds: h.cacheAgeSeconds,
            objects: {},
          })),
    });
  });

  router.get('/settings', async (_req, res) => {
    res.json({
      managementClusters: cache.managementClusters(),
      kubernetesVersions: [...options.kubernetesVersions],
    });
  });

  router.get('/tenants', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const tenants: TenantSummary[] = cache.managementClusters().flatMap(mc =>
      source(mc)
        .objects('Namespace')
        .filter(ns => ns.metadata?.labels?.[CAPA_LABELS.tenant])
        .map(ns => ({
          managementCluster: mc,
          tenant: ns.metadata!.labels![CAPA_LABELS.tenant],
          namespace: ns.metadata!.name!,
          owner: ownerOfNamespace(ns),
          accountId: ns.metadata?.annotations?.[CAPA_ANNOTATIONS.awsAccountId],
        })),
    );
    let items = tenants;
    if (req.query.can === 'create-cluster') {
      const decisions = await authorizer.authorize(
        tenants.map(t => ({
          permission: capaClusterCreatePermission,
          target: {
            type: 'tenant',
            managementCluster: t.managementCluster,
            tenant: t.tenant,
            namespace: t.namespace,
            group: t.owner,
          },
        })),
        credentials,
      );
      items = tenants.filter((_, i) => decisions[i].allowed);
    }
    res.json({ items });
  });

  router.get('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { can, sort, search, cursor, ...q } = req.query;
    const query: FleetQuery = {
      filters: {
        managementCluster: q.managementCluster,
        namespace: q.namespace,
        tenant: q.tenant,
        phase: q.phase,
        accountId: q.accountId,
        region: q.region,
        kubernetesVersion: q.kubernetesVersion,
      },
      search,
      sort,
      order: q.order ?? DEFAULTS.order,
      limit: q.limit ?? DEFAULTS.limit,
      cursor,
      facets: q.facets ?? DEFAULTS.facets,
    };
    const managementClusters = cache.managementClusters();
    // An unknown management cluster is a 404, not an empty list.
    if (q.managementCluster) source(q.managementCluster);
    // The other stores' rows only count for the managementCluster facet.
    const read =
      q.managementCluster && !query.facets
        ? [q.managementCluster]
        : managementClusters;
    const rows = read.flatMap(mc => source(mc).listSummaries());
    const candidates = await visible(
      credentials,
      candidatesOf(rows, query),
      c => c.row,
      can,
    );
    res.json(fleetPage(candidates, query, managementClusters));
  });

  router.get(
    '/clusters/:managementCluster/:namespace/:name',
    async (req, res) => {
      const { managementCluster: mc, namespace, name } = req.params;
      const cluster = { managementCluster: mc, namespace, name };
      await requireCluster(
        await httpAuth.credentials(req),
        capaClusterReadPermission,
        cluster,
        'read',
      );
      const view = source(mc).view(namespace, name);
      const health = cache.health().find(h => h.name === mc);
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
      res.json(
        health?.failingSince
          ? { ...view, staleSince: health.failingSince }
          : view,
      );
    },
  );

  router.get(
    '/clusters/:managementCluster/:namespace/:name/kubeconfig',
    async (req, res) => {
      const { managementCluster: mc, namespace, name } = req.params;
      const credentials = await httpAuth.credentials(req);
      const cluster = { managementCluster: mc, namespace, name };
      const audit = await auditor.createEvent({
        eventId: 'kubeconfig-read',
        severityLevel: 'medium',
        request: req,
        meta: {
          managementCluster: mc,
          namespace,
          cluster: name,
          entityRef: clusterEntityRef(cluster),
        },
      });
      try {
        await requireCluster(
          credentials,
          capaClusterKubeconfigReadPermission,
          cluster,
          'read the kubeconfig of',
        );
        const view = source(mc).view(namespace, name);
        if (!view)
          throw new NotFoundError(
            `Cluster ${namespace}/${name} not found on management cluster "${mc}"`,
          );
        // Only ever the exec-based user kubeconfig; the admin `<cluster>-kubeconfig` is never read.
        const secretName = view.kubeconfig.secretName;
        const data = await cache.readSecretData(mc, namespace, secretName);
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
        const roles = view.access
          .filter(p => p.kind === 'role')
          .map(p => p.arn);
        const body = {
          kubeconfig,
          secretName,
          updateKubeconfigCommand: updateKubeconfigCommand(view) ?? '',
          roleCommands: [...new Set(roles)].map(roleArn => ({
            roleArn,
            command: updateKubeconfigCommand(view, roleArn) ?? '',
          })),
        };
        await audit.success({ meta: { result: 'allowed' } });
        res.json(body);
      } catch (error) {
        await audit.fail({
          error: error as Error,
          meta: {
            result:
              (error as Error).name === 'NotAllowedError' ? 'denied' : 'failed',
          },
        });
        throw error;
      }
    },
  );

  return router;
}

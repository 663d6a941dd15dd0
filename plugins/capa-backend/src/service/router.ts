import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import {
  CAPA_LABELS,
  CAPA_ANNOTATIONS,
  capaClusterCreatePermission,
  capaClusterReadPermission,
  clusterEntityRef,
  ownerOfNamespace,
  TenantSummary,
} from '@capa-backstage/plugin-capa-common';
import {
  CapaAuthorizer,
  CapaClusterCache,
} from '@capa-backstage/plugin-capa-node';
import express from 'express';
import { createOpenApiRouter } from '../schema/openapi';
import { audited } from './audit';
import { ClusterAccess } from './clusterAccess';

/** @public */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  authorizer: CapaAuthorizer;
  cache: CapaClusterCache;
  /** The Kubernetes minor versions templates may offer (capa.kubernetesVersions). */
  kubernetesVersions: readonly string[];
}

/**
 * Builds the plugin's HTTP API. Handlers only read the watch cache, except the kubeconfig read.
 * The cluster routes answer through {@link ClusterAccess}, as the actions do.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, authorizer, cache } = options;
  const access = new ClusterAccess({ authorizer, cache });
  const source = (mc: string) => access.source(mc);
  // Validates every request against the spec (400 naming the parameter) before any handler.
  const router = await createOpenApiRouter();

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
    res.json(await access.listClusters(credentials, req.query));
  });

  router.get(
    '/clusters/:managementCluster/:namespace/:name',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      res.json(await access.clusterView(credentials, req.params));
    },
  );

  router.get(
    '/clusters/:managementCluster/:namespace/:name/events',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      res.json(await access.clusterEvents(credentials, req.params));
    },
  );

  router.get(
    '/clusters/:managementCluster/:namespace/:name/service-network',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req);
      res.json(await access.clusterServiceNetwork(credentials, req.params));
    },
  );

  router.get(
    '/clusters/:managementCluster/:namespace/:name/kubeconfig',
    async (req, res) => {
      const { managementCluster: mc, namespace, name } = req.params;
      const credentials = await httpAuth.credentials(req);
      const cluster = { managementCluster: mc, namespace, name };
      const body = await audited(
        auditor,
        {
          eventId: 'kubeconfig-read',
          severityLevel: 'medium',
          request: req,
          meta: {
            managementCluster: mc,
            namespace,
            cluster: name,
            entityRef: clusterEntityRef(cluster),
          },
        },
        () => access.userKubeconfig(credentials, cluster),
      );
      res.json(body);
    },
  );

  return router;
}

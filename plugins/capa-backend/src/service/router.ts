import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  CAPA_CLUSTER_CAPABILITIES,
  CAPA_LABELS,
  CAPA_ANNOTATIONS,
  capaClusterCreatePermission,
  capaClusterKubeconfigReadPermission,
  capaClusterReadPermission,
  CapaClusterCapability,
  CapaSettings,
  ClusterRef,
  ClusterSummary,
  clusterEntityRef,
  KubeconfigResponse,
  ownerOfNamespace,
  TenantList,
  TenantSummary,
  updateKubeconfigCommand,
} from '@capa-backstage/plugin-capa-common';
import {
  CapaAuthorizer,
  CapaClusterCache,
  ClusterFilters,
  matches,
  ObjectStore,
  page,
} from '@capa-backstage/plugin-capa-node';
import express from 'express';
import Router from 'express-promise-router';
import { parse } from 'yaml';

/** @public */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  authorizer: CapaAuthorizer;
  cache: CapaClusterCache;
  /** The Kubernetes minor versions templates may offer (capa.kubernetesVersions). */
  kubernetesVersions: readonly string[];
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/**
 * A kubeconfig that carries credentials (a token, client key, password) must never be served: the
 * user kubeconfig is exec-based. Returns the reason to refuse, if any.
 */
function credentialsIn(kubeconfig: string): string | undefined {
  let doc: any;
  try {
    doc = parse(kubeconfig);
  } catch {
    return 'it is not valid YAML';
  }
  const users: any[] = Array.isArray(doc?.users) ? doc.users : [];
  for (const u of users) {
    const fields = Object.keys(u?.user ?? {});
    const secret = fields.find(f =>
      [
        'token',
        'tokenFile',
        'client-key',
        'client-key-data',
        'password',
        'username',
      ].includes(f),
    );
    if (secret) return `user "${u?.name}" carries "${secret}"`;
    if (!u?.user?.exec)
      return `user "${u?.name}" has no exec credential plugin`;
  }
  return users.length === 0 ? 'it has no users' : undefined;
}

function capabilityOf(value: unknown): CapaClusterCapability | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value in CAPA_CLUSTER_CAPABILITIES)
    return value as CapaClusterCapability;
  throw new InputError(
    `can must be one of ${Object.keys(CAPA_CLUSTER_CAPABILITIES).join(', ')}`,
  );
}

/**
 * Builds the plugin's HTTP API. Handlers only read the watch cache, except the kubeconfig read.
 * Every cluster route authorizes before it looks anything up, so a denied caller gets the same
 * answer whether or not the cluster exists.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, authorizer, cache } = options;
  const router = Router();
  router.use(express.json());

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

  /** Keeps the rows the caller may read and, with `can`, also do that on. */
  async function visible(
    credentials: BackstageCredentials,
    rows: ClusterSummary[],
    can: CapaClusterCapability | undefined,
  ): Promise<ClusterSummary[]> {
    const permissions = [
      capaClusterReadPermission,
      ...(can ? [CAPA_CLUSTER_CAPABILITIES[can]] : []),
    ];
    let kept = rows;
    for (const permission of permissions) {
      const allowed = await allowedClusters(credentials, permission, kept);
      kept = kept.filter((_, i) => allowed[i]);
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
            crds: h.crds,
            cacheAgeSeconds: h.cacheAgeSeconds,
            objects: {},
          })),
    });
  });

  router.get('/settings', async (_req, res) => {
    const body: CapaSettings = {
      managementClusters: cache.managementClusters(),
      kubernetesVersions: [...options.kubernetesVersions],
    };
    res.json(body);
  });

  router.get('/tenants', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const q = req.query as Record<string, unknown>;
    if (q.can !== undefined && q.can !== 'create-cluster')
      throw new InputError('can must be create-cluster');
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
    if (q.can === 'create-cluster') {
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
    const body: TenantList = { items };
    res.json(body);
  });

  router.get('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const q = req.query as Record<string, string | undefined>;
    const limit = q.limit === undefined ? DEFAULT_LIMIT : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new InputError(
        `limit must be a whole number between 1 and ${MAX_LIMIT}`,
      );
    }
    if (
      q.cursor !== undefined &&
      !/^\d+$/.test(Buffer.from(q.cursor, 'base64url').toString())
    ) {
      throw new InputError('cursor is not one this API returned');
    }
    const can = capabilityOf(q.can);
    const filters: ClusterFilters = {
      namespace: q.namespace,
      tenant: q.tenant,
      phase: q.phase,
      accountId: q.accountId,
      region: q.region,
    };
    const stores = q.managementCluster
      ? [source(q.managementCluster)]
      : cache.managementClusters().map(mc => source(mc));
    const rows = stores.flatMap(store =>
      store.listSummaries().filter(r => matches(r, filters)),
    );
    res.json(page(await visible(credentials, rows, can), limit, q.cursor));
  });

  router.get('/clusters/:mc/:namespace/:name', async (req, res) => {
    const { mc, namespace, name } = req.params;
    const cluster = { managementCluster: mc, namespace, name };
    await requireCluster(
      await httpAuth.credentials(req),
      capaClusterReadPermission,
      cluster,
      'read',
    );
    const view = source(mc).view(namespace, name);
    if (!view)
      throw new NotFoundError(
        `Cluster ${namespace}/${name} not found on management cluster "${mc}"`,
      );
    res.json(view);
  });

  router.get('/clusters/:mc/:namespace/:name/kubeconfig', async (req, res) => {
    const { mc, namespace, name } = req.params;
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
      const refusal = credentialsIn(kubeconfig);
      if (refusal) {
        throw new NotAllowedError(
          `Refusing to serve Secret ${secretName}: ${refusal}; only exec-based kubeconfigs without credentials are served`,
        );
      }
      const roles = view.access.filter(p => p.kind === 'role').map(p => p.arn);
      const body: KubeconfigResponse = {
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
  });

  return router;
}

import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  capaClusterKubeconfigReadPermission,
  capaClusterReadPermission,
  ClusterSummary,
  clusterEntityName,
  KubeconfigResponse,
  updateKubeconfigCommand,
} from '@capa-backstage/plugin-capa-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { parse } from 'yaml';
import {
  CapaClusterCache,
  ClusterFilters,
  matches,
  ObjectStore,
  page,
} from '@capa-backstage/plugin-capa-node';

/** @public */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  cache: CapaClusterCache;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function entityRefOf(mc: string, namespace: string, name: string) {
  return stringifyEntityRef({
    kind: 'resource',
    namespace: 'default',
    name: clusterEntityName(mc, namespace, name),
  });
}

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

/** Builds the plugin's HTTP API. Handlers only read the watch cache, except the kubeconfig read. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, auditor, cache } = options;
  const router = Router();
  router.use(express.json());

  function source(mc: string): ObjectStore {
    const store = cache.store(mc);
    if (!store) {
      throw new NotFoundError(
        `Unknown management cluster "${mc}"; configured: ${
          cache.managementClusters().join(', ') || 'none'
        }`,
      );
    }
    return store;
  }

  /** Authorizes one cluster for a resource permission; throws NotAllowedError on deny. */
  async function authorizeCluster(
    req: Request,
    permission: ResourcePermission<'catalog-entity'>,
    resourceRef: string,
  ) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to ${
          permission.name === capaClusterReadPermission.name
            ? 'read'
            : 'read the kubeconfig of'
        } ${resourceRef}`,
      );
    }
  }

  /** Keeps the rows the caller may read: one unconditional decision, or one batch when conditional. */
  async function visible(
    req: Request,
    rows: ClusterSummary[],
  ): Promise<ClusterSummary[]> {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorizeConditional(
      [{ permission: capaClusterReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return rows;
    if (decision.result === AuthorizeResult.DENY || rows.length === 0)
      return [];
    const decisions = await permissions.authorize(
      rows.map(r => ({
        permission: capaClusterReadPermission,
        resourceRef: entityRefOf(r.managementCluster, r.namespace, r.name),
      })),
      { credentials },
    );
    return rows.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW);
  }

  router.get('/health', async (_req, res) => {
    res.json({ managementClusters: cache.health() });
  });

  router.get('/clusters', async (req, res) => {
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
    res.json(page(await visible(req, rows), limit, q.cursor));
  });

  router.get('/clusters/:mc/:namespace/:name', async (req, res) => {
    const { mc, namespace, name } = req.params;
    const view = source(mc).view(namespace, name);
    if (!view)
      throw new NotFoundError(
        `Cluster ${namespace}/${name} not found on management cluster "${mc}"`,
      );
    await authorizeCluster(
      req,
      capaClusterReadPermission,
      entityRefOf(mc, namespace, name),
    );
    res.json(view);
  });

  router.get('/clusters/:mc/:namespace/:name/kubeconfig', async (req, res) => {
    const { mc, namespace, name } = req.params;
    const credentials = await httpAuth.credentials(req);
    const resourceRef = entityRefOf(mc, namespace, name);
    const audit = await auditor.createEvent({
      eventId: 'kubeconfig-read',
      severityLevel: 'medium',
      request: req,
      meta: {
        managementCluster: mc,
        namespace,
        cluster: name,
        entityRef: resourceRef,
      },
    });
    try {
      const view = source(mc).view(namespace, name);
      if (!view)
        throw new NotFoundError(
          `Cluster ${namespace}/${name} not found on management cluster "${mc}"`,
        );
      const [decision] = await permissions.authorize(
        [{ permission: capaClusterKubeconfigReadPermission, resourceRef }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Not allowed to read the kubeconfig of ${resourceRef}`,
        );
      }
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

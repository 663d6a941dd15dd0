import { AsyncLocalStorage } from 'async_hooks';
import { InputError } from '@backstage/errors';
import type {
  KubernetesObject,
  ObjectRef,
} from '@capa-backstage/plugin-capa-common';
import type {
  KubeConfig,
  KubernetesObject as ClientNodeObject,
  KubernetesObjectApi,
  RequestContext,
  ResponseContext,
  SecurityAuthentication,
  V1APIResource,
} from '@kubernetes/client-node';
import {
  assumeRoleCredentials,
  AwsCredentialsProvider,
  EksTokenProvider,
} from './eksToken';
import {
  CredentialsTimeoutError,
  isObjectNotFound,
  notInstalledError,
  OperationContext,
  toBackstageError,
} from './errors';
import { checkServerAddress } from '../config/serverAddress';
import type { RequestTimeouts } from '../config/timeouts';
import { buildKubeConfig } from './kubeConfig';
import { ClientNodeModule, loadClientNode } from './loadClientNode';
import { abortable, limitConnectTime, requestDeadline } from './signals';
import type { ManagementClusterClientOptions, ResourceType } from './types';

/** The client-node objects one management cluster is reached with. */
export interface Connection {
  /** The management cluster's configured name, for messages. */
  cluster: string;
  k8s: ClientNodeModule;
  kc: KubeConfig;
  objects: KubernetesObjectApi & {
    resolve(
      apiVersion: string,
      kind: string,
    ): Promise<V1APIResource | undefined>;
  };
  timeouts: RequestTimeouts;
}

/**
 * Waits for a request's credentials (`kc`'s authentication: a token, an exec plugin, an EKS token)
 * until `deadline`. client-node authenticates before any middleware runs, so a request timeout set
 * only in a middleware would not cover it: a hanging STS would hold the request forever.
 */
export async function authenticateWithin<T>(
  credentials: Promise<T>,
  deadline: AbortSignal,
  timeouts: RequestTimeouts,
): Promise<T> {
  try {
    return await abortable(credentials, deadline);
  } catch (e) {
    // Out of time (not cancelled: that is the caller's to report) while getting credentials.
    if (e === deadline.reason && (e as Error)?.name === 'TimeoutError')
      throw new CredentialsTimeoutError(timeouts.requestMs);
    throw e;
  }
}

/**
 * What lists and gets ask for instead of whole objects (client-node's requests always ask for
 * them): metadata only, as client-go's metadata informers ask. Every apiserver since 1.15 serves
 * it; the plain JSON after it is the fallback the media type negotiation allows.
 */
export const METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
/** The same for a watch, whose events carry one object each. */
export const METADATA_ACCEPT =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

const requestAccept = new AsyncLocalStorage<string | undefined>();

/** Runs `fn` with every request it makes through a connection asking for `accept`. */
export function withAccept<T>(
  accept: string | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  return requestAccept.run(accept, fn);
}

/**
 * client-node turns built-in kinds into model classes (with Date fields); callers get plain JSON:
 * what `JSON.parse(JSON.stringify(value))` would give, without copying the parts that are already
 * plain. A list page's spec and status trees are parsed JSON, so only their metadata is copied (at
 * 10,000 clusters the round trip was a third of the cache's start-up).
 */
export function plain<T>(value: unknown): T {
  return toPlain(value) as T;
}

function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return toPlain((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      let item = toPlain(value[i]);
      // JSON writes what it cannot represent in an array as null.
      if (item === undefined || typeof item === 'function') item = null;
      if (item !== value[i]) copy ??= value.slice(0, i);
      copy?.push(item);
    }
    return copy ?? value;
  }
  const proto = Object.getPrototypeOf(value);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Instances of model classes become plain objects, as in JSON.
  let copy: Record<string, unknown> | undefined =
    proto === Object.prototype || proto === null ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const member = record[keys[i]];
    const item = toPlain(member);
    const dropped = item === undefined || typeof item === 'function';
    if (!copy && (dropped || item !== member)) {
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j]] = record[keys[j]];
    }
    if (copy && !dropped) copy[keys[i]] = item;
  }
  return copy ?? value;
}

/** The ref of an object or a ref-like input; InputError naming the action when it is incomplete. */
export function refOf(
  cluster: string,
  obj: {
    apiVersion?: unknown;
    kind?: unknown;
    name?: unknown;
    namespace?: unknown;
    metadata?: { name?: unknown; namespace?: unknown };
  },
  action: string,
): ObjectRef {
  const name = obj.metadata ? obj.metadata.name : obj.name;
  const namespace = obj.metadata ? obj.metadata.namespace : obj.namespace;
  if (
    typeof obj.apiVersion !== 'string' ||
    typeof obj.kind !== 'string' ||
    typeof name !== 'string' ||
    !name
  ) {
    throw new InputError(
      `management cluster "${cluster}": cannot ${action} an object without apiVersion, kind and name`,
    );
  }
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name,
    ...(typeof namespace === 'string' && namespace ? { namespace } : {}),
  };
}

/** Resolves a kind through discovery: "not installed" errors come from here, before any object request. */
export async function resolveKind(
  c: Connection,
  type: ResourceType & { name?: string },
  ctx: OperationContext,
): Promise<V1APIResource> {
  let resource: V1APIResource | undefined;
  try {
    resource = await c.objects.resolve(type.apiVersion, type.kind);
  } catch (e) {
    if ((e as { code?: unknown }).code === 404)
      throw notInstalledError(c.cluster, type.apiVersion, type.kind);
    throw toBackstageError(e, { ...ctx, action: ctx.action });
  }
  if (!resource) throw notInstalledError(c.cluster, type.apiVersion, type.kind);
  if (resource.namespaced && type.name !== undefined && !type.namespace) {
    throw new InputError(
      `management cluster "${c.cluster}": cannot ${ctx.action} ${type.kind} ${type.name}: it is namespaced and has no namespace`,
    );
  }
  return resource;
}

/** Reads one object; undefined when it does not exist. */
export async function readObject(
  c: Connection,
  ref: ObjectRef,
  ctx: OperationContext,
): Promise<KubernetesObject | undefined> {
  try {
    return plain(
      await c.objects.read({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace },
      }),
    );
  } catch (e) {
    if (isObjectNotFound(e, ref)) return undefined;
    throw toBackstageError(e, { ...ctx, action: 'get' });
  }
}

/**
 * Builds the client-node objects of a management cluster from its config: kubeconfig, in-cluster,
 * token or EKS token auth, a timeout on every request, and discovery exposed for watches and the
 * installation check.
 */
export async function createConnection(
  options: ManagementClusterClientOptions,
  timeouts: RequestTimeouts,
  baseAwsCredentials: (roleArn?: string) => AwsCredentialsProvider,
): Promise<Connection> {
  const { config, logger } = options;
  const cluster = config.name;
  const k8s = await (options.loadClientNode ?? loadClientNode)();
  let eksToken: (() => Promise<string>) | undefined;
  if (config.auth.type === 'eks') {
    const { clusterName, region, roleArn, externalId } = config.auth;
    const base = baseAwsCredentials(roleArn);
    const credentials = roleArn
      ? assumeRoleCredentials({
          base,
          roleArn,
          externalId,
          region,
          timeouts,
          stsClientConfig: options.stsClientConfig,
        })
      : base;
    const provider = new EksTokenProvider({ clusterName, region, credentials });
    eksToken = () => provider.getToken();
  }
  const kc = buildKubeConfig(k8s, config, { eksToken });
  if (
    (config.auth.type === 'token' || config.auth.type === 'eks') &&
    config.auth.skipTLSVerify
  ) {
    logger.warn(
      `management cluster "${cluster}": TLS verification of its API server is disabled (dangerouslySkipTLSVerify)`,
    );
  }
  const server = kc.getCurrentCluster()!.server;
  await checkServerAddress(cluster, server);
  // One deadline per request, from its authentication to the end of its answer: client-node 1.4
  // has no request timeout, and a server or STS that never answers would hang the scaffolder
  // task, the watch cache or the backend request forever. It also carries the caller's signal.
  const deadlines = new WeakMap<RequestContext, AbortSignal>();
  const authentication: SecurityAuthentication = {
    getName: () => kc.getName(),
    applySecurityAuthentication: async context => {
      const deadline = requestDeadline(timeouts.requestMs);
      deadlines.set(context, deadline);
      await authenticateWithin(
        Promise.resolve(kc.applySecurityAuthentication(context)),
        deadline,
        timeouts,
      );
    },
  };
  const configuration = k8s.createConfiguration({
    baseServer: new k8s.ServerConfiguration(server, {}),
    authMethods: { default: authentication },
    promiseMiddleware: [
      {
        pre: async context => {
          const deadline =
            deadlines.get(context) ?? requestDeadline(timeouts.requestMs);
          // Cancelled (or out of time) while authenticating: nothing is sent.
          deadline.throwIfAborted();
          context.setSignal(deadline);
          limitConnectTime(context.getAgent(), timeouts.connectMs);
          const accept = requestAccept.getStore();
          if (accept) context.setHeaderParam('Accept', accept);
          // Every write is checked strictly: an unknown field fails instead of being dropped.
          if (String(context.getHttpMethod()) === 'PATCH')
            context.setQueryParam('fieldValidation', 'Strict');
          return context;
        },
        post: async response => response,
      },
    ],
  });
  // The subclass only exposes client-node's discovery (with its per-apiVersion cache), so
  // watches and "is CAPA installed" resolve kinds exactly as apply and get do.
  class CapaObjectApi extends k8s.KubernetesObjectApi {
    resolve(
      apiVersion: string,
      kind: string,
    ): Promise<V1APIResource | undefined> {
      return this.resource(apiVersion, kind);
    }

    /**
     * Objects and lists come back as the JSON the server sent. client-node would pass custom
     * objects through V1ObjectMeta, which drops a list's `continue` and `remainingItemCount`
     * (paging would silently stop after the first page) and turns timestamps into Dates.
     * Discovery and delete (typed responses) and every error keep client-node's handling.
     */
    protected async processResponse<T extends ClientNodeObject>(
      response: ResponseContext,
      type?: string,
    ): Promise<T> {
      if (
        type === undefined &&
        response.httpStatusCode >= 200 &&
        response.httpStatusCode <= 299
      ) {
        return JSON.parse(await response.body.text()) as T;
      }
      return super.processResponse<T>(response, type);
    }
  }
  const objects = new CapaObjectApi(configuration);
  logger.debug(
    `management cluster "${cluster}": client ready (${config.auth.type})`,
  );
  return { cluster, k8s, kc, objects, timeouts };
}

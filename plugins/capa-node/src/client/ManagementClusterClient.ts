import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type {
  KubeConfig,
  KubernetesObject as ClientNodeObject,
  KubernetesObjectApi,
  ResponseContext,
  V1APIResource,
  Watch,
} from '@kubernetes/client-node';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { isDeepStrictEqual } from 'util';
import type { ManagementClusterConfig } from '../config/readManagementClusters';
import {
  assumeRoleCredentials,
  AwsCredentialsProvider,
  cachedCredentials,
  EksTokenProvider,
} from './eksToken';
import {
  describeTarget,
  errorFromStatus,
  isObjectNotFound,
  notInstalledError,
  OperationContext,
  toBackstageError,
} from './errors';
import { buildKubeConfig } from './kubeConfig';
import { ClientNodeModule, loadClientNode } from './loadClientNode';

/**
 * The field manager of every server-side apply made by the CAPA plugins. Fixed, so that the
 * plugins keep owning the fields they set across runs and a conflict names someone else.
 *
 * @public
 */
export const CAPA_FIELD_MANAGER = 'backstage-capa';

/**
 * Any Kubernetes object, as plain JSON.
 *
 * @public
 */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    generation?: number;
    uid?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    finalizers?: string[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * Names one object.
 *
 * @public
 */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * Names one kind, optionally in one namespace (all namespaces when absent).
 *
 * @public
 */
export interface ResourceType {
  apiVersion: string;
  kind: string;
  namespace?: string;
}

/**
 * What a server-side apply did to one object.
 *
 * @public
 */
export interface ApplyResult extends ObjectRef {
  /** created: it did not exist; configured: it changed; unchanged: the apply was a no-op. */
  action: 'created' | 'configured' | 'unchanged';
  dryRun: boolean;
  /** The object as the API server returned it (after the apply, or as it would be). */
  object: KubernetesObject;
}

/**
 * Options of {@link ManagementClusterClient.apply}.
 *
 * @public
 */
export interface ApplyOptions {
  /** Server-side dry run (`dryRun=All`): validated and answered, nothing stored. */
  dryRun?: boolean;
  /** Take over fields other field managers own instead of failing with a conflict. */
  force?: boolean;
  /**
   * The field manager to apply as; default {@link CAPA_FIELD_MANAGER}. Actions that own only a few
   * fields of an object (a version, a scaling block) use their own, so that their applies never
   * drop or take over fields another manager set, and a conflict names who owns what.
   */
  fieldManager?: string;
}

/**
 * One page of a list.
 *
 * @public
 */
export interface ObjectList<T = KubernetesObject> {
  items: T[];
  /** The list's resourceVersion: watch from here to see every later change exactly once. */
  resourceVersion: string;
  /** Pass to the next list call to get the next page. */
  continue?: string;
  remainingItemCount?: number;
}

/**
 * Options of {@link ManagementClusterClient.list}.
 *
 * @public
 */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

/**
 * One watch event.
 *
 * @public
 */
export interface WatchEvent<T = KubernetesObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  /** The object; for BOOKMARK only apiVersion, kind and metadata.resourceVersion are set. */
  object: T;
}

/**
 * Options of {@link ManagementClusterClient.watch}.
 *
 * @public
 */
export interface WatchOptions {
  /** Start after this resourceVersion (usually a list's); without it, every object comes as ADDED first. */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Ask for BOOKMARK events. Default true. */
  allowBookmarks?: boolean;
  /** Ask the server to end the watch after this many seconds. */
  timeoutSeconds?: number;
  /**
   * End the watch with a ServiceUnavailableError when nothing (not even a bookmark) arrived for
   * this long. client-node 1.4 has no timeout of its own, so a silently dead connection would
   * otherwise hang forever.
   */
  idleTimeoutMs?: number;
}

/**
 * Callbacks of a watch.
 *
 * @public
 */
export interface WatchHandlers<T = KubernetesObject> {
  onEvent(event: WatchEvent<T>): void;
  /**
   * Called once when the watch ends by itself (never after `stop()`): without an error when the
   * server ended it (watch again from the last resourceVersion seen), with ResourceExpiredError
   * when that resourceVersion is too old (list again), or with another mapped error.
   */
  onClose(error?: Error): void;
}

/**
 * A running watch.
 *
 * @public
 */
export interface WatchHandle {
  stop(): void;
}

/**
 * Which Cluster API and CAPA resources a management cluster serves.
 *
 * @public
 */
export interface CapaInstallation {
  /** Both CAPI and CAPA serve everything the plugins use. */
  installed: boolean;
  capi: boolean;
  capa: boolean;
  /** `apiVersion kind` of every resource not served. */
  missing: string[];
  /** Set when something is missing: which project is not installed. */
  message?: string;
}

/**
 * Options of the {@link ManagementClusterClient} constructor.
 *
 * @public
 */
export interface ManagementClusterClientOptions {
  config: ManagementClusterConfig;
  logger: LoggerService;
  /** Base AWS credentials for EKS tokens and STS checks; without it the default provider chain. */
  credentialsManager?: AwsCredentialsManager;
  /** Timeout of each request (not of watches). Default 30 s. */
  requestTimeoutMs?: number;
  /** Loads @kubernetes/client-node; replaceable for tests. */
  loadClientNode?: () => Promise<ClientNodeModule>;
  /** Extra configuration of the STS client used to assume roles (tests point it at a local server). */
  stsClientConfig?: Record<string, unknown>;
}

/** The resources `checkCapaInstalled` looks for. */
const REQUIRED_RESOURCES: Array<{
  apiVersion: string;
  kind: string;
  project: 'capi' | 'capa';
}> = [
  { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', project: 'capi' },
  {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'MachinePool',
    project: 'capi',
  },
  {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedControlPlane',
    project: 'capa',
  },
  {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedCluster',
    project: 'capa',
  },
  {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSManagedMachinePool',
    project: 'capa',
  },
  {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSClusterRoleIdentity',
    project: 'capa',
  },
  {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'AWSClusterControllerIdentity',
    project: 'capa',
  },
];

/** Fields the server owns; sending them in an apply would be a precondition or an error. */
const SERVER_METADATA = [
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

interface Connection {
  k8s: ClientNodeModule;
  kc: KubeConfig;
  objects: KubernetesObjectApi & {
    resolve(
      apiVersion: string,
      kind: string,
    ): Promise<V1APIResource | undefined>;
  };
  watch: Watch;
}

/** client-node turns built-in kinds into model classes (with Date fields); callers get plain JSON. */
function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The object without what changes on every write, to tell a dry run's "configured" from "unchanged". */
function comparable(obj: KubernetesObject): unknown {
  const { resourceVersion, managedFields, generation, ...metadata } =
    obj.metadata;
  return { ...obj, metadata };
}

/**
 * A client for one management cluster, over @kubernetes/client-node: server-side apply (with dry
 * run and force) reporting created / configured / unchanged, get, list with paging, delete, watch
 * and a check that Cluster API and CAPA are installed. Every failure is a @backstage/errors error
 * whose message names the management cluster, kind, namespace and name, and never holds a secret.
 *
 * @public
 */
export class ManagementClusterClient {
  /** The management cluster's configured name. */
  readonly name: string;
  private connection?: Promise<Connection>;
  private awsCredentials?: AwsCredentialsProvider;

  constructor(private readonly options: ManagementClusterClientOptions) {
    this.name = options.config.name;
  }

  /**
   * Server-side applies one object with the field manager {@link CAPA_FIELD_MANAGER} (or
   * `options.fieldManager`). Reads the object first, to report whether it was created, configured
   * or left unchanged (a dry run compares the answer with the stored object).
   */
  async apply(
    object: KubernetesObject,
    options: ApplyOptions = {},
  ): Promise<ApplyResult> {
    const ref = this.refOf(object, 'apply');
    const ctx = this.ctx('apply', ref);
    const fieldManager = options.fieldManager ?? CAPA_FIELD_MANAGER;
    // The apiserver refuses more than 128 characters or unprintable ones; this stricter ASCII check
    // makes a bad name fail before any request rather than as a 422 half-way through an action.
    if (!/^[\x21-\x7e]([\x20-\x7e]{0,126}[\x21-\x7e])?$/.test(fieldManager)) {
      throw new InputError(
        `management cluster "${this.name}": cannot apply ${describeTarget(
          ctx,
        )}: the field manager must be 1-128 printable ASCII characters`,
      );
    }
    const c = await this.connect(ctx);
    await this.resolve(c, ref, ctx);
    const before = await this.read(c, ref, ctx);
    const body = structuredClone(object);
    for (const k of SERVER_METADATA) delete body.metadata[k];
    let after: KubernetesObject;
    try {
      after = plain(
        await c.objects.patch(
          body as unknown as ClientNodeObject,
          undefined,
          options.dryRun ? 'All' : undefined,
          fieldManager,
          Boolean(options.force),
          c.k8s.PatchStrategy.ServerSideApply,
        ),
      );
    } catch (e) {
      throw toBackstageError(e, ctx);
    }
    let action: ApplyResult['action'];
    if (!before) action = 'created';
    else if (options.dryRun)
      action = isDeepStrictEqual(comparable(before), comparable(after))
        ? 'unchanged'
        : 'configured';
    else
      action =
        before.metadata.resourceVersion === after.metadata.resourceVersion
          ? 'unchanged'
          : 'configured';
    return { ...ref, action, dryRun: Boolean(options.dryRun), object: after };
  }

  /** Reads one object; NotFoundError when it does not exist. */
  async get<T extends KubernetesObject = KubernetesObject>(
    ref: ObjectRef,
  ): Promise<T> {
    const found = await this.find<T>(ref);
    if (!found) {
      throw new NotFoundError(
        `management cluster "${this.name}": ${ref.kind} ${
          ref.namespace ? `${ref.namespace}/` : ''
        }${ref.name} does not exist`,
      );
    }
    return found;
  }

  /** Reads one object; undefined when it does not exist (but errors when its kind is not served). */
  async find<T extends KubernetesObject = KubernetesObject>(
    ref: ObjectRef,
  ): Promise<T | undefined> {
    const r = this.refOf(ref, 'get');
    const ctx = this.ctx('get', r);
    const c = await this.connect(ctx);
    await this.resolve(c, r, ctx);
    return (await this.read(c, r, ctx)) as T | undefined;
  }

  /** Lists objects of a kind, in one namespace or all, one page at a time when `limit` is set. */
  async list<T extends KubernetesObject = KubernetesObject>(
    type: ResourceType,
    options: ListOptions = {},
  ): Promise<ObjectList<T>> {
    const ctx = this.ctx('list', type);
    const c = await this.connect(ctx);
    await this.resolve(c, type, ctx);
    try {
      const list = plain<{
        items: T[];
        metadata?: {
          resourceVersion?: string;
          continue?: string;
          remainingItemCount?: number;
        };
      }>(
        await c.objects.list(
          type.apiVersion,
          type.kind,
          type.namespace,
          undefined,
          undefined,
          undefined,
          options.fieldSelector,
          options.labelSelector,
          options.limit,
          options.continue,
        ),
      );
      return {
        // The apiserver leaves apiVersion and kind out of the items of built-in lists.
        items: list.items.map(i => ({
          ...i,
          apiVersion: i.apiVersion ?? type.apiVersion,
          kind: i.kind ?? type.kind,
        })),
        resourceVersion: list.metadata?.resourceVersion ?? '',
        ...(list.metadata?.continue
          ? { continue: list.metadata.continue }
          : {}),
        ...(list.metadata?.remainingItemCount !== undefined
          ? { remainingItemCount: list.metadata.remainingItemCount }
          : {}),
      };
    } catch (e) {
      throw toBackstageError(e, ctx);
    }
  }

  /**
   * Deletes one object. Returns 'deleted' when it is gone, 'deleting' when finalizers keep it
   * (it then has a deletionTimestamp). NotFoundError when it does not exist.
   */
  async delete(
    ref: ObjectRef,
    options: {
      dryRun?: boolean;
      propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
    } = {},
  ): Promise<'deleted' | 'deleting'> {
    const r = this.refOf(ref, 'delete');
    const ctx = this.ctx('delete', r);
    const c = await this.connect(ctx);
    await this.resolve(c, r, ctx);
    try {
      const result = await c.objects.delete(
        {
          apiVersion: r.apiVersion,
          kind: r.kind,
          metadata: { name: r.name, namespace: r.namespace },
        },
        undefined,
        options.dryRun ? 'All' : undefined,
        undefined,
        undefined,
        options.propagationPolicy,
      );
      // The apiserver answers with a Status when the object is gone, with the object otherwise.
      return result.kind === 'Status' ? 'deleted' : 'deleting';
    } catch (e) {
      throw toBackstageError(e, ctx);
    }
  }

  /**
   * Watches a kind. Resolves once the server accepted the watch; rejects when it could not start
   * (kind not served, 401/403, unreachable). Later failures, and the end of the watch, arrive
   * through `onClose`. Recovery (re-watch, re-list on ResourceExpiredError, backoff) is the
   * caller's: this is one watch request.
   */
  async watch<T extends KubernetesObject = KubernetesObject>(
    type: ResourceType,
    options: WatchOptions,
    handlers: WatchHandlers<T>,
  ): Promise<WatchHandle> {
    const ctx = this.ctx('watch', type);
    const c = await this.connect(ctx);
    const resource = await this.resolve(c, type, ctx);
    const path = `${
      type.apiVersion.includes('/')
        ? `/apis/${type.apiVersion}`
        : `/api/${type.apiVersion}`
    }${
      resource.namespaced && type.namespace
        ? `/namespaces/${encodeURIComponent(type.namespace)}`
        : ''
    }/${resource.name}`;

    let started = false;
    let ended = false;
    let startError: unknown;
    let controller: AbortController | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    const finish = (error?: Error) => {
      if (ended) return;
      ended = true;
      if (idleTimer) clearTimeout(idleTimer);
      controller?.abort();
      handlers.onClose(error);
    };
    const touch = () => {
      if (!options.idleTimeoutMs || ended) return;
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        finish(
          toBackstageError(
            Object.assign(new Error('idle'), { name: 'TimeoutError' }),
            ctx,
          ),
        );
      }, options.idleTimeoutMs);
      idleTimer.unref?.();
    };

    try {
      controller = await c.watch.watch(
        path,
        {
          resourceVersion: options.resourceVersion,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          allowWatchBookmarks: options.allowBookmarks ?? true,
          timeoutSeconds: options.timeoutSeconds,
        },
        (phase: string, obj: unknown) => {
          if (ended) return;
          touch();
          if (phase === 'ERROR') {
            const status = obj as { code?: unknown };
            finish(
              errorFromStatus(
                typeof status?.code === 'number' ? status.code : 500,
                obj,
                ctx,
              ),
            );
            return;
          }
          if (
            phase === 'ADDED' ||
            phase === 'MODIFIED' ||
            phase === 'DELETED' ||
            phase === 'BOOKMARK'
          ) {
            handlers.onEvent({ type: phase, object: obj as T });
          }
        },
        (err: unknown) => {
          if (!started) {
            startError = err ?? undefined;
            return;
          }
          if (ended) return;
          finish(err ? toBackstageError(err, ctx) : undefined);
        },
      );
    } catch (e) {
      throw toBackstageError(e, ctx);
    }
    if (startError) {
      ended = true;
      throw toBackstageError(startError, ctx);
    }
    started = true;
    touch();
    return {
      stop: () => {
        if (ended) return;
        ended = true;
        if (idleTimer) clearTimeout(idleTimer);
        controller?.abort();
      },
    };
  }

  /**
   * Asks discovery whether the Cluster API (cluster.x-k8s.io/v1beta2 Cluster, MachinePool) and CAPA
   * (AWSManagedControlPlane, AWSManagedCluster, AWSManagedMachinePool, AWSClusterRoleIdentity,
   * AWSClusterControllerIdentity, all v1beta2) resources are served. Throws only when the cluster
   * cannot be asked (unreachable, 401, 403).
   */
  async checkCapaInstalled(): Promise<CapaInstallation> {
    const ctx: OperationContext = {
      cluster: this.name,
      action: 'discover the API resources of',
    };
    const c = await this.connect(ctx);
    const missing: typeof REQUIRED_RESOURCES = [];
    for (const r of REQUIRED_RESOURCES) {
      try {
        if (!(await c.objects.resolve(r.apiVersion, r.kind))) missing.push(r);
      } catch (e) {
        if ((e as { code?: unknown }).code === 404) missing.push(r);
        else
          throw toBackstageError(e, {
            ...ctx,
            action: 'discover',
            apiVersion: r.apiVersion,
          });
      }
    }
    const capi = !missing.some(m => m.project === 'capi');
    const capa = !missing.some(m => m.project === 'capa');
    const names = [
      !capi && 'CAPI (Cluster API)',
      !capa && 'CAPA (Cluster API Provider AWS)',
    ].filter(Boolean);
    return {
      installed: capi && capa,
      capi,
      capa,
      missing: missing.map(m => `${m.apiVersion} ${m.kind}`),
      ...(names.length
        ? {
            message: `${names.join(' and ')} ${
              names.length > 1 ? 'are' : 'is'
            } not installed on management cluster "${
              this.name
            }" (not served: ${missing
              .map(m => `${m.apiVersion} ${m.kind}`)
              .join(', ')})`,
          }
        : {}),
    };
  }

  /**
   * AWS credentials for this management cluster's STS checks: the role in its `aws` config
   * assumed from the backend's credentials, or the backend's credentials themselves. Cached until
   * shortly before they expire. Never log what it returns.
   */
  getAwsCredentials(): AwsCredentialsProvider {
    if (!this.awsCredentials) {
      const aws = this.options.config.aws;
      const base = this.baseAwsCredentials(aws?.roleArn);
      this.awsCredentials = aws?.roleArn
        ? assumeRoleCredentials({
            base,
            roleArn: aws.roleArn,
            externalId: aws.externalId,
            stsClientConfig: this.options.stsClientConfig,
          })
        : base;
    }
    return this.awsCredentials;
  }

  // ---------------------------------------------------------------------------------------------

  private baseAwsCredentials(arn?: string): AwsCredentialsProvider {
    const manager = this.options.credentialsManager;
    return cachedCredentials(async () => {
      if (manager) {
        const provider = await manager.getCredentialProvider(
          arn ? { arn } : undefined,
        );
        return provider.sdkCredentialProvider();
      }
      return fromNodeProviderChain()();
    });
  }

  private ctx(action: string, ref: Partial<ObjectRef>): OperationContext {
    return {
      cluster: this.name,
      action,
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      namespace: ref.namespace,
      name: ref.name,
    };
  }

  private refOf(
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
        `management cluster "${this.name}": cannot ${action} an object without apiVersion, kind and name`,
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
  private async resolve(
    c: Connection,
    type: ResourceType & { name?: string },
    ctx: OperationContext,
  ): Promise<V1APIResource> {
    let resource: V1APIResource | undefined;
    try {
      resource = await c.objects.resolve(type.apiVersion, type.kind);
    } catch (e) {
      if ((e as { code?: unknown }).code === 404)
        throw notInstalledError(this.name, type.apiVersion, type.kind);
      throw toBackstageError(e, { ...ctx, action: ctx.action });
    }
    if (!resource)
      throw notInstalledError(this.name, type.apiVersion, type.kind);
    if (resource.namespaced && type.name !== undefined && !type.namespace) {
      throw new InputError(
        `management cluster "${this.name}": cannot ${ctx.action} ${type.kind} ${type.name}: it is namespaced and has no namespace`,
      );
    }
    return resource;
  }

  private async read(
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

  private connect(ctx: OperationContext): Promise<Connection> {
    if (!this.connection) {
      this.connection = this.createConnection();
      // A failed set-up (a kubeconfig file not there yet) is tried again on the next call.
      this.connection.catch(() => {
        this.connection = undefined;
      });
    }
    return this.connection.catch(e => {
      throw toBackstageError(e, ctx);
    });
  }

  private async createConnection(): Promise<Connection> {
    const { config, logger } = this.options;
    const k8s = await (this.options.loadClientNode ?? loadClientNode)();
    let eksToken: (() => Promise<string>) | undefined;
    if (config.auth.type === 'eks') {
      const { clusterName, region, roleArn, externalId } = config.auth;
      const base = this.baseAwsCredentials(roleArn);
      const credentials = roleArn
        ? assumeRoleCredentials({
            base,
            roleArn,
            externalId,
            region,
            stsClientConfig: this.options.stsClientConfig,
          })
        : base;
      const provider = new EksTokenProvider({
        clusterName,
        region,
        credentials,
      });
      eksToken = () => provider.getToken();
    }
    const kc = buildKubeConfig(k8s, config, { eksToken });
    if (
      (config.auth.type === 'token' || config.auth.type === 'eks') &&
      config.auth.skipTLSVerify
    ) {
      logger.warn(
        `management cluster "${this.name}": TLS verification of its API server is disabled (dangerouslySkipTLSVerify)`,
      );
    }
    const server = kc.getCurrentCluster()!.server;
    const timeoutMs = this.options.requestTimeoutMs ?? 30_000;
    const configuration = k8s.createConfiguration({
      baseServer: new k8s.ServerConfiguration(server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [
        {
          // client-node 1.4 has no request timeout: a server that never answers would hang the
          // scaffolder task or the backend request forever.
          pre: async context => {
            context.setSignal(AbortSignal.timeout(timeoutMs));
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
      `management cluster "${this.name}": client ready (${config.auth.type})`,
    );
    return { k8s, kc, objects, watch: new k8s.Watch(kc) };
  }
}

import { NotFoundError } from '@backstage/errors';
import type {
  KubernetesObject,
  ObjectRef,
} from '@capa-backstage/plugin-capa-common';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { applyObject } from './apply';
import {
  Connection,
  createConnection,
  METADATA_LIST_ACCEPT,
  plain,
  withAccept,
  readObject,
  refOf,
  resolveKind,
} from './connection';
import { checkCapaInstalled } from './discovery';
import {
  assumeRoleCredentials,
  AwsCredentialsProvider,
  cachedCredentials,
} from './eksToken';
import { cancelledError, OperationContext, toBackstageError } from './errors';
import { RequestTimeouts, resolveTimeouts } from '../config/timeouts';
import { abortable, anySignal, runWithSignal } from './signals';
import type {
  ApplyOptions,
  ApplyResult,
  CapaInstallation,
  ListOptions,
  ManagementClusterClientOptions,
  ObjectList,
  RequestOptions,
  ResourceType,
  WatchHandle,
  WatchHandlers,
  WatchOptions,
} from './types';
import { watchKind } from './watch';

/** What every view of one client shares (see withSignal). */
interface SharedState {
  connection?: Promise<Connection>;
  awsCredentials?: AwsCredentialsProvider;
}

/**
 * A client for one management cluster, over `@kubernetes/client-node`: server-side apply (with dry
 * run and force) reporting created / configured / unchanged, get, list with paging, delete, watch
 * and a check that Cluster API and CAPA are installed. Every failure is a `@backstage/errors` error
 * whose message names the management cluster, kind, namespace and name, and never holds a secret.
 * It connects lazily, on the first call. Every request has a connect and a request timeout
 * ({@link ManagementClusterClient.timeouts}), and every operation takes an abort signal (or gets
 * one from {@link ManagementClusterClient.withSignal}).
 *
 * @public
 */
export class ManagementClusterClient {
  /** The management cluster's configured name. */
  readonly name: string;
  /** The timeouts of its requests: its config's `timeouts`, the options', or the defaults. */
  readonly timeouts: RequestTimeouts;
  private readonly shared: SharedState = {};
  /** The signal of every operation made through this view (see withSignal). */
  private boundSignal?: AbortSignal;

  constructor(private readonly options: ManagementClusterClientOptions) {
    this.name = options.config.name;
    this.timeouts = resolveTimeouts(options.config.timeouts, {
      requestMs: options.requestTimeoutMs,
      connectMs: options.connectTimeoutMs,
    });
  }

  /**
   * The same client (one connection, one set of credentials) with `signal` as the signal of every
   * operation made through it, in addition to any given per call: an action binds its task's
   * signal once, and every call it makes, directly or through helpers, stops when the task is
   * cancelled.
   */
  withSignal(signal: AbortSignal | undefined): ManagementClusterClient {
    if (!signal) return this;
    const bound = Object.create(this) as ManagementClusterClient;
    bound.boundSignal = anySignal(this.boundSignal, signal);
    return bound;
  }

  /**
   * Server-side applies one object with the field manager `backstage-capa` (or
   * `options.fieldManager`), and reports whether it was created, configured or left unchanged.
   */
  async apply(
    object: KubernetesObject,
    options: ApplyOptions = {},
  ): Promise<ApplyResult> {
    const ctx = this.ctx('apply', refOf(this.name, object, 'apply'));
    return this.run(ctx, options.signal, c => applyObject(c, object, options));
  }

  /** Reads one object; NotFoundError when it does not exist. */
  async get<T extends KubernetesObject = KubernetesObject>(
    ref: ObjectRef,
    options: RequestOptions = {},
  ): Promise<T> {
    const found = await this.find<T>(ref, options);
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
    options: RequestOptions = {},
  ): Promise<T | undefined> {
    const r = refOf(this.name, ref, 'get');
    const ctx = this.ctx('get', r);
    return this.run(ctx, options.signal, async c => {
      await resolveKind(c, r, ctx);
      return (await readObject(c, r, ctx)) as T | undefined;
    });
  }

  /** Lists objects of a kind, in one namespace or all, one page at a time when `limit` is set. */
  async list<T extends KubernetesObject = KubernetesObject>(
    type: ResourceType,
    options: ListOptions = {},
  ): Promise<ObjectList<T>> {
    const ctx = this.ctx('list', type);
    return this.run(ctx, options.signal, c =>
      this.listPage<T>(c, type, options, ctx),
    );
  }

  private async listPage<T extends KubernetesObject>(
    c: Connection,
    type: ResourceType,
    options: ListOptions,
    ctx: OperationContext,
  ): Promise<ObjectList<T>> {
    await resolveKind(c, type, ctx);
    try {
      const list = plain<{
        items: T[];
        metadata?: {
          resourceVersion?: string;
          continue?: string;
          remainingItemCount?: number;
        };
      }>(
        await withAccept(
          options.metadataOnly ? METADATA_LIST_ACCEPT : undefined,
          () =>
            c.objects.list(
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
        ),
      );
      return {
        // The apiserver leaves apiVersion and kind out of the items of built-in lists, and
        // metadata-only items are PartialObjectMetadata: each is named as the kind listed.
        items: list.items.map(i =>
          options.metadataOnly
            ? ({
                apiVersion: type.apiVersion,
                kind: type.kind,
                metadata: i.metadata,
              } as T)
            : {
                ...i,
                apiVersion: i.apiVersion ?? type.apiVersion,
                kind: i.kind ?? type.kind,
              },
        ),
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
    options: RequestOptions & {
      dryRun?: boolean;
      propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
    } = {},
  ): Promise<'deleted' | 'deleting'> {
    const r = refOf(this.name, ref, 'delete');
    const ctx = this.ctx('delete', r);
    return this.run(ctx, options.signal, async c => {
      await resolveKind(c, r, ctx);
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
    });
  }

  /**
   * Watches a kind. Resolves once the server accepted the watch; later failures and the end of the
   * watch arrive through `onClose` (see WatchHandlers).
   */
  async watch<T extends KubernetesObject = KubernetesObject>(
    type: ResourceType,
    options: WatchOptions,
    handlers: WatchHandlers<T>,
  ): Promise<WatchHandle> {
    return this.run(this.ctx('watch', type), options.signal, c =>
      watchKind(c, type, options, handlers),
    );
  }

  /** Whether the kinds the product needs are served (see checkCapaInstalled). */
  async checkCapaInstalled(
    options: RequestOptions = {},
  ): Promise<CapaInstallation> {
    return this.run(
      { cluster: this.name, action: 'discover the API resources of' },
      options.signal,
      c => checkCapaInstalled(c),
    );
  }

  /**
   * AWS credentials for this management cluster's STS checks: the role in its `aws` config
   * assumed from the backend's credentials, or the backend's credentials themselves. Cached until
   * shortly before they expire. Never log what it returns.
   */
  getAwsCredentials(): AwsCredentialsProvider {
    if (!this.shared.awsCredentials) {
      const aws = this.options.config.aws;
      const base = this.baseAwsCredentials(aws?.roleArn);
      this.shared.awsCredentials = aws?.roleArn
        ? assumeRoleCredentials({
            base,
            roleArn: aws.roleArn,
            externalId: aws.externalId,
            timeouts: this.timeouts,
            stsClientConfig: this.options.stsClientConfig,
          })
        : base;
    }
    return this.shared.awsCredentials;
  }

  // ---------------------------------------------------------------------------------------------

  private baseAwsCredentials(arn?: string): AwsCredentialsProvider {
    const manager = this.options.credentialsManager;
    return cachedCredentials(
      async () => {
        if (manager) {
          const provider = await manager.getCredentialProvider(
            arn ? { arn } : undefined,
          );
          return provider.sdkCredentialProvider();
        }
        return fromNodeProviderChain()();
      },
      // Whatever the source (environment, web identity, instance role), it answers in time.
      { timeoutMs: this.timeouts.requestMs },
    );
  }

  /**
   * Runs one operation with `signal` (and the view's) as the signal of each of its requests:
   * once it aborts, the operation rejects at once with a CancelledError, whatever it was waiting
   * for, and sends nothing more.
   */
  private async run<T>(
    ctx: OperationContext,
    signal: AbortSignal | undefined,
    fn: (c: Connection) => Promise<T>,
  ): Promise<T> {
    const s = anySignal(this.boundSignal, signal);
    if (s?.aborted) throw cancelledError(ctx);
    try {
      return await abortable(
        runWithSignal(s, async () => fn(await this.connect(ctx))),
        s,
      );
    } catch (e) {
      if (s?.aborted) throw cancelledError(ctx);
      throw e;
    }
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

  private connect(ctx: OperationContext): Promise<Connection> {
    const shared = this.shared;
    if (!shared.connection) {
      // Setting up resolves the server's name (the metadata-address check): bounded like a request.
      const connection = abortable(
        createConnection(this.options, this.timeouts, arn =>
          this.baseAwsCredentials(arn),
        ),
        AbortSignal.timeout(this.timeouts.requestMs),
      );
      shared.connection = connection;
      // A failed set-up (a kubeconfig file not there yet) is tried again on the next call.
      connection.catch(() => {
        if (shared.connection === connection) shared.connection = undefined;
      });
    }
    return shared.connection.catch(e => {
      throw toBackstageError(e, ctx);
    });
  }
}

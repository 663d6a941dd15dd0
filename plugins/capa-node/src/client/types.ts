import type { LoggerService } from '@backstage/backend-plugin-api';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type {
  KubernetesObject,
  ObjectRef,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusterConfig } from '../config/readManagementClusters';
import type { ClientNodeModule } from './loadClientNode';

/**
 * The field manager of every server-side apply made by the CAPA plugins. Fixed, so that the
 * plugins keep owning the fields they set across runs and a conflict names someone else.
 *
 * @public
 */
export const CAPA_FIELD_MANAGER = 'backstage-capa';

/**
 * Options every {@link ManagementClusterClient} operation takes.
 *
 * @public
 */
export interface RequestOptions {
  /**
   * Ends the operation when it aborts (a scaffolder task's `ctx.signal`): the request in flight is
   * abandoned, none is sent after it, and the operation rejects with a CancelledError. Each
   * request is also bounded by the management cluster's request timeout either way.
   */
  signal?: AbortSignal;
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
export interface ApplyOptions extends RequestOptions {
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
  /**
   * Send the apply only when it would change the object: an object that exists is first applied
   * as a dry run, and left alone when the answer equals it, fields and their owners alike. A task
   * that runs again (its replica stopped half-way) then sends no write for what was done before.
   */
  onlyIfChanged?: boolean;
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
export interface ListOptions extends RequestOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /**
   * Ask the server for metadata only (PartialObjectMetadata): the items are the listed kind with
   * apiVersion, kind and metadata and nothing else, e.g. Secrets without their data.
   */
  metadataOnly?: boolean;
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
export interface WatchOptions extends RequestOptions {
  /** Start after this resourceVersion (usually a list's); without it, every object comes as ADDED first. */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Ask for BOOKMARK events. Default true. */
  allowBookmarks?: boolean;
  /** Metadata only, as {@link ListOptions.metadataOnly}. */
  metadataOnly?: boolean;
  /**
   * Ends the start of the watch like any request's; once it started, aborting stops the watch as
   * `stop()` does (no `onClose`).
   */
  signal?: AbortSignal;
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
  /**
   * Timeout of each request, from getting its credentials to the end of its answer (a watch: until
   * the server accepts it). The management cluster's `timeouts.request` config wins. Default 30 s.
   */
  requestTimeoutMs?: number;
  /** Timeout of opening each connection (TCP and TLS); `timeouts.connect` wins. Default 10 s. */
  connectTimeoutMs?: number;
  /** Loads `@kubernetes/client-node`; replaceable for tests. */
  loadClientNode?: () => Promise<ClientNodeModule>;
  /** Extra configuration of the STS client used to assume roles (tests point it at a local server). */
  stsClientConfig?: Record<string, unknown>;
}

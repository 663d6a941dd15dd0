import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  KindInfo,
  KubernetesObject,
  WatchedKind,
} from '@capa-backstage/plugin-capa-common';
import { projectObject, type ObjectStore } from './ObjectStore';

/** One watched kind: apiVersion, kind, plural, scope (from capa-common's KINDS). */
export type KindSpec = KindInfo;

/** A page of a list call. */
export interface ListPage {
  items: KubernetesObject[];
  resourceVersion: string;
  continue?: string;
}

/** A watch event as the API server sends it. */
export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubernetesObject }
  /** Only the resourceVersion the watch has reached. */
  | { type: 'BOOKMARK'; object: { metadata?: { resourceVersion?: string } } }
  /** A Status object. */
  | {
      type: 'ERROR';
      object: {
        kind?: string;
        code?: number;
        reason?: string;
        message?: string;
      };
    };

/**
 * The list and watch calls an informer needs. The management-cluster client implements it over
 * the real API; the informer adds the resilience client-node's own informer lacks.
 */
export interface ListWatchTransport {
  list(
    kind: KindSpec,
    options: { limit: number; continue?: string },
  ): Promise<ListPage>;
  /**
   * Starts a watch from a resourceVersion with bookmarks. Resolves once the watch is open;
   * `onEvent` gets each event, `onClose` is called once when the stream ends (error or not).
   */
  watch(
    kind: KindSpec,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    onClose: (error?: Error) => void,
  ): Promise<{ abort(): void }>;
}

/** Timings of the informer; tests shorten them. */
export interface InformerTimings {
  /** Page size of list calls. */
  pageSize: number;
  /** First and largest delay between reconnects (doubling, with jitter). */
  backoffInitialMs: number;
  backoffMaxMs: number;
  /**
   * A watch that neither delivered anything nor was re-opened for this long is restarted: a last
   * guard, longer than the transport's own idle limit (quiet watches are ended by the server and
   * re-opened well before).
   */
  watchdogMs: number;
  /** Full re-list interval, to repair anything a watch could have missed. */
  resyncMs: number;
}

export const DEFAULT_TIMINGS: InformerTimings = {
  pageSize: 500,
  backoffInitialMs: 1000,
  backoffMaxMs: 30000,
  watchdogMs: 10 * 60_000,
  resyncMs: 30 * 60_000,
};

/** Status of one kind's informer, for /health. */
export interface InformerStatus {
  synced: boolean;
  lastHeard?: number;
  error?: string;
  /** The API answered 404 for the kind: its CRD is not installed. */
  missing: boolean;
  /**
   * Since when (epoch ms) requests for the kind have failed, other than with a 404: set by the
   * first failure after a success, cleared by the next success.
   */
  failingSince?: number;
}

/**
 * What an error from the transport means for the informer: the watched version left the server's
 * history (list again), the kind is not served (CRD missing), or anything else (retry).
 */
function classify(error: unknown): 'expired' | 'missing' | 'other' {
  const e = error as {
    name?: string;
    statusCode?: number;
    code?: unknown;
    response?: { statusCode?: number };
  };
  const status =
    e?.statusCode ??
    (typeof e?.code === 'number' ? e.code : undefined) ??
    e?.response?.statusCode;
  if (status === 410 || e?.name === 'ResourceExpiredError') return 'expired';
  if (status === 404 || e?.name === 'NotFoundError') return 'missing';
  return 'other';
}

/**
 * Lists then watches one kind into an ObjectStore: list (paged) -> watch from the list's
 * resourceVersion with bookmarks -> re-watch from the last seen version when the stream ends ->
 * re-list on 410 Gone -> reconnect with exponential backoff on any error -> restart a watch that
 * has been silent too long -> periodic full re-list.
 */
export class Informer {
  private resourceVersion?: string;
  private current?: { abort(): void };
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private resync?: NodeJS.Timeout;
  private failures = 0;
  /** Identifies the current list/watch attempt; events of older attempts are dropped. */
  private generation = 0;
  private readonly state: InformerStatus = { synced: false, missing: false };

  constructor(
    private readonly kind: KindSpec,
    private readonly store: ObjectStore,
    private readonly transport: ListWatchTransport,
    private readonly logger: LoggerService,
    private readonly timings: InformerTimings = DEFAULT_TIMINGS,
  ) {}

  status(): InformerStatus {
    return { ...this.state };
  }

  start(): void {
    this.stopped = false;
    this.schedule(0, true);
    this.resync = setInterval(() => this.restart(true), this.timings.resyncMs);
    this.resync.unref?.();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.timer);
    clearTimeout(this.watchdog);
    clearInterval(this.resync);
    this.current?.abort();
    this.current = undefined;
  }

  private schedule(delayMs: number, relist: boolean) {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.run(relist).catch(error => this.fail(error, relist));
    }, delayMs);
    this.timer.unref?.();
  }

  private restart(relist: boolean) {
    this.generation++; // callbacks of the aborted watch are ignored from here on
    this.current?.abort();
    this.current = undefined;
    this.schedule(0, relist);
  }

  private heard() {
    this.state.lastHeard = Date.now();
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      this.logger.warn(
        `Watch of ${this.kind.plural} was silent for ${this.timings.watchdogMs} ms; restarting it`,
      );
      this.restart(false);
    }, this.timings.watchdogMs);
    this.watchdog.unref?.();
  }

  private async run(relist: boolean) {
    const generation = ++this.generation;
    if (relist || !this.resourceVersion) await this.list();
    if (this.stopped || generation !== this.generation) return;
    const handle = await this.transport.watch(
      this.kind,
      this.resourceVersion!,
      event => {
        if (generation === this.generation) this.onEvent(event);
      },
      error => {
        if (generation !== this.generation || this.stopped) return;
        this.current = undefined;
        clearTimeout(this.watchdog);
        if (error) this.fail(error, classify(error) === 'expired');
        else this.schedule(0, false); // the server ended the watch normally: resume from the last version
      },
    );
    if (generation !== this.generation || this.stopped) {
      handle.abort();
      return;
    }
    this.current = handle;
    // The API server answered again: whatever failed before is over (backoff resets on events).
    this.state.error = undefined;
    this.state.missing = false;
    this.state.failingSince = undefined;
    this.heard();
  }

  private async list() {
    const items: KubernetesObject[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.transport.list(this.kind, {
        limit: this.timings.pageSize,
        continue: cont,
      });
      // Projected page by page: a full list of Secrets (with their data) or of objects with their
      // managedFields is never held at once, only what the store keeps of it.
      for (const item of page.items)
        items.push(projectObject(this.kind.kind as WatchedKind, item));
      resourceVersion = page.resourceVersion;
      cont = page.continue;
    } while (cont);
    this.store.replace(this.kind.kind as WatchedKind, items);
    this.resourceVersion = resourceVersion;
    this.state.synced = true;
    this.state.missing = false;
    this.state.error = undefined;
    this.state.failingSince = undefined;
    this.failures = 0;
    this.heard();
  }

  private onEvent(event: WatchEvent) {
    this.heard();
    if (event.type !== 'ERROR') this.failures = 0;
    const rv =
      event.type === 'ERROR'
        ? undefined
        : event.object?.metadata?.resourceVersion;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.store.upsert(this.kind.kind as WatchedKind, event.object);
        break;
      case 'DELETED':
        this.store.remove(this.kind.kind as WatchedKind, event.object);
        break;
      case 'BOOKMARK':
        break;
      case 'ERROR': {
        // A Status object: 410 Expired/Gone means our version left the server's history.
        const status = event.object;
        const code = status?.code;
        this.generation++;
        this.current?.abort();
        this.current = undefined;
        this.fail(
          Object.assign(new Error(status?.message ?? 'watch error'), {
            statusCode: code,
          }),
          code === 410,
        );
        return;
      }
      default:
        return;
    }
    if (rv) this.resourceVersion = rv;
  }

  private fail(error: unknown, relist: boolean) {
    if (this.stopped) return;
    const kind = classify(error);
    if (kind === 'expired') {
      this.logger.info(
        `Watch of ${this.kind.plural} expired (410 Gone); re-listing`,
      );
      this.schedule(0, true);
      return;
    }
    this.failures++;
    this.state.missing = kind === 'missing';
    if (kind === 'missing') this.state.failingSince = undefined;
    else this.state.failingSince ??= Date.now();
    this.state.error =
      kind === 'missing'
        ? `${this.kind.plural}.${this.kind.apiVersion} is not served (CRD not installed)`
        : String((error as Error)?.message ?? error);
    const delay = Math.min(
      this.timings.backoffMaxMs,
      this.timings.backoffInitialMs * 2 ** (this.failures - 1),
    );
    const jittered = Math.round(delay * (0.8 + Math.random() * 0.4));
    this.logger.warn(
      `Watch of ${this.kind.plural} failed (${this.state.error}); retrying in ${jittered} ms`,
    );
    this.schedule(jittered, relist || !this.resourceVersion);
  }
}

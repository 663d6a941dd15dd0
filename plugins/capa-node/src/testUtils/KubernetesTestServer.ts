/* eslint-disable no-restricted-imports -- a test server writes a kubeconfig file for kubectl */
import { randomUUID } from 'crypto';
import fs from 'fs';
import http from 'http';
import type { AddressInfo, Socket } from 'net';
import os from 'os';
import path from 'path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  CrdSchemaValidator,
  crdDirectory,
  loadCrds,
} from '@capa-backstage/plugin-capa-common/testUtils';
import type { CustomResourceDefinition } from '@capa-backstage/plugin-capa-common/testUtils';
import {
  clone,
  FieldManagerEntry,
  isMap,
  jsonEqual,
  recordUpdate,
  renderManagedFields,
  serverSideApply,
} from './server/fields';
import { CRD_RESOURCE, servedCrd } from './server/crds';
import { openApiV3 } from './server/openapi';
import { ResourceRegistry, ServedResource, VERBS } from './server/resources';
import {
  KubeObject,
  parseFieldSelector,
  parseLabelSelector,
} from './server/selectors';
import {
  failure,
  notFound,
  qualifiedResource,
  REASONS,
  statusError,
  StatusError,
} from './server/status';
import { ObjectStore, Stored, StoreEvent } from './server/store';
import {
  checkMetadataForm,
  partialObjectMetadata,
  wantsMetadata,
} from './server/metadata';
import { toTable, wantsTable } from './server/table';
import { invalid, undeclaredFields, validateObject } from './server/validation';

/**
 * Options of {@link KubernetesTestServer.start}.
 *
 * @public
 */
export interface KubernetesTestServerOptions {
  /**
   * CRDs to serve. Defaults to every CRD in capa-common's CRD directory (Cluster API and CAPA).
   * Pass `[]` for a cluster without them ("CAPA is not installed"), or a filtered list.
   */
  crds?: CustomResourceDefinition[];
  /** Port on 127.0.0.1. Default 0: a random free port (what tests should use). */
  port?: number;
  /** When set, every request must carry `Authorization: Bearer <token>`; others get 401. */
  token?: string;
  /**
   * A custom check of the Authorization header (for example of an EKS token's format); requests
   * it refuses get 401. Applies in addition to `token`.
   */
  authenticate?: (authorization: string | undefined) => boolean;
  /**
   * How often watches that asked for bookmarks get one. Default 1000 ms (a real apiserver: about a
   * minute). As a real apiserver's watch cache, a watch gets bookmarks only once its resource has
   * had a change newer than where the watch started: a quiet resource sends none.
   */
  bookmarkIntervalMs?: number;
  /**
   * How long a watch lasts when the client asks for no `timeoutSeconds`: the apiserver ends it
   * after a random time between this and twice this. Default 1800 s (`--min-request-timeout`).
   */
  minRequestTimeoutSeconds?: number;
  /** How many change events watches can replay from. Default 10000. */
  historyLimit?: number;
  /** How many requests {@link KubernetesTestServer.requests} keeps (the newest). Default 10000; 0 keeps none. */
  maxRecordedRequests?: number;
}

/**
 * One request the server received, for HTTP-level assertions. The Authorization header is never
 * recorded.
 *
 * @public
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  accept?: string;
  userAgent?: string;
  /** Parsed JSON or YAML body, or the raw text when it is neither. */
  body?: unknown;
  /** The status code answered, once answered; undefined when the connection was dropped. */
  status?: number;
}

/**
 * A failure to inject with {@link KubernetesTestServer.failNext}.
 *
 * @public
 */
export interface FailureInjection {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Matched against the request path (without the query). */
  path: RegExp;
  /** Status code to answer with; ignored when `destroy` is set. */
  status?: number;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Status reason; defaults to the apiserver's reason for the code. */
  reason?: string;
  /** Status message. */
  message?: string;
  /** Status details (for example conflict causes). */
  details?: Record<string, unknown>;
  /** A raw body instead of a Status (for example the plain-text 404 of an unknown API path). */
  rawBody?: string;
  /** Destroy the connection instead of answering. */
  destroy?: boolean;
}

/**
 * Names an object in the test controls.
 *
 * @public
 */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

interface DelayRule {
  ms: number;
  method?: string;
  path?: RegExp;
}

interface ActiveWatch {
  res: http.ServerResponse;
  socket: Socket;
  bookmark?: () => void;
}

interface ListSnapshot {
  rv: number;
  items: KubeObject[];
}

const DEFAULT_VALIDATORS = new Map<string, CrdSchemaValidator>();
const CUSTOM_VALIDATORS = new WeakMap<
  CustomResourceDefinition[],
  CrdSchemaValidator
>();
let defaultCrds: { dir: string; crds: CustomResourceDefinition[] } | undefined;

/**
 * The CRDs and compiled validator are expensive (about a second); every server in a test file
 * shares them.
 */
function crdsAndValidator(crds?: CustomResourceDefinition[]): {
  crds: CustomResourceDefinition[];
  validator: CrdSchemaValidator;
} {
  if (crds) {
    let validator = CUSTOM_VALIDATORS.get(crds);
    if (!validator) {
      validator = new CrdSchemaValidator(crds);
      CUSTOM_VALIDATORS.set(crds, validator);
    }
    return { crds, validator };
  }
  const dir = crdDirectory();
  if (defaultCrds?.dir !== dir) defaultCrds = { dir, crds: loadCrds(dir) };
  let validator = DEFAULT_VALIDATORS.get(dir);
  if (!validator) {
    validator = new CrdSchemaValidator(defaultCrds.crds);
    DEFAULT_VALIDATORS.set(dir, validator);
  }
  return { crds: defaultCrds.crds, validator };
}

const SYSTEM_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return clone(patch);
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The object without what the server changes on every write, for no-op detection. */
function content(obj: KubeObject): unknown {
  const { resourceVersion, managedFields, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

function sameManagers(a: FieldManagerEntry[], b: FieldManagerEntry[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((e, i) => {
    const f = b[i];
    return (
      e.manager === f.manager &&
      e.operation === f.operation &&
      e.subresource === f.subresource &&
      e.apiVersion === f.apiVersion &&
      e.fields.size === f.fields.size &&
      [...e.fields.keys()].every(k => f.fields.has(k))
    );
  });
}

/** Everything but metadata and status: what bumps metadata.generation when it changes. */
function specPart(obj: KubeObject | undefined): unknown {
  if (!obj) return undefined;
  const { metadata, status, apiVersion, kind, ...rest } = obj;
  return rest;
}

/**
 * A local server speaking the Kubernetes API protocol over real HTTP on 127.0.0.1, serving the
 * Cluster API and CAPA CRDs plus core v1 Namespaces and Secrets, and the CRDs themselves
 * (`apiextensions.k8s.io/v1`, read-only: the kinds served are fixed at start). It implements what
 * the project's clients and kubectl rely on: discovery, OpenAPI v3, CRUD, server-side apply with
 * managed fields and conflicts, merge patches, the status subresource, dry runs, schema
 * validation (422), finalizers, paged lists, watches with bookmarks and 410 Expired, and
 * server-side printing for `kubectl get`. Test controls record requests and inject failures,
 * delays and dropped watches.
 *
 * Not implemented: conversion between versions (an object is served unchanged under every served
 * version of its kind), CEL validation rules, defaulting from the schema, admission webhooks,
 * garbage collection through ownerReferences, JSON patch, protobuf.
 *
 * @public
 */
export class KubernetesTestServer {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests received, oldest first (bounded by `maxRecordedRequests`). */
  readonly requests: RecordedRequest[] = [];

  private readonly store: ObjectStore;
  private readonly watches = new Set<ActiveWatch>();
  private readonly sockets = new Set<Socket>();
  private readonly failures: Array<FailureInjection & { remaining: number }> =
    [];
  private delays: DelayRule[] = [];
  private readonly pendingTimers = new Set<{
    timer: NodeJS.Timeout;
    resolve: () => void;
  }>();
  private readonly snapshots = new Map<string, ListSnapshot>();
  private readonly bookmarkTimer: NodeJS.Timeout;
  private readonly openapi: ReturnType<typeof openApiV3>;
  private tempDir?: string;
  private closed = false;

  /**
   * Loads and compiles the CRD schemas a server started with the same `crds` will use (about a
   * second, once per test file). Call it in a `beforeAll` with a generous timeout so the first
   * test does not pay for it within Jest's default 5 s.
   */
  static preload(
    options: Pick<KubernetesTestServerOptions, 'crds'> = {},
  ): void {
    crdsAndValidator(options.crds);
  }

  /** Starts a server on a random port of 127.0.0.1. */
  static async start(
    options: KubernetesTestServerOptions = {},
  ): Promise<KubernetesTestServer> {
    const { crds, validator } = crdsAndValidator(options.crds);
    const registry = new ResourceRegistry(crds);
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return new KubernetesTestServer(server, registry, validator, options, crds);
  }

  private constructor(
    private readonly server: http.Server,
    private readonly registry: ResourceRegistry,
    private readonly validator: CrdSchemaValidator,
    private readonly options: KubernetesTestServerOptions,
    crds: CustomResourceDefinition[],
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.store = new ObjectStore(options.historyLimit ?? 10000);
    for (const crd of crds) {
      this.store.put(CRD_RESOURCE.storageKey, {
        obj: servedCrd(crd, randomUUID(), timestamp()),
        managers: [],
      });
    }
    const byApiVersion = new Map(
      registry.apiVersions().map(v => [v, registry.inGroupVersion(v)!]),
    );
    this.openapi = openApiV3(byApiVersion);
    server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      this.handle(req, res).catch(() => {
        // A failure after the response started (a client that went away): nothing left to tell.
        if (!res.headersSent) res.destroy();
      });
    });
    this.bookmarkTimer = setInterval(
      () => this.sendBookmarks(),
      options.bookmarkIntervalMs ?? 1000,
    );
    this.bookmarkTimer.unref();
  }

  // ---------------------------------------------------------------------------------------------
  // Test controls

  /**
   * A kubeconfig for this server (for client-node and kubectl). `insecure-skip-tls-verify` is set
   * because client-node refuses plain-HTTP clusters without it; kubectl ignores it for HTTP. The
   * server's token is included, but kubectl never sends credentials over plain HTTP: start the
   * server without `token` for kubectl.
   */
  kubeconfigYaml(
    options: { namespace?: string; contextName?: string } = {},
  ): string {
    const name = options.contextName ?? 'capa-test';
    return stringifyYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name,
          cluster: { server: this.url, 'insecure-skip-tls-verify': true },
        },
      ],
      users: [
        { name, user: this.options.token ? { token: this.options.token } : {} },
      ],
      contexts: [
        {
          name,
          context: {
            cluster: name,
            user: name,
            ...(options.namespace ? { namespace: options.namespace } : {}),
          },
        },
      ],
      'current-context': name,
    });
  }

  /** Writes {@link KubernetesTestServer.kubeconfigYaml} to a temporary file (removed by close) and returns its path. */
  writeKubeconfig(
    options: { namespace?: string; contextName?: string } = {},
  ): string {
    if (!this.tempDir)
      this.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-k8s-test-'));
    const file = path.join(this.tempDir, `kubeconfig-${randomUUID()}.yaml`);
    fs.writeFileSync(file, this.kubeconfigYaml(options), { mode: 0o600 });
    return file;
  }

  /**
   * Stores objects as a client's create or update would (validated, with managed fields for
   * `fieldManager`, default `capa-test-seed`), skipping the HTTP layer. Namespaces of namespaced
   * objects are created when missing. Returns the stored objects.
   */
  seed(
    objects: ReadonlyArray<object>,
    options: { fieldManager?: string } = {},
  ): KubeObject[] {
    const manager = options.fieldManager ?? 'capa-test-seed';
    return objects.map(o => {
      const obj = clone(o) as KubeObject;
      const resource = this.resourceFor(obj);
      const ns = obj.metadata?.namespace;
      if (
        resource.namespaced &&
        ns &&
        !this.store.get('/namespaces', undefined, ns)
      ) {
        this.seed(
          [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }],
          options,
        );
      }
      const existing = this.store.get(
        resource.storageKey,
        ns,
        obj.metadata.name,
      );
      const status = obj.status;
      const next = this.prepareWrite(resource, obj, existing, 'main');
      if (status !== undefined) next.status = status;
      const managers = recordUpdate({
        before: existing?.obj,
        after: next,
        managers: existing?.managers ?? [],
        manager,
        apiVersion: resource.apiVersion,
        hasStatus: resource.hasStatus,
        now: timestamp(),
      });
      return this.commit(resource, existing, next, managers, false).obj;
    });
  }

  /** Replaces an object's status, as a controller writing the status subresource would. */
  setStatus(
    ref: ObjectReference,
    status: unknown,
    options: { fieldManager?: string } = {},
  ): KubeObject {
    return this.update(ref, obj => ({ ...obj, status: clone(status) }), {
      ...options,
      subresource: 'status',
    });
  }

  /**
   * Changes an object as a controller would (operation Update by `fieldManager`, default
   * `capa-test-controller`), for example to remove finalizers. Watches see the change.
   */
  update(
    ref: ObjectReference,
    mutate: (obj: KubeObject) => KubeObject,
    options: { fieldManager?: string; subresource?: 'status' } = {},
  ): KubeObject {
    const resource = this.resourceFor({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
    });
    const existing = this.store.get(
      resource.storageKey,
      ref.namespace,
      ref.name,
    );
    if (!existing)
      throw new Error(
        `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${
          ref.name
        } does not exist`,
      );
    const changed = mutate(clone(existing.obj));
    const part =
      options.subresource === 'status' && resource.hasStatus
        ? 'status'
        : 'main';
    const next = this.prepareWrite(resource, changed, existing, part);
    if (!resource.hasStatus || options.subresource !== 'status')
      next.status = changed.status;
    const managers = recordUpdate({
      before: existing.obj,
      after: next,
      managers: existing.managers,
      manager: options.fieldManager ?? 'capa-test-controller',
      apiVersion: resource.apiVersion,
      hasStatus: resource.hasStatus,
      subresource: part === 'status' ? 'status' : undefined,
      now: timestamp(),
    });
    return this.commit(resource, existing, next, managers, false).obj;
  }

  /**
   * Moves an object's creation (and deletion) timestamps `ms` into the past, as if it had been
   * created that long ago: for demos of states that last. No watch event is sent, so call it
   * before clients list.
   */
  backdate(ref: ObjectReference, ms: number): void {
    const obj = this.storedAt(ref).obj;
    const earlier = (t?: string) =>
      t && new Date(Date.parse(t) - ms).toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata.creationTimestamp = earlier(obj.metadata.creationTimestamp);
    if (obj.metadata.deletionTimestamp)
      obj.metadata.deletionTimestamp = earlier(obj.metadata.deletionTimestamp);
  }

  private storedAt(ref: ObjectReference): Stored {
    const resource = this.resourceFor({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
    });
    const stored = this.store.get(resource.storageKey, ref.namespace, ref.name);
    if (!stored)
      throw new Error(
        `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${
          ref.name
        } does not exist`,
      );
    return stored;
  }

  /** Removes an object at once (finalizers ignored), as garbage collection finally does. */
  remove(ref: ObjectReference): boolean {
    const resource = this.resourceFor({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
    });
    return this.removeObject(resource, ref.namespace, ref.name);
  }

  /** The stored object, or undefined. */
  getObject(ref: ObjectReference): KubeObject | undefined {
    const resource = this.resourceFor({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
    });
    const obj = this.store.get(
      resource.storageKey,
      ref.namespace,
      ref.name,
    )?.obj;
    return obj && clone(this.asVersion(obj, resource));
  }

  /** Stored objects of a kind, optionally in one namespace. */
  listObjects(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): KubeObject[] {
    const resource = this.resourceFor({ apiVersion, kind });
    return this.store
      .list(resource.storageKey, namespace)
      .map(s => clone(this.asVersion(s.obj, resource)));
  }

  /** The latest resourceVersion. */
  get resourceVersion(): string {
    return String(this.store.currentRv);
  }

  /**
   * Forgets the watch history and list snapshots: watches from an older resourceVersion get an
   * ERROR event with 410 Expired, continue tokens from before get 410.
   */
  compact(): void {
    this.store.compact();
    this.snapshots.clear();
  }

  /** Makes the next `times` requests matching `path` (and `method`) fail. */
  failNext(injection: FailureInjection): void {
    this.failures.push({ ...injection, remaining: injection.times ?? 1 });
  }

  /**
   * Delays answers to matching requests by `ms` (Infinity: never answers until close) until
   * `delay(0)` clears every delay.
   */
  delay(ms: number, match: { method?: string; path?: RegExp } = {}): void {
    if (ms <= 0) this.delays = [];
    else this.delays.push({ ms, ...match });
  }

  /**
   * Ends every open watch: destroys the connections (a dropped connection), or with
   * `graceful: true` ends the responses the way the apiserver ends a watch after its timeout.
   * Returns how many were open.
   */
  dropWatches(options: { graceful?: boolean } = {}): number {
    const n = this.watches.size;
    for (const w of [...this.watches]) {
      if (options.graceful) w.res.end();
      else w.socket.destroy();
      this.watches.delete(w);
    }
    return n;
  }

  /** Number of open watch connections. */
  get openWatches(): number {
    return this.watches.size;
  }

  /** Sends a BOOKMARK now to every watch that allowed bookmarks. */
  sendBookmarks(): void {
    for (const w of this.watches) w.bookmark?.();
  }

  /** Stops the server, ends every connection and removes temporary files. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.bookmarkTimer);
    for (const p of this.pendingTimers) {
      clearTimeout(p.timer);
      p.resolve();
    }
    for (const s of this.sockets) s.destroy();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
    if (this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(req);
    const contentType = req.headers['content-type'];
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType,
      accept: req.headers.accept,
      userAgent: req.headers['user-agent'],
      body: text ? this.parseBody(text, contentType, false) : undefined,
    };
    this.record(record);
    const send = (code: number, body: unknown, type = 'application/json') => {
      record.status = code;
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(code, {
        'Content-Type': type,
        'Content-Length': Buffer.byteLength(payload),
      });
      res.end(payload);
    };
    try {
      await this.applyDelays(record.method, url.pathname);
      if (this.closed) return;
      const injected = this.takeFailure(record.method, url.pathname);
      if (injected) {
        if (injected.destroy) {
          req.socket.destroy();
        } else if (injected.rawBody !== undefined) {
          send(
            injected.status ?? 500,
            injected.rawBody,
            'text/plain; charset=utf-8',
          );
        } else {
          const code = injected.status ?? 500;
          send(
            code,
            failure(code, injected.message ?? `injected failure (${code})`, {
              reason: injected.reason,
              details: injected.details as never,
            }),
          );
        }
        return;
      }
      if (
        (this.options.token &&
          req.headers.authorization !== `Bearer ${this.options.token}`) ||
        (this.options.authenticate &&
          !this.options.authenticate(req.headers.authorization))
      ) {
        send(401, failure(401, 'Unauthorized'));
        return;
      }
      await this.route(req, res, url, text, record, send);
    } catch (e) {
      if (e instanceof StatusError) send(e.body.code, e.body);
      else send(500, failure(500, `Internal error: ${(e as Error).message}`));
    }
  }

  private record(r: RecordedRequest) {
    const max = this.options.maxRecordedRequests ?? 10000;
    if (max <= 0) return;
    this.requests.push(r);
    if (this.requests.length > max * 1.25)
      this.requests.splice(0, this.requests.length - max);
  }

  private parseBody(
    text: string,
    contentType: string | undefined,
    strict: boolean,
  ): unknown {
    const type = (contentType ?? '').split(';')[0].trim();
    try {
      if (type === 'application/apply-patch+yaml' || type.endsWith('yaml'))
        return parseYaml(text);
      if (type.endsWith('json')) return JSON.parse(text);
    } catch (e) {
      if (strict)
        throw statusError(
          400,
          `the body of the request could not be decoded: ${
            (e as Error).message
          }`,
        );
    }
    if (strict) throw statusError(415, `unsupported media type "${type}"`);
    return text;
  }

  private async applyDelays(method: string, pathname: string) {
    const ms = this.delays
      .filter(
        d =>
          (!d.method || d.method === method) &&
          (!d.path || d.path.test(pathname)),
      )
      .reduce((a, d) => a + d.ms, 0);
    if (ms <= 0) return;
    await new Promise<void>(resolve => {
      const entry = {
        timer: setTimeout(
          () => {
            this.pendingTimers.delete(entry);
            resolve();
          },
          Number.isFinite(ms) ? ms : 2 ** 31 - 1,
        ),
        resolve,
      };
      this.pendingTimers.add(entry);
    });
  }

  private takeFailure(method: string, pathname: string) {
    const i = this.failures.findIndex(
      f => (!f.method || f.method === method) && f.path.test(pathname),
    );
    if (i < 0) return undefined;
    const f = this.failures[i];
    if (--f.remaining <= 0) this.failures.splice(i, 1);
    return f;
  }

  private async route(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    text: string,
    record: RecordedRequest,
    send: (code: number, body: unknown, type?: string) => void,
  ) {
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const segs = p.split('/').filter(Boolean).map(decodeURIComponent);

    if (method === 'GET') {
      const discovery = this.discovery(p, segs);
      if (discovery !== undefined) {
        send(200, discovery);
        return;
      }
    }
    let apiVersion: string;
    let rest: string[];
    if (segs[0] === 'api' && segs[1] === 'v1') {
      apiVersion = 'v1';
      rest = segs.slice(2);
    } else if (segs[0] === 'apis' && segs.length >= 3) {
      apiVersion = `${segs[1]}/${segs[2]}`;
      rest = segs.slice(3);
    } else {
      // The apiserver answers unknown paths with a plain-text 404, not a Status.
      send(404, '404 page not found\n', 'text/plain; charset=utf-8');
      return;
    }
    if (!this.registry.inGroupVersion(apiVersion)) {
      send(404, '404 page not found\n', 'text/plain; charset=utf-8');
      return;
    }

    let namespace: string | undefined;
    let plural: string;
    let name: string | undefined;
    let sub: string | undefined;
    const namespaceSubresource =
      apiVersion === 'v1' &&
      rest[0] === 'namespaces' &&
      rest.length === 3 &&
      ['status', 'finalize'].includes(rest[2]);
    if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
      [, namespace, plural, name, sub] = rest;
      if (rest.length > 5)
        throw statusError(
          404,
          'the server could not find the requested resource',
        );
    } else {
      [plural, name, sub] = rest;
      if (rest.length > 3)
        throw statusError(
          404,
          'the server could not find the requested resource',
        );
    }
    const resource = this.registry.byPlural(apiVersion, plural);
    if (
      !resource ||
      (!resource.namespaced && namespace !== undefined) ||
      (sub !== undefined && !(sub === 'status' && resource.hasStatus))
    ) {
      throw statusError(
        404,
        'the server could not find the requested resource',
      );
    }
    if (resource === CRD_RESOURCE && method !== 'GET') {
      throw statusError(
        405,
        'the test server serves the CustomResourceDefinitions it was started with, read-only',
      );
    }
    const q = url.searchParams;
    const dryRun = q.getAll('dryRun');
    if (dryRun.some(d => d !== 'All'))
      throw statusError(
        400,
        `unsupported dry run value ${JSON.stringify(dryRun)}`,
      );
    const ctx: RequestContext = {
      resource,
      namespace,
      name,
      status: sub === 'status',
      dryRun: dryRun.length > 0,
      query: q,
      accept: req.headers.accept,
      manager:
        q.get('fieldManager') ??
        (req.headers['user-agent'] ?? 'unknown').split('/')[0],
    };

    if (name === undefined) {
      if (method === 'GET') {
        if (q.get('watch') === '1' || q.get('watch') === 'true')
          this.watch(req, res, ctx, record);
        else send(200, this.list(ctx));
        return;
      }
      if (method === 'POST') {
        const r = this.create(
          ctx,
          this.parseBody(text, req.headers['content-type'], true),
        );
        send(r.code, r.body);
        return;
      }
      if (method === 'DELETE') {
        send(200, this.deleteCollection(ctx));
        return;
      }
    } else {
      if (resource.namespaced && namespace === undefined) {
        throw statusError(
          404,
          'the server could not find the requested resource',
        );
      }
      if (method === 'GET') {
        send(200, this.render(ctx, this.getStored(ctx).obj));
        return;
      }
      if (method === 'PUT') {
        const r = this.replace(
          ctx,
          this.parseBody(text, req.headers['content-type'], true),
        );
        send(r.code, r.body);
        return;
      }
      if (method === 'PATCH') {
        const r = this.patch(ctx, text, req.headers['content-type']);
        send(r.code, r.body);
        return;
      }
      if (method === 'DELETE') {
        send(200, this.delete(ctx));
        return;
      }
    }
    throw statusError(
      405,
      `the server does not allow this method on the requested resource`,
    );
  }

  private discovery(p: string, segs: string[]): unknown {
    const registry = this.registry;
    if (p === '/version') {
      return {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-capa-test',
        gitCommit: '',
        gitTreeState: 'clean',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.23',
        compiler: 'gc',
        platform: 'linux/amd64',
      };
    }
    if (p === '/api') {
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          { clientCIDR: '0.0.0.0/0', serverAddress: new URL(this.url).host },
        ],
      };
    }
    const group = (name: string) => {
      const versions = registry.groups.get(name)!;
      return {
        name,
        versions: versions.map(v => ({
          groupVersion: `${name}/${v}`,
          version: v,
        })),
        preferredVersion: {
          groupVersion: `${name}/${versions[0]}`,
          version: versions[0],
        },
      };
    };
    if (p === '/apis') {
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...registry.groups.keys()].filter(Boolean).map(group),
      };
    }
    if (
      segs[0] === 'apis' &&
      segs.length === 2 &&
      registry.groups.has(segs[1]) &&
      segs[1]
    ) {
      return { kind: 'APIGroup', apiVersion: 'v1', ...group(segs[1]) };
    }
    let gv: string | undefined;
    if (p === '/api/v1') gv = 'v1';
    else if (segs[0] === 'apis' && segs.length === 3)
      gv = `${segs[1]}/${segs[2]}`;
    const resources = gv ? registry.inGroupVersion(gv) : undefined;
    if (gv && resources) {
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: gv,
        resources: resources.flatMap(r => [
          {
            name: r.plural,
            singularName: r.singular,
            namespaced: r.namespaced,
            kind: r.kind,
            verbs: VERBS,
            ...(r.shortNames ? { shortNames: r.shortNames } : {}),
            ...(r.categories ? { categories: r.categories } : {}),
          },
          ...(r.hasStatus
            ? [
                {
                  name: `${r.plural}/status`,
                  singularName: '',
                  namespaced: r.namespaced,
                  kind: r.kind,
                  verbs: ['get', 'patch', 'update'],
                },
              ]
            : []),
        ]),
      };
    }
    if (p === '/openapi/v3') return this.openapi.root;
    if (segs[0] === 'openapi' && segs[1] === 'v3') {
      return this.openapi.documents.get(segs.slice(2).join('/'));
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Verbs

  private resourceFor(obj: {
    apiVersion?: unknown;
    kind?: unknown;
  }): ServedResource {
    const resource = this.registry.forObject(
      String(obj.apiVersion),
      String(obj.kind),
    );
    if (!resource)
      throw new Error(
        `the test server does not serve ${String(obj.apiVersion)} ${String(
          obj.kind,
        )}`,
      );
    return resource;
  }

  private asVersion(obj: KubeObject, resource: ServedResource): KubeObject {
    return obj.apiVersion === resource.apiVersion
      ? obj
      : { ...obj, apiVersion: resource.apiVersion };
  }

  private render(ctx: RequestContext, obj: KubeObject): unknown {
    const o = this.asVersion(obj, ctx.resource);
    const metadataForm = wantsMetadata(ctx.accept);
    if (metadataForm) {
      checkMetadataForm(metadataForm, ctx.resource, false);
      return partialObjectMetadata(o);
    }
    if (wantsTable(ctx.accept)) {
      return toTable(
        ctx.resource,
        [o],
        { resourceVersion: o.metadata.resourceVersion },
        ctx.query.get('includeObject') ?? undefined,
      );
    }
    return o;
  }

  private getStored(ctx: RequestContext): Stored {
    const stored = this.store.get(
      ctx.resource.storageKey,
      ctx.namespace,
      ctx.name!,
    );
    if (!stored)
      throw notFound(ctx.resource.group, ctx.resource.plural, ctx.name!);
    return stored;
  }

  private list(ctx: RequestContext): unknown {
    const q = ctx.query;
    const { resource } = ctx;
    const metadataForm = wantsMetadata(ctx.accept);
    if (metadataForm) checkMetadataForm(metadataForm, resource, true);
    const limit = Number(q.get('limit') ?? 0);
    let items: KubeObject[];
    let rv: number;
    let offset = 0;
    let snapshotId: string | undefined;
    const token = q.get('continue');
    if (token) {
      let decoded: { id?: string; offset?: number } = {};
      try {
        decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
      } catch {
        throw statusError(
          400,
          'continue key is not valid: incorrect encoded start resourceVersion',
        );
      }
      const snapshot = decoded.id ? this.snapshots.get(decoded.id) : undefined;
      if (!snapshot) {
        throw statusError(
          410,
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
          { reason: 'Expired' },
        );
      }
      snapshotId = decoded.id;
      items = snapshot.items;
      rv = snapshot.rv;
      offset = decoded.offset ?? 0;
    } else {
      const labels = parseLabelSelector(q.get('labelSelector') ?? undefined);
      const fields = parseFieldSelector(
        q.get('fieldSelector') ?? undefined,
        resource.fieldLabels,
      );
      items = this.store
        .list(resource.storageKey, ctx.namespace)
        .map(s => s.obj)
        .filter(o => labels(o) && fields(o));
      rv = this.store.currentRv;
    }
    let page = items;
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (limit > 0 && items.length - offset > limit) {
      page = items.slice(offset, offset + limit);
      if (!snapshotId) {
        snapshotId = randomUUID();
        this.snapshots.set(snapshotId, { rv, items });
      }
      metadata.continue = Buffer.from(
        JSON.stringify({
          v: 'meta.k8s.io/v1',
          rv,
          id: snapshotId,
          offset: offset + limit,
        }),
      ).toString('base64');
      metadata.remainingItemCount = items.length - offset - limit;
    } else {
      page = offset ? items.slice(offset) : items;
      if (snapshotId) this.snapshots.delete(snapshotId);
    }
    const objects = page.map(o => this.asVersion(o, resource));
    if (metadataForm)
      return {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
        items: objects.map(partialObjectMetadata),
      };
    if (wantsTable(ctx.accept))
      return toTable(
        resource,
        objects,
        metadata,
        q.get('includeObject') ?? undefined,
      );
    return {
      kind: resource.listKind,
      apiVersion: resource.apiVersion,
      metadata,
      items: objects,
    };
  }

  private watch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    ctx: RequestContext,
    record: RecordedRequest,
  ) {
    const q = ctx.query;
    const { resource } = ctx;
    const labels = parseLabelSelector(q.get('labelSelector') ?? undefined);
    const fields = parseFieldSelector(
      q.get('fieldSelector') ?? undefined,
      resource.fieldLabels,
    );
    const matches = (o: KubeObject) =>
      (ctx.namespace === undefined || o.metadata.namespace === ctx.namespace) &&
      labels(o) &&
      fields(o);
    const rvParam = q.get('resourceVersion');
    const fromRv = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
    if (fromRv !== undefined && !Number.isInteger(fromRv)) {
      throw statusError(400, `invalid resource version: ${rvParam}`);
    }
    // Only the single-object form converts a watch's events (see ./server/metadata).
    const metadataForm = wantsMetadata(ctx.accept) === 'PartialObjectMetadata';
    const table = wantsTable(ctx.accept);
    const includeObject = q.get('includeObject') ?? undefined;

    record.status = 200;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    const write = (type: string, object: unknown) => {
      if (!res.writableEnded)
        res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const sendObject = (type: string, obj: KubeObject) => {
      const o = this.asVersion(obj, resource);
      if (metadataForm) write(type, partialObjectMetadata(o));
      else if (table)
        write(
          type,
          toTable(
            resource,
            [o],
            { resourceVersion: o.metadata.resourceVersion },
            includeObject,
          ),
        );
      else write(type, o);
    };
    const deliver = (e: StoreEvent) => {
      const now = matches(e.obj);
      const before = e.prev ? matches(e.prev) : false;
      if (e.type === 'ADDED' && now) sendObject('ADDED', e.obj);
      else if (e.type === 'DELETED' && now) sendObject('DELETED', e.obj);
      else if (e.type === 'MODIFIED') {
        if (now && before) sendObject('MODIFIED', e.obj);
        else if (now) sendObject('ADDED', e.obj);
        else if (before) sendObject('DELETED', e.obj);
      }
    };

    if (fromRv === undefined) {
      for (const s of this.store.list(resource.storageKey, ctx.namespace))
        if (matches(s.obj)) sendObject('ADDED', s.obj);
    } else {
      const events = this.store.eventsSince(resource.storageKey, fromRv);
      if (events === 'expired') {
        write(
          'ERROR',
          failure(
            410,
            `too old resource version: ${fromRv} (${this.store.currentRv})`,
            { reason: 'Expired' },
          ),
        );
        res.end();
        return;
      }
      for (const e of events) deliver(e);
    }

    const active: ActiveWatch = { res, socket: req.socket };
    const startRv = fromRv ?? this.store.currentRv;
    if (
      q.get('allowWatchBookmarks') === 'true' ||
      q.get('allowWatchBookmarks') === '1'
    ) {
      active.bookmark = () => {
        // The watch cache's bookmark carries its own resourceVersion, and only moves a watch on.
        const rv = this.store.latestRvOf(resource.storageKey);
        if (rv <= startRv) return;
        const metadata = { resourceVersion: String(rv) };
        write(
          'BOOKMARK',
          metadataForm
            ? partialObjectMetadata({ metadata })
            : {
                kind: resource.kind,
                apiVersion: resource.apiVersion,
                metadata,
              },
        );
      };
    }
    const unsubscribe = this.store.subscribe(resource.storageKey, deliver);
    this.watches.add(active);
    const asked = Number(q.get('timeoutSeconds') ?? 0);
    const minimum = this.options.minRequestTimeoutSeconds ?? 1800;
    const timeoutSeconds = asked > 0 ? asked : minimum * (1 + Math.random());
    // The server ends the watch normally: the client watches again from the last version seen.
    const timer = setTimeout(() => res.end(), timeoutSeconds * 1000);
    const cleanup = () => {
      unsubscribe();
      this.watches.delete(active);
      clearTimeout(timer);
    };
    res.on('close', cleanup);
    res.on('finish', cleanup);
  }

  /** Sanitises a written object: the URL decides namespace, the server owns system metadata. */
  private prepareWrite(
    resource: ServedResource,
    body: KubeObject,
    existing: Stored | undefined,
    part: 'main' | 'status',
  ): KubeObject {
    if (part === 'status' && existing) {
      return { ...clone(existing.obj), status: clone(body.status) };
    }
    const obj = clone(body);
    obj.metadata = { ...(obj.metadata ?? {}) } as KubeObject['metadata'];
    for (const k of SYSTEM_METADATA) delete obj.metadata[k];
    obj.apiVersion = `${resource.group ? `${resource.group}/` : ''}${
      resource.storageVersion
    }`;
    if (resource.hasStatus) {
      if (existing?.obj.status !== undefined)
        obj.status = clone(existing.obj.status);
      else delete obj.status;
    }
    if (resource.kind === 'Secret') {
      const stringData = obj.stringData as Record<string, string> | undefined;
      if (stringData) {
        const data = { ...((obj.data as Record<string, string>) ?? {}) };
        for (const [k, v] of Object.entries(stringData))
          data[k] = Buffer.from(String(v)).toString('base64');
        obj.data = data;
        delete obj.stringData;
      }
      if (obj.type === undefined) obj.type = 'Opaque';
    }
    if (resource.kind === 'Namespace' && !existing)
      obj.status = { phase: 'Active' };
    return obj;
  }

  private checkBody(ctx: RequestContext, body: unknown): KubeObject {
    if (!isMap(body))
      throw statusError(400, 'the body of the request must be an object');
    const obj = body as KubeObject;
    const { resource } = ctx;
    if (obj.apiVersion !== resource.apiVersion) {
      throw statusError(
        400,
        `the API version in the data (${String(
          obj.apiVersion,
        )}) does not match the expected API version (${resource.apiVersion})`,
      );
    }
    if (obj.kind !== resource.kind) {
      throw statusError(
        400,
        `the kind in the data (${String(
          obj.kind,
        )}) does not match the expected kind (${resource.kind})`,
      );
    }
    if (!isMap(obj.metadata)) obj.metadata = {} as KubeObject['metadata'];
    if (ctx.name !== undefined) {
      if (obj.metadata.name === undefined) obj.metadata.name = ctx.name;
      if (obj.metadata.name !== ctx.name) {
        throw statusError(
          400,
          `the name of the object (${String(
            obj.metadata.name,
          )}) does not match the name on the URL (${ctx.name})`,
        );
      }
    }
    if (resource.namespaced) {
      if (obj.metadata.namespace === undefined)
        obj.metadata.namespace = ctx.namespace;
      if (obj.metadata.namespace !== ctx.namespace) {
        throw statusError(
          400,
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
    } else {
      delete obj.metadata.namespace;
    }
    return obj;
  }

  private checkNamespace(
    resource: ServedResource,
    namespace: string | undefined,
    name: string,
  ) {
    if (!resource.namespaced || namespace === undefined) return;
    const ns = this.store.get('/namespaces', undefined, namespace);
    if (!ns) throw notFound('', 'namespaces', namespace);
    if (ns.obj.metadata.deletionTimestamp) {
      throw statusError(
        403,
        `${qualifiedResource(
          resource.group,
          resource.plural,
        )} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  /**
   * Validates and stores a write (or only answers, for a dry run). A write that changes nothing
   * keeps the object and its resourceVersion, as the apiserver does.
   */
  private commit(
    resource: ServedResource,
    existing: Stored | undefined,
    next: KubeObject,
    managers: FieldManagerEntry[],
    dryRun: boolean,
  ): { obj: KubeObject; created: boolean } {
    const causes = validateObject(resource, next, this.validator);
    if (causes.length) throw invalid(resource, next.metadata.name, causes);
    const meta = next.metadata;
    if (existing) {
      const old = existing.obj.metadata;
      meta.uid = old.uid;
      meta.creationTimestamp = old.creationTimestamp;
      if (old.deletionTimestamp) {
        meta.deletionTimestamp = old.deletionTimestamp;
        meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
      }
      if (old.generation !== undefined) {
        meta.generation =
          old.generation +
          (jsonEqual(specPart(existing.obj), specPart(next)) ? 0 : 1);
      }
    } else {
      meta.uid = randomUUID();
      meta.creationTimestamp = timestamp();
      if (!resource.builtIn) meta.generation = 1;
    }
    if (
      existing &&
      jsonEqual(content(existing.obj), content(next)) &&
      sameManagers(existing.managers, managers)
    ) {
      return { obj: existing.obj, created: false };
    }
    meta.managedFields = renderManagedFields(managers);
    if (existing) meta.resourceVersion = existing.obj.metadata.resourceVersion;
    if (dryRun) return { obj: next, created: !existing };
    if (existing && meta.deletionTimestamp && !meta.finalizers?.length) {
      this.removeObject(resource, meta.namespace, meta.name);
      return { obj: next, created: false };
    }
    this.store.put(resource.storageKey, { obj: next, managers }, existing?.obj);
    return { obj: next, created: !existing };
  }

  private create(
    ctx: RequestContext,
    body: unknown,
  ): { code: number; body: unknown } {
    if (ctx.status)
      throw statusError(
        405,
        'the server does not allow this method on the requested resource',
      );
    const obj = this.checkBody(ctx, body);
    if (!obj.metadata.name && typeof obj.metadata.generateName === 'string') {
      obj.metadata.name = `${obj.metadata.generateName}${randomUUID().slice(
        0,
        5,
      )}`;
    }
    if (!obj.metadata.name) {
      throw invalid(ctx.resource, '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ]);
    }
    const { resource } = ctx;
    const name = obj.metadata.name;
    if (this.store.get(resource.storageKey, ctx.namespace, name)) {
      throw statusError(
        409,
        `${qualifiedResource(
          resource.group,
          resource.plural,
        )} "${name}" already exists`,
        {
          reason: 'AlreadyExists',
          details: {
            name,
            group: resource.group || undefined,
            kind: resource.plural,
          },
        },
      );
    }
    this.checkNamespace(resource, ctx.namespace, name);
    const next = this.prepareWrite(resource, obj, undefined, 'main');
    const managers = recordUpdate({
      before: undefined,
      after: next,
      managers: [],
      manager: ctx.manager,
      apiVersion: resource.apiVersion,
      hasStatus: resource.hasStatus,
      now: timestamp(),
    });
    const r = this.commit(resource, undefined, next, managers, ctx.dryRun);
    return { code: 201, body: this.render(ctx, r.obj) };
  }

  private checkPrecondition(
    ctx: RequestContext,
    existing: Stored,
    obj: KubeObject,
    required: boolean,
  ) {
    const rv = obj.metadata?.resourceVersion;
    if (rv === undefined || rv === '') {
      if (required) {
        throw invalid(ctx.resource, existing.obj.metadata.name, [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0x0: must be specified for an update',
            field: 'metadata.resourceVersion',
          },
        ]);
      }
      return;
    }
    if (rv !== existing.obj.metadata.resourceVersion) {
      throw statusError(
        409,
        `Operation cannot be fulfilled on ${qualifiedResource(
          ctx.resource.group,
          ctx.resource.plural,
        )} "${
          existing.obj.metadata.name
        }": the object has been modified; please apply your changes to the latest version and try again`,
        {
          details: {
            name: existing.obj.metadata.name,
            group: ctx.resource.group || undefined,
            kind: ctx.resource.plural,
          },
        },
      );
    }
  }

  private replace(
    ctx: RequestContext,
    body: unknown,
  ): { code: number; body: unknown } {
    const obj = this.checkBody(ctx, body);
    const existing = this.getStored(ctx);
    this.checkPrecondition(ctx, existing, obj, true);
    return this.writeUpdate(ctx, existing, obj);
  }

  private writeUpdate(
    ctx: RequestContext,
    existing: Stored,
    obj: KubeObject,
  ): { code: number; body: unknown } {
    const { resource } = ctx;
    const part = ctx.status ? 'status' : 'main';
    const next = this.prepareWrite(resource, obj, existing, part);
    const managers = recordUpdate({
      before: existing.obj,
      after: next,
      managers: existing.managers,
      manager: ctx.manager,
      apiVersion: resource.apiVersion,
      hasStatus: resource.hasStatus,
      subresource: ctx.status ? 'status' : undefined,
      now: timestamp(),
    });
    const r = this.commit(resource, existing, next, managers, ctx.dryRun);
    return { code: 200, body: this.render(ctx, r.obj) };
  }

  private patch(
    ctx: RequestContext,
    text: string,
    contentType: string | undefined,
  ): { code: number; body: unknown } {
    const type = (contentType ?? '').split(';')[0].trim();
    const { resource } = ctx;
    const force = ctx.query.get('force');
    if (type === 'application/apply-patch+yaml') {
      return this.apply(
        ctx,
        this.parseBody(text, type, true),
        force === 'true' || force === '1',
      );
    }
    if (force !== null) {
      throw invalid(resource, ctx.name!, [
        {
          reason: 'FieldValueForbidden',
          message: 'Forbidden: may not be specified for non-apply patch',
          field: 'force',
        },
      ]);
    }
    const merge =
      type === 'application/merge-patch+json' ||
      // Built-in kinds accept strategic merge patches; for the maps of Namespaces and Secrets it
      // is the same as a merge patch.
      (type === 'application/strategic-merge-patch+json' && resource.builtIn);
    if (!merge) {
      throw statusError(
        415,
        `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/apply-patch+yaml`,
      );
    }
    const patch = this.parseBody(text, 'application/json', true);
    if (!isMap(patch))
      throw statusError(400, 'the patch must be a JSON object');
    const existing = this.getStored(ctx);
    const patched = mergePatch(
      this.asVersion(existing.obj, resource),
      patch,
    ) as KubeObject;
    this.checkPrecondition(ctx, existing, patch as KubeObject, false);
    if (patched.metadata?.name !== ctx.name)
      throw statusError(400, 'metadata.name may not be changed by a patch');
    return this.writeUpdate(ctx, existing, patched);
  }

  private apply(
    ctx: RequestContext,
    body: unknown,
    force: boolean,
  ): { code: number; body: unknown } {
    const { resource } = ctx;
    const manager = ctx.query.get('fieldManager');
    if (!manager) {
      throw statusError(
        422,
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        {
          details: {
            group: 'meta.k8s.io',
            kind: 'PatchOptions',
            causes: [
              {
                reason: 'FieldValueRequired',
                message: 'Required value: is required for apply patch',
                field: 'fieldManager',
              },
            ],
          },
        },
      );
    }
    const applied = this.checkBody(ctx, body);
    const undeclared = undeclaredFields(resource, applied, this.validator);
    if (undeclared.length) {
      const gv = `${resource.group}/${resource.storageVersion}`;
      throw statusError(
        500,
        `failed to create typed patch object (${ctx.namespace ?? ''}/${
          ctx.name
        }; ${gv}, Kind=${resource.kind}): .${
          undeclared[0]
        }: field not declared in schema`,
        { noReason: true },
      );
    }
    const existing = this.store.get(
      resource.storageKey,
      ctx.namespace,
      ctx.name!,
    );
    if (existing) this.checkPrecondition(ctx, existing, applied, false);
    else if (!ctx.status)
      this.checkNamespace(resource, ctx.namespace, ctx.name!);
    else throw notFound(resource.group, resource.plural, ctx.name!);

    const skeleton = {
      apiVersion: applied.apiVersion,
      kind: applied.kind,
      metadata: {
        name: ctx.name!,
        ...(ctx.namespace ? { namespace: ctx.namespace } : {}),
      },
    } as KubeObject;
    const outcome = serverSideApply({
      live: existing && this.asVersion(existing.obj, resource),
      skeleton,
      applied,
      managers: existing?.managers ?? [],
      manager,
      force,
      hasStatus: resource.hasStatus,
      subresource: ctx.status ? 'status' : undefined,
      now: timestamp(),
    });
    if (outcome.conflicts) {
      const n = outcome.conflicts.length;
      const lines = outcome.conflicts.map(
        c => `conflict with "${c.manager}" using ${c.apiVersion}: ${c.field}`,
      );
      throw statusError(
        409,
        `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${lines.join(
          '\n',
        )}`,
        {
          details: {
            name: ctx.name,
            group: resource.group || undefined,
            kind: resource.plural,
            causes: outcome.conflicts.map(c => ({
              reason: 'FieldManagerConflict',
              message: `conflict with "${c.manager}" using ${c.apiVersion}`,
              field: c.field,
            })),
          },
        },
      );
    }
    const merged = outcome.object;
    const next = this.prepareWrite(
      resource,
      merged,
      existing,
      ctx.status ? 'status' : 'main',
    );
    if (ctx.status) next.status = merged.status;
    const r = this.commit(
      resource,
      existing,
      next,
      outcome.managers,
      ctx.dryRun,
    );
    return { code: r.created ? 201 : 200, body: this.render(ctx, r.obj) };
  }

  private delete(ctx: RequestContext): unknown {
    const { resource } = ctx;
    const existing = this.getStored(ctx);
    const obj = existing.obj;
    const successStatus = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: obj.metadata.name,
        group: resource.group || undefined,
        kind: resource.plural,
        uid: obj.metadata.uid,
      },
    };
    if (obj.metadata.finalizers?.length) {
      if (obj.metadata.deletionTimestamp || ctx.dryRun)
        return this.render(ctx, obj);
      const next = clone(obj);
      next.metadata.deletionTimestamp = timestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      if (resource.kind === 'Namespace') next.status = { phase: 'Terminating' };
      this.store.put(
        resource.storageKey,
        { obj: next, managers: existing.managers },
        obj,
      );
      return this.render(ctx, next);
    }
    if (!ctx.dryRun)
      this.removeObject(resource, obj.metadata.namespace, obj.metadata.name);
    return successStatus;
  }

  private deleteCollection(ctx: RequestContext): unknown {
    const labels = parseLabelSelector(
      ctx.query.get('labelSelector') ?? undefined,
    );
    const fields = parseFieldSelector(
      ctx.query.get('fieldSelector') ?? undefined,
      ctx.resource.fieldLabels,
    );
    for (const s of this.store.list(ctx.resource.storageKey, ctx.namespace)) {
      if (labels(s.obj) && fields(s.obj)) {
        this.delete({
          ...ctx,
          namespace: s.obj.metadata.namespace,
          name: s.obj.metadata.name,
        });
      }
    }
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
    };
  }

  /** Removes an object; removing a Namespace removes everything in it. */
  private removeObject(
    resource: ServedResource,
    namespace: string | undefined,
    name: string,
  ): boolean {
    const removed = this.store.remove(resource.storageKey, namespace, name);
    if (removed && resource.kind === 'Namespace') {
      for (const key of this.store.storageKeys()) {
        for (const s of this.store.list(key, name))
          this.store.remove(key, name, s.obj.metadata.name);
      }
    }
    return Boolean(removed);
  }
}

interface RequestContext {
  resource: ServedResource;
  namespace?: string;
  name?: string;
  status: boolean;
  dryRun: boolean;
  query: URLSearchParams;
  accept?: string;
  manager: string;
}

/** Status reasons by code, for tests that build their own expectations. @public */
export const STATUS_REASONS: Readonly<Record<number, string>> = REASONS;

import { InputError, isError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  type LoggerService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import type {
  ManagementClusterClient,
  ManagementClusters,
} from '@capa-backstage/plugin-capa-node';
import {
  APPLIED_KINDS,
  kindInfo,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import fs from 'fs/promises';
import { parseAllDocuments } from 'yaml';
import type { z as zod } from 'zod/v3';
import { examples } from './apply.examples';
import { managementClusterSchema } from './schemas';
import { describeObject } from './workspace';
import { waitForClusterPhase, WAITABLE_PHASES } from './waitForCluster';
import { applyWriteRequests } from './applyAuthorization';
import type { TaskAuthorizer } from '../authorization/TaskAuthorizer';

/**
 * The kinds capa:apply accepts (the registry's applied kinds), as `apiVersion/kind`. Anything
 * else (RBAC, Secrets, workloads) is refused, so a template cannot use this action to write
 * arbitrary objects into a management cluster.
 */
const ACCEPTED = APPLIED_KINDS.map(k => `${k.apiVersion}/${k.kind}`);

/** The registry's facts of an object's kind when capa:apply accepts it. */
function appliedKind(o: { apiVersion?: unknown; kind?: unknown }) {
  const info = kindInfo(
    typeof o.apiVersion === 'string' ? o.apiVersion : undefined,
    typeof o.kind === 'string' ? o.kind : undefined,
  );
  return info?.applyOrder === undefined ? undefined : info;
}

/** Parses a multi-document YAML stream into objects, naming the document of every problem. */
export function parseManifest(
  text: string,
  source: string,
): KubernetesObject[] {
  const problems: string[] = [];
  const objects: KubernetesObject[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    const where = `${source} document ${i + 1}`;
    if (doc.errors.length) {
      problems.push(
        `${where}: not valid YAML (${doc.errors[0].message.split('\n')[0]})`,
      );
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document, e.g. after a trailing ---
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${where}: must be a Kubernetes object`);
      return;
    }
    // Only what is checked below is trusted.
    const obj = value as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    };
    const info = appliedKind(obj);
    if (typeof obj.metadata?.name !== 'string' || !obj.metadata.name) {
      problems.push(`${where}: metadata.name is required`);
    } else if (!info) {
      problems.push(
        `${where}: ${String(obj.kind ?? '(no kind)')} ${String(
          obj.apiVersion ?? '(no apiVersion)',
        )} is not applied by capa:apply; it applies only ${ACCEPTED.join(
          ', ',
        )}`,
      );
    } else if (
      info.namespaced !==
      (typeof obj.metadata.namespace === 'string' &&
        obj.metadata.namespace !== '')
    ) {
      problems.push(
        `${where}: metadata.namespace ${
          info.namespaced
            ? `is required for ${info.kind}`
            : `must not be set: ${info.kind} is cluster-scoped`
        }`,
      );
    } else {
      objects.push(value as KubernetesObject);
    }
  });
  if (problems.length)
    throw new InputError(`Invalid manifests:\n- ${problems.join('\n- ')}`);
  return objects;
}

function order(objects: KubernetesObject[]): KubernetesObject[] {
  return objects
    .map((o, i) => ({
      o,
      i,
      rank: appliedKind(o)?.applyOrder ?? 0,
    }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(x => x.o);
}

const ref = (o: KubernetesObject) => ({
  kind: o.kind,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  name: o.metadata.name,
});

function applyInput(z: typeof zod) {
  return z.object({
    managementCluster: managementClusterSchema(z),
    manifest: z
      .string()
      .optional()
      .describe(
        'Multi-document YAML to apply, e.g. ${{ steps.render.output.manifest }}',
      ),
    files: z
      .array(z.string())
      .optional()
      .describe('Workspace-relative YAML files to apply (instead of manifest)'),
    dryRun: z
      .boolean()
      .optional()
      .describe('Server-side dry run: validate and report, apply nothing'),
    force: z
      .boolean()
      .optional()
      .describe(
        'Take over fields another field manager owns instead of failing with a conflict (default false)',
      ),
    waitFor: z
      .object({
        phase: z
          .enum(WAITABLE_PHASES)
          .describe(
            'Cluster phase to wait for (Provisioned also satisfies Provisioning)',
          ),
        timeoutMinutes: z
          .number()
          .positive()
          .max(180)
          .default(30)
          .describe('How long to wait (default 30 minutes)'),
      })
      .optional()
      .describe(
        'After applying, follow the Cluster and log each phase change until it reaches this phase',
      ),
  });
}

/** The objects of the manifest or files given, checked and in apply order. */
async function readManifests(
  workspacePath: string,
  input: { manifest?: string; files?: string[] },
): Promise<KubernetesObject[]> {
  const { manifest, files } = input;
  if ((manifest === undefined) === (files === undefined)) {
    throw new InputError(
      'Invalid capa:apply input: give exactly one of manifest or files',
    );
  }
  const sources: Array<{ text: string; source: string }> =
    manifest !== undefined
      ? [{ text: manifest, source: 'manifest' }]
      : await Promise.all(
          (files ?? []).map(async f => ({
            text: await fs
              .readFile(resolveSafeChildPath(workspacePath, f), 'utf8')
              .catch(e => {
                throw new InputError(
                  `Invalid capa:apply input: cannot read ${f} (${
                    isError(e) ? e.message : e
                  })`,
                );
              }),
            source: f,
          })),
        );
  const objects = order(sources.flatMap(s => parseManifest(s.text, s.source)));
  if (objects.length === 0)
    throw new InputError(
      'Invalid capa:apply input: the manifests hold no object',
    );
  return objects;
}

type Applied = ReturnType<typeof ref> & {
  action: 'created' | 'configured' | 'unchanged';
};

/** The error of a failed apply, saying what was applied before it and what was not. */
function partialApplyError(
  e: unknown,
  applied: Applied[],
  notApplied: KubernetesObject[],
  dryRun: boolean,
): Error {
  const rest = notApplied.map(o =>
    describeObject({ ...ref(o), apiVersion: o.apiVersion }),
  );
  const done = applied.map(
    a => `${describeObject({ ...a, apiVersion: '' })} (${a.action})`,
  );
  const error = isError(e) ? e : new Error(String(e));
  error.message = `${error.message}\n${
    dryRun
      ? 'Dry run: nothing was stored.'
      : `Applied: ${done.join(', ') || 'nothing'}.`
  }\nNot applied: ${rest.join(', ')}.`;
  return error;
}

/** Applies the objects one by one, stopping at the first failure. */
async function applyInOrder(
  client: ManagementClusterClient,
  objects: KubernetesObject[],
  options: { dryRun: boolean; force?: boolean; logger: LoggerService },
): Promise<Applied[]> {
  const { dryRun, logger } = options;
  const applied: Applied[] = [];
  // A dry run creates nothing, so the server cannot check objects inside a namespace that the
  // same manifests would create: they are reported as created without a server-side check.
  const newNamespaces = new Set<string>();
  for (const [i, obj] of objects.entries()) {
    const what = describeObject({ ...ref(obj), apiVersion: obj.apiVersion });
    const ns = obj.metadata.namespace;
    if (dryRun && ns && newNamespaces.has(ns)) {
      applied.push({ ...ref(obj), action: 'created' });
      logger.info(
        `${what}: created (dry run; not checked by the server, as namespace ${ns} does not exist yet)`,
      );
      continue;
    }
    try {
      const result = await client.apply(obj, { dryRun, force: options.force });
      applied.push({ ...ref(obj), action: result.action });
      if (dryRun && obj.kind === 'Namespace' && result.action === 'created')
        newNamespaces.add(obj.metadata.name);
      logger.info(`${what}: ${result.action}${dryRun ? ' (dry run)' : ''}`);
    } catch (e) {
      throw partialApplyError(e, applied, objects.slice(i), dryRun);
    }
  }
  return applied;
}

/** @public */
export interface ApplyActionOptions {
  managementClusters: ManagementClusters;
  /** Authorizes every object for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
}

/**
 * `capa:apply`: server-side applies CAPA manifests to a management cluster in dependency order,
 * with a fixed field manager; a dry run applies nothing. Stops at the first failure and says what
 * was applied and what was not. Optionally follows the Cluster's phase.
 *
 * @public
 */
export function createApplyAction(options: ApplyActionOptions) {
  return createTemplateAction({
    id: 'capa:apply',
    description:
      "Applies CAPA manifests (a render action's manifest output, or YAML files in the workspace) to a management cluster with server-side apply, in dependency order: namespace, identities, Cluster, control plane, node pools. dryRun: true performs a server-side dry run. Re-running changes nothing. Optionally waits for the Cluster to reach a phase.",
    examples,
    supportsDryRun: true,
    schema: {
      input: applyInput,
      output: z =>
        z.object({
          applied: z
            .array(
              z.object({
                kind: z.string(),
                namespace: z.string().optional(),
                name: z.string(),
                action: z.enum(['created', 'configured', 'unchanged']),
              }),
            )
            .describe('What happened to each object, in apply order'),
          dryRun: z.boolean().describe('True when nothing was stored'),
          clusterPhase: z
            .string()
            .optional()
            .describe("The Cluster's phase when waitFor finished"),
        }),
    },
    async handler(ctx) {
      const { input } = ctx;
      const dryRun = Boolean(input.dryRun || ctx.isDryRun);
      const objects = await readManifests(ctx.workspacePath, input);
      if (input.waitFor && !objects.some(o => o.kind === 'Cluster')) {
        throw new InputError(
          'Invalid capa:apply input: waitFor needs a Cluster among the manifests',
        );
      }

      const client: ManagementClusterClient = options.managementClusters.get(
        input.managementCluster,
      );
      const installation = await client.checkCapaInstalled();
      if (!installation.installed)
        throw new InputError(
          installation.message ??
            `CAPA is not installed on management cluster "${input.managementCluster}"`,
        );
      // Reads only; a dry run would reveal what exists, so it waits for the decision too.
      const { tenancy, clusters } = await applyWriteRequests(client, objects);
      const step = {
        action: 'capa:apply',
        managementCluster: input.managementCluster,
      };
      await options.authorizer.authorize(ctx, step, tenancy);
      if (clusters.length)
        await options.authorizer.authorize(ctx, step, clusters);

      ctx.logger.info(
        `${dryRun ? 'Dry run: applying' : 'Applying'} ${
          objects.length
        } objects to management cluster "${
          input.managementCluster
        }" (server-side apply${input.force ? ', force' : ''})`,
      );
      const applied = await applyInOrder(client, objects, {
        dryRun,
        force: input.force,
        logger: ctx.logger,
      });
      ctx.output('applied', applied);
      ctx.output('dryRun', dryRun);

      if (input.waitFor && !dryRun) {
        const cluster = objects.find(o => o.kind === 'Cluster')!;
        const phase = await waitForClusterPhase(
          client,
          cluster.metadata.namespace!,
          cluster.metadata.name,
          {
            phase: input.waitFor.phase,
            timeoutMs: (input.waitFor.timeoutMinutes ?? 30) * 60_000,
            logger: ctx.logger,
            signal: ctx.signal,
          },
        );
        ctx.output('clusterPhase', phase);
      }
    },
  });
}

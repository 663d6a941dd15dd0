import { InputError, isError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ManagementClusterClient,
  ManagementClusters,
} from '@capa-backstage/plugin-capa-node';
import {
  CapaValidationError,
  type CapaValidationIssue,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import type { z as zod } from 'zod/v3';
import { examples } from './apply.examples';
import { readManifests } from './applyManifests';
import { managementClusterSchema } from './schemas';
import { ServedCrdCheck } from './servedCrds';
import { describeObject } from './workspace';
import { waitForClusterPhase, WAITABLE_PHASES } from './waitForCluster';
import { applyWriteRequests } from './applyAuthorization';
import type { TaskAuthorizer } from '../authorization/TaskAuthorizer';

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
  // A dry run creates nothing, so the server cannot dry-run objects inside a namespace that the
  // same manifests would create: they are checked against the CRDs it serves instead.
  const newNamespaces = new Set<string>();
  const crds = new ServedCrdCheck(client);
  const problems: CapaValidationIssue[] = [];
  for (const [i, obj] of objects.entries()) {
    const what = describeObject({ ...ref(obj), apiVersion: obj.apiVersion });
    const ns = obj.metadata.namespace;
    if (dryRun && ns && newNamespaces.has(ns)) {
      try {
        const found = await crds.problems(obj);
        problems.push(...found);
        if (found.length) continue;
      } catch (e) {
        throw partialApplyError(e, applied, objects.slice(i), dryRun);
      }
      applied.push({ ...ref(obj), action: 'created' });
      logger.info(
        `${what}: created (dry run; checked against the CRD the management cluster serves, as namespace ${ns} does not exist yet)`,
      );
      continue;
    }
    try {
      // A run again (a recovered task) sends nothing for objects already as rendered.
      const result = await client.apply(obj, {
        dryRun,
        force: options.force,
        onlyIfChanged: true,
      });
      applied.push({ ...ref(obj), action: result.action });
      if (dryRun && obj.kind === 'Namespace' && result.action === 'created')
        newNamespaces.add(obj.metadata.name);
      logger.info(`${what}: ${result.action}${dryRun ? ' (dry run)' : ''}`);
    } catch (e) {
      throw partialApplyError(e, applied, objects.slice(i), dryRun);
    }
  }
  if (problems.length) {
    const error = new CapaValidationError(
      `capa:apply input (checked against the CRDs management cluster "${client.name}" serves, as the namespace does not exist yet)`,
      problems,
    );
    error.message = `${error.message}\nDry run: nothing was stored.`;
    throw error;
  }
  return applied;
}

/** @public */
export interface ApplyActionOptions {
  managementClusters: ManagementClusters;
  /** Authorizes every object for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
  /** While `waitFor` waits, how often to read the cluster's diagnosis (default 20 s). */
  diagnoseEveryMs?: number;
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

      // Every call below carries the task's signal: cancelling the task stops them.
      const client: ManagementClusterClient = options.managementClusters
        .get(input.managementCluster)
        .withSignal(ctx.signal);
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
            diagnoseEveryMs: options.diagnoseEveryMs,
          },
        );
        ctx.output('clusterPhase', phase);
      }
    },
  });
}

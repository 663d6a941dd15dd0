import { InputError, isError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type {
  ManagementClusterClient,
  ManagementClusters,
} from '@capa-backstage/plugin-capa-node';
import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import fs from 'fs/promises';
import { parseAllDocuments } from 'yaml';
import { examples } from './apply.examples';
import { managementClusterSchema } from './schemas';
import { describeObject } from './workspace';
import { waitForClusterPhase, WAITABLE_PHASES } from './waitForCluster';
import { applyWriteRequests } from './applyAuthorization';
import type { TaskAuthorizer } from '../authorization/TaskAuthorizer';

/**
 * The kinds capa:apply accepts, in the order they are applied (what each kind refers to exists
 * before it), and whether they live in a namespace. Anything else (RBAC, Secrets, workloads) is
 * refused, so a template cannot use this action to write arbitrary objects into a management
 * cluster.
 */
const APPLY_KINDS: Record<string, { order: number; namespaced: boolean }> = {
  'v1/Namespace': { order: 0, namespaced: false },
  'infrastructure.cluster.x-k8s.io/v1beta2/AWSClusterControllerIdentity': {
    order: 1,
    namespaced: false,
  },
  'infrastructure.cluster.x-k8s.io/v1beta2/AWSClusterRoleIdentity': {
    order: 1,
    namespaced: false,
  },
  'cluster.x-k8s.io/v1beta2/Cluster': { order: 2, namespaced: true },
  'controlplane.cluster.x-k8s.io/v1beta2/AWSManagedControlPlane': {
    order: 3,
    namespaced: true,
  },
  'infrastructure.cluster.x-k8s.io/v1beta2/AWSManagedCluster': {
    order: 3,
    namespaced: true,
  },
  'cluster.x-k8s.io/v1beta2/MachinePool': { order: 4, namespaced: true },
  'infrastructure.cluster.x-k8s.io/v1beta2/AWSManagedMachinePool': {
    order: 4,
    namespaced: true,
  },
  'infrastructure.cluster.x-k8s.io/v1beta2/AWSFargateProfile': {
    order: 5,
    namespaced: true,
  },
};

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
    const obj = doc.toJS();
    if (obj === null || obj === undefined) return; // an empty document, e.g. after a trailing ---
    if (typeof obj !== 'object' || Array.isArray(obj)) {
      problems.push(`${where}: must be a Kubernetes object`);
      return;
    }
    const id = `${obj.apiVersion}/${obj.kind}`;
    if (typeof obj.metadata?.name !== 'string' || !obj.metadata.name) {
      problems.push(`${where}: metadata.name is required`);
    } else if (!(id in APPLY_KINDS)) {
      problems.push(
        `${where}: ${obj.kind ?? '(no kind)'} ${
          obj.apiVersion ?? '(no apiVersion)'
        } is not applied by capa:apply; it applies only ${Object.keys(
          APPLY_KINDS,
        ).join(', ')}`,
      );
    } else if (
      APPLY_KINDS[id].namespaced !==
      (typeof obj.metadata.namespace === 'string' &&
        obj.metadata.namespace !== '')
    ) {
      problems.push(
        `${where}: metadata.namespace ${
          APPLY_KINDS[id].namespaced
            ? `is required for ${obj.kind}`
            : `must not be set: ${obj.kind} is cluster-scoped`
        }`,
      );
    } else {
      objects.push(obj as KubernetesObject);
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
      rank: APPLY_KINDS[`${o.apiVersion}/${o.kind}`].order,
    }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(x => x.o);
}

const ref = (o: KubernetesObject) => ({
  kind: o.kind,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  name: o.metadata.name,
});

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
      input: z =>
        z.object({
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
            .describe(
              'Workspace-relative YAML files to apply (instead of manifest)',
            ),
          dryRun: z
            .boolean()
            .optional()
            .describe(
              'Server-side dry run: validate and report, apply nothing',
            ),
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
        }),
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
      if ((input.manifest === undefined) === (input.files === undefined)) {
        throw new InputError(
          'Invalid capa:apply input: give exactly one of manifest or files',
        );
      }
      const sources: Array<{ text: string; source: string }> =
        input.manifest !== undefined
          ? [{ text: input.manifest, source: 'manifest' }]
          : await Promise.all(
              input.files!.map(async f => ({
                text: await fs
                  .readFile(resolveSafeChildPath(ctx.workspacePath, f), 'utf8')
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
      const objects = order(
        sources.flatMap(s => parseManifest(s.text, s.source)),
      );
      if (objects.length === 0)
        throw new InputError(
          'Invalid capa:apply input: the manifests hold no object',
        );
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
      const applied: Array<
        ReturnType<typeof ref> & {
          action: 'created' | 'configured' | 'unchanged';
        }
      > = [];
      // A dry run creates nothing, so the server cannot check objects inside a namespace that the
      // same manifests would create: they are reported as created without a server-side check.
      const newNamespaces = new Set<string>();
      for (const [i, obj] of objects.entries()) {
        const ns = obj.metadata.namespace;
        if (dryRun && ns && newNamespaces.has(ns)) {
          applied.push({ ...ref(obj), action: 'created' });
          ctx.logger.info(
            `${describeObject({
              ...ref(obj),
              apiVersion: obj.apiVersion,
            })}: created (dry run; not checked by the server, as namespace ${ns} does not exist yet)`,
          );
          continue;
        }
        try {
          const result = await client.apply(obj, {
            dryRun,
            force: input.force,
          });
          applied.push({ ...ref(obj), action: result.action });
          if (dryRun && obj.kind === 'Namespace' && result.action === 'created')
            newNamespaces.add(obj.metadata.name);
          ctx.logger.info(
            `${describeObject({ ...ref(obj), apiVersion: obj.apiVersion })}: ${
              result.action
            }${dryRun ? ' (dry run)' : ''}`,
          );
        } catch (e) {
          const notApplied = objects
            .slice(i)
            .map(o => describeObject({ ...ref(o), apiVersion: o.apiVersion }));
          const done = applied.map(
            a => `${describeObject({ ...a, apiVersion: '' })} (${a.action})`,
          );
          const error = isError(e) ? e : new Error(String(e));
          error.message = `${error.message}\n${
            dryRun
              ? 'Dry run: nothing was stored.'
              : `Applied: ${done.join(', ') || 'nothing'}.`
          }\nNot applied: ${notApplied.join(', ')}.`;
          throw error;
        }
      }
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

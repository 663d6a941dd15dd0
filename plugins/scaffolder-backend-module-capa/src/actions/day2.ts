import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  type AppliedObject,
  CAPA_FIELD_MANAGER,
  type ManagementClusterClient,
  type ManagementClusters,
  OwnedFieldsApplier,
  type OwnedFieldsApplierOptions,
} from '@capa-backstage/plugin-capa-node';
import type { z as zod } from 'zod/v3';
import {
  type AuthorizingContext,
  clusterWrite,
  type TaskAuthorizer,
} from '../authorization/TaskAuthorizer';
import { type LiveCluster, readLiveCluster } from './liveCluster';
import { managementClusterSchema } from './schemas';

/**
 * The field managers of the day-2 actions. Each action applies only the fields it owns under its
 * own name, so `kubectl get -o yaml --show-managed-fields` tells who changed what, and a GitOps
 * tool's fields are never dropped or silently taken over. Grant and revoke share one manager
 * because they edit the same lists.
 *
 * @public
 */
export const DAY2_FIELD_MANAGERS = {
  upgrade: `${CAPA_FIELD_MANAGER}-upgrade`,
  nodePool: `${CAPA_FIELD_MANAGER}-nodepool`,
  access: `${CAPA_FIELD_MANAGER}-access`,
} as const;

/** The inputs every day-2 action takes to name its cluster. */
export function clusterTargetSchema(z: typeof zod) {
  return {
    managementCluster: managementClusterSchema(z),
    namespace: z
      .string()
      .describe("The Cluster's namespace (the tenant's namespace)"),
    cluster: z.string().describe('Name of the CAPI Cluster'),
    dryRun: z
      .boolean()
      .optional()
      .describe(
        'Server-side dry run: check and report every change, store nothing',
      ),
  };
}

/** The output fields every day-2 action reports. */
export function day2OutputSchema(z: typeof zod) {
  return {
    objects: z
      .array(
        z.object({
          kind: z.string().describe('Kind of the object'),
          namespace: z.string().optional().describe('Its namespace'),
          name: z.string().describe('Its name'),
          action: z
            .enum(['created', 'configured', 'unchanged', 'deleted'])
            .describe('What happened to it'),
          changes: z
            .array(z.string())
            .describe('The changed fields, as in the task log'),
        }),
      )
      .describe('Every object the action looked at, in the order handled'),
    dryRun: z.boolean().describe('True when nothing was stored'),
  };
}

/** One entry of a day-2 action's `objects` output: applied, or deleted. */
export type ReportedObject = Omit<AppliedObject, 'action'> & {
  action: AppliedObject['action'] | 'deleted';
};

/** What the day-2 opening needs of an action's context. */
export interface Day2Context extends AuthorizingContext {
  input: {
    managementCluster: string;
    namespace: string;
    cluster: string;
    dryRun?: boolean;
  };
  isDryRun?: boolean;
  logger: LoggerService;
  checkpoint: OwnedFieldsApplierOptions['checkpoint'];
  /** The task's signal: every call to the management cluster stops when it aborts. */
  signal?: AbortSignal;
}

/** The options every day-2 action is created with. */
export interface Day2ActionOptions {
  managementClusters: ManagementClusters;
  /** Authorizes the change for the task's initiator before anything is sent. */
  authorizer: TaskAuthorizer;
}

/** What a day-2 action works with once it may change the cluster. */
export interface Day2Session {
  dryRun: boolean;
  client: ManagementClusterClient;
  /** The cluster as it is now; `pools` is empty unless asked for. */
  live: LiveCluster;
  /** Applies under the action's field manager, with the task's checkpoints. */
  applier: OwnedFieldsApplier;
}

/**
 * The opening every day-2 action shares: authorizes the cluster permission for the task's
 * initiator (before any request to the management cluster, so a denied user learns nothing about
 * the cluster), then reads the live cluster and sets up the applier.
 */
export async function openDay2(
  ctx: Day2Context,
  step: {
    action: string;
    permission: ResourcePermission<'catalog-entity'>;
    fieldManager: string;
    checkpointPrefix: string;
    pools: boolean;
  },
  options: Day2ActionOptions,
): Promise<Day2Session> {
  const { managementCluster, namespace, cluster } = ctx.input;
  const dryRun = Boolean(ctx.input.dryRun || ctx.isDryRun);
  const client = options.managementClusters
    .get(managementCluster)
    .withSignal(ctx.signal);
  await options.authorizer.authorize(
    ctx,
    { action: step.action, managementCluster },
    [
      clusterWrite(step.permission, {
        managementCluster,
        namespace,
        name: cluster,
      }),
    ],
  );
  const live = await readLiveCluster(client, namespace, cluster, {
    pools: step.pools,
  });
  const applier = new OwnedFieldsApplier({
    client,
    fieldManager: step.fieldManager,
    dryRun,
    logger: ctx.logger,
    checkpoint: ctx.checkpoint,
    checkpointPrefix: step.checkpointPrefix,
  });
  return { dryRun, client, live, applier };
}

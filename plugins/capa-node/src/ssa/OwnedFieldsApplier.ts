import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, isError } from '@backstage/errors';
import { createHash } from 'crypto';
import type { ManagementClusterClient } from '../client/ManagementClusterClient';
import type { ApplyResult } from '../client/types';
import {
  applyBody,
  describeChanges,
  describeRef,
  groupByManager,
  ObjectPlan,
  OwnedField,
  ownersInTheWay,
} from './plan';

/**
 * What happened to one object.
 *
 * @public
 */
export interface AppliedObject {
  kind: string;
  namespace?: string;
  name: string;
  action: ApplyResult['action'];
  /** The changed fields as logged, e.g. `spec.version: v1.33 -> v1.34`. */
  changes: string[];
}

/**
 * Options of {@link OwnedFieldsApplier}.
 *
 * @public
 */
export interface OwnedFieldsApplierOptions {
  client: ManagementClusterClient;
  fieldManager: string;
  dryRun: boolean;
  logger: LoggerService;
  /**
   * Runs `fn` once per key across retries of a task (the scaffolder's `ctx.checkpoint`), so a
   * retried task does not apply the same change twice.
   */
  checkpoint(opts: {
    key: string;
    fn: () => Promise<ApplyResult['action']>;
  }): Promise<ApplyResult['action']>;
  /** Starts every checkpoint key, e.g. `capa-upgrade`. */
  checkpointPrefix: string;
}

function byManager(hits: OwnedField[]): string {
  return groupByManager(hits)
    .map(([m, fields]) => `field manager "${m}" owns ${fields.join(', ')}`)
    .join('; ');
}

const summaryOf = (plan: ObjectPlan) => ({
  kind: plan.ref.kind,
  ...(plan.ref.namespace ? { namespace: plan.ref.namespace } : {}),
  name: plan.ref.name,
});

/**
 * Applies the fields an action owns, object by object, with server-side apply under the action's
 * field manager: logs the diff, sends only the owned fields, refuses fields owned outside this
 * project, takes fields over from this project's other managers, skips objects that would not
 * change, and re-reads and retries once when the apply meets a 409 conflict.
 *
 * @public
 */
export class OwnedFieldsApplier {
  constructor(private readonly options: OwnedFieldsApplierOptions) {}

  /**
   * Refuses, before anything is changed, when any of the plans would change a field owned by a
   * manager outside this project (a GitOps tool, kubectl, a controller).
   */
  preflight(plans: ObjectPlan[]): void {
    const problems = plans.flatMap(plan => {
      const { blocked } = ownersInTheWay(plan, this.options.fieldManager);
      return blocked.length
        ? [`${describeRef(plan.ref)}: ${byManager(blocked)}`]
        : [];
    });
    if (problems.length) {
      throw new ConflictError(
        `Nothing was changed: fields this action would change belong to other field managers, and are not taken over:\n- ${problems.join(
          '\n- ',
        )}\nChange them through their owner, or have it give them up first.`,
      );
    }
  }

  /**
   * Applies one plan. `replan` reads the object again and recomputes the plan; it is called once
   * after a 409 conflict (someone changed the object in between).
   */
  async apply(
    plan: ObjectPlan,
    replan: () => Promise<ObjectPlan>,
  ): Promise<AppliedObject> {
    return this.applyOnce(plan, replan);
  }

  /** Applies one plan; with `replan`, once more after a 409 from the apply itself. */
  private async applyOnce(
    plan: ObjectPlan,
    replan?: () => Promise<ObjectPlan>,
  ): Promise<AppliedObject> {
    const { fieldManager, dryRun, logger } = this.options;
    const what = describeRef(plan.ref);
    const suffix = dryRun ? ' (dry run)' : '';
    const changes = describeChanges(plan);
    if (changes.length === 0) {
      logger.info(`${what}: unchanged${suffix}`);
      return { ...summaryOf(plan), action: 'unchanged', changes };
    }
    for (const line of changes) logger.info(`${what}: ${line}${suffix}`);
    const { takeOver, blocked } = ownersInTheWay(plan, fieldManager);
    if (blocked.length) {
      throw new ConflictError(
        `${what}: ${byManager(
          blocked,
        )}; this action does not take fields over from them. Change them through their owner.`,
      );
    }
    for (const [manager, fields] of groupByManager(takeOver))
      logger.info(
        `${what}: taking over ${fields.join(
          ', ',
        )} from field manager "${manager}" (this project's)${suffix}`,
      );
    let action: ApplyResult['action'];
    try {
      action = await this.send(plan, takeOver.length > 0);
    } catch (e) {
      if (!replan || !isError(e) || e.name !== 'ConflictError') throw e;
      logger.warn(
        `${what}: ${
          e.message.split('\n')[0]
        }; reading it again and retrying once`,
      );
      return this.applyOnce(await replan());
    }
    logger.info(`${what}: ${action} (field manager ${fieldManager})${suffix}`);
    return { ...summaryOf(plan), action, changes };
  }

  /** One server-side apply; outside a dry run, once per body across retries of the task. */
  private async send(
    plan: ObjectPlan,
    force: boolean,
  ): Promise<ApplyResult['action']> {
    const { client, fieldManager, dryRun, checkpoint, checkpointPrefix } =
      this.options;
    const body = applyBody(plan, fieldManager);
    const apply = async () =>
      (await client.apply(body, { dryRun, force, fieldManager })).action;
    if (dryRun) return apply();
    const hash = createHash('sha256')
      .update(JSON.stringify(body))
      .digest('hex')
      .slice(0, 16);
    const { namespace, kind, name } = plan.ref;
    return checkpoint({
      key: `${checkpointPrefix}.${client.name}.${
        namespace ?? ''
      }.${kind}.${name}.${hash}`,
      fn: apply,
    });
  }
}

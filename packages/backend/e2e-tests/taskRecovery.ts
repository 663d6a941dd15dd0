/*
 * Kills the replica that runs a scaffolder task while a capa action is in the middle of its work,
 * and follows the task as another replica recovers it (scaffolder.taskRecovery).
 */
import type { RecordedRequest } from '@capa-backstage/plugin-capa-node/testUtils';
import type { Replica } from './productionBackend';
import {
  api,
  logLines,
  type ManagementCluster,
  taskEvents,
  until,
  writesIn,
} from './replicaWorld';

/** What happened to a task killed on one replica and recovered by another. */
export interface RecoveredTask {
  taskId: string;
  status: string;
  /** The recovered run's log (the scaffolder shows recoverable tasks' events after recovery). */
  rerunLog: string[];
  /** Writes the killed run sent (dry runs left out), as `METHOD path`. */
  firstRunWrites: string[];
  /** Writes the recovered run sent (dry runs, which store nothing, left out), as `METHOD path`. */
  rerunWrites: string[];
  /** Seconds from the kill to the `recovered` event, and to the end of the task. */
  pickUpSeconds: number;
  completionSeconds: number;
}

const describe = (requests: RecordedRequest[]) =>
  writesIn(requests).map(r => `${r.method} ${r.path}`);

/**
 * Starts `template` on `runner` (a task runs on the replica it was created on: only that one is
 * told of it), SIGKILLs `runner` once the task log matches `killWhen`, lets `meanwhile` act as the
 * controllers would, and waits for `survivor` to recover and end the task.
 */
export async function killAndRecover(options: {
  runner: Replica;
  survivor: Replica;
  token: string;
  managementCluster: ManagementCluster;
  template: string;
  values: object;
  killWhen: RegExp;
  meanwhile: () => void;
  log: (message: string) => void;
}): Promise<RecoveredTask> {
  const { runner, survivor, token } = options;
  const { server } = options.managementCluster;
  const firstRunFrom = server.requests.length;
  const created = await api(runner.url, '/api/scaffolder/v2/tasks', token, {
    method: 'POST',
    body: JSON.stringify({
      templateRef: `template:default/${options.template}`,
      values: options.values,
    }),
  });
  const taskId: string = created.id;
  await until(`task ${taskId} reaches ${options.killWhen}`, 120_000, async () =>
    logLines(await taskEvents(runner.url, token, taskId)).some(l =>
      options.killWhen.test(l),
    )
      ? true
      : undefined,
  );
  const rerunFrom = server.requests.length;
  const killedAt = Date.now();
  await runner.kill('SIGKILL');
  options.log(`killed replica ${runner.name} during task ${taskId}`);
  options.meanwhile();

  const recovered = await until(
    `replica ${survivor.name} recovers task ${taskId}`,
    120_000,
    async () =>
      (
        await taskEvents(survivor.url, token, taskId)
      ).find(e => e.type === 'recovered'),
  );
  const task = await until(`task ${taskId} ends`, 180_000, async () => {
    const t = await api(
      survivor.url,
      `/api/scaffolder/v2/tasks/${taskId}`,
      token,
    );
    return ['completed', 'failed', 'cancelled'].includes(t.status)
      ? t
      : undefined;
  });
  const endedAt = Date.now();
  const rerunLog = logLines(await taskEvents(survivor.url, token, taskId));
  options.log(`recovered run of ${options.template}:\n${rerunLog.join('\n')}`);
  return {
    taskId,
    status: task.status,
    rerunLog,
    firstRunWrites: describe(
      server.requests
        .slice(firstRunFrom, rerunFrom)
        .filter(r => !r.query.dryRun),
    ),
    rerunWrites: describe(
      server.requests.slice(rerunFrom).filter(r => !r.query.dryRun),
    ),
    pickUpSeconds:
      Math.round((Date.parse(recovered.createdAt) - killedAt) / 100) / 10,
    completionSeconds: Math.round((endedAt - killedAt) / 100) / 10,
  };
}

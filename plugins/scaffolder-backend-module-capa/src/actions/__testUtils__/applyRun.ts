import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ManagementClusters } from '@capa-backstage/plugin-capa-node';
import type { KubernetesTestServer } from '@capa-backstage/plugin-capa-node/testUtils';
import { createApplyAction } from '../apply';
import { decidingAuthorizer } from './authorizer';

/** The management cluster "local" on a test server, as the actions are configured with it. */
export function localClusters(
  server: KubernetesTestServer,
  token: string,
): ManagementClusters {
  return ManagementClusters.fromConfig(
    new ConfigReader({
      capa: {
        managementClusters: [{ name: 'local', url: server.url, token }],
      },
    }),
    { logger: mockServices.logger.mock() },
  );
}

/**
 * Runs capa:apply once with `input` (and the task's `signal`); resolves with its error, its
 * task-log lines, its outputs and how long it took.
 */
export async function runApply(
  clusters: ManagementClusters,
  input: JsonObject,
  options: { workspacePath?: string; signal?: AbortSignal } = {},
) {
  const ctx = createMockActionContext({
    input,
    workspacePath: options.workspacePath,
  });
  if (options.signal) (ctx as any).signal = options.signal;
  const logs: string[] = [];
  jest
    .spyOn(ctx.logger, 'info')
    .mockImplementation(((m: string) => logs.push(m)) as any);
  const start = Date.now();
  const error = await createApplyAction({
    managementClusters: clusters,
    authorizer: decidingAuthorizer(),
  })
    .handler(ctx as any)
    .then(
      () => undefined,
      e => e as Error,
    );
  return {
    error,
    logs,
    ms: Date.now() - start,
    out: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
  };
}

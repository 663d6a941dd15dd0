import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import fs from 'fs/promises';
import path from 'path';

/** How an action reports one rendered object: enough to find it with kubectl. */
export interface ObjectSummary {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function summarize(objects: KubernetesObject[]): ObjectSummary[] {
  return objects.map(o => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata.name,
  }));
}

/** `kind namespace/name`, for task-log lines. */
export function describeObject(o: ObjectSummary): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/**
 * Writes files below the task workspace and returns their workspace-relative paths. Paths are
 * resolved with resolveSafeChildPath, so input cannot write outside the workspace.
 */
export async function writeWorkspaceFiles(
  workspacePath: string,
  files: Array<{ path: string; content: string }>,
): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const target = resolveSafeChildPath(workspacePath, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content, 'utf8');
    written.push(
      path.relative(workspacePath, target).split(path.sep).join('/'),
    );
  }
  return written;
}

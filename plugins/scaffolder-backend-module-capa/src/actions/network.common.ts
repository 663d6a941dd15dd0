import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  CAPA_ANNOTATIONS,
  CAPA_LABELS,
  KINDS,
  LATTICE_LABELS,
  objectRef,
  partitionOfRegion,
  toJson,
  toYaml,
  type KnownKind,
  type KubernetesObject,
  type LatticeClusterFacts,
  type LatticeContext,
  type StoredObject,
} from '@capa-backstage/plugin-capa-common';
import {
  CAPA_FIELD_MANAGER,
  type ManagementClusterClient,
} from '@capa-backstage/plugin-capa-node';
import { isDeepStrictEqual } from 'util';
import type { z as zod } from 'zod/v3';
import type { ReportedObject } from './day2';
import { stringMap } from './liveCluster';
import { managementClusterSchema } from './schemas';
import { describeObject, writeWorkspaceFiles } from './workspace';

/**
 * The field manager of the capa:network:* actions: they own the ConfigMaps and
 * ClusterResourceSets they write, the Cluster's lattice label and (for join) spec.addons.
 *
 * @public
 */
export const NETWORK_FIELD_MANAGER = `${CAPA_FIELD_MANAGER}-network`;

/** What the platform configured for cross-cluster service access (`capa.lattice`). @public */
export interface NetworkActionConfig {
  /** Absent: callers in another AWS account are refused. */
  crossAccountSharing?: { allowExternalPrincipals?: boolean };
}

/** Inputs every capa:network:* action takes. */
export function networkTargetSchema(z: typeof zod) {
  return {
    managementCluster: managementClusterSchema(z),
    namespace: z
      .string()
      .describe("The tenant's namespace, where its Clusters are"),
    dryRun: z
      .boolean()
      .optional()
      .describe(
        'Server-side dry run: check and report every change, store nothing',
      ),
    targetPath: z
      .string()
      .default('lattice')
      .describe(
        'Workspace-relative folder the rendered files are written to, for GitOps (default "lattice")',
      ),
  };
}

async function listAll<T extends KubernetesObject>(
  client: ManagementClusterClient,
  kind: KnownKind,
  namespace: string,
  labelSelector?: string,
): Promise<T[]> {
  const { apiVersion } = KINDS[kind];
  const items: T[] = [];
  let next: string | undefined;
  do {
    const page = await client.list<T>(
      { apiVersion, kind, namespace },
      { limit: 200, continue: next, labelSelector },
    );
    items.push(...page.items);
    next = page.continue;
  } while (next);
  return items;
}

/**
 * Reads what the lattice renderers need to know of the clusters in these namespaces: account (the
 * tenant namespace's annotation), region and EKS name (the control plane), phase, and the service
 * network each joined (its `join` ConfigMap).
 */
export async function readLatticeContext(
  client: ManagementClusterClient,
  namespaces: string[],
  config: NetworkActionConfig,
): Promise<LatticeContext> {
  const clusters: LatticeClusterFacts[] = [];
  for (const namespace of [...new Set(namespaces)].sort()) {
    const ns = await client.find(objectRef('Namespace', undefined, namespace));
    if (!ns) continue;
    const [list, planes, joins] = await Promise.all([
      listAll<StoredObject<'Cluster'>>(client, 'Cluster', namespace),
      listAll<StoredObject<'AWSManagedControlPlane'>>(
        client,
        'AWSManagedControlPlane',
        namespace,
      ),
      listAll(client, 'ConfigMap', namespace, `${LATTICE_LABELS.role}=join`),
    ]);
    const accountId = stringMap(ns.metadata.annotations)[
      CAPA_ANNOTATIONS.awsAccountId
    ];
    const tenant = stringMap(ns.metadata.labels)[CAPA_LABELS.tenant];
    for (const cluster of list) {
      const cpName = cluster.spec?.controlPlaneRef?.name;
      const cp =
        cluster.spec?.controlPlaneRef?.kind === 'AWSManagedControlPlane'
          ? planes.find(p => p.metadata.name === cpName)
          : undefined;
      const region =
        typeof cp?.spec?.region === 'string' ? cp.spec.region : undefined;
      const join = joins.find(
        j =>
          stringMap(j.metadata.labels)[CAPA_LABELS.clusterName] ===
          cluster.metadata.name,
      );
      clusters.push({
        namespace,
        name: cluster.metadata.name,
        tenant,
        accountId,
        region,
        partition:
          (typeof cp?.spec?.partition === 'string'
            ? cp.spec.partition
            : undefined) ?? (region ? partitionOfRegion(region) : undefined),
        eksClusterName:
          typeof cp?.spec?.eksClusterName === 'string'
            ? cp.spec.eksClusterName
            : undefined,
        phase: cluster.metadata.deletionTimestamp
          ? 'Deleting'
          : cluster.status?.phase,
        serviceNetwork: join
          ? stringMap(join.metadata.labels)[LATTICE_LABELS.serviceNetwork]
          : undefined,
      });
    }
  }
  return { clusters, crossAccountSharing: config.crossAccountSharing };
}

/** Whether every field of `desired` has the same value in `live` (lists compared whole). */
function contains(live: unknown, desired: unknown): boolean {
  if (
    desired &&
    typeof desired === 'object' &&
    !Array.isArray(desired) &&
    live &&
    typeof live === 'object' &&
    !Array.isArray(live)
  ) {
    // A field the rendered object leaves out asks for nothing.
    return Object.entries(desired).every(
      ([k, v]) =>
        v === undefined || contains((live as Record<string, unknown>)[k], v),
    );
  }
  return isDeepStrictEqual(live, desired);
}

/** Annotations of `live` that this manager set and `desired` no longer has. */
function droppedAnnotations(live: KubernetesObject, desired: KubernetesObject) {
  const keep = desired.metadata.annotations ?? {};
  return Object.keys(live.metadata.annotations ?? {}).filter(
    k => k.startsWith('capa.backstage.io/lattice') && !(k in keep),
  );
}

/**
 * Server-side applies whole objects under the network field manager, skipping (and reporting
 * unchanged) each whose stored fields already are the rendered ones, so a second run sends no
 * write.
 */
export async function applyObjects(
  client: ManagementClusterClient,
  objects: KubernetesObject[],
  options: { dryRun: boolean; logger: LoggerService },
): Promise<ReportedObject[]> {
  const reported: ReportedObject[] = [];
  const suffix = options.dryRun ? ' (dry run)' : '';
  for (const obj of objects) {
    const ref = {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
    };
    const what = describeObject(ref);
    const live = await client.find(ref);
    const { apiVersion: _a, kind: _k, metadata, ...body } = obj;
    const same =
      live &&
      contains(live.metadata, {
        labels: metadata.labels,
        annotations: metadata.annotations,
      }) &&
      droppedAnnotations(live, obj).length === 0 &&
      contains(live, body);
    const summary = {
      kind: obj.kind,
      ...(ref.namespace ? { namespace: ref.namespace } : {}),
      name: ref.name,
    };
    if (same) {
      options.logger.info(`${what}: unchanged${suffix}`);
      reported.push({ ...summary, action: 'unchanged', changes: [] });
      continue;
    }
    const stored = (live ?? {}) as Record<string, unknown>;
    const fields = body as Record<string, unknown>;
    // The top-level fields that change, as the task log shows them.
    const changes = live
      ? Object.keys(fields)
          .filter(k => !contains(stored[k], fields[k]))
          .concat(
            contains(live.metadata, {
              labels: metadata.labels,
              annotations: metadata.annotations,
            }) && droppedAnnotations(live, obj).length === 0
              ? []
              : ['metadata'],
          )
      : [];
    const result = await client.apply(obj, {
      dryRun: options.dryRun,
      fieldManager: NETWORK_FIELD_MANAGER,
    });
    options.logger.info(
      `${what}: ${result.action}${
        changes.length ? ` (${changes.join(', ')})` : ''
      } (field manager ${NETWORK_FIELD_MANAGER})${suffix}`,
    );
    reported.push({ ...summary, action: result.action, changes });
  }
  return reported;
}

/** A shell word, quoted only when it needs to be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word)
    ? word
    : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A POSIX shell script of the given commands. */
export function shellScript(comment: string, commands: string[][]): string {
  return `#!/bin/sh\n# ${comment}\nset -eu\n${commands
    .map(c => c.map(shellWord).join(' '))
    .join('\n')}\n`;
}

/** A file to write: YAML documents, a JSON document, or text. */
export type NetworkFile = {
  path: string;
  yaml?: object[];
  json?: unknown;
  text?: string;
};

function contentOf(f: NetworkFile): string {
  if (f.yaml !== undefined) return toYaml(f.yaml);
  if (f.json !== undefined) return toJson(f.json);
  return f.text ?? '';
}

/** Writes the files a GitOps team would publish instead of applying. */
export async function writeNetworkFiles(
  workspacePath: string,
  dir: string,
  files: NetworkFile[],
): Promise<string[]> {
  return writeWorkspaceFiles(
    workspacePath,
    files.map(f => ({ path: `${dir}/${f.path}`, content: contentOf(f) })),
  );
}

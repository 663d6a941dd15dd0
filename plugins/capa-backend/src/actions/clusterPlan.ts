import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  CAPA_LABELS,
  capaClusterCreatePermission,
  clusterEntityRef,
  objectRef,
  ownerOfNamespace,
  renderCluster,
  toYaml,
  type CapaValidationIssue,
  type ClusterValidationOptions,
  type KubernetesObject,
} from '@capa-backstage/plugin-capa-common';
import type {
  CapaAuthorizer,
  ManagementClusterClient,
  ManagementClusters,
} from '@capa-backstage/plugin-capa-node';
import { actorOf } from '../service/audit';

/** One reason the cluster cannot be created as given. */
export interface PlanProblem {
  /** The field: `cluster.nodePools[0].maxSize` in the input, or `spec.version` in `object`. */
  path: string;
  message: string;
  /** The rendered object the management cluster refused (`Kind namespace/name`). */
  object?: string;
}

/** What the server-side dry run said of one rendered object. */
export type DryRunResult =
  | 'created'
  | 'configured'
  | 'unchanged'
  | 'rejected'
  | 'not-checked';

/** The answer of the plan. */
export interface ClusterPlan {
  valid: boolean;
  managementCluster: string;
  namespace?: string;
  name?: string;
  entityRef?: string;
  problems: PlanProblem[];
  objects: Array<{
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
    dryRun: DryRunResult;
  }>;
  manifest: string;
  warnings: string[];
}

export interface ClusterPlanDeps {
  managementClusters: ManagementClusters;
  authorizer: CapaAuthorizer;
  validation: ClusterValidationOptions;
}

const describe = (o: KubernetesObject) =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${
    o.metadata.name
  }`;

/**
 * The problems in the message of an error the management cluster client mapped from a refused
 * dry run: its `- field: message` lines (an API server's validation causes, or fields its CRD
 * does not declare), or else its first line.
 */
export function dryRunProblems(error: Error, object: string): PlanProblem[] {
  const [headline, ...rest] = error.message.split('\n');
  const bullets = rest.filter(l => l.startsWith('- ')).map(l => l.slice(2));
  if (!bullets.length) return [{ path: '', message: headline, object }];
  return bullets.map(b => {
    const field = /^([^\s:]+): (.+)$/.exec(b);
    return field
      ? { path: field[1], message: field[2], object }
      : { path: '', message: b, object };
  });
}

/** Errors that say the object is wrong, not that the management cluster cannot answer. */
const OBJECT_ERRORS = new Set(['InputError', 'ConflictError']);

/** The refusal, worded as the scaffolder's for the same permission. */
function refusal(
  credentials: BackstageCredentials,
  d: { resourceRef?: string; reason?: string },
  t: { tenant: string; namespace: string; group?: string; mc: string },
): NotAllowedError {
  return new NotAllowedError(
    `capa:plan-cluster: ${actorOf(
      credentials,
    )} may not create clusters in tenant ${t.tenant} (namespace ${
      t.namespace
    }) (permission ${capaClusterCreatePermission.name} on ${
      d.resourceRef ?? 'its group'
    }${d.reason ? `; ${d.reason}` : ''}); ask to join ${
      t.group ?? "the tenant's group"
    }, or ask the platform team.\nNothing was sent to management cluster "${
      t.mc
    }".`,
  );
}

/** Checks that need the live management cluster and may stop the dry run. */
async function liveProblems(
  client: ManagementClusterClient,
  cluster: KubernetesObject,
  controlPlane: KubernetesObject | undefined,
  tenant: string,
): Promise<{ problems: PlanProblem[]; dryRun: boolean }> {
  const mc = `management cluster "${client.name}"`;
  const { namespace, name } = cluster.metadata;
  const problems: PlanProblem[] = [];
  if (await client.find(objectRef('Cluster', namespace, name))) {
    problems.push({
      path: 'cluster.name',
      message: `Cluster ${namespace}/${name} already exists on ${mc}: this plans a new cluster; change an existing one with the upgrade, node pool and access templates`,
    });
  }
  const ref = (
    controlPlane as {
      spec?: { identityRef?: { kind?: string; name?: string } };
    }
  )?.spec?.identityRef;
  if (ref?.kind === 'AWSClusterRoleIdentity' && ref.name) {
    const identity = await client.find(
      objectRef('AWSClusterRoleIdentity', undefined, ref.name),
    );
    const owner = identity?.metadata.labels?.[CAPA_LABELS.tenant];
    if (owner !== tenant) {
      problems.push({
        path: 'cluster.identityName',
        message: identity
          ? `AWSClusterRoleIdentity ${ref.name} belongs to ${
              owner ? `tenant ${owner}` : 'no tenant'
            }, not tenant ${tenant}: only the platform team may create a cluster with it`
          : `AWSClusterRoleIdentity ${ref.name} does not exist on ${mc}: onboarding tenant ${tenant} creates it`,
      });
    }
  }
  const installation = await client.checkCapaInstalled();
  if (!installation.installed) {
    problems.push({
      path: 'managementCluster',
      message:
        installation.message ?? `Cluster API or CAPA is not installed on ${mc}`,
    });
  }
  const exists = problems.some(p => p.path === 'cluster.name');
  return { problems, dryRun: installation.installed && !exists };
}

/**
 * Validates a cluster input, renders it and, for a caller who may create clusters in its tenant,
 * dry-runs every object on the management cluster (server-side apply with `dryRun=All`: nothing is
 * stored). Every problem found is returned with its field; only a refusal or a management cluster
 * that cannot answer is thrown.
 *
 * @param input - `cluster` is the parsed cluster input (as capa:cluster:render's handler gets it)
 *   when `inputIssues` is empty, which are the problems of the raw one otherwise
 */
export async function planCluster(
  deps: ClusterPlanDeps,
  credentials: BackstageCredentials,
  input: { managementCluster: string; cluster: unknown },
  inputIssues: CapaValidationIssue[],
): Promise<ClusterPlan> {
  const mc = input.managementCluster;
  const plan: ClusterPlan = {
    valid: false,
    managementCluster: mc,
    problems: inputIssues.map(i => ({ path: i.path, message: i.message })),
    objects: [],
    manifest: '',
    warnings: [],
  };
  let client: ManagementClusterClient | undefined;
  try {
    client = deps.managementClusters.get(mc);
  } catch (e) {
    plan.problems.push({
      path: 'managementCluster',
      message: (e as Error).message,
    });
  }
  if (plan.problems.length || !client) return plan;

  const rendered = renderCluster(input.cluster, deps.validation);
  const objects = rendered.objects as KubernetesObject[];
  const cluster = objects.find(o => o.kind === 'Cluster')!;
  const { namespace, name } = cluster.metadata as {
    namespace: string;
    name: string;
  };
  const tenant = cluster.metadata.labels![CAPA_LABELS.tenant];
  const results = new Map<KubernetesObject, DryRunResult>();
  Object.assign(plan, {
    namespace,
    name,
    entityRef: clusterEntityRef({ managementCluster: mc, namespace, name }),
    manifest: toYaml(objects),
    warnings: rendered.warnings,
  });
  const finish = () => {
    plan.objects = objects.map(o => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: o.metadata.namespace,
      name: o.metadata.name,
      dryRun: results.get(o) ?? 'not-checked',
    }));
    plan.valid = plan.problems.length === 0;
    return plan;
  };

  // The tenant is the one the namespace is labelled for, as the management cluster has it.
  const nsField = (input.cluster as { namespace?: string }).namespace
    ? 'cluster.namespace'
    : 'cluster.tenant';
  const ns = await client.find(objectRef('Namespace', undefined, namespace));
  const nsTenant = ns?.metadata.labels?.[CAPA_LABELS.tenant];
  if (!ns || nsTenant !== tenant) {
    plan.problems.push({
      path: nsField,
      message: !ns
        ? `namespace ${namespace} does not exist on management cluster "${mc}": the platform team onboards tenant ${tenant} first`
        : `namespace ${namespace} belongs to ${
            nsTenant ? `tenant ${nsTenant}` : 'no tenant'
          }, not tenant ${tenant}: clusters of tenant ${tenant} go into its own namespace`,
    });
    return finish();
  }

  const group = ownerOfNamespace(ns);
  const [decision] = await deps.authorizer.authorize(
    [
      {
        permission: capaClusterCreatePermission,
        target: {
          type: 'tenant',
          managementCluster: mc,
          tenant,
          namespace,
          group,
        },
      },
    ],
    credentials,
  );
  if (!decision.allowed)
    throw refusal(credentials, decision, { tenant, namespace, group, mc });

  const controlPlane = objects.find(o => o.kind === 'AWSManagedControlPlane');
  const live = await liveProblems(client, cluster, controlPlane, tenant);
  plan.problems.push(...live.problems);
  if (!live.dryRun) return finish();

  // Each object on its own, so that every refused one is reported, not only the first.
  for (const o of objects) {
    try {
      const result = await client.apply(o, { dryRun: true });
      results.set(o, result.action);
    } catch (e) {
      const error = e as Error;
      if (!OBJECT_ERRORS.has(error.name)) throw error;
      results.set(o, 'rejected');
      plan.problems.push(...dryRunProblems(error, describe(o)));
    }
  }
  return finish();
}

import { InputError } from '@backstage/errors';
import {
  CAPA_LABELS,
  capaClusterCreatePermission,
  capaClusterUpdatePermission,
  capaPlatformManagePermission,
  type KnownKind,
  objectRef,
  ownerOfNamespace,
} from '@capa-backstage/plugin-capa-common';
import type { ManagementClusterClient } from '@capa-backstage/plugin-capa-node';
import type { KubernetesObject } from '@capa-backstage/plugin-capa-common';
import type { WriteRequest } from '../authorization/TaskAuthorizer';
import { describeObject } from './workspace';

const describe = (o: KubernetesObject) =>
  describeObject({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.metadata.namespace,
    name: o.metadata.name,
  });

/** The Cluster a namespaced CAPI/CAPA object belongs to, by CAPI's own conventions. */
function clusterNameOf(o: KubernetesObject): string | undefined {
  if (o.kind === 'Cluster') return o.metadata.name;
  const label = o.metadata.labels?.[CAPA_LABELS.clusterName];
  if (label) return label;
  const spec = (o as { spec?: { clusterName?: unknown } }).spec;
  return typeof spec?.clusterName === 'string' ? spec.clusterName : undefined;
}

/** Why a control plane needs the platform permission, if its identityRef is not its tenant's. */
async function foreignIdentity(
  o: KubernetesObject,
  tenant: string,
  identityOf: (name: string) => Promise<KubernetesObject | undefined>,
): Promise<string | undefined> {
  const ref = (
    o as { spec?: { identityRef?: { kind?: unknown; name?: unknown } } }
  ).spec?.identityRef;
  if (!ref)
    return `${describe(
      o,
    )} names no identityRef, so CAPA would use the manager account's own identity`;
  if (ref.kind !== 'AWSClusterRoleIdentity' || typeof ref.name !== 'string')
    return `${describe(o)} uses ${String(ref.kind)} ${String(
      ref.name,
    )}, not an AWSClusterRoleIdentity of tenant ${tenant}`;
  const identity = await identityOf(ref.name);
  const owner = identity?.metadata.labels?.[CAPA_LABELS.tenant];
  if (owner !== tenant)
    return `${describe(o)} uses AWSClusterRoleIdentity ${ref.name}, which ${
      identity
        ? `belongs to ${owner ? `tenant ${owner}` : 'no tenant'}`
        : 'does not exist'
    }, not tenant ${tenant}`;
  return undefined;
}

/** The platform permission for the objects that need it, with every reason given; none if none. */
function platformRequest(
  platform: Array<{ object: string; because?: string }>,
): WriteRequest[] {
  if (!platform.length) return [];
  return [
    {
      request: {
        permission: capaPlatformManagePermission,
        target: { type: 'platform' },
      },
      objects: platform.map(p => p.object),
      because:
        platform
          .map(p => p.because)
          .filter(Boolean)
          .join('; ') || undefined,
    },
  ];
}

/**
 * What capa:apply must be allowed before it sends anything, in two stages: first the platform
 * permission (cluster-scoped objects, Namespaces, anything outside a tenant or using another
 * tenant's or the manager's identity) and `capa.cluster.create` on each tenant written into; then
 * `capa.cluster.update` on each existing Cluster the objects belong to. The second stage is only
 * decided after the first passed, so a caller outside a tenant learns nothing about its clusters.
 *
 * A namespaced object belongs to the tenant its Namespace is labelled for, as the manifests create
 * it or as the management cluster has it (read, never written, here).
 */
export async function applyWriteRequests(
  client: ManagementClusterClient,
  objects: KubernetesObject[],
): Promise<{ tenancy: WriteRequest[]; clusters: WriteRequest[] }> {
  const mc = client.name;
  const inManifest = (kind: string, name: string) =>
    objects.find(o => o.kind === kind && o.metadata.name === name);
  const cache = new Map<string, Promise<KubernetesObject | undefined>>();
  const read = (kind: KnownKind, name: string, namespace?: string) => {
    const key = `${kind}/${namespace ?? ''}/${name}`;
    if (!cache.has(key))
      cache.set(key, client.find(objectRef(kind, namespace, name)));
    return cache.get(key)!;
  };
  const namespaceOf = async (name: string) =>
    inManifest('Namespace', name) ?? read('Namespace', name);
  const identityOf = async (name: string) =>
    inManifest('AWSClusterRoleIdentity', name) ??
    read('AWSClusterRoleIdentity', name);

  const platform: Array<{ object: string; because?: string }> = [];
  const tenants = new Map<string, { request: WriteRequest; tenant: string }>();
  const clusters = new Map<string, WriteRequest>();

  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (o.kind === 'Namespace' || !ns) {
      // Namespaces decide which AWS account a cluster may use: only the platform writes them.
      platform.push({ object: describe(o) });
      continue;
    }
    const namespace = await namespaceOf(ns);
    if (!namespace) {
      throw new InputError(
        `Invalid capa:apply input: ${describe(
          o,
        )} is in namespace ${ns}, which does not exist on management cluster "${mc}" and is not among the manifests; onboard the tenant first. Nothing was sent`,
      );
    }
    const tenant = namespace.metadata.labels?.[CAPA_LABELS.tenant];
    if (!tenant) {
      platform.push({
        object: describe(o),
        because: `namespace ${ns} belongs to no tenant`,
      });
      continue;
    }
    if (o.kind === 'AWSManagedControlPlane') {
      const because = await foreignIdentity(o, tenant, identityOf);
      if (because) platform.push({ object: describe(o), because });
    }
    const entry = tenants.get(ns) ?? {
      tenant,
      request: {
        request: {
          permission: capaClusterCreatePermission,
          target: {
            type: 'tenant',
            managementCluster: mc,
            tenant,
            namespace: ns,
            group: ownerOfNamespace(namespace),
          },
        },
        objects: [],
      },
    };
    entry.request.objects.push(describe(o));
    tenants.set(ns, entry);

    const clusterName = clusterNameOf(o);
    if (!clusterName) continue;
    const existing = await read('Cluster', clusterName, ns);
    if (!existing) continue;
    const key = `${ns}/${clusterName}`;
    const write = clusters.get(key) ?? {
      request: {
        permission: capaClusterUpdatePermission,
        target: {
          type: 'cluster',
          cluster: { managementCluster: mc, namespace: ns, name: clusterName },
        },
      },
      objects: [],
    };
    write.objects.push(describe(o));
    clusters.set(key, write);
  }

  const tenancy = [
    ...platformRequest(platform),
    ...[...tenants.values()].map(t => t.request),
  ];
  return { tenancy, clusters: [...clusters.values()] };
}

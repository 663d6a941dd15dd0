import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { CAPA_ANNOTATIONS, CAPA_LABELS } from './constants';

/**
 * The catalog `spec.type` of workload cluster Resources.
 *
 * @public
 */
export const CLUSTER_ENTITY_TYPE = 'kubernetes-cluster';

/**
 * The catalog `spec.type` of tenant identity Resources.
 *
 * @public
 */
export const IDENTITY_ENTITY_TYPE = 'aws-cluster-role-identity';

/** Entity names may have at most this many characters. */
const MAX_ENTITY_NAME = 63;
/** 64 bits of SHA-256: a second preimage, the only useful attack on a name, is out of reach. */
const HASH_HEX_CHARS = 16;

const hashOf = (parts: string[]) =>
  bytesToHex(sha256(utf8ToBytes(parts.join('/')))).slice(0, HASH_HEX_CHARS);

/**
 * Shortens a name that is too long: a readable prefix made of the parts (with `-` for every
 * character that is neither a letter nor a digit), then `separator` and a hash of the parts.
 */
function shortened(parts: string[], separator: string): string {
  const readable = parts
    .join('-')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const room = MAX_ENTITY_NAME - HASH_HEX_CHARS - separator.length;
  const prefix = readable.slice(0, room).replace(/-+$/, '');
  return `${prefix || 'x'}${separator}${hashOf(parts)}`;
}

/**
 * The catalog entity name of a workload cluster: `<managementCluster>.<namespace>.<name>`.
 *
 * Different clusters never get the same name, so no cluster can take over another's entity (and
 * with it, its owner and who may take its kubeconfig). Management cluster names and namespaces are
 * DNS labels, which hold no `.`, so the first two dots split the name unambiguously. A name over
 * the 63 characters an entity name may have is shortened to a prefix, `-` and 16 hex digits of the
 * SHA-256 of the three parts: it holds no dot at all, so it cannot equal an unshortened name.
 *
 * @public
 */
export function clusterEntityName(
  managementCluster: string,
  namespace: string,
  name: string,
): string {
  const full = `${managementCluster}.${namespace}.${name}`;
  return full.length <= MAX_ENTITY_NAME
    ? full
    : shortened([managementCluster, namespace, name], '-');
}

/**
 * The catalog entity name of a (cluster-scoped) AWSClusterRoleIdentity:
 * `<managementCluster>_<identity>`. No Kubernetes name holds `_`, so it never equals a cluster's
 * entity name; a name over 63 characters is shortened as clusterEntityName does, with `_`.
 *
 * @public
 */
export function identityEntityName(
  managementCluster: string,
  identity: string,
): string {
  const full = `${managementCluster}_${identity}`;
  return full.length <= MAX_ENTITY_NAME
    ? full
    : shortened([managementCluster, identity], '_');
}

/**
 * Identifies one workload cluster: the configured management cluster that holds its CAPI Cluster
 * object, and that object's namespace and name.
 *
 * @public
 */
export interface ClusterRef {
  managementCluster: string;
  namespace: string;
  name: string;
}

/**
 * The entity ref of a workload cluster's catalog Resource (always in the default namespace), e.g.
 * `resource:default/local.acme.prod`.
 *
 * @public
 */
export function clusterEntityRef(ref: ClusterRef): string {
  return `resource:default/${clusterEntityName(
    ref.managementCluster,
    ref.namespace,
    ref.name,
  )}`;
}

/** The parts of a catalog entity that the checks below read. @public */
export interface EntityLike {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown> | object;
}

/**
 * Whether a catalog entity stands for exactly this workload cluster: a Resource of type
 * kubernetes-cluster whose name and `capa.backstage.io/*` annotations name it. Ownership of an
 * entity that fails this check must not count for the cluster.
 *
 * @public
 */
export function isEntityOfCluster(
  entity: EntityLike,
  ref: ClusterRef,
): boolean {
  const a = entity.metadata.annotations ?? {};
  return (
    entity.kind.toLowerCase() === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type ===
      CLUSTER_ENTITY_TYPE &&
    (entity.metadata.namespace ?? 'default') === 'default' &&
    entity.metadata.name ===
      clusterEntityName(ref.managementCluster, ref.namespace, ref.name) &&
    a[CAPA_ANNOTATIONS.managementCluster] === ref.managementCluster &&
    a[CAPA_ANNOTATIONS.namespace] === ref.namespace &&
    a[CAPA_ANNOTATIONS.clusterName] === ref.name
  );
}

/**
 * Whether a catalog entity is the Group of this tenant: a Group labelled
 * `capa.backstage.io/tenant: <tenant>`.
 *
 * @public
 */
export function isGroupOfTenant(entity: EntityLike, tenant: string): boolean {
  return (
    entity.kind.toLowerCase() === 'group' &&
    entity.metadata.labels?.[CAPA_LABELS.tenant] === tenant
  );
}

/**
 * The entity ref of the group that owns a tenant namespace: its `capa.backstage.io/owner`
 * annotation, or `group:default/<owner-group label>`. Only the platform may write either.
 *
 * @public
 */
export function ownerOfNamespace(namespace: {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}): string | undefined {
  const annotated = namespace.metadata?.annotations?.[CAPA_ANNOTATIONS.owner];
  if (annotated) return annotated;
  const group = namespace.metadata?.labels?.[CAPA_LABELS.ownerGroup];
  return group ? `group:default/${group}` : undefined;
}

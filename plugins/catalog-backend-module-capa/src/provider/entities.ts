import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CAPA_ANNOTATIONS,
  CAPA_LABELS,
  CLUSTER_ENTITY_TYPE,
  ClusterView,
  compareStrings,
  clusterEntityName,
  IDENTITY_ENTITY_TYPE,
  identityEntityName,
  ownerOfNamespace,
  StoredObject,
} from '@capa-backstage/plugin-capa-common';
import type { ObjectStore } from '@capa-backstage/plugin-capa-node';
import { createHash } from 'node:crypto';

/** The location every entity of a management cluster is managed by: `capa:<managementCluster>`. */
export function locationOf(managementCluster: string): string {
  return `capa:${managementCluster}`;
}

function locationAnnotations(managementCluster: string) {
  const location = locationOf(managementCluster);
  return {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
}

function identityEntity(
  mc: string,
  identity: StoredObject<'AWSClusterRoleIdentity'>,
  owner: string,
): Entity {
  const name = identity.metadata?.name ?? '';
  const tenant = identity.metadata?.labels?.[CAPA_LABELS.tenant];
  const roleArn: string | undefined = identity.spec?.roleARN;
  const accountId = roleArn?.split(':')[4];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: identityEntityName(mc, name),
      title: `AWS identity ${name}`,
      description: roleArn
        ? `CAPA assumes ${roleArn}`
        : 'AWSClusterRoleIdentity without a role ARN',
      annotations: {
        ...locationAnnotations(mc),
        [CAPA_ANNOTATIONS.managementCluster]: mc,
        ...(accountId ? { [CAPA_ANNOTATIONS.awsAccountId]: accountId } : {}),
      },
      ...(tenant ? { labels: { [CAPA_LABELS.tenant]: tenant } } : {}),
    },
    spec: { type: IDENTITY_ENTITY_TYPE, owner },
  };
}

function clusterEntity(view: ClusterView, defaultOwner: string): Entity {
  const mc = view.managementCluster;
  const annotations: Record<string, string> = {
    ...locationAnnotations(mc),
    [CAPA_ANNOTATIONS.managementCluster]: mc,
    [CAPA_ANNOTATIONS.namespace]: view.namespace,
    [CAPA_ANNOTATIONS.clusterName]: view.name,
  };
  if (view.aws.accountId)
    annotations[CAPA_ANNOTATIONS.awsAccountId] = view.aws.accountId;
  if (view.aws.region) annotations[CAPA_ANNOTATIONS.region] = view.aws.region;
  const identity =
    view.aws.identity?.kind === 'AWSClusterRoleIdentity'
      ? view.aws.identity.name
      : undefined;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: clusterEntityName(mc, view.namespace, view.name),
      title: `${view.name} (${view.namespace})`,
      description: [
        'EKS cluster',
        view.eks.clusterName && `"${view.eks.clusterName}"`,
        view.aws.region && `in ${view.aws.region}`,
        view.aws.accountId && `account ${view.aws.accountId}`,
      ]
        .filter(Boolean)
        .join(' '),
      annotations,
      ...(view.tenant ? { labels: { [CAPA_LABELS.tenant]: view.tenant } } : {}),
      tags: ['eks', 'capa'],
    },
    spec: {
      type: CLUSTER_ENTITY_TYPE,
      owner: view.owner ?? defaultOwner,
      ...(identity
        ? {
            dependsOn: [
              stringifyEntityRef({
                kind: 'resource',
                namespace: 'default',
                name: identityEntityName(mc, identity),
              }),
            ],
          }
        : {}),
    },
  };
}

/**
 * An entity by name and the hash of its content, built again when written: the memo keeps only
 * these few bytes per cluster, not the entity.
 */
export interface HashedEntity {
  hash: string;
  build(): Entity;
}

const hashOf = (entity: Entity) =>
  createHash('sha256').update(JSON.stringify(entity)).digest('base64');

/**
 * The entities a management cluster's store implies, memoised per view and identity object: the
 * store keeps a view the same object until something it reads changes, so after a status change
 * only that namespace's entities are built and hashed again, not the whole management cluster's.
 */
export class EntityIndex {
  private readonly clusters = new WeakMap<
    ClusterView,
    { name: string } & HashedEntity
  >();
  private readonly identities = new WeakMap<
    object,
    { name: string; owner: string } & HashedEntity
  >();

  constructor(
    private readonly managementCluster: string,
    private readonly defaultOwner: string,
  ) {}

  /**
   * Every entity by name: each workload cluster a Resource of type kubernetes-cluster owned by its
   * tenant's group, each AWSClusterRoleIdentity a Resource the clusters depend on. Pure in what it
   * returns: the same store gives the same entities on every replica.
   */
  entities(store: ObjectStore): Map<string, HashedEntity> {
    const mc = this.managementCluster;
    const defaultOwner = this.defaultOwner;
    const owners = new Map<string, string>();
    for (const ns of store.objects('Namespace')) {
      const tenant = ns.metadata?.labels?.[CAPA_LABELS.tenant];
      const owner = ownerOfNamespace(ns);
      if (tenant && owner) owners.set(tenant, owner);
    }
    const out = new Map<string, HashedEntity>();
    for (const i of store.objects('AWSClusterRoleIdentity')) {
      const tenant = i.metadata?.labels?.[CAPA_LABELS.tenant];
      const owner = (tenant && owners.get(tenant)) || defaultOwner;
      let known = this.identities.get(i);
      if (!known || known.owner !== owner) {
        const entity = identityEntity(mc, i, owner);
        known = {
          name: entity.metadata.name,
          owner,
          hash: hashOf(entity),
          build: () => identityEntity(mc, i, owner),
        };
        this.identities.set(i, known);
      }
      out.set(known.name, known);
    }
    for (const view of store.listViews()) {
      let known = this.clusters.get(view);
      if (!known) {
        const entity = clusterEntity(view, defaultOwner);
        known = {
          name: entity.metadata.name,
          hash: hashOf(entity),
          build: () => clusterEntity(view, defaultOwner),
        };
        this.clusters.set(view, known);
      }
      out.set(known.name, known);
    }
    return out;
  }
}

/** The entities of `EntityIndex.entities`, built, ordered by name. */
export function sortedEntities(byName: Map<string, HashedEntity>): Entity[] {
  return [...byName.keys()]
    .sort(compareStrings)
    .map(name => byName.get(name)!.build());
}

/** What the entities imply as a whole, to tell whether anything changed. */
export function digestOf(byName: Map<string, HashedEntity>): string {
  const hash = createHash('sha256');
  for (const name of [...byName.keys()].sort(compareStrings))
    hash.update(`${name}=${byName.get(name)!.hash};`);
  return hash.digest('hex');
}

/** The entities a management cluster's store implies, ordered by name (not memoised). */
export function entitiesOf(
  managementCluster: string,
  store: ObjectStore,
  defaultOwner: string,
): Entity[] {
  return sortedEntities(
    new EntityIndex(managementCluster, defaultOwner).entities(store),
  );
}

/**
 * An entity as the catalog serves it, marked stale since `since`, in the form a provider writes:
 * without what the catalog adds (uid, etag, generation, relations, status).
 */
export function markedStale(entity: Entity, since: string): Entity {
  const { uid, etag, generation, ...metadata } =
    entity.metadata as Entity['metadata'] & {
      generation?: number;
    };
  return {
    apiVersion: entity.apiVersion,
    kind: entity.kind,
    metadata: {
      ...metadata,
      annotations: {
        ...metadata.annotations,
        [CAPA_ANNOTATIONS.staleSince]: since,
      },
    },
    ...(entity.spec ? { spec: entity.spec } : {}),
  };
}

/** How many of the entities are clusters and how many identities, for logs. */
export function describeEntities(entities: Entity[]): string {
  const clusters = entities.filter(
    e => e.spec?.type === CLUSTER_ENTITY_TYPE,
  ).length;
  return `${clusters} cluster and ${
    entities.length - clusters
  } identity entities`;
}

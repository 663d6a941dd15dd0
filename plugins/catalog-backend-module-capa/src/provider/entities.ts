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
 * The entities a management cluster's store implies: each workload cluster a Resource of type
 * kubernetes-cluster owned by its tenant's group, each AWSClusterRoleIdentity a Resource the
 * clusters depend on, ordered by name. Pure: the same store gives the same entities on every
 * replica.
 */
export function entitiesOf(
  managementCluster: string,
  store: ObjectStore,
  defaultOwner: string,
): Entity[] {
  const owners = new Map<string, string>();
  for (const ns of store.objects('Namespace')) {
    const tenant = ns.metadata?.labels?.[CAPA_LABELS.tenant];
    const owner = ownerOfNamespace(ns);
    if (tenant && owner) owners.set(tenant, owner);
  }
  const entities = [
    ...store.objects('AWSClusterRoleIdentity').map(i => {
      const tenant = i.metadata?.labels?.[CAPA_LABELS.tenant];
      return identityEntity(
        managementCluster,
        i,
        (tenant && owners.get(tenant)) || defaultOwner,
      );
    }),
    ...store.listViews().map(v => clusterEntity(v, defaultOwner)),
  ];
  // In one order whatever order the objects arrived in, so equal content compares equal.
  return entities.sort((a, b) =>
    compareStrings(a.metadata.name, b.metadata.name),
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

import { Entity } from '@backstage/catalog-model';
import {
  FilterPredicate,
  filterPredicateToFilterFunction,
} from '@backstage/filter-predicates';
import {
  CAPA_ANNOTATIONS,
  CAPA_LABELS,
  CLUSTER_ENTITY_TYPE,
} from '@capa-backstage/plugin-capa-common';
import type { CapaClusterRef } from './api';

// The entity provider names and types cluster entities with these; sharing them keeps the card,
// the pickers and the links pointing at the entities it writes.
export { clusterEntityRef } from '@capa-backstage/plugin-capa-common';

/**
 * The catalog `spec.type` of workload cluster Resources (capa-common's `CLUSTER_ENTITY_TYPE`).
 *
 * @public
 */
export const CAPA_CLUSTER_ENTITY_TYPE = CLUSTER_ENTITY_TYPE;

/**
 * Matches the catalog Resources that stand for CAPA workload clusters: type kubernetes-cluster and
 * the annotations that locate the CAPI Cluster. A predicate rather than a function so that app-config
 * can override it on the new frontend system's entity card.
 *
 * @public
 */
export const capaClusterEntityPredicate: FilterPredicate = {
  kind: 'resource',
  'spec.type': CAPA_CLUSTER_ENTITY_TYPE,
  // Spelled out because computed keys would widen the type; entities.test.ts checks them
  // against CAPA_ANNOTATIONS.
  'metadata.annotations.capa.backstage.io/management-cluster': {
    $exists: true,
  },
  'metadata.annotations.capa.backstage.io/namespace': { $exists: true },
  'metadata.annotations.capa.backstage.io/cluster-name': { $exists: true },
};

/**
 * Matches the Group entities of CAPA tenants: groups labelled with the tenant's name.
 *
 * @public
 */
export const capaTenantGroupPredicate: FilterPredicate = {
  kind: 'group',
  'metadata.labels.capa.backstage.io/tenant': { $exists: true },
};

/**
 * Whether an entity is a CAPA workload cluster; for `EntitySwitch.Case` in apps on the legacy
 * frontend system.
 *
 * @public
 */
export const isCapaClusterEntity: (entity: Entity) => boolean =
  filterPredicateToFilterFunction<Entity>(capaClusterEntityPredicate);

/**
 * Whether an entity is a CAPA tenant's group; for `EntitySwitch.Case` in apps on the legacy
 * frontend system.
 *
 * @public
 */
export const isCapaTenantGroup: (entity: Entity) => boolean =
  filterPredicateToFilterFunction<Entity>(capaTenantGroupPredicate);

/** The workload cluster a catalog entity stands for, from its annotations. */
export function clusterRefOfEntity(entity: Entity): CapaClusterRef | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const managementCluster = annotations[CAPA_ANNOTATIONS.managementCluster];
  const namespace = annotations[CAPA_ANNOTATIONS.namespace];
  const name = annotations[CAPA_ANNOTATIONS.clusterName];
  if (!managementCluster || !namespace || !name) return undefined;
  return { managementCluster, namespace, name };
}

/** The tenant a group stands for, from its label. */
export function tenantOfGroup(entity: Entity): string | undefined {
  return entity.metadata.labels?.[CAPA_LABELS.tenant] || undefined;
}

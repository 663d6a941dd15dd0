import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import {
  EntityRefLinks,
  getEntityRelations,
} from '@backstage/plugin-catalog-react';
import type { ClusterView } from '@capa-backstage/plugin-capa-common';

/** The owners of the cluster's entity, as links: the people to ask for access. */
export function Owners(props: { entity: Entity; view?: ClusterView }) {
  const owners = getEntityRelations(props.entity, RELATION_OWNED_BY);
  if (owners.length > 0) {
    return <EntityRefLinks entityRefs={owners} defaultKind="group" />;
  }
  // The catalog has not related an owner (yet); the backend knows the tenant's group.
  const tenantOwner = props.view?.owner;
  if (tenantOwner) {
    return <EntityRefLinks entityRefs={[tenantOwner]} defaultKind="group" />;
  }
  return <>the cluster's owner (none is recorded in the catalog)</>;
}

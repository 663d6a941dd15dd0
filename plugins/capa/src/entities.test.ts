import { Entity } from '@backstage/catalog-model';
import { evaluateFilterPredicate } from '@backstage/filter-predicates';
import {
  CAPA_ANNOTATIONS,
  CLUSTER_ENTITY_TYPE,
} from '@capa-backstage/plugin-capa-common';
import { clusterEntity, tenantGroup } from './__fixtures__';
import {
  CAPA_CLUSTER_ENTITY_TYPE,
  capaClusterEntityPredicate,
  capaTenantGroupPredicate,
  clusterEntityRef,
  clusterRefOfEntity,
  isCapaClusterEntity,
  isCapaTenantGroup,
  tenantOfGroup,
} from './entities';

function without(entity: Entity, annotation: string): Entity {
  const annotations = { ...entity.metadata.annotations };
  delete annotations[annotation];
  return { ...entity, metadata: { ...entity.metadata, annotations } };
}

describe('cluster entities', () => {
  it('matches a kubernetes-cluster Resource with the CAPA annotations', () => {
    expect(isCapaClusterEntity(clusterEntity)).toBe(true);
    expect(
      evaluateFilterPredicate(capaClusterEntityPredicate, clusterEntity),
    ).toBe(true);
  });

  it.each([
    CAPA_ANNOTATIONS.managementCluster,
    CAPA_ANNOTATIONS.namespace,
    CAPA_ANNOTATIONS.clusterName,
  ])('does not match without the %s annotation', annotation => {
    expect(isCapaClusterEntity(without(clusterEntity, annotation))).toBe(false);
  });

  it('does not match other resource types or kinds', () => {
    expect(
      isCapaClusterEntity({
        ...clusterEntity,
        spec: { type: 'kubernetes-management-cluster' },
      }),
    ).toBe(false);
    expect(isCapaClusterEntity({ ...clusterEntity, kind: 'Component' })).toBe(
      false,
    );
  });

  it('reads the cluster reference from the annotations', () => {
    expect(clusterRefOfEntity(clusterEntity)).toEqual({
      managementCluster: 'local',
      namespace: 'tenant-acme',
      name: 'acme-prod',
    });
    expect(
      clusterRefOfEntity(without(clusterEntity, CAPA_ANNOTATIONS.namespace)),
    ).toBeUndefined();
  });

  it('names the entity of a cluster as the entity provider does', () => {
    expect(
      clusterEntityRef({
        managementCluster: 'local',
        namespace: 'tenant-acme',
        name: 'acme-prod',
      }),
    ).toBe(`resource:default/${clusterEntity.metadata.name}`);
    // <managementCluster>.<namespace>.<name>: the dots keep clusters from sharing an entity.
    expect(clusterEntity.metadata.name).toBe('local.tenant-acme.acme-prod');
  });

  it('uses the entity type the entity provider writes', () => {
    expect(CAPA_CLUSTER_ENTITY_TYPE).toBe(CLUSTER_ENTITY_TYPE);
    expect(clusterEntity.spec?.type).toBe(CLUSTER_ENTITY_TYPE);
  });
});

describe('tenant groups', () => {
  it('matches groups with the tenant label only', () => {
    expect(isCapaTenantGroup(tenantGroup)).toBe(true);
    expect(evaluateFilterPredicate(capaTenantGroupPredicate, tenantGroup)).toBe(
      true,
    );
    expect(
      isCapaTenantGroup({
        ...tenantGroup,
        metadata: { name: 'platform-team' },
      }),
    ).toBe(false);
    expect(isCapaTenantGroup({ ...tenantGroup, kind: 'User' })).toBe(false);
  });

  it('reads the tenant from the label', () => {
    expect(tenantOfGroup(tenantGroup)).toBe('acme');
    expect(
      tenantOfGroup({ ...tenantGroup, metadata: { name: 'x' } }),
    ).toBeUndefined();
  });
});

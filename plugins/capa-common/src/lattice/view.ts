import { CAPA_LABELS } from '../constants';
import type { components } from '../api/openapi.generated';
import type { KubernetesObject, StoredObject } from '../objects';
import { compareStrings } from '../render/util';
import { LATTICE_LABELS } from './constants';
import { readLatticeExposeRecord } from './records';

/** The cluster card's "Service network" section (`GET .../service-network`). @public */
export type ClusterServiceNetwork =
  components['schemas']['ClusterServiceNetwork'];
/** @public */
export type LatticeDeliveryView = components['schemas']['LatticeDelivery'];

const label = (o: KubernetesObject, key: string) =>
  o.metadata.labels?.[key] ?? undefined;

/**
 * What Cluster API recorded of one ClusterResourceSet's ConfigMap in the cluster's binding:
 * applied (and when), failed, or pending while the binding has no entry for it.
 */
function deliveryOf(
  binding: StoredObject<'ClusterResourceSetBinding'> | undefined,
  name: string,
): LatticeDeliveryView {
  const entry = binding?.spec?.bindings?.find(
    b => b?.clusterResourceSetName === name,
  );
  const resource = entry?.resources?.find(
    r => r?.kind === 'ConfigMap' && r?.name === name,
  );
  if (!resource) return { state: 'pending' };
  return resource.applied
    ? {
        state: 'applied',
        ...(typeof resource.lastAppliedTime === 'string'
          ? { lastAppliedTime: resource.lastAppliedTime }
          : {}),
      }
    : { state: 'failed' };
}

/**
 * Builds a cluster's "Service network" section from what the watch cache keeps of one management
 * cluster: this project's ConfigMaps (metadata only) and the ClusterResourceSetBindings.
 *
 * @public
 */
export function latticeServiceNetworkView(
  cluster: { namespace: string; name: string },
  configMaps: ReadonlyArray<KubernetesObject>,
  bindings: ReadonlyArray<KubernetesObject>,
): ClusterServiceNetwork {
  const { namespace, name } = cluster;
  const qualified = `${namespace}/${name}`;
  const binding = bindings.find(
    b =>
      b.metadata.namespace === namespace &&
      ((b as StoredObject<'ClusterResourceSetBinding'>).spec?.clusterName ??
        b.metadata.name) === name,
  ) as StoredObject<'ClusterResourceSetBinding'> | undefined;
  const own = configMaps.filter(
    cm =>
      cm.metadata.namespace === namespace &&
      label(cm, CAPA_LABELS.clusterName) === name,
  );
  const join = own.find(cm => label(cm, LATTICE_LABELS.role) === 'join');
  const exposes = own
    .flatMap(cm => {
      const record = readLatticeExposeRecord(cm);
      return record
        ? [
            {
              service: record.service,
              callers: record.callers.map(c => ({
                cluster: c.cluster,
                namespace: c.namespace,
                ...(c.serviceAccount
                  ? { serviceAccount: c.serviceAccount }
                  : {}),
              })),
              delivery: deliveryOf(binding, cm.metadata.name),
            },
          ]
        : [];
    })
    .sort((a, b) =>
      compareStrings(
        `${a.service.namespace}/${a.service.name}`,
        `${b.service.namespace}/${b.service.name}`,
      ),
    );
  const calls = configMaps
    .flatMap(cm => {
      const record = readLatticeExposeRecord(cm);
      if (!record) return [];
      return record.callers
        .filter(c => c.cluster === qualified)
        .map(c => ({
          cluster: `${cm.metadata.namespace}/${record.cluster}`,
          service: record.service,
          namespace: c.namespace,
          ...(c.serviceAccount ? { serviceAccount: c.serviceAccount } : {}),
        }));
    })
    .sort((a, b) =>
      compareStrings(
        `${a.cluster} ${a.service.namespace}/${a.service.name} ${a.namespace}`,
        `${b.cluster} ${b.service.namespace}/${b.service.name} ${b.namespace}`,
      ),
    );
  const serviceNetwork = join && label(join, LATTICE_LABELS.serviceNetwork);
  return {
    ...(serviceNetwork
      ? { serviceNetwork, join: deliveryOf(binding, join!.metadata.name) }
      : {}),
    exposes,
    calls,
  };
}

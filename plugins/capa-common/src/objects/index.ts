/**
 * One typed object model for what the renderers write and what the portal reads back: the
 * Kubernetes, Cluster API and CAPA kinds the product uses (spec and status), and {@link Stored} for
 * objects read from a management cluster.
 */
import type {
  AWSClusterControllerIdentity,
  AWSClusterRoleIdentity,
  AWSFargateProfile,
  AWSManagedCluster,
  AWSManagedControlPlane,
  AWSManagedMachinePool,
} from './capa';
import type { Cluster, MachinePool } from './capi';
import type { Namespace, Secret } from './core';
import type {
  ClusterResourceSet,
  ClusterResourceSetBinding,
  ConfigMap,
} from './addons';
import type { Stored } from './meta';

export type * from './meta';
export type * from './core';
export type * from './capi';
export type * from './capa';
export type * from './iam';
export type * from './render';
export type * from './addons';

/** The object type of each kind the product knows (see KINDS). @public */
export interface ObjectOfKind {
  Namespace: Namespace;
  Secret: Secret;
  AWSClusterControllerIdentity: AWSClusterControllerIdentity;
  AWSClusterRoleIdentity: AWSClusterRoleIdentity;
  Cluster: Cluster;
  AWSManagedControlPlane: AWSManagedControlPlane;
  AWSManagedCluster: AWSManagedCluster;
  MachinePool: MachinePool;
  AWSManagedMachinePool: AWSManagedMachinePool;
  AWSFargateProfile: AWSFargateProfile;
  ConfigMap: ConfigMap;
  ClusterResourceSet: ClusterResourceSet;
  ClusterResourceSetBinding: ClusterResourceSetBinding;
}

/**
 * An object of a known kind as read from a management cluster; an object of any kind is a
 * {@link KubernetesObject}.
 *
 * @public
 */
export type StoredObject<K extends keyof ObjectOfKind> = Stored<
  ObjectOfKind[K]
>;

/**
 * The generic parts of Kubernetes objects: metadata, references and conditions. One model for what
 * the renderers write and what the portal reads back (see {@link Stored}).
 */

/** One entry of `metadata.managedFields` (server-side apply's field ownership). @public */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  /** The owned fields as nested `f:` keys. */
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** An object's metadata. Renderers set the first four; the API server sets the rest. @public */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  finalizers?: string[];
  /** Only old API servers still set it. */
  selfLink?: string;
  managedFields?: ManagedFieldsEntry[];
}

/**
 * Any Kubernetes object: kinds refine `spec` and `status` (and core kinds add their own top-level
 * fields, such as a Secret's `data`).
 *
 * @public
 */
export interface KubernetesObject<Spec = unknown, Status = unknown> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
}

/** Names one object. @public */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** v1beta2 reference: `{apiGroup, kind, name}`, no apiVersion and no namespace. @public */
export interface ContractReference {
  apiGroup: string;
  kind: string;
  name: string;
}

/**
 * A status condition: Cluster API v1beta2 writes metav1.Conditions; CAPA's own kinds still write
 * the v1beta1 shape with a severity.
 *
 * @public
 */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
  severity?: 'Error' | 'Warning' | 'Info' | '';
}

/** What v1beta2 kinds keep of their v1beta1 status under `status.deprecated.v1beta1`. @public */
export interface DeprecatedV1Beta1Status {
  conditions?: Condition[];
  failureReason?: string;
  failureMessage?: string;
}

/** Every field optional, all the way down. @public */
export type DeepPartial<T> = T extends ReadonlyArray<infer U>
  ? ReadonlyArray<DeepPartial<U>>
  : T extends object
  ? { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

/**
 * An object as read from a management cluster: its kind and name are known, but nothing else about
 * its shape may be trusted (another controller, a person or an older version may have written
 * it), so every field of its spec and status may be missing. Readers still check values at run
 * time; the type says what to expect where.
 *
 * @public
 */
export type Stored<T extends KubernetesObject> = Omit<T, 'spec' | 'status'> & {
  spec?: DeepPartial<NonNullable<T['spec']>>;
  status?: DeepPartial<NonNullable<T['status']>>;
};

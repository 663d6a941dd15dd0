import type {
  Condition,
  ContractReference,
  DeprecatedV1Beta1Status,
  KubernetesObject,
} from './meta';

/** Replica counts Cluster API v1beta2 reports for a control plane or the workers. @public */
export interface ReplicaSummary {
  desiredReplicas?: number;
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  upToDateReplicas?: number;
}

/** @public */
export interface ClusterSpec {
  clusterNetwork: {
    pods: { cidrBlocks: string[] };
    services?: { cidrBlocks: string[] };
  };
  controlPlaneRef: ContractReference;
  infrastructureRef: ContractReference;
  /** Set by the control plane provider once the API server is known. */
  controlPlaneEndpoint?: { host: string; port: number };
}

/** @public */
export interface ClusterStatus {
  /** Pending, Provisioning, Provisioned, Deleting, Failed (v1beta1 only) or Unknown. */
  phase?: string;
  conditions?: Condition[];
  initialization?: {
    infrastructureProvisioned?: boolean;
    controlPlaneInitialized?: boolean;
  };
  controlPlane?: ReplicaSummary;
  workers?: ReplicaSummary;
  observedGeneration?: number;
  deprecated?: { v1beta1?: DeprecatedV1Beta1Status };
  /** v1beta1 objects: the failure, before it moved under `deprecated`. */
  failureReason?: string;
  failureMessage?: string;
}

/** @public */
export interface Cluster extends KubernetesObject<ClusterSpec, ClusterStatus> {
  kind: 'Cluster';
  spec: ClusterSpec;
}

/** @public */
export interface MachinePoolSpec {
  clusterName: string;
  replicas: number;
  template: {
    spec: {
      clusterName: string;
      version: string;
      bootstrap: { dataSecretName: string };
      infrastructureRef: ContractReference;
    };
  };
}

/** @public */
export interface MachinePoolStatus {
  phase?: string;
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  upToDateReplicas?: number;
  conditions?: Condition[];
  initialization?: {
    bootstrapDataSecretCreated?: boolean;
    infrastructureProvisioned?: boolean;
  };
  nodeRefs?: Array<{ name: string }>;
  deprecated?: { v1beta1?: DeprecatedV1Beta1Status };
}

/** @public */
export interface MachinePool
  extends KubernetesObject<MachinePoolSpec, MachinePoolStatus> {
  kind: 'MachinePool';
  spec: MachinePoolSpec;
}

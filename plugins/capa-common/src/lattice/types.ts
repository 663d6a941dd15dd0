import type { KubernetesObject } from '../objects';

/**
 * What the portal knows of one workload cluster (read from the management cluster by the actions,
 * passed to the pure renderers).
 *
 * @public
 */
export interface LatticeClusterFacts {
  /** The Cluster's namespace on the management cluster (its tenant's namespace). */
  namespace: string;
  /** The CAPI Cluster's name. */
  name: string;
  /** The tenant, from the namespace's label. */
  tenant?: string;
  /** The tenant's AWS account (the namespace's annotation). */
  accountId?: string;
  region?: string;
  partition?: string;
  /** The EKS cluster's name: the `eks-cluster-name` session tag of its pods. */
  eksClusterName?: string;
  /** The Cluster's phase; only Provisioned clusters may take part. */
  phase?: string;
  /** The service network the cluster has joined, if any (from its `join` ConfigMap). */
  serviceNetwork?: string;
}

/**
 * What the renderers may rely on: the clusters they can name, and whether the platform enabled
 * sharing a service network with other AWS accounts through AWS RAM.
 *
 * @public
 */
export interface LatticeContext {
  clusters: LatticeClusterFacts[];
  /** Absent (the default): callers in another AWS account are refused. */
  crossAccountSharing?: {
    /**
     * RAM's allowExternalPrincipals: false shares only within the AWS Organization (the default);
     * true lets accounts outside it accept the share.
     */
    allowExternalPrincipals?: boolean;
  };
}

/** One allowed caller, as recorded on the `expose` ConfigMap. @public */
export interface LatticeCallerRecord {
  /** `namespace/name` of the calling Cluster on the management cluster. */
  cluster: string;
  eksClusterName: string;
  accountId: string;
  namespace: string;
  serviceAccount?: string;
}

/** An IAM policy statement, as the renderers write them. @public */
export interface LatticePolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** Absent in identity policies. */
  Principal?: { AWS: string | string[] } | { Service: string } | '*';
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

/** @public */
export interface LatticePolicyDocument {
  Version: '2012-10-17';
  Statement: LatticePolicyStatement[];
}

/**
 * The calling side of one caller: the IAM role its pods assume through EKS Pod Identity and the
 * association binding it to the service account. CAPA's CRDs have no field for Pod Identity
 * associations, so they are rendered as the AWS CLI commands and a CloudFormation template.
 *
 * @public
 */
export interface LatticeCallerRole {
  caller: LatticeCallerRecord;
  roleName: string;
  roleArn: string;
  trustPolicy: LatticePolicyDocument;
  permissionPolicy: LatticePolicyDocument;
  /** AWS CLI commands that create the role, its policy and the Pod Identity association. */
  cli: string[][];
  /** The same as a CloudFormation template (deployed in the caller's account). */
  cloudFormation: Record<string, unknown>;
}

/** A ClusterResourceSet and the ConfigMap it applies, on the management cluster. @public */
export interface LatticeDelivery {
  configMap: KubernetesObject & { data: Record<string, string> };
  clusterResourceSet: KubernetesObject;
}

/** The AWS Gateway API Controller's IAMAuthPolicy. @public */
export interface IAMAuthPolicyObject
  extends KubernetesObject<{
    targetRef: {
      group: string;
      kind: string;
      name: string;
      namespace?: string;
    };
    /** The IAM policy document, as a JSON string. */
    policy: string;
  }> {
  spec: {
    targetRef: {
      group: string;
      kind: string;
      name: string;
      namespace?: string;
    };
    policy: string;
  };
}

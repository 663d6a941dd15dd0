import { partitionOfRegion } from '../validation/aws';
import { LATTICE } from './constants';
import type {
  LatticeCallerRecord,
  LatticeCallerRole,
  LatticeClusterFacts,
  LatticePolicyDocument,
} from './types';

/** FNV-1a, twice with different offsets: a stable short digest without Node's crypto (isomorphic). */
function digest(s: string): string {
  const fnv = (seed: number) => {
    let h = seed;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, '0');
  };
  return `${fnv(0x811c9dc5)}${fnv(0x050c5d1f)}`;
}

/** The service account a Pod Identity association binds when the caller names none. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/**
 * The caller's role name: one role per calling identity (cluster, namespace, service account), as
 * a service account has one Pod Identity association; each service it may call adds an inline
 * policy. A hash keeps it within IAM's 64 characters and unique per identity.
 *
 * @public
 */
export function callerRoleName(caller: LatticeCallerRecord): string {
  const id = `${caller.accountId}/${caller.eksClusterName}/${
    caller.namespace
  }/${caller.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT}`;
  return `lattice-caller-${caller.namespace.slice(0, 32)}-${digest(id).slice(
    0,
    12,
  )}`;
}

/**
 * The caller role's inline policy for one service: IAM allows 128 letters, digits and `+=,.@_-`.
 *
 * @public
 */
export function callerPolicyName(
  cluster: string,
  serviceNamespace: string,
  service: string,
): string {
  return `lattice-invoke.${cluster}.${serviceNamespace}.${service}`.slice(
    0,
    128,
  );
}

/**
 * Renders the calling side of one caller: an IAM role that EKS Pod Identity may assume for pods of
 * that cluster only (with sts:TagSession, so the session carries the tags the auth policy tests),
 * allowed to invoke the service (narrowed to its ARN when known), and the Pod Identity association.
 */
export function renderCallerRole(
  caller: LatticeCallerRecord,
  facts: LatticeClusterFacts,
  service: { label: string; policyName: string; arn?: string },
): LatticeCallerRole {
  const region = facts.region!;
  const partition = facts.partition ?? partitionOfRegion(region) ?? 'aws';
  const roleName = callerRoleName(caller);
  const roleArn = `arn:${partition}:iam::${caller.accountId}:role/${roleName}`;
  const eksArn = `arn:${partition}:eks:${region}:${caller.accountId}:cluster/${caller.eksClusterName}`;
  const serviceAccount = caller.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT;
  const trustPolicy: LatticePolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: LATTICE.podIdentityPrincipal },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        // Only Pod Identity of this cluster may assume it.
        Condition: {
          StringEquals: { 'aws:SourceAccount': caller.accountId },
          ArnEquals: { 'aws:SourceArn': eksArn },
        },
      },
    ],
  };
  const permissionPolicy: LatticePolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'InvokeLatticeService',
        Effect: 'Allow',
        Action: LATTICE.invokeAction,
        // The service's auth policy decides who gets in; this narrows what the role may call.
        Resource: service.arn ? `${service.arn}/*` : '*',
      },
    ],
  };
  const cli = [
    [
      'aws',
      'iam',
      'create-role',
      '--role-name',
      roleName,
      '--assume-role-policy-document',
      JSON.stringify(trustPolicy),
      '--description',
      `VPC Lattice caller: ${caller.cluster} namespace ${caller.namespace}`,
    ],
    [
      'aws',
      'iam',
      'put-role-policy',
      '--role-name',
      roleName,
      '--policy-name',
      service.policyName,
      '--policy-document',
      JSON.stringify(permissionPolicy),
    ],
    [
      'aws',
      'eks',
      'create-pod-identity-association',
      '--region',
      region,
      '--cluster-name',
      caller.eksClusterName,
      '--namespace',
      caller.namespace,
      '--service-account',
      serviceAccount,
      '--role-arn',
      roleArn,
    ],
  ];
  const cloudFormation = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `VPC Lattice caller role for ${caller.cluster} namespace ${caller.namespace}, allowed to invoke ${service.label}`,
    Resources: {
      CallerRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: roleName,
          AssumeRolePolicyDocument: trustPolicy,
          Policies: [
            {
              PolicyName: service.policyName,
              PolicyDocument: permissionPolicy,
            },
          ],
        },
      },
      PodIdentityAssociation: {
        Type: 'AWS::EKS::PodIdentityAssociation',
        Properties: {
          ClusterName: caller.eksClusterName,
          Namespace: caller.namespace,
          ServiceAccount: serviceAccount,
          RoleArn: { 'Fn::GetAtt': ['CallerRole', 'Arn'] },
        },
      },
    },
  };
  return {
    caller,
    roleName,
    roleArn,
    trustPolicy,
    permissionPolicy,
    cli,
    cloudFormation,
  };
}

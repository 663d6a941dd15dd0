import type { KubernetesObject } from '../objects';
import { parseInput } from '../validation/parse';
import { partitionOfRegion } from '../validation/aws';
import { compareStrings, pruneUndefined } from '../render/util';
import { latticeCallerKey } from './records';
import { callerPolicyName, renderCallerRole } from './callerRole';
import { LATTICE, LATTICE_ANNOTATIONS } from './constants';
import { deliver, latticeExposeName } from './delivery';
import { type LatticeRamShare, renderRamShare } from './ramShare';
import { exposeContextSchema, findCluster, qualifiedCluster } from './schemas';
import type {
  IAMAuthPolicyObject,
  LatticeCallerRecord,
  LatticeCallerRole,
  LatticeClusterFacts,
  LatticeContext,
  LatticeDelivery,
  LatticePolicyDocument,
} from './types';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** What exposing one service to its callers takes. @public */
export interface LatticeExposeResult {
  /** The HTTPRoute and its IAMAuthPolicy, for the providing cluster. */
  workload: KubernetesObject[];
  route: KubernetesObject;
  authPolicy: IAMAuthPolicyObject;
  /** The policy document inside the IAMAuthPolicy. */
  policyDocument: LatticePolicyDocument;
  delivery: LatticeDelivery;
  callers: LatticeCallerRecord[];
  /** The IAM side of each caller (created in the caller's account, outside Kubernetes). */
  callerRoles: LatticeCallerRole[];
  /** Present when a caller is in another account (and the platform enabled sharing). */
  ramShare?: LatticeRamShare;
  /** Management-cluster objects, in apply order: ConfigMap, then ClusterResourceSet. */
  objects: KubernetesObject[];
  warnings: string[];
}

const tag = (key: string) => `aws:PrincipalTag/${key}`;

/**
 * The IAM auth policy admitting exactly these callers: one statement each, whose principal is the
 * caller's account and whose conditions name its EKS cluster, namespace and (optionally) service
 * account as EKS Pod Identity tags the session. With no callers it denies everyone.
 *
 * @public
 */
export function latticeAuthPolicy(
  callers: LatticeCallerRecord[],
  partition: string,
): LatticePolicyDocument {
  if (callers.length === 0) {
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'NoCallers',
          Effect: 'Deny',
          Principal: '*',
          Action: LATTICE.invokeAction,
          Resource: '*',
        },
      ],
    };
  }
  return {
    Version: '2012-10-17',
    Statement: callers.map((c, i) => ({
      Sid: `AllowCaller${i + 1}`,
      Effect: 'Allow' as const,
      Principal: { AWS: `arn:${partition}:iam::${c.accountId}:root` },
      Action: LATTICE.invokeAction,
      Resource: '*',
      Condition: {
        StringEquals: {
          [tag(LATTICE.tags.cluster)]: c.eksClusterName,
          [tag(LATTICE.tags.namespace)]: c.namespace,
          ...(c.serviceAccount
            ? { [tag(LATTICE.tags.serviceAccount)]: c.serviceAccount }
            : {}),
        },
      },
    })),
  };
}

/** The HTTPRoute for a Service, attached to the service network's Gateway. */
function httpRoute(
  serviceNetwork: string,
  service: { name: string; namespace: string; port: number; domain?: string },
): KubernetesObject {
  return pruneUndefined({
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: service.name, namespace: service.namespace },
    spec: {
      parentRefs: [
        {
          group: GATEWAY_GROUP,
          kind: 'Gateway',
          name: serviceNetwork,
          namespace: LATTICE.gatewayNamespace,
          sectionName: LATTICE.httpListener,
        },
      ],
      hostnames: service.domain ? [service.domain] : undefined,
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [
            {
              group: '',
              kind: 'Service',
              name: service.name,
              port: service.port,
              weight: 1,
            },
          ],
        },
      ],
    },
  });
}

function iamAuthPolicy(
  service: { name: string; namespace: string },
  document: LatticePolicyDocument,
): IAMAuthPolicyObject {
  return {
    apiVersion: 'application-networking.k8s.aws/v1alpha1',
    kind: 'IAMAuthPolicy',
    metadata: {
      name: `${service.name}-iam-auth-policy`,
      namespace: service.namespace,
    },
    spec: {
      targetRef: {
        group: GATEWAY_GROUP,
        kind: 'HTTPRoute',
        name: service.name,
        namespace: service.namespace,
      },
      // The controller takes the policy as a JSON string.
      policy: JSON.stringify(document),
    },
  };
}

const partitionOf = (f: LatticeClusterFacts) =>
  f.partition ?? partitionOfRegion(f.region ?? '') ?? 'aws';

function callerRecord(
  f: LatticeClusterFacts,
  namespace: string,
  serviceAccount?: string,
): LatticeCallerRecord {
  return pruneUndefined({
    cluster: `${f.namespace}/${f.name}`,
    eksClusterName: f.eksClusterName!,
    accountId: f.accountId!,
    namespace,
    serviceAccount,
  });
}

/**
 * Renders access to one Service of a Provisioned cluster over VPC Lattice for exactly the listed
 * callers: an HTTPRoute attached to the service network's Gateway and an IAMAuthPolicy on it,
 * delivered by a ClusterResourceSet; the caller roles and Pod Identity associations; and, for
 * callers in other accounts (only when the platform enabled sharing), the AWS RAM share. Throws
 * CapaValidationError, listing every problem, before rendering anything.
 *
 * @public
 */
export function renderLatticeExpose(
  input: unknown,
  context: LatticeContext,
): LatticeExposeResult {
  const e = parseInput(
    exposeContextSchema(context),
    input,
    'service exposure input',
  );
  const provider = findCluster(
    context,
    qualifiedCluster(e.cluster, e.namespace),
  )!;
  const callers = e.callers.map(c =>
    callerRecord(
      findCluster(context, qualifiedCluster(c.cluster, e.namespace))!,
      c.namespace,
      c.serviceAccount,
    ),
  );
  const grants = renderLatticeGrants(
    {
      serviceNetwork: e.serviceNetwork,
      namespace: e.namespace,
      cluster: e.cluster,
      tenant: provider.tenant,
      partition: partitionOf(provider),
      service: e.service,
    },
    callers,
  );

  const label = `${e.namespace}/${e.cluster} ${e.service.namespace}/${e.service.name}`;
  const callerRoles = callers.map(c =>
    renderCallerRole(c, findCluster(context, c.cluster)!, {
      label,
      policyName: callerPolicyName(
        e.cluster,
        e.service.namespace,
        e.service.name,
      ),
      arn: e.serviceArn,
    }),
  );
  const warnings = [
    ...grants.warnings,
    `Callers must sign their requests with SigV4 (for example an Envoy SigV4 proxy sidecar, as in the AWS pattern) and call the route's Lattice domain${
      e.service.domain ? ` or ${e.service.domain}` : ''
    }: calls to the Kubernetes Service directly bypass the auth policy.`,
  ];
  const anyAccount = callers.filter(c => !c.serviceAccount);
  if (anyAccount.length) {
    warnings.push(
      `The auth policy admits any pod of ${anyAccount
        .map(c => `${c.cluster} namespace ${c.namespace}`)
        .join(
          ', ',
        )}, but its Pod Identity association binds only the service account "default": pods of another service account need an association of their own (or name the service account in the grant).`,
    );
  }
  if (!e.serviceArn) {
    warnings.push(
      `The caller roles may invoke any VPC Lattice service (Resource "*") until the service's ARN is known; the service's auth policy still admits only the listed callers. Render again with serviceArn once the route has its Lattice service.`,
    );
  }
  const foreign = [
    ...new Set(
      callers.map(c => c.accountId).filter(a => a !== provider.accountId),
    ),
  ].sort();
  const ramShare =
    foreign.length && e.serviceNetworkArn
      ? renderRamShare(
          e.serviceNetwork,
          e.serviceNetworkArn,
          foreign,
          Boolean(context.crossAccountSharing?.allowExternalPrincipals),
        )
      : undefined;
  return {
    ...grants,
    route: grants.route!,
    callers,
    callerRoles,
    ramShare,
    warnings,
  };
}

/** The service a grant is about, as recorded on its ConfigMap. @public */
export interface LatticeExposedService {
  serviceNetwork: string;
  /** The providing Cluster's namespace and name on the management cluster. */
  namespace: string;
  cluster: string;
  tenant?: string;
  /** The partition of the providing cluster's account (the auth policy's principals). */
  partition: string;
  service: { name: string; namespace: string; port: number; domain?: string };
}

/** What delivers a service's current grants. @public */
export interface LatticeGrantsResult {
  /** The HTTPRoute (absent once no caller is left) and the IAMAuthPolicy. */
  workload: KubernetesObject[];
  route?: KubernetesObject;
  authPolicy: IAMAuthPolicyObject;
  policyDocument: LatticePolicyDocument;
  delivery: LatticeDelivery;
  /** Management-cluster objects, in apply order: ConfigMap, then ClusterResourceSet. */
  objects: KubernetesObject[];
  warnings: string[];
}

/**
 * Renders what delivers an exposed service for exactly these (already validated) callers. With
 * none left, Cluster API would not delete what its ClusterResourceSet applied and the route would
 * keep admitting the revoked callers: the ConfigMap then holds only the auth policy, denying
 * everyone, the route leaves the desired state, and a warning says how to delete it in the
 * workload cluster.
 *
 * @public
 */
export function renderLatticeGrants(
  exposed: LatticeExposedService,
  callers: LatticeCallerRecord[],
): LatticeGrantsResult {
  const { service } = exposed;
  // One order whatever the order of the grants, so the same callers always render the same.
  const sorted = [...callers].sort((a, b) =>
    compareStrings(latticeCallerKey(a), latticeCallerKey(b)),
  );
  const policyDocument = latticeAuthPolicy(sorted, exposed.partition);
  const authPolicy = iamAuthPolicy(service, policyDocument);
  const route = sorted.length
    ? httpRoute(exposed.serviceNetwork, service)
    : undefined;
  const workload = route ? [route, authPolicy] : [authPolicy];
  const name = latticeExposeName(
    exposed.cluster,
    service.namespace,
    service.name,
  );
  const delivery = deliver({
    name,
    namespace: exposed.namespace,
    cluster: exposed.cluster,
    tenant: exposed.tenant,
    role: 'expose',
    serviceNetwork: exposed.serviceNetwork,
    annotations: {
      [LATTICE_ANNOTATIONS.service]: `${service.namespace}/${service.name}:${service.port}`,
      [LATTICE_ANNOTATIONS.callers]: JSON.stringify(sorted),
      ...(service.domain
        ? { [LATTICE_ANNOTATIONS.domain]: service.domain }
        : {}),
    },
    objects: workload,
  });
  const warnings = sorted.length
    ? []
    : [
        `No caller may call ${service.namespace}/${service.name} any more: its auth policy now denies everyone. Cluster API does not delete what a ClusterResourceSet applied, so delete the route in cluster ${exposed.namespace}/${exposed.cluster} to remove the Lattice service: kubectl -n ${service.namespace} delete httproute ${service.name}; then, to stop delivering the deny policy, delete ConfigMap and ClusterResourceSet ${exposed.namespace}/${name} on the management cluster and the IAMAuthPolicy ${service.name}-iam-auth-policy in the workload cluster.`,
      ];
  return {
    workload,
    route,
    authPolicy,
    policyDocument,
    delivery,
    objects: [delivery.configMap, delivery.clusterResourceSet],
    warnings,
  };
}

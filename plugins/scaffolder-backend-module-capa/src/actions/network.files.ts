import type {
  LatticeCallerRole,
  LatticeGrantsResult,
  LatticeRamShare,
} from '@capa-backstage/plugin-capa-common';
import { shellScript } from './network.common';

/** The folder of one exposed service's files, below the action's targetPath. */
export function serviceDir(
  targetPath: string,
  namespace: string,
  cluster: string,
  service: { namespace: string; name: string },
): string {
  return `${targetPath}/${namespace}/${cluster}/services/${service.namespace}.${service.name}`;
}

/**
 * The files of an exposed service: the management-cluster objects, the workload-cluster objects
 * (what a GitOps tool would apply in the cluster instead), the policy document, and the AWS side
 * of each caller and of a RAM share.
 */
export function serviceFiles(
  grants: LatticeGrantsResult,
  callerRoles: LatticeCallerRole[] = [],
  ramShare?: LatticeRamShare,
) {
  return [
    { path: 'management-cluster.yaml', yaml: grants.objects },
    { path: 'workload-cluster.yaml', yaml: grants.workload },
    { path: 'auth-policy.json', json: grants.policyDocument },
    ...callerRoles.flatMap(r => [
      { path: `callers/${r.roleName}/trust-policy.json`, json: r.trustPolicy },
      {
        path: `callers/${r.roleName}/permission-policy.json`,
        json: r.permissionPolicy,
      },
      {
        path: `callers/${r.roleName}/cloudformation.json`,
        json: r.cloudFormation,
      },
      {
        path: `callers/${r.roleName}/create.sh`,
        text: shellScript(
          `Run in account ${r.caller.accountId}: the role ${r.caller.cluster} namespace ${r.caller.namespace} assumes through EKS Pod Identity (create-role and create-pod-identity-association fail when they already exist; put-role-policy replaces).`,
          r.cli,
        ),
      },
    ]),
    ...(ramShare
      ? [
          {
            path: 'ram-share/cloudformation.json',
            json: ramShare.cloudFormation,
          },
          {
            path: 'ram-share/create.sh',
            text: shellScript(
              `Run in the service network's account: shares it with ${ramShare.accounts.join(
                ', ',
              )} through AWS RAM.`,
              ramShare.cli,
            ),
          },
        ]
      : []),
  ];
}

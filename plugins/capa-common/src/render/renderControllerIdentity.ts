import {
  API_VERSIONS,
  CAPA_DEFAULTS,
  CAPA_LABELS,
  MANAGED_BY,
} from '../constants';
import type { AWSClusterControllerIdentity, RenderResult } from '../objects';
import { parseInput } from '../validation/parse';
import { controllerIdentityInputSchema } from '../validation/tenantSchemas';
import { renderAllowedNamespaces } from './renderTenant';

/**
 * Renders the singleton AWSClusterControllerIdentity `default` (the manager account's own
 * credentials). Apply it before the CAPA controller starts, or the controller creates it with
 * `allowedNamespaces: {}`, open to every namespace.
 *
 * CAPA checks the allowedNamespaces of every identity in a chain against the Cluster's namespace,
 * so tenant role identities whose source is `default` only work in namespaces `default` admits.
 * Without allowedNamespaces in the input it therefore admits exactly the namespaces that carry the
 * tenant label (and not capa-system, default or any other). A tenant namespace could then also
 * name `default` directly: keep the manager's controllers role free of provisioning permissions,
 * or reject such identityRefs with an admission policy, when that must not happen.
 *
 * @public
 */
export function renderControllerIdentity(
  input: unknown = {},
): RenderResult<AWSClusterControllerIdentity> {
  const c = parseInput(
    controllerIdentityInputSchema,
    input,
    'controller identity input',
  );
  const warnings: string[] = [];
  const identity: AWSClusterControllerIdentity = {
    apiVersion: API_VERSIONS.infrastructure,
    kind: 'AWSClusterControllerIdentity',
    metadata: {
      name: CAPA_DEFAULTS.controllerIdentityName,
      labels: { [CAPA_LABELS.managedBy]: MANAGED_BY },
    },
    spec: {
      allowedNamespaces: c.allowedNamespaces
        ? renderAllowedNamespaces(
            c.allowedNamespaces,
            'AWSClusterControllerIdentity default',
            warnings,
          )
        : {
            selector: {
              matchExpressions: [
                { key: CAPA_LABELS.tenant, operator: 'Exists' },
              ],
            },
          },
    },
  };
  return { objects: [identity], warnings };
}

import { REQUIRED_KINDS } from '@capa-backstage/plugin-capa-common';
import type { Connection } from './connection';
import { OperationContext, toBackstageError } from './errors';
import type { CapaInstallation } from './types';

/**
 * Asks discovery whether every kind the product needs (capa-common's REQUIRED_KINDS: Cluster API's
 * and CAPA's, all v1beta2) is served. Throws only when the cluster cannot be asked (unreachable,
 * 401, 403).
 */
export async function checkCapaInstalled(
  c: Connection,
): Promise<CapaInstallation> {
  const ctx: OperationContext = {
    cluster: c.cluster,
    action: 'discover the API resources of',
  };
  const missing: (typeof REQUIRED_KINDS)[number][] = [];
  for (const r of REQUIRED_KINDS) {
    try {
      if (!(await c.objects.resolve(r.apiVersion, r.kind))) missing.push(r);
    } catch (e) {
      if ((e as { code?: unknown }).code === 404) missing.push(r);
      else
        throw toBackstageError(e, {
          ...ctx,
          action: 'discover',
          apiVersion: r.apiVersion,
        });
    }
  }
  const capi = !missing.some(m => m.requiredBy === 'capi');
  const capa = !missing.some(m => m.requiredBy === 'capa');
  const names = [
    !capi && 'CAPI (Cluster API)',
    !capa && 'CAPA (Cluster API Provider AWS)',
  ].filter(Boolean);
  return {
    installed: capi && capa,
    capi,
    capa,
    missing: missing.map(m => `${m.apiVersion} ${m.kind}`),
    ...(names.length
      ? {
          message: `${names.join(' and ')} ${
            names.length > 1 ? 'are' : 'is'
          } not installed on management cluster "${
            c.cluster
          }" (not served: ${missing
            .map(m => `${m.apiVersion} ${m.kind}`)
            .join(', ')})`,
        }
      : {}),
  };
}

import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useCallback, useMemo } from 'react';

/**
 * Friendly AWS account names from `capa.accountNames` (account id -> name). Read as one object
 * because account ids start with a digit, which config key paths do not allow.
 */
export function useAccountNames(): (
  accountId: string | undefined,
) => string | undefined {
  const configApi = useApi(configApiRef);
  const names = useMemo(() => {
    const value = configApi.getOptional('capa.accountNames');
    const map = new Map<string, string>();
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [id, name] of Object.entries(value)) {
        if (typeof name === 'string' && name) map.set(id, name);
      }
    }
    return map;
  }, [configApi]);
  // Stable, so tables whose columns use it keep their state across renders.
  return useCallback(
    (accountId: string | undefined) =>
      accountId ? names.get(accountId) : undefined,
    [names],
  );
}

import { useApi } from '@backstage/core-plugin-api';
import type { CapaSettings } from '@capa-backstage/plugin-capa-common';
import useAsync from 'react-use/esm/useAsync';
import { capaApiRef } from '../api';

/** The management clusters and Kubernetes versions the backend offers to templates. */
export function useCapaSettings(): {
  settings?: CapaSettings;
  loading: boolean;
  error?: Error;
} {
  const api = useApi(capaApiRef);
  const { value, loading, error } = useAsync(() => api.getSettings(), [api]);
  return { settings: value, loading, error };
}

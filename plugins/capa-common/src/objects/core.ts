import type { KubernetesObject } from './meta';

/** @public */
export interface Namespace extends KubernetesObject<never, never> {
  apiVersion: 'v1';
  kind: 'Namespace';
}

/**
 * A Secret. The watch cache keeps only the metadata of the Secrets Cluster API labels; `data` is
 * read on demand, one Secret at a time, and never kept.
 *
 * @public
 */
export interface Secret extends KubernetesObject<never, never> {
  apiVersion: 'v1';
  kind: 'Secret';
  type?: string;
  /** Base64-encoded values. */
  data?: Record<string, string>;
}

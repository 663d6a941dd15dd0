import type { KubernetesObject } from './meta';

/**
 * What every renderer returns: objects in apply order, plus warnings a person must read (for
 * example an identity that every namespace may use).
 *
 * @public
 */
export interface RenderResult<T = KubernetesObject> {
  objects: T[];
  warnings: string[];
}

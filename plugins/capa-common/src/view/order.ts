import { compareStrings } from '../render/util';
import type { ClusterPhase } from './types';

/**
 * The phases of a CAPI Cluster, in the order the portal shows and sorts them (the API's
 * ClusterPhase enum lists them in the same order; a test holds the two together).
 *
 * @public
 */
export const CLUSTER_PHASES: readonly ClusterPhase[] = [
  'Provisioned',
  'Provisioning',
  'Pending',
  'Deleting',
  'Failed',
  'Unknown',
];

function parseVersion(v: string): number[] | undefined {
  const match = v.match(/^v?(\d+(?:\.\d+)*)/);
  return match ? match[1].split('.').map(Number) : undefined;
}

/**
 * Orders Kubernetes versions numerically (`v1.9` before `1.10`, `1.30.2` after `1.30`, `v1.31` the
 * same as `1.31`); anything that is not a version after every version, in string order; no version
 * at all last.
 *
 * @public
 */
export function compareVersions(
  a: string | undefined,
  b: string | undefined,
): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) {
    if (pa) return -1;
    if (pb) return 1;
    return compareStrings(a, b);
  }
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

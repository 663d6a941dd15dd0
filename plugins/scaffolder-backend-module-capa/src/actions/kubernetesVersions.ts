import type { StoredObject } from '@capa-backstage/plugin-capa-common';

/** A Kubernetes minor version, e.g. 1.33. */
export interface Minor {
  major: number;
  minor: number;
}

/** The Kubernetes minor version of "v1.33", "1.33.4" or "v1.33.0-eks-abc"; undefined otherwise. */
export function minorVersion(version: unknown): Minor | undefined {
  if (typeof version !== 'string') return undefined;
  const m = /^v?(\d+)\.(\d+)(?:[.-]|$)/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** "1.33" */
export const formatMinor = (v: Minor) => `${v.major}.${v.minor}`;

/** Orders minor versions; negative when a is older. */
export const compareMinor = (a: Minor, b: Minor) =>
  a.major - b.major || a.minor - b.minor;

/** The version a control plane should run (spec) and the one EKS reports (status). */
export function controlPlaneVersions(
  cp: StoredObject<'AWSManagedControlPlane'>,
): { desired?: Minor; reported?: Minor } {
  return {
    desired: minorVersion(cp.spec?.version),
    reported: minorVersion(cp.status?.version),
  };
}

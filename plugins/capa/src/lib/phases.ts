import type { ClusterPhase } from '@capa-backstage/plugin-capa-common';

// A record, so a phase added to the API's ClusterPhase fails type-checking here until it has a
// place. The backend's `sort=phase` uses the same order: the spec lists the enum in it.
const IN_ORDER: Record<ClusterPhase, true> = {
  Provisioned: true,
  Provisioning: true,
  Pending: true,
  Deleting: true,
  Failed: true,
  Unknown: true,
};

/** The phases in the order the fleet page and the tenant card show them. */
export const PHASE_ORDER = Object.keys(IN_ORDER) as readonly ClusterPhase[];

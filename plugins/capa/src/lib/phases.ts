// The phases in the order the fleet page and the tenant card show them: capa-common's, which the
// backend sorts by too.
export { CLUSTER_PHASES as PHASE_ORDER } from '@capa-backstage/plugin-capa-common';

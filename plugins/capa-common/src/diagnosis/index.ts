export {
  diagnose,
  mergeDiagnoses,
  statusSignals,
  UNRECOGNISED_CAUSE,
} from './engine';
export type {
  DiagnosisMatcher,
  DiagnosisRule,
  DiagnosisSignal,
} from './engine';
export { identityAdmits, identitySignals } from './identityChecks';
export type { IdentityLookup } from './identityChecks';
export { DIAGNOSIS_RULES } from './rules';
export {
  causesAt,
  diagnosisAt,
  STUCK_AFTER_MINUTES,
  stuckWatch,
} from './stuck';
export { clusterEvents } from './events';
export type { KubernetesEvent } from './events';
export { DIAGNOSIS_EXAMPLES } from './examples';
export type { DiagnosisExample } from './examples';

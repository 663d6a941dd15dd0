import type { DiagnosisRule } from '../engine';
import { CAPACITY_RULES } from './capacity';
import { LIFECYCLE_RULES } from './lifecycle';
import { SETUP_RULES } from './setup';

/**
 * The diagnosis table: every cause the portal recognises, one row each, in the order rows are
 * tried (the first row that explains a signal takes it). Adding a cause is adding a row.
 *
 * @public
 */
export const DIAGNOSIS_RULES: readonly DiagnosisRule[] = [
  ...SETUP_RULES,
  ...LIFECYCLE_RULES,
  ...CAPACITY_RULES,
];

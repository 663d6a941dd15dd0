export { FieldSelect } from './FieldSelect';
export type { FieldSelectOption, FieldSelectProps } from './FieldSelect';

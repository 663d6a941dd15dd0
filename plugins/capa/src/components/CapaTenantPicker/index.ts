export {
  CapaTenantPicker,
  capaTenantPickerValidation,
} from './CapaTenantPicker';
export { CapaTenantPickerFieldSchema } from './schema';
export type { CapaTenantPickerValue } from './schema';

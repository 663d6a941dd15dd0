export { CapaClusterPicker } from './CapaClusterPicker';
export { CapaClusterPickerFieldSchema } from './schema';

export { CapaManagementClusterPicker } from './CapaManagementClusterPicker';
export { CapaManagementClusterPickerFieldSchema } from './schema';

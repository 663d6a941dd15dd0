export { CapaKubernetesVersionPicker } from './CapaKubernetesVersionPicker';
export { CapaKubernetesVersionPickerFieldSchema } from './schema';

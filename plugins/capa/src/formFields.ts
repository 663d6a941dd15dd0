import {
  CapaClusterPicker,
  CapaClusterPickerFieldSchema,
} from './components/CapaClusterPicker';
import {
  CapaKubernetesVersionPicker,
  CapaKubernetesVersionPickerFieldSchema,
} from './components/CapaKubernetesVersionPicker';
import {
  CapaManagementClusterPicker,
  CapaManagementClusterPickerFieldSchema,
} from './components/CapaManagementClusterPicker';
import {
  CapaTenantPicker,
  CapaTenantPickerFieldSchema,
  capaTenantPickerValidation,
} from './components/CapaTenantPicker';

// One definition per field, registered by both frontend systems (plugin.ts and alphaFormFields.ts),
// so the `ui:field` names templates use cannot drift apart.

/** `ui:field: CapaTenantPicker` */
export const tenantPickerField = {
  name: 'CapaTenantPicker',
  component: CapaTenantPicker,
  validation: capaTenantPickerValidation,
  schema: CapaTenantPickerFieldSchema,
};

/** `ui:field: CapaClusterPicker` */
export const clusterPickerField = {
  name: 'CapaClusterPicker',
  component: CapaClusterPicker,
  schema: CapaClusterPickerFieldSchema,
};

/** `ui:field: CapaManagementClusterPicker` */
export const managementClusterPickerField = {
  name: 'CapaManagementClusterPicker',
  component: CapaManagementClusterPicker,
  schema: CapaManagementClusterPickerFieldSchema,
};

/** `ui:field: CapaKubernetesVersionPicker` */
export const kubernetesVersionPickerField = {
  name: 'CapaKubernetesVersionPicker',
  component: CapaKubernetesVersionPicker,
  schema: CapaKubernetesVersionPickerFieldSchema,
};

import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  clusterPickerField,
  kubernetesVersionPickerField,
  managementClusterPickerField,
  tenantPickerField,
} from './formFields';

// Loaded lazily by the FormFieldBlueprint extensions in alpha.tsx. createFormField marks the
// object it is given, so each gets a copy of the definition plugin.ts shares.

export const tenantPickerFormField = createFormField({ ...tenantPickerField });
export const clusterPickerFormField = createFormField({
  ...clusterPickerField,
});
export const managementClusterPickerFormField = createFormField({
  ...managementClusterPickerField,
});
export const kubernetesVersionPickerFormField = createFormField({
  ...kubernetesVersionPickerField,
});

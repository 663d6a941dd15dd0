import { useEffect } from 'react';
import { useCapaSettings } from '../../lib/useCapaSettings';
import { FieldSelect } from '../FieldSelect';
import type { CapaManagementClusterPickerProps } from './schema';

/**
 * A scaffolder field: one of the management clusters the backend is configured with
 * (`capa.managementClusters`), by name. The only one is chosen by itself.
 */
export function CapaManagementClusterPicker(
  props: CapaManagementClusterPickerProps,
) {
  const { formData, onChange, required, rawErrors, idSchema, disabled } = props;
  const { settings, loading, error } = useCapaSettings();
  const names = settings?.managementClusters ?? [];
  const only = names.length === 1 ? names[0] : undefined;

  useEffect(() => {
    if (only && !formData) onChange(only);
  }, [only, formData, onChange]);

  let problem: string | undefined;
  if (error)
    problem = `Could not load the management clusters: ${error.message}`;
  else if (settings && names.length === 0)
    problem =
      'The backend has no management cluster configured (capa.managementClusters).';
  else if (settings && formData && !names.includes(formData))
    problem = `${formData} is not a configured management cluster.`;

  return (
    <FieldSelect
      id={idSchema?.$id}
      label={props.schema.title ?? 'Management cluster'}
      description={
        props.uiSchema?.['ui:description'] ?? props.schema.description
      }
      required={required}
      disabled={disabled}
      rawErrors={rawErrors}
      loading={loading}
      problem={problem}
      options={names.map(name => ({ value: name, label: name }))}
      value={formData ?? ''}
      onChange={value => onChange(value || undefined)}
    />
  );
}

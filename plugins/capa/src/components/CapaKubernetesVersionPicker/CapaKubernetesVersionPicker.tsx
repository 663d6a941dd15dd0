import { useEffect, useMemo } from 'react';
import { newestFirst } from '../../lib/format';
import { useCapaSettings } from '../../lib/useCapaSettings';
import { FieldSelect } from '../FieldSelect';
import type { CapaKubernetesVersionPickerProps } from './schema';

/**
 * A scaffolder field: one of the Kubernetes versions the cluster actions accept
 * (`capa.kubernetesVersions`), newest first; the newest is chosen unless
 * `ui:options.selectNewest` is false or the form already holds a version.
 */
export function CapaKubernetesVersionPicker(
  props: CapaKubernetesVersionPickerProps,
) {
  const { formData, onChange, required, rawErrors, idSchema, disabled } = props;
  const selectNewest = props.uiSchema?.['ui:options']?.selectNewest ?? true;
  const { settings, loading, error } = useCapaSettings();
  const versions = useMemo(
    () => newestFirst(settings?.kubernetesVersions ?? []),
    [settings],
  );
  const newest = selectNewest ? versions[0] : undefined;

  useEffect(() => {
    if (newest && !formData) onChange(newest);
  }, [newest, formData, onChange]);

  let problem: string | undefined;
  if (error)
    problem = `Could not load the Kubernetes versions: ${error.message}`;
  else if (settings && versions.length === 0)
    problem =
      'The backend offers no Kubernetes version (capa.kubernetesVersions).';
  else if (settings && formData && !versions.includes(formData))
    problem = `${formData} is not a Kubernetes version the cluster actions accept (${versions.join(
      ', ',
    )}).`;

  return (
    <FieldSelect
      id={idSchema?.$id}
      label={props.schema.title ?? 'Kubernetes version'}
      description={
        props.uiSchema?.['ui:description'] ?? props.schema.description
      }
      required={required}
      disabled={disabled}
      rawErrors={rawErrors}
      loading={loading}
      problem={problem}
      options={versions.map(v => ({ value: v, label: v }))}
      value={formData ?? ''}
      onChange={value => onChange(value || undefined)}
    />
  );
}

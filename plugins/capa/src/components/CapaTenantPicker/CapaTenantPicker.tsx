import { useApi } from '@backstage/core-plugin-api';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  compareStrings,
  type TenantSummary,
} from '@capa-backstage/plugin-capa-common';
import { FormControl, FormLabel, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useEffect, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { capaApiRef } from '../../api';
import { FieldSelect } from '../FieldSelect';
import type { CapaTenantPickerProps, CapaTenantPickerValue } from './schema';

const keyOf = (t: { managementCluster: string; namespace: string }) =>
  `${t.managementCluster}/${t.namespace}`;

function labelOf(t: TenantSummary): string {
  const where = [`management cluster ${t.managementCluster}`];
  if (t.accountId) where.push(`account ${t.accountId}`);
  return `${t.tenant} (${where.join(', ')})`;
}

const valueOf = (t: TenantSummary): CapaTenantPickerValue => ({
  managementCluster: t.managementCluster,
  tenant: t.tenant,
  namespace: t.namespace,
});

/** Whether the form holds a whole tenant (RJSF may start an object field as `{}`). */
function isComplete(
  value: Partial<CapaTenantPickerValue> | undefined,
): value is CapaTenantPickerValue {
  return Boolean(value?.managementCluster && value.tenant && value.namespace);
}

/**
 * A scaffolder field: the tenants the signed-in user may create clusters in, as the backend's
 * permission policy decides (`capa.cluster.create` on each tenant's group). Its value is
 * `{ managementCluster, tenant, namespace }`. The only tenant is chosen by itself.
 */
export function CapaTenantPicker(props: CapaTenantPickerProps) {
  const { formData, onChange, required, rawErrors, idSchema, disabled } = props;
  const label = props.schema.title ?? 'Tenant';
  const description =
    props.uiSchema?.['ui:description'] ?? props.schema.description;
  const api = useApi(capaApiRef);
  const { value, loading, error } = useAsync(
    () => api.listTenants({ can: 'create-cluster' }),
    [api],
  );
  const tenants = useMemo(
    () =>
      [...(value?.items ?? [])].sort((a, b) =>
        compareStrings(labelOf(a), labelOf(b)),
      ),
    [value],
  );
  const only = tenants.length === 1 ? tenants[0] : undefined;
  const chosen = isComplete(formData) ? formData : undefined;

  useEffect(() => {
    if (only && !chosen) onChange(valueOf(only));
  }, [only, chosen, onChange]);

  if (!loading && !error && tenants.length === 0) {
    return (
      <FormControl margin="normal" fullWidth>
        <FormLabel required={required}>{label}</FormLabel>
        <Alert severity="info">
          <Typography variant="body2">
            You may not create clusters in any tenant. A tenant's clusters are
            created by the members of the group that owns it: ask the platform
            team to onboard your team as a tenant or to add you to a tenant's
            group.
          </Typography>
        </Alert>
      </FormControl>
    );
  }

  const known = chosen
    ? tenants.find(t => keyOf(t) === keyOf(chosen))
    : undefined;
  const options = tenants.map(t => ({ value: keyOf(t), label: labelOf(t) }));
  if (chosen && !known) {
    options.unshift({
      value: keyOf(chosen),
      label: `${chosen.tenant} (management cluster ${chosen.managementCluster})`,
    });
  }
  let problem: string | undefined;
  if (error) problem = `Could not load the tenants: ${error.message}`;
  else if (chosen && !known && !loading)
    problem = `You may not create clusters in tenant ${chosen.tenant} on management cluster ${chosen.managementCluster}; choose another tenant or ask the platform team.`;

  return (
    <FieldSelect
      id={idSchema?.$id}
      label={label}
      description={description}
      required={required}
      disabled={disabled}
      rawErrors={rawErrors}
      loading={loading}
      problem={problem}
      options={options}
      value={chosen ? keyOf(chosen) : ''}
      onChange={key => {
        const tenant = tenants.find(t => keyOf(t) === key);
        onChange(tenant ? valueOf(tenant) : undefined);
      }}
    />
  );
}

/**
 * Refuses a tenant value that lacks a part: RJSF may start an object field as `{}`, which
 * `required` lets through. A missing value is left to `required`.
 */
export const capaTenantPickerValidation: CustomFieldValidator<
  CapaTenantPickerValue
> = (data, field) => {
  if (data !== undefined && data !== null && !isComplete(data))
    field.addError('Choose a tenant');
};

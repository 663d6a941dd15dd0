import { useApi } from '@backstage/core-plugin-api';
import {
  CAPA_CLUSTER_CAPABILITIES,
  clusterEntityRef,
  compareStrings,
  type CapaClusterCapability,
} from '@capa-backstage/plugin-capa-common';
import { TextField } from '@material-ui/core';
import { Autocomplete } from '@material-ui/lab';
import { useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import type { ClusterSummary } from '@capa-backstage/plugin-capa-common';
import { capaApiRef, type CapaApi } from '../../api';
import type { CapaClusterPickerProps } from './schema';

// At most 10 pages of 1000 clusters, more than anyone scrolls through; the field says when there
// are more.
const PAGE_SIZE = 1000;
const MAX_PAGES = 10;

/**
 * The clusters the caller may do `can` on, following cursors up to MAX_PAGES pages; `nextCursor`
 * is set when pages were left unread. An autocomplete offers every choice, so it reads them all;
 * the backend has already left out every cluster the caller may not use.
 */
async function choicesOf(api: CapaApi, can: CapaClusterCapability) {
  const request = { can, limit: PAGE_SIZE };
  const first = await api.listClusters(request);
  const items: ClusterSummary[] = [...first.items];
  let cursor = first.nextCursor;
  for (let page = 1; cursor && page < MAX_PAGES; page++) {
    const next = await api.listClusters({ ...request, cursor });
    items.push(...next.items);
    cursor = next.nextCursor;
  }
  return { items, totalItems: first.totalItems, nextCursor: cursor };
}

const VERBS: Record<CapaClusterCapability, string> = {
  update: 'change',
  delete: 'delete',
  'manage-access': 'manage access to',
  'read-kubeconfig': 'take the kubeconfig of',
};

const isCapability = (value: unknown): value is CapaClusterCapability =>
  typeof value === 'string' &&
  Object.prototype.hasOwnProperty.call(CAPA_CLUSTER_CAPABILITIES, value);

// Entity refs compare case-insensitively in the catalog; a ref pre-filled from an entity page
// keeps the entity's own spelling.
const keyOf = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * A scaffolder field: the workload clusters the signed-in user may do `ui:options.can` on
 * (default `update`), as the backend's permission policy decides. Its value is the cluster's
 * catalog entity ref. A pre-filled value (the cluster card links with `formData`) is kept and
 * shown while the list loads, and flagged when the user may not do that on it.
 */
export function CapaClusterPicker(props: CapaClusterPickerProps) {
  const { formData, onChange, required, rawErrors, idSchema, disabled } = props;
  const can = props.uiSchema?.['ui:options']?.can ?? 'update';
  const label = props.schema.title ?? 'Cluster';
  const description =
    props.uiSchema?.['ui:description'] ?? props.schema.description;
  const api = useApi(capaApiRef);
  const { value, loading, error } = useAsync(async () => {
    if (!isCapability(can)) return undefined;
    return choicesOf(api, can);
  }, [api, can]);

  const choices = useMemo(
    () =>
      (value?.items ?? [])
        .map(c => ({
          ref: clusterEntityRef(c),
          label: `${c.namespace}/${c.name} (${c.managementCluster})`,
        }))
        .sort((a, b) => compareStrings(a.label, b.label)),
    [value],
  );
  const labels = useMemo(
    () => new Map(choices.map(c => [keyOf(c.ref), c.label])),
    [choices],
  );
  const refs = choices.map(c => c.ref);
  const known = formData ? labels.has(keyOf(formData)) : false;
  // The input shows the chosen cluster's label; the Autocomplete alone would keep showing the
  // bare ref of a pre-filled value after the list (and with it the label) arrives.
  const chosenLabel = formData ? labels.get(keyOf(formData)) ?? formData : '';
  const [inputValue, setInputValue] = useState(chosenLabel);
  useEffect(() => setInputValue(chosenLabel), [chosenLabel]);
  const options = formData && !known ? [formData, ...refs] : refs;
  const verb = isCapability(can) ? VERBS[can] : undefined;

  const errors = rawErrors ?? [];
  let problem: string | undefined;
  if (!verb)
    problem = `ui:options.can must be one of ${Object.keys(VERBS).join(', ')}`;
  else if (error) problem = `Could not load the clusters: ${error.message}`;
  // Beyond the cap a pre-filled cluster may just not have been read, so it is not flagged.
  else if (value && formData && !known && !value.nextCursor)
    problem = `You may not ${verb} ${formData}, or it does not exist; choose another cluster.`;
  else if (value && refs.length === 0)
    problem = `There is no cluster you may ${verb}. Ask a cluster's owners or the platform team for access.`;
  let helperText: string | undefined = description;
  if (value?.nextCursor)
    helperText = `Showing the first ${refs.length} of ${value.totalItems} clusters.`;
  if (errors.length > 0) helperText = errors.join(' ');
  if (problem) helperText = problem;

  return (
    <Autocomplete<string>
      id={idSchema?.$id}
      options={options}
      value={formData ?? null}
      loading={loading}
      disabled={disabled}
      getOptionLabel={ref => labels.get(keyOf(ref)) ?? ref}
      getOptionSelected={(option, selected) =>
        keyOf(option) === keyOf(selected)
      }
      onChange={(_event, ref) => onChange(ref ?? undefined)}
      inputValue={inputValue}
      onInputChange={(_event, text) => setInputValue(text)}
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          margin="normal"
          variant="outlined"
          required={required}
          error={Boolean(problem) || errors.length > 0}
          helperText={helperText}
        />
      )}
    />
  );
}

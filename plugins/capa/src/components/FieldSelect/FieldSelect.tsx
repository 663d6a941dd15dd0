import { MenuItem, TextField } from '@material-ui/core';
import { useId } from 'react';

/** One choice of a {@link FieldSelect}. */
export interface FieldSelectOption {
  value: string;
  label: string;
}

/** Props of {@link FieldSelect}. */
export interface FieldSelectProps {
  /** The form field's id (RJSF's `idSchema.$id`); generated when missing. */
  id?: string;
  label: string;
  description?: string;
  required?: boolean;
  disabled?: boolean;
  /** RJSF's errors for the field. */
  rawErrors?: string[];
  options: FieldSelectOption[];
  /** The selected option's value; `''` for none. */
  value: string;
  onChange: (value: string) => void;
  loading?: boolean;
  /** Why the options could not be loaded or the value is not among them; shown as an error. */
  problem?: string;
}

/**
 * The select the CAPA form fields share: label, description, RJSF errors and a problem line. A
 * value that is not among the options (pre-filled, or not loaded yet) stays and shows as itself,
 * rather than being dropped.
 */
export function FieldSelect(props: FieldSelectProps) {
  const generatedId = useId();
  const id = props.id ?? generatedId;
  const errors = props.rawErrors ?? [];
  const options =
    props.value && !props.options.some(o => o.value === props.value)
      ? [{ value: props.value, label: props.value }, ...props.options]
      : props.options;
  let helperText: string | undefined = props.description;
  if (props.loading) helperText = 'Loading…';
  if (errors.length > 0) helperText = errors.join(' ');
  if (props.problem) helperText = props.problem;
  return (
    <TextField
      id={id}
      select
      fullWidth
      margin="normal"
      variant="outlined"
      label={props.label}
      required={props.required}
      disabled={props.disabled || (props.loading && !props.value)}
      value={props.value}
      onChange={event => props.onChange(event.target.value as string)}
      error={Boolean(props.problem) || errors.length > 0}
      helperText={helperText}
    >
      {props.required ? null : (
        <MenuItem value="">
          <em>None</em>
        </MenuItem>
      )}
      {options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

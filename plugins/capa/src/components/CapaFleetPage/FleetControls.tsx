import { WarningPanel } from '@backstage/core-components';
import type {
  ClusterList,
  ClusterPhase,
  FacetValue,
} from '@capa-backstage/plugin-capa-common';
import { Box, Button, TextField, makeStyles } from '@material-ui/core';
import { memo, useEffect, useRef, useState } from 'react';
import type { CapaHealth } from '../../api';
import { PHASE_ORDER } from '../../lib/phases';
import { ClusterPhaseStatus } from '../ClusterPhaseStatus';

export const useFleetStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    '& > *': { minWidth: 180 },
  },
  phases: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'center',
    marginBottom: theme.spacing(2),
  },
  banner: { marginBottom: theme.spacing(2) },
}));

/** Management clusters the backend cannot fully serve, whose clusters may be missing below. */
export function HealthWarning(props: { health?: CapaHealth }) {
  const classes = useFleetStyles();
  const problems = (props.health?.managementClusters ?? []).flatMap(mc => {
    if (!mc.reachable) {
      const since = mc.failingSince
        ? ` since ${new Date(
            mc.failingSince,
          ).toLocaleString()}, showing its last known clusters`
        : '';
      return [
        `${mc.name}: unreachable${since}${mc.error ? ` (${mc.error})` : ''}`,
      ];
    }
    const missing = [
      !mc.crds.capi && 'Cluster API',
      !mc.crds.capa && 'CAPA',
    ].filter(Boolean);
    return missing.length
      ? [`${mc.name}: the ${missing.join(' and ')} CRDs are not installed`]
      : [];
  });
  if (problems.length === 0) return null;
  return (
    <Box className={classes.banner}>
      <WarningPanel
        severity="warning"
        title="Some management clusters are not fully available"
        message="Their clusters may be missing or out of date below:"
        defaultExpanded
      >
        <ul aria-label="Management cluster problems">
          {problems.map(p => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </WarningPanel>
    </Box>
  );
}

/**
 * One button per phase with the backend's count (over the clusters matching every other filter, so
 * each count is what clicking it gives); clicking filters by that phase, clicking again clears it.
 */
export const PhaseCounts = memo(
  (props: {
    counts: ClusterList['phaseCounts'];
    selected?: ClusterPhase;
    onSelect: (phase?: ClusterPhase) => void;
  }) => {
    const { counts, selected, onSelect } = props;
    const classes = useFleetStyles();
    return (
      <Box
        className={classes.phases}
        role="group"
        aria-label="Clusters per phase"
      >
        {PHASE_ORDER.map(phase => (
          <Button
            key={phase}
            size="small"
            variant={selected === phase ? 'contained' : 'outlined'}
            aria-pressed={selected === phase}
            onClick={() => onSelect(selected === phase ? undefined : phase)}
          >
            <ClusterPhaseStatus phase={phase} />
            &nbsp;{counts[phase] ?? 0}
          </Button>
        ))}
      </Box>
    );
  },
);

/**
 * A dropdown of a filter's values as the backend counted them; "All" clears it. Memoised: a large
 * fleet has hundreds of values, not worth rendering again for each key typed in the search field.
 */
export const FilterSelect = memo(
  (props: {
    id: string;
    label: string;
    value?: string;
    options: FacetValue[];
    format?: (value: string) => string;
    onChange: (value?: string) => void;
  }) => {
    const { id, label, value, options, format = v => v, onChange } = props;
    // A chosen value the other filters leave no cluster for is still shown as chosen.
    const values = options.map(o => o.value);
    if (value && !values.includes(value)) values.unshift(value);
    return (
      <TextField
        id={id}
        select
        label={label}
        value={value ?? ''}
        onChange={e => onChange(e.target.value || undefined)}
        size="small"
        variant="outlined"
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
      >
        <option value="">All</option>
        {values.map(v => (
          <option key={v} value={v}>
            {format(v)}
          </option>
        ))}
      </TextField>
    );
  },
);

/**
 * The search field. Its text is its own state, so that a key typed re-renders the field alone; the
 * pause before `onSearch` starts at the key itself (not after a render of the page). Remount it
 * (a new `key`) to empty it.
 */
export const SearchField = memo(
  (props: { delayMs: number; onSearch: (text: string) => void }) => {
    const { delayMs, onSearch } = props;
    const [text, setText] = useState('');
    const timer = useRef<ReturnType<typeof setTimeout>>();
    useEffect(() => () => clearTimeout(timer.current), []);
    return (
      <TextField
        id="capa-fleet-search"
        label="Search"
        placeholder="Name, namespace or tenant"
        value={text}
        onChange={e => {
          const value = e.target.value;
          setText(value);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => onSearch(value.trim()), delayMs);
        }}
        size="small"
        variant="outlined"
        InputLabelProps={{ shrink: true }}
      />
    );
  },
);

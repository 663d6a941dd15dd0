import {
  DIAGNOSIS_RULES,
  UNRECOGNISED_CAUSE,
  type FacetValue,
} from '@capa-backstage/plugin-capa-common';
import Tooltip from '@material-ui/core/Tooltip';
import WarningIcon from '@material-ui/icons/Warning';

/** The backend's value of the cause filter for every cluster with a diagnosis. */
const ANY_CAUSE = 'any';

const TITLES = new Map<string, string>([
  ...DIAGNOSIS_RULES.map(r => [r.cause, r.title] as const),
  [UNRECOGNISED_CAUSE, 'Failure not recognised'],
]);

/** The cause's title from capa-common's diagnosis table (the id itself for a newer backend's). */
export const causeTitle = (cause: string) => TITLES.get(cause) ?? cause;

/** The cause filter's options: any cause first, then each cause the backend counted. */
export function causeOptions(counts: FacetValue[] = []): FacetValue[] {
  return counts.length ? [{ value: ANY_CAUSE, count: 0 }, ...counts] : [];
}

/** Labels a cause option with its title and how many clusters have it. */
export function causeLabel(counts: FacetValue[] = []) {
  return (value: string) => {
    if (value === ANY_CAUSE) return 'Any cause';
    const count = counts.find(c => c.value === value)?.count;
    return count === undefined
      ? causeTitle(value)
      : `${causeTitle(value)} (${count})`;
  };
}

/** A warning sign with the causes of a cluster that needs attention; nothing otherwise. */
export function AttentionMarker(props: { causes: readonly string[] }) {
  const { causes } = props;
  if (!causes.length) return null;
  const titles = causes.map(causeTitle);
  return (
    <Tooltip title={titles.join('; ')}>
      <span
        aria-label={`Needs attention: ${titles.join('; ')}`}
        style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
      >
        <WarningIcon color="error" fontSize="small" />
        {titles[0]}
        {titles.length > 1 ? ` +${titles.length - 1}` : ''}
      </span>
    </Tooltip>
  );
}

import { compareVersions } from '@capa-backstage/plugin-capa-common';
/**
 * The age of an object as `kubectl get` shows it (`45s`, `12m`, `5h`, `3d`, `2y`), so the numbers
 * read the same in the portal and in a terminal. Undefined when the timestamp is missing or invalid.
 */
export function formatAge(
  timestamp: string | undefined,
  now: number = Date.now(),
): string | undefined {
  if (!timestamp) return undefined;
  const then = Date.parse(timestamp);
  if (Number.isNaN(then)) return undefined;
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 730) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

/**
 * Kubernetes versions newest first, by capa-common's compareVersions; anything that is not a version
 * follows, in its order. The input is left as it is.
 */
export function newestFirst(versions: readonly string[]): string[] {
  const isVersion = (v: string) => /^v?\d+(\.\d+)*/.test(v);
  return [
    ...versions.filter(isVersion).sort((a, b) => compareVersions(b, a)),
    ...versions.filter(v => !isVersion(v)),
  ];
}

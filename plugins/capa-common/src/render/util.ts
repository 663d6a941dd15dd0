/** Orders strings by UTF-16 code units, independent of locale (unlike localeCompare). @public */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** A copy of a string map with its keys sorted, so output does not depend on input key order. */
export function sortedMap(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map).sort(([a], [b]) => compareStrings(a, b)),
  );
}

/** The map, sorted, or undefined when it is absent or empty (so the field is left out). */
export function nonEmptyMap(
  map: Record<string, string> | undefined,
): Record<string, string> | undefined {
  return map && Object.keys(map).length > 0 ? sortedMap(map) : undefined;
}

/** `arn:<partition>:iam::<account>:role/<name>` */
export function roleArn(
  partition: string,
  accountId: string,
  roleName: string,
): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** Removes keys whose value is undefined, recursively, so optional fields never reach the YAML. */
export function pruneUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(pruneUndefined) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, pruneUndefined(v)]),
    ) as T;
  }
  return value;
}

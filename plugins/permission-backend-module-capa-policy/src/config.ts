import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** The config key of the platform groups. */
export const PLATFORM_GROUPS_KEY = 'capa.permissionPolicy.platformGroups';

/** The platform groups when the config names none. */
export const DEFAULT_PLATFORM_GROUPS = ['group:default/platform-team'];

/**
 * The settings of {@link CapaPermissionPolicy}, read from `capa.permissionPolicy`.
 *
 * @public
 */
export interface CapaPermissionPolicyOptions {
  /**
   * Full entity refs of the groups whose members may do everything, e.g.
   * `group:default/platform-team`.
   */
  platformGroups: string[];
}

function invalid(rule: string): InputError {
  return new InputError(`Invalid config ${PLATFORM_GROUPS_KEY}: ${rule}`);
}

/**
 * Checks and normalises group refs: kind Group, `default` namespace when none is given, lower case
 * (as ownership refs are).
 */
export function normalizePlatformGroups(refs: string[]): string[] {
  if (refs.length === 0) {
    // An empty list would silently leave nobody able to onboard a tenant.
    throw invalid('must name at least one group');
  }
  return refs.map((ref, i) => {
    let parsed;
    try {
      parsed = parseEntityRef(ref.trim(), {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
    } catch (e) {
      throw invalid(`[${i}] "${ref}" is not an entity ref (${e})`);
    }
    if (parsed.kind.toLocaleLowerCase('en-US') !== 'group') {
      throw invalid(
        `[${i}] "${ref}" is a ${parsed.kind} ref; only groups can be platform groups`,
      );
    }
    return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
  });
}

/**
 * Reads `capa.permissionPolicy`. Throws an InputError naming the key when a value is invalid.
 *
 * @public
 */
export function readCapaPermissionPolicyOptions(
  config: Config,
): CapaPermissionPolicyOptions {
  let refs: string[] | undefined;
  try {
    refs = config.getOptionalStringArray(PLATFORM_GROUPS_KEY);
  } catch (e) {
    // Config's own message names the key and the expected type, never the value.
    throw invalid(
      `must be a list of group entity refs (${(e as Error).message})`,
    );
  }
  return {
    platformGroups: normalizePlatformGroups(refs ?? DEFAULT_PLATFORM_GROUPS),
  };
}

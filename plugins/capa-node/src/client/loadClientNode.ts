import type * as ClientNode from '@kubernetes/client-node';

/**
 * The `@kubernetes/client-node` module.
 *
 * @public
 */
export type ClientNodeModule = typeof ClientNode;

let cached: Promise<ClientNodeModule> | undefined;

function isMissingVmModulesFlag(e: unknown): boolean {
  const code = (e as { code?: string } | undefined)?.code;
  return (
    code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG' ||
    code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING'
  );
}

/**
 * Loads `@kubernetes/client-node` once. Since 1.0 it is ESM-only, and this package is built as
 * CommonJS, so it is loaded with a dynamic import (as Backstage's own Kubernetes plugins do).
 *
 * Under Jest (backstage-cli runs test files in vm contexts) a real dynamic import throws
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG unless Node runs with --experimental-vm-modules,
 * which neither `backstage-cli package test` nor `backstage-cli repo test` (one Jest process for
 * every package) sets. In that one case the module is required instead: Jest's own `require`
 * transpiles the ESM files to CommonJS with the backstage-cli SWC transform. This keeps the real
 * client-node under test in every package that uses this client, with no per-package Jest setup.
 * Outside Jest the dynamic import always succeeds and the fallback never runs.
 *
 * @public
 */
export function loadClientNode(): Promise<ClientNodeModule> {
  if (!cached) {
    cached = import('@kubernetes/client-node').catch(e => {
      if (!isMissingVmModulesFlag(e)) throw e;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('@kubernetes/client-node') as ClientNodeModule;
    });
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}

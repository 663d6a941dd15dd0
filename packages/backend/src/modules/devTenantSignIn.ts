import { createBackendModule } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
  type SignInResolver,
} from '@backstage/plugin-auth-node';

/** The provider id: `auth.providers.tenant-dev`, `/api/auth/tenant-dev/refresh`. */
export const TENANT_DEV_PROVIDER_ID = 'tenant-dev';

/** Who signs in when `auth.providers.tenant-dev.userEntityRef` is not set. */
export const DEFAULT_TENANT_DEV_USER = 'user:default/acme-dev';

/** What the authenticator hands to the sign-in resolver. */
export interface TenantDevResult {
  userEntityRef: string;
}

/** Reads the provider config; throws (so the auth backend skips or refuses the provider) when bad. */
function readTenantDevConfig(config: Config) {
  const raw =
    config.getOptionalString('userEntityRef') ?? DEFAULT_TENANT_DEV_USER;
  const ref = parseEntityRef(raw, {
    defaultKind: 'user',
    defaultNamespace: 'default',
  });
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new Error(
      `auth.providers.${TENANT_DEV_PROVIDER_ID}.userEntityRef must name a User, got "${raw}"`,
    );
  }
  return {
    userEntityRef: stringifyEntityRef(ref),
    // Same rule as the guest provider: a sign-in without credentials is for local development.
    allowed:
      process.env.NODE_ENV === 'development' ||
      config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') === true,
  };
}

/**
 * Signs in without credentials as one configured catalog user, like the guest provider but as a
 * tenant developer instead of a platform engineer, so the local portal can show both views.
 */
export const tenantDevAuthenticator = createProxyAuthenticator<
  ReturnType<typeof readTenantDevConfig>,
  TenantDevResult,
  undefined
>({
  defaultProfileTransform: async ({ userEntityRef }) => ({
    profile: { displayName: parseEntityRef(userEntityRef).name },
  }),
  initialize: ({ config }) => readTenantDevConfig(config),
  async authenticate(_, { allowed, userEntityRef }) {
    if (!allowed) {
      throw new NotAllowedError(
        `The ${TENANT_DEV_PROVIDER_ID} provider cannot be used outside of a development environment unless 'auth.providers.${TENANT_DEV_PROVIDER_ID}.dangerouslyAllowOutsideDevelopment' is enabled`,
      );
    }
    return { result: { userEntityRef } };
  },
});

/** Only a User that exists in the catalog can sign in; its groups become its ownership refs. */
export const signInAsTenantDev: SignInResolver<TenantDevResult> = async (
  { result },
  ctx,
) => ctx.signInWithCatalogUser({ entityRef: result.userEntityRef });

/**
 * The `tenant-dev` auth provider: a development-only sign-in as the catalog user named by
 * `auth.providers.tenant-dev.userEntityRef` (default `user:default/acme-dev`). Like every auth
 * provider it is mounted only when `auth.providers.tenant-dev` is configured, and it refuses to
 * sign anyone in outside NODE_ENV=development unless `dangerouslyAllowOutsideDevelopment` is set.
 */
export const authModuleDevTenantSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'tenant-dev-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: TENANT_DEV_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: tenantDevAuthenticator,
            signInResolver: signInAsTenantDev,
          }),
        });
      },
    });
  },
});

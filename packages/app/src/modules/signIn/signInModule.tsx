import { SignInPage, type IdentityProviders } from '@backstage/core-components';
import { coreComponentsTranslationRef } from '@backstage/core-components/alpha';
import {
  ApiBlueprint,
  type ConfigApi,
  configApiRef,
  createFrontendModule,
  createTranslationMessages,
  discoveryApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { useMemo } from 'react';
import {
  SignInPageBlueprint,
  type SignInPageProps,
  TranslationBlueprint,
} from '@backstage/plugin-app-react';
import { TenantDevAuth, tenantDevAuthApiRef } from './TenantDevAuth';

/** Title of the tenant developer's card; the test looks the card up by it. */
export const TENANT_DEV_TITLE = 'Tenant developer (team-acme)';

/** Title of the GitHub card, the production sign-in (app-config.production.yaml). */
export const GITHUB_TITLE = 'GitHub';

/**
 * The sign-ins the auth backend mounts: one card for each provider configured under
 * `auth.providers` (the app sees which ones, not their settings). Locally (app-config.yaml) the
 * guest and the tenant developer; in production (app-config.production.yaml) GitHub only.
 */
export function signInProviders(config: ConfigApi): IdentityProviders {
  const configured = new Set(
    config.getOptionalConfig('auth.providers')?.keys() ?? [],
  );
  const providers: IdentityProviders = [];
  if (configured.has('github'))
    providers.push({
      id: 'github-auth-provider',
      title: GITHUB_TITLE,
      message: 'Sign in with your GitHub account',
      apiRef: githubAuthApiRef,
    });
  // The auth backend signs the guest in as user:default/guest (auth.providers.guest.userEntityRef).
  if (configured.has('guest')) providers.push('guest');
  if (configured.has('tenant-dev'))
    providers.push({
      id: 'tenant-dev-auth-provider',
      title: TENANT_DEV_TITLE,
      message: 'Sign in as acme-dev, a member of team-acme',
      apiRef: tenantDevAuthApiRef,
    });
  return providers;
}

/** The `tenant-dev` sign-in's API, on the auth backend's refresh endpoint. */
export const tenantDevAuthApi = ApiBlueprint.make({
  name: 'tenant-dev-auth',
  params: defineParams =>
    defineParams({
      api: tenantDevAuthApiRef,
      deps: { discoveryApi: discoveryApiRef },
      factory: ({ discoveryApi }) => new TenantDevAuth({ discoveryApi }),
    }),
});

/**
 * The guest card's title ("Guest") and button ("Enter") stay as they are; its text says who the
 * guest is in this portal.
 */
export const guestCardMessages = TranslationBlueprint.make({
  name: 'guest-sign-in',
  params: {
    resource: createTranslationMessages({
      ref: coreComponentsTranslationRef,
      messages: {
        'signIn.guestProvider.subtitle':
          'Platform engineer: sign in as guest, a member of platform-team.\nLocal development only.',
      },
    }),
  },
});

function CapaSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  // Computed once: SignInPage recomputes its providers whenever this array changes identity.
  const providers = useMemo(() => signInProviders(configApi), [configApi]);
  const development = providers.some(
    p => typeof p === 'string' || p.apiRef !== githubAuthApiRef,
  );
  let title: string | undefined;
  if (providers.length === 0)
    title =
      'No sign-in is configured: the backend needs a provider under auth.providers';
  else if (development)
    title = 'Sign in as a platform engineer or as a tenant developer';
  return <SignInPage {...props} title={title} providers={providers} />;
}

/**
 * The sign-in page: locally a platform engineer (the guest) or a tenant developer (acme-dev); in
 * production the GitHub sign-in.
 */
export const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => <CapaSignInPage {...props} />,
  },
});

/**
 * Replaces the app's default guest-only sign-in page with the configured sign-ins: locally a
 * choice between the platform engineer and a tenant developer (development-only sign-ins of the
 * auth backend), in production GitHub.
 */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [tenantDevAuthApi, guestCardMessages, signInPage],
});

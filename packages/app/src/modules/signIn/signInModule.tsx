import { SignInPage, type IdentityProviders } from '@backstage/core-components';
import { coreComponentsTranslationRef } from '@backstage/core-components/alpha';
import {
  ApiBlueprint,
  createFrontendModule,
  createTranslationMessages,
  discoveryApiRef,
} from '@backstage/frontend-plugin-api';
import {
  SignInPageBlueprint,
  TranslationBlueprint,
} from '@backstage/plugin-app-react';
import { TenantDevAuth, tenantDevAuthApiRef } from './TenantDevAuth';

/** Title of the tenant developer's card; the test looks the card up by it. */
export const TENANT_DEV_TITLE = 'Tenant developer (team-acme)';

// Defined once: SignInPage recomputes its providers whenever this array changes identity.
const providers: IdentityProviders = [
  // The auth backend signs the guest in as user:default/guest (auth.providers.guest.userEntityRef).
  'guest',
  {
    id: 'tenant-dev-auth-provider',
    title: TENANT_DEV_TITLE,
    message: 'Sign in as acme-dev, a member of team-acme',
    apiRef: tenantDevAuthApiRef,
  },
];

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

/** The sign-in page: a platform engineer (the guest) or a tenant developer (acme-dev). */
export const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props =>
      (
        <SignInPage
          {...props}
          title="Sign in as a platform engineer or as a tenant developer"
          providers={providers}
        />
      ),
  },
});

/**
 * Replaces the app's default guest-only sign-in page with a choice between the platform engineer
 * and a tenant developer, both development-only sign-ins of the auth backend.
 */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [tenantDevAuthApi, guestCardMessages, signInPage],
});

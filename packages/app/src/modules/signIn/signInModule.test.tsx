import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  GITHUB_TITLE,
  TENANT_DEV_TITLE,
  guestCardMessages,
  signInPage,
  signInProviders,
  tenantDevAuthApi,
} from './signInModule';
import { TenantDevAuth, tenantDevAuthApiRef } from './TenantDevAuth';
import {
  ApiBlueprint,
  createFrontendModule,
  githubAuthApiRef,
  SessionState,
} from '@backstage/frontend-plugin-api';

/** A token whose payload is all the app reads; the signature is never checked here. */
function token(sub: string) {
  const payload = btoa(JSON.stringify({ sub, exp: 4102444800 }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `e30.${payload}.sig`;
}

const ACME_SESSION = {
  profile: { displayName: 'acme-dev' },
  backstageIdentity: {
    token: token('user:default/acme-dev'),
    expiresInSeconds: 3600,
    identity: {
      type: 'user',
      userEntityRef: 'user:default/acme-dev',
      ownershipEntityRefs: ['user:default/acme-dev', 'group:default/team-acme'],
    },
  },
};

function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const discoveryApi = mockApis.discovery({ baseUrl: 'http://backend.test' });


// Rendering a whole app is slow on a busy machine (the suite runs many test files at once).
jest.setTimeout(60_000);

describe('sign-in module', () => {
  beforeEach(() => localStorage.clear());

  /** auth.providers as the app sees them: which providers are configured, not their settings. */
  const LOCAL_PROVIDERS = { guest: {}, 'tenant-dev': {} };
  const PRODUCTION_PROVIDERS = { github: {} };

  function renderSignInPage(
    tenantDevAuth: TenantDevAuth,
    providers: object = LOCAL_PROVIDERS,
  ) {
    const SignInPageComponent = createExtensionTester(signInPage).get(
      SignInPageBlueprint.dataRefs.component,
    );
    const onSignInSuccess = jest.fn();
    renderInTestApp(<SignInPageComponent onSignInSuccess={onSignInSuccess} />, {
      apis: [[tenantDevAuthApiRef, tenantDevAuth]],
      // The module's translations, without its sign-in page (which would gate the test app).
      features: [
        createFrontendModule({
          pluginId: 'app',
          extensions: [guestCardMessages],
        }),
      ],
      config: {
        app: { title: 'CAPA Portal' },
        backend: { baseUrl: 'http://backend.test' },
        auth: { providers },
      },
    });
    return { onSignInSuccess };
  }

  it('offers GitHub only when production configures only GitHub', async () => {
    const fetch = jest.fn(async () => jsonResponse(ACME_SESSION));
    renderSignInPage(new TenantDevAuth({ discoveryApi, fetch }), {
      github: {},
    });
    const githubCard = (await screen.findByText(GITHUB_TITLE)).closest(
      'li',
    ) as HTMLElement;
    expect(githubCard).toHaveTextContent('Sign in with your GitHub account');
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
    expect(screen.queryByText(TENANT_DEV_TITLE)).not.toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('names the missing configuration when no provider is configured', async () => {
    renderSignInPage(new TenantDevAuth({ discoveryApi, fetch: jest.fn() }), {});
    expect(
      await screen.findByText(/No sign-in is configured/),
    ).toBeInTheDocument();
  });

  it('makes one card per configured provider, production sign-in first', () => {
    const ids = (providers: object) =>
      signInProviders(mockApis.config({ data: { auth: { providers } } })).map(
        p => (typeof p === 'string' ? p : p.id),
      );
    expect(ids(LOCAL_PROVIDERS)).toEqual(['guest', 'tenant-dev-auth-provider']);
    expect(ids(PRODUCTION_PROVIDERS)).toEqual(['github-auth-provider']);
    expect(ids({ ...LOCAL_PROVIDERS, ...PRODUCTION_PROVIDERS })).toEqual([
      'github-auth-provider',
      'guest',
      'tenant-dev-auth-provider',
    ]);
    const github = signInProviders(
      mockApis.config({
        data: { auth: { providers: PRODUCTION_PROVIDERS } },
      }),
    )[0];
    expect(typeof github === 'object' && github.apiRef).toBe(githubAuthApiRef);
    expect(signInProviders(mockApis.config())).toEqual([]);
  });

  it('offers the platform engineer (guest) and the tenant developer', async () => {
    const fetch = jest.fn(async () => jsonResponse(ACME_SESSION));
    const { onSignInSuccess } = renderSignInPage(
      new TenantDevAuth({ discoveryApi, fetch }),
    );

    // The guest card keeps its title and "Enter" button; its text names the platform engineer.
    const guestTitle = await screen.findByText('Guest');
    const guestCard = guestTitle.closest('li') as HTMLElement;
    expect(
      within(guestCard).getByRole('button', { name: 'Enter' }),
    ).toBeInTheDocument();
    expect(guestCard).toHaveTextContent(/Platform engineer/);

    const tenantCard = screen
      .getByText(TENANT_DEV_TITLE)
      .closest('li') as HTMLElement;
    expect(tenantCard).toHaveTextContent(
      'Sign in as acme-dev, a member of team-acme',
    );
    await userEvent.click(
      within(tenantCard).getByRole('button', { name: /sign in/i }),
    );

    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalledTimes(1));
    const identity = onSignInSuccess.mock.calls[0][0];
    expect(await identity.getBackstageIdentity()).toEqual(
      ACME_SESSION.backstageIdentity.identity,
    );
    expect(await identity.getCredentials()).toEqual({
      token: ACME_SESSION.backstageIdentity.token,
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend.test/api/auth/tenant-dev/refresh',
      {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
        credentials: 'include',
      },
    );
  });

  it('provides the tenant-dev API', () => {
    const factory = createExtensionTester(tenantDevAuthApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(tenantDevAuthApiRef);
    expect(factory.factory({ discoveryApi })).toBeInstanceOf(TenantDevAuth);
  });
});

describe('TenantDevAuth', () => {
  it('reuses a session until shortly before the token expires', async () => {
    const fetch = jest.fn(async () => jsonResponse(ACME_SESSION));
    const auth = new TenantDevAuth({ discoveryApi, fetch });
    const states: string[] = [];
    auth.sessionState$().subscribe(s => states.push(s));

    expect(await auth.getProfile()).toEqual({ displayName: 'acme-dev' });
    const identity = await auth.getBackstageIdentity();
    expect(identity?.token).toBe(ACME_SESSION.backstageIdentity.token);
    expect(identity?.expiresAt).toBeInstanceOf(Date);
    expect(fetch).toHaveBeenCalledTimes(1);

    await auth.signOut();
    expect(states).toEqual([
      SessionState.SignedOut,
      SessionState.SignedIn,
      SessionState.SignedOut,
    ]);
  });

  it('reports the backend error, or no session when asked optionally', async () => {
    const fetch = jest.fn(async () =>
      jsonResponse(
        {
          error: {
            name: 'NotAllowedError',
            message: 'The tenant-dev provider cannot be used outside …',
          },
          request: { method: 'GET', url: '/api/auth/tenant-dev/refresh' },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    const auth = new TenantDevAuth({ discoveryApi, fetch });
    expect(await auth.getBackstageIdentity({ optional: true })).toBeUndefined();
    await expect(auth.getBackstageIdentity()).rejects.toMatchObject({
      name: 'ResponseError',
      cause: { name: 'NotAllowedError' },
    });
  });

  it('rejects a response that is not a session', async () => {
    const fetch = jest.fn(async () => jsonResponse({ profile: {} }));
    const auth = new TenantDevAuth({ discoveryApi, fetch });
    await expect(auth.signIn()).rejects.toThrow(
      'Unexpected response from the tenant-dev auth provider',
    );
  });
});

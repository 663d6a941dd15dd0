import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import type { AuthResolverContext } from '@backstage/plugin-auth-node';
import { signInAsTenantDev, tenantDevAuthenticator } from './devTenantSignIn';

// The provider reads nothing from the request.
const req = {} as Parameters<
  typeof tenantDevAuthenticator.authenticate
>[0]['req'];

function withNodeEnv(value: string, fn: () => Promise<void>) {
  return async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = value;
    try {
      await fn();
    } finally {
      process.env.NODE_ENV = previous;
    }
  };
}

const init = (config: object) =>
  tenantDevAuthenticator.initialize({ config: new ConfigReader(config) });

describe('tenant-dev sign-in', () => {
  it(
    'signs in as user:default/acme-dev by default in development',
    withNodeEnv('development', async () => {
      const { result } = await tenantDevAuthenticator.authenticate(
        { req },
        init({}),
      );
      expect(result).toEqual({ userEntityRef: 'user:default/acme-dev' });
      expect(
        await tenantDevAuthenticator.defaultProfileTransform(
          result,
          {} as AuthResolverContext,
        ),
      ).toEqual({ profile: { displayName: 'acme-dev' } });

      const signInWithCatalogUser = jest.fn(async () => ({ token: 't' }));
      await signInAsTenantDev({ profile: {}, result }, {
        signInWithCatalogUser,
      } as unknown as AuthResolverContext);
      expect(signInWithCatalogUser).toHaveBeenCalledWith({
        entityRef: 'user:default/acme-dev',
      });
    }),
  );

  it(
    'signs in as the configured user',
    withNodeEnv('development', async () => {
      const { result } = await tenantDevAuthenticator.authenticate(
        { req },
        init({ userEntityRef: 'globex-dev' }),
      );
      expect(result).toEqual({ userEntityRef: 'user:default/globex-dev' });
    }),
  );

  it('refuses a ref that is not a User', () => {
    expect(() => init({ userEntityRef: 'group:default/team-acme' })).toThrow(
      'auth.providers.tenant-dev.userEntityRef must name a User, got "group:default/team-acme"',
    );
  });

  it(
    'refuses to sign in outside development',
    withNodeEnv('production', async () => {
      await expect(
        tenantDevAuthenticator.authenticate({ req }, init({})),
      ).rejects.toThrow(NotAllowedError);
      await expect(
        tenantDevAuthenticator.authenticate(
          { req },
          init({ dangerouslyAllowOutsideDevelopment: true }),
        ),
      ).resolves.toEqual({
        result: { userEntityRef: 'user:default/acme-dev' },
      });
    }),
  );
});

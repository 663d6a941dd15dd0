import {
  createApiRef,
  SessionState,
  type AuthRequestOptions,
  type BackstageIdentityApi,
  type BackstageIdentityResponse,
  type DiscoveryApi,
  type ProfileInfo,
  type ProfileInfoApi,
  type SessionApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** What core-components' SignInPage needs from a sign-in provider's API. */
export type TenantDevAuthApi = ProfileInfoApi &
  BackstageIdentityApi &
  SessionApi;

/** The development-only `tenant-dev` sign-in (packages/backend/src/modules/devTenantSignIn.ts). */
export const tenantDevAuthApiRef = createApiRef<TenantDevAuthApi>().with({
  id: 'app.tenant-dev-auth',
  pluginId: 'app',
});

/** The body of `GET /api/auth/<provider>/refresh` for a proxy provider. */
interface ProxiedSession {
  profile: ProfileInfo;
  backstageIdentity: {
    token: string;
    expiresInSeconds?: number;
    identity: BackstageIdentityResponse['identity'];
  };
}

function isProxiedSession(body: unknown): body is ProxiedSession {
  const b = body as Partial<ProxiedSession> | undefined;
  const identity = b?.backstageIdentity?.identity;
  return (
    typeof b?.profile === 'object' &&
    b.profile !== null &&
    typeof b.backstageIdentity?.token === 'string' &&
    identity?.type === 'user' &&
    typeof identity.userEntityRef === 'string' &&
    Array.isArray(identity.ownershipEntityRefs) &&
    identity.ownershipEntityRefs.every(r => typeof r === 'string')
  );
}

/** Refresh this long before the token expires, as ProxiedSignInIdentity does. */
const EXPIRY_MARGIN_MS = 5 * 60 * 1000;
/** Token lifetime to assume when the response does not say. */
const DEFAULT_LIFETIME_MS = 10 * 60 * 1000;

/**
 * Signs in through a proxy auth provider of the auth backend (by default `tenant-dev`): no
 * credentials, the backend decides who the caller is. Sessions are fetched from
 * `<auth base URL>/<provider>/refresh` and refreshed before the token expires.
 */
export class TenantDevAuth implements TenantDevAuthApi {
  private readonly provider: string;
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetch: typeof fetch;
  private session?: { value: ProxiedSession; refreshAt: number };
  private pending?: Promise<ProxiedSession>;
  private state: SessionState = SessionState.SignedOut;
  private readonly listeners = new Set<(state: SessionState) => void>();

  constructor(options: {
    discoveryApi: DiscoveryApi;
    /** The auth backend provider id; `tenant-dev` by default. */
    provider?: string;
    fetch?: typeof fetch;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.provider = options.provider ?? 'tenant-dev';
    this.fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  async getBackstageIdentity(
    options?: AuthRequestOptions,
  ): Promise<BackstageIdentityResponse | undefined> {
    const session = await this.getSession(options);
    if (!session) return undefined;
    const { token, identity } = session.backstageIdentity;
    return { token, identity, expiresAt: this.expiresAt(session) };
  }

  async getProfile(
    options?: AuthRequestOptions,
  ): Promise<ProfileInfo | undefined> {
    return (await this.getSession(options))?.profile;
  }

  async signIn(): Promise<void> {
    await this.getSession();
  }

  async signOut(): Promise<void> {
    // The backend keeps no session for a proxy provider; forgetting the token is all there is.
    this.session = undefined;
    this.setState(SessionState.SignedOut);
  }

  sessionState$(): ReturnType<SessionApi['sessionState$']> {
    const listeners = this.listeners;
    const current = () => this.state;
    const observable: ReturnType<SessionApi['sessionState$']> = {
      [Symbol.observable]: () => observable,
      subscribe(
        observerOrNext?:
          | ((value: SessionState) => void)
          | { next?(value: SessionState): void },
      ) {
        const next =
          typeof observerOrNext === 'function'
            ? observerOrNext
            : (value: SessionState) => observerOrNext?.next?.(value);
        listeners.add(next);
        next(current());
        let closed = false;
        return {
          get closed() {
            return closed;
          },
          unsubscribe() {
            closed = true;
            listeners.delete(next);
          },
        };
      },
    };
    return observable;
  }

  private expiresAt(session: ProxiedSession): Date | undefined {
    const seconds = session.backstageIdentity.expiresInSeconds;
    return seconds === undefined
      ? undefined
      : new Date(Date.now() + seconds * 1000);
  }

  private async getSession(
    options?: AuthRequestOptions,
  ): Promise<ProxiedSession | undefined> {
    if (this.session && Date.now() < this.session.refreshAt) {
      return this.session.value;
    }
    try {
      return await this.refresh();
    } catch (error) {
      // Optional requests only ask whether a session exists, e.g. on page load.
      if (options?.optional) return undefined;
      throw error;
    }
  }

  private refresh(): Promise<ProxiedSession> {
    if (!this.pending) {
      this.pending = this.fetchSession().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async fetchSession(): Promise<ProxiedSession> {
    const baseUrl = await this.discoveryApi.getBaseUrl('auth');
    const response = await this.fetch(`${baseUrl}/${this.provider}/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
      credentials: 'include',
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body: unknown = await response.json();
    if (!isProxiedSession(body)) {
      throw new Error(
        `Unexpected response from the ${this.provider} auth provider`,
      );
    }
    const lifetime =
      (body.backstageIdentity.expiresInSeconds ?? 0) * 1000 ||
      DEFAULT_LIFETIME_MS;
    this.session = {
      value: body,
      refreshAt: Date.now() + Math.max(lifetime - EXPIRY_MARGIN_MS, 30_000),
    };
    this.setState(SessionState.SignedIn);
    return body;
  }

  private setState(state: SessionState) {
    if (state === this.state) return;
    this.state = state;
    this.listeners.forEach(listener => listener(state));
  }
}

/**
 * Sign-in with OpenID Connect when the service has auth on: the authorization code flow with PKCE
 * (oidc-client-ts) against the provider at `oidc_url`, as the client `console_client_id`. The
 * provider sends the browser back to /console/signed-in; the tokens are kept in this tab's
 * session storage, renewed before they expire (with the refresh token when the provider gave one),
 * and every API call carries the access token.
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { setTokenSource } from '../api/client';
import type { ConsoleConfig } from '../config';

/** Where the provider sends the browser back after sign-in. */
export const CALLBACK_PATH = '/console/signed-in';

export interface SignIn {
  /** The signed-in user's tokens, or null when nobody is signed in. */
  user: User | null;
  /** Sends the browser to the provider; it comes back to the page it left. */
  signIn(): Promise<void>;
  signOut(): Promise<void>;
}

const here = (): string => `${window.location.pathname}${window.location.search}`;

/** The page the browser was on before the provider, if it is one of the console's. */
function returnPath(user: User): string {
  const state = user.state;
  return typeof state === 'string' && state.startsWith('/console/') && !state.startsWith(CALLBACK_PATH)
    ? state
    : '/console/';
}

export async function prepareSignIn(config: ConsoleConfig): Promise<SignIn> {
  if (config.oidc_url === null || config.console_client_id === null)
    throw new Error(
      'auth is on but the service has no oidc_url or console_client_id: the console cannot sign in',
    );
  const origin = window.location.origin;
  // `oidc_url` is the provider's discovery document (…/.well-known/openid-configuration) or its issuer.
  const discovery = config.oidc_url.indexOf('/.well-known/');
  const manager = new UserManager({
    authority: discovery >= 0 ? config.oidc_url.slice(0, discovery) : config.oidc_url,
    ...(discovery >= 0 ? { metadataUrl: config.oidc_url } : {}),
    client_id: config.console_client_id,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/console/`,
    response_type: 'code',
    scope: 'openid profile',
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });

  let user: User | null;
  if (window.location.pathname === CALLBACK_PATH) {
    user = await manager.signinRedirectCallback();
    window.history.replaceState(null, '', returnPath(user));
  } else {
    user = await manager.getUser();
  }
  if (user?.expired) {
    // A token that ran out while the tab was closed: renew it if the provider lets us.
    user = await manager.signinSilent().catch(() => null);
  }
  if (user === null || user.expired) await manager.removeUser();

  setTokenSource(async () => {
    const current = await manager.getUser();
    if (current === null) return null;
    if (!current.expired) return current.access_token;
    const renewed = await manager.signinSilent().catch(() => null);
    return renewed?.access_token ?? null;
  });

  return {
    user: user !== null && !user.expired ? user : null,
    signIn: () => manager.signinRedirect({ state: here() }),
    signOut: async () => {
      await manager.removeUser();
      await manager.signoutRedirect().catch(() => window.location.assign('/console/'));
    },
  };
}

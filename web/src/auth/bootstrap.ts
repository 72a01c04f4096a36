// Start-up sign-in. Reads /config.json when present and asks GET /session:
// local mode (`bulwark serve`) needs no sign-in; otherwise the Cognito
// hosted UI signs the user in with the authorization-code flow and PKCE.
// Tokens stay in memory; the PKCE verifier and state survive the redirect
// in sessionStorage and are removed as soon as the code is exchanged.
// GET /session goes through the app's one Rest client (main.tsx makes it
// first and passes it in): configureApi only sets where it calls and with
// which token. /config.json (the web origin's file) and the hosted UI's token
// endpoint are not the API, so they use fetch.
import { configureApi } from '../api/auth';
import { restClient, type Rest } from '../api/rest';
import { authorizeUrl, exchangeCode, logoutUrl, refreshTokens, type HostedUi } from './cognito';
import { apiBaseOf, hostedUiBase, loadConfig } from './config';
import { challengeS256, randomString } from './pkce';
import { setAuthState, type AuthState, type Session } from './session';
import { fromResponse, refreshDelay, TokenHolder } from './tokens';

const KEY = 'bulwark.signin';

export interface BootDeps {
  /** fetch reads /config.json and calls the hosted UI's token endpoint. */
  fetch: typeof fetch;
  /** rest is the app's API client; without it, one over fetch. */
  rest?: Rest;
  location: Pick<Location, 'origin' | 'pathname' | 'search' | 'hash'>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** go leaves the app (hosted UI, logout). */
  go: (url: string) => void;
  replaceUrl: (path: string) => void;
  now: () => number;
  setTimer: (fn: () => void, ms: number) => void;
}

const browserDeps = (): BootDeps => ({
  fetch: (...a) => fetch(...a),
  location: window.location,
  storage: window.sessionStorage,
  go: (url) => window.location.assign(url),
  replaceUrl: (p) => history.replaceState(null, '', p),
  now: () => Date.now(),
  setTimer: (fn, ms) => void setTimeout(fn, Math.min(ms, 2 ** 31 - 1)),
});

const isComplete = (d: Partial<BootDeps>): d is BootDeps =>
  !!(d.fetch && d.location && d.storage && d.go && d.replaceUrl && d.now && d.setTimer);

/** getSession asks the API who the caller is (with the configured token, if any); null when it cannot tell. */
async function getSession(rest: Rest): Promise<Session | null> {
  try {
    return (await rest<Session>('GET', '/session')).body ?? null;
  } catch {
    return null;
  }
}

/** signIn sends the browser to the hosted UI with a fresh PKCE verifier and state. */
export async function signIn(h: HostedUi, d: BootDeps): Promise<string> {
  const verifier = randomString(32);
  const state = randomString(16);
  d.storage.setItem(KEY, JSON.stringify({ verifier, state, back: d.location.pathname + d.location.search }));
  const url = authorizeUrl(h, await challengeS256(verifier), state);
  d.go(url);
  return url;
}

/**
 * bootstrap configures the API client and resolves to the auth state, or
 * to 'redirecting' when the browser is on its way to the hosted UI.
 */
export async function bootstrap(deps?: Partial<BootDeps>): Promise<AuthState | 'redirecting'> {
  const d: BootDeps = deps && isComplete(deps) ? deps : { ...browserDeps(), ...deps };
  const rest = d.rest ?? restClient(d.fetch);
  const cfg = await loadConfig(d.fetch);
  configureApi({ base: apiBaseOf(cfg) });
  const local = await getSession(rest);
  if (local?.authMode === 'local') return publish({ session: local });
  const hostedBase = hostedUiBase(cfg);
  if (!hostedBase || !cfg?.userPoolClientId) {
    return publish({ session: local, error: local ? undefined : 'Sign-in is not configured: /config.json has no Cognito domain and client id.' });
  }
  const h: HostedUi = { base: hostedBase, clientId: cfg.userPoolClientId, redirectUri: `${d.location.origin}/` };
  const holder = new TokenHolder((rt) => refreshTokens(h, rt, d.fetch), d.now);

  const params = new URLSearchParams(d.location.search);
  const code = params.get('code');
  const saved = d.storage.getItem(KEY);
  if (!code || !saved) {
    await signIn(h, d);
    return 'redirecting';
  }
  d.storage.removeItem(KEY);
  const { verifier, state, back } = JSON.parse(saved) as { verifier: string; state: string; back: string };
  if (params.get('state') !== state) return publish({ session: null, error: 'Sign-in failed: the state does not match. Reload to try again.' });
  try {
    holder.set(fromResponse(await exchangeCode(h, code, verifier, d.fetch), d.now()));
  } catch (e) {
    return publish({ session: null, error: `Sign-in failed: ${(e as Error).message}` });
  }
  d.replaceUrl(back || '/');
  configureApi({ token: () => holder.idToken() });
  const schedule = () => {
    const t = holder.current;
    if (!t?.refreshToken) return;
    d.setTimer(() => void holder.refreshNow().then((fresh) => fresh && schedule()), refreshDelay(t, d.now()));
  };
  schedule();
  const session = await getSession(rest);
  const signOut = () => {
    holder.set(null);
    d.go(logoutUrl(h));
  };
  return publish({ session, signOut });
}

function publish(s: AuthState): AuthState {
  setAuthState(s);
  return s;
}

import { describe, expect, it, vi } from 'vitest';
import { authorizeUrl, logoutUrl } from './cognito';
import { apiBaseOf, hostedUiBase } from './config';
import { base64url, challengeS256, randomString } from './pkce';
import { decodeJwt, fromResponse, needsRefresh, refreshDelay, REFRESH_MARGIN_MS, TokenHolder, type TokenResponse } from './tokens';
import { bootstrap, type BootDeps } from './bootstrap';
import type { Rest } from '../api/rest';

const jwt = (claims: Record<string, unknown>) => `h.${base64url(new TextEncoder().encode(JSON.stringify(claims)))}.s`;

describe('PKCE', () => {
  it('computes the RFC 7636 S256 challenge', async () => {
    expect(await challengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
  it('makes base64url verifiers of 43+ characters, different every time', () => {
    const a = randomString(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomString(32)).not.toBe(a);
  });
  it('builds the authorize URL with the challenge and S256', () => {
    const u = new URL(authorizeUrl({ base: 'https://auth.example.com', clientId: 'cid', redirectUri: 'https://app.example.com/' }, 'CH', 'ST'));
    expect(u.origin + u.pathname).toBe('https://auth.example.com/oauth2/authorize');
    expect(Object.fromEntries(u.searchParams)).toMatchObject({ response_type: 'code', client_id: 'cid', code_challenge: 'CH', code_challenge_method: 'S256', state: 'ST', redirect_uri: 'https://app.example.com/' });
    expect(logoutUrl({ base: 'https://auth.example.com', clientId: 'cid', redirectUri: 'https://app/' })).toBe('https://auth.example.com/logout?client_id=cid&logout_uri=https%3A%2F%2Fapp%2F');
  });
});

describe('config', () => {
  it('derives the hosted UI and API base', () => {
    expect(hostedUiBase({ cognitoDomain: 'x.auth.eu-west-1.amazoncognito.com', userPoolClientId: 'c' })).toBe('https://x.auth.eu-west-1.amazoncognito.com');
    expect(hostedUiBase({ domain: 'https://login.example.com/', userPoolClientId: 'c' })).toBe('https://login.example.com');
    expect(hostedUiBase({ cognitoDomain: 'x' })).toBeNull();
    expect(apiBaseOf({ apiUrl: 'https://api.example.com/' })).toBe('https://api.example.com/api/v1');
    expect(apiBaseOf(null)).toBe('/api/v1');
  });
});

describe('tokens', () => {
  const now = 1_000_000_000_000;
  const resp = (exp: number, refresh?: string): TokenResponse => ({ id_token: jwt({ exp: exp / 1000, 'custom:tenant': 'acme' }), access_token: 'a', refresh_token: refresh, expires_in: 3600 });
  it('reads claims and expiry from the ID token', () => {
    const t = fromResponse(resp(now + 600_000, 'r1'), now);
    expect(t.expiresAt).toBe(now + 600_000);
    expect(decodeJwt(t.idToken)['custom:tenant']).toBe('acme');
    expect(needsRefresh(t, now)).toBe(false);
    expect(needsRefresh(t, now + 600_000 - REFRESH_MARGIN_MS)).toBe(true);
    expect(refreshDelay(t, now)).toBe(600_000 - REFRESH_MARGIN_MS);
  });
  it('keeps the refresh token across a refresh that returns none', () => {
    const old = fromResponse(resp(now + 1000, 'r1'), now);
    expect(fromResponse(resp(now + 5000), now, old).refreshToken).toBe('r1');
  });
  it('refreshes once for concurrent callers near expiry, and signs out when refresh fails', async () => {
    let clock = now;
    const refresh = vi.fn(async (rt: string) => {
      expect(rt).toBe('r1');
      return resp(clock + 3_600_000);
    });
    const h = new TokenHolder(refresh, () => clock);
    expect(await h.idToken()).toBeNull();
    h.set(fromResponse(resp(now + 3_600_000, 'r1'), now));
    const first = await h.idToken();
    expect(refresh).not.toHaveBeenCalled();
    clock = now + 3_600_000 - 30_000;
    const [a, b] = await Promise.all([h.idToken(), h.idToken()]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(a).toBe(b);
    expect(a).not.toBe(first);
    const failing = new TokenHolder(async () => Promise.reject(new Error('revoked')), () => clock);
    failing.set(fromResponse(resp(clock + 1000, 'r1'), clock));
    expect(await failing.idToken()).toBeNull();
    expect(failing.current).toBeNull();
  });
});

function fakeDeps(routes: Record<string, () => Response>, search = ''): BootDeps & { went: string[]; store: Map<string, string> } {
  const store = new Map<string, string>();
  const went: string[] = [];
  return {
    went,
    store,
    fetch: (async (input: RequestInfo | URL) => {
      const url = String(input);
      const k = Object.keys(routes).find((r) => url.endsWith(r));
      return k ? routes[k]() : new Response('not found', { status: 404 });
    }) as typeof fetch,
    location: { origin: 'https://app.example.com', pathname: '/models/x', search, hash: '' },
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) },
    go: (u) => void went.push(u),
    replaceUrl: () => {},
    now: () => 1_000_000_000_000,
    setTimer: () => {},
  };
}

describe('bootstrap', () => {
  it('skips sign-in when the server is in local mode', async () => {
    const d = fakeDeps({ '/api/v1/session': () => Response.json({ authMode: 'local', role: 'admin', user: 'admin' }) });
    const s = await bootstrap(d);
    expect(s).toMatchObject({ session: { authMode: 'local' } });
    expect(d.went).toEqual([]);
  });
  it('asks GET /session through the Rest client it is given', async () => {
    const asked: string[] = [];
    const rest: Rest = async <T,>(method: string, path: string) => {
      asked.push(`${method} ${path}`);
      return { body: { authMode: 'local', role: 'admin', user: 'admin' } as T };
    };
    const d = fakeDeps({});
    const s = await bootstrap({ ...d, rest });
    expect(asked).toEqual(['GET /session']);
    expect(s).toMatchObject({ session: { authMode: 'local', user: 'admin' } });
  });
  it('redirects to the hosted UI with a PKCE challenge, then exchanges the code', async () => {
    const cfg = { apiUrl: 'https://api.example.com', userPoolClientId: 'cid', cognitoDomain: 'auth.example.com' };
    let tokenBody = '';
    const routes: Record<string, () => Response> = {
      '/config.json': () => Response.json(cfg),
      '/api/v1/session': () => new Response('{}', { status: 401 }),
    };
    const d = fakeDeps(routes);
    expect(await bootstrap(d)).toBe('redirecting');
    const u = new URL(d.went[0]);
    expect(u.host).toBe('auth.example.com');
    const saved = JSON.parse(d.store.get('bulwark.signin')!);
    expect(u.searchParams.get('code_challenge')).toBe(await challengeS256(saved.verifier));
    expect(saved.back).toBe('/models/x');

    // Back from the hosted UI with the code.
    const idToken = jwt({ exp: 1_000_000_000 + 3600, 'custom:tenant': 'acme' });
    const back = fakeDeps({
      ...routes,
      '/oauth2/token': () => Response.json({ id_token: idToken, access_token: 'a', refresh_token: 'r', expires_in: 3600 }),
      '/api/v1/session': () => Response.json({ authMode: 'jwt', tenant: 'acme', role: 'editor' }),
    }, `?code=C1&state=${saved.state}`);
    back.store.set('bulwark.signin', JSON.stringify(saved));
    const f = back.fetch;
    const sessionCalls: { url: string; headers: Record<string, string> }[] = [];
    back.fetch = (async (i: RequestInfo | URL, init?: RequestInit) => {
      if (String(i).endsWith('/oauth2/token')) tokenBody = String(init?.body);
      if (String(i).endsWith('/session')) sessionCalls.push({ url: String(i), headers: { ...(init?.headers as Record<string, string>) } });
      return f(i, init);
    }) as typeof fetch;
    const s = await bootstrap(back);
    expect(s).toMatchObject({ session: { authMode: 'jwt', tenant: 'acme' } });
    // GET /session went through the API client: at the configured API, without a token first, then with the ID token.
    expect(sessionCalls.map((c) => c.url)).toEqual(['https://api.example.com/api/v1/session', 'https://api.example.com/api/v1/session']);
    expect(sessionCalls[0].headers.Authorization).toBeUndefined();
    expect(sessionCalls[1].headers.Authorization).toBe(`Bearer ${idToken}`);
    expect(sessionCalls[1].headers['X-Bulwark-Client']).toBe('web');
    expect(new URLSearchParams(tokenBody).get('code_verifier')).toBe(saved.verifier);
    expect(back.store.has('bulwark.signin')).toBe(false);
  });
});

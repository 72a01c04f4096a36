// Cognito hosted UI: the authorize and logout URLs and the token endpoint
// (authorization code with PKCE, refresh token), for a public app client.
import type { TokenResponse } from './tokens';

export interface HostedUi {
  /** base is https://<cognito domain>. */
  base: string;
  clientId: string;
  redirectUri: string;
  scopes?: string[];
}

export function authorizeUrl(h: HostedUi, challenge: string, state: string): string {
  const p = new URLSearchParams({
    response_type: 'code',
    client_id: h.clientId,
    redirect_uri: h.redirectUri,
    scope: (h.scopes ?? ['openid', 'email', 'profile']).join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${h.base}/oauth2/authorize?${p}`;
}

export function logoutUrl(h: HostedUi): string {
  const p = new URLSearchParams({ client_id: h.clientId, logout_uri: h.redirectUri });
  return `${h.base}/logout?${p}`;
}

async function tokenCall(h: HostedUi, params: Record<string, string>, fetchFn: typeof fetch): Promise<TokenResponse> {
  const r = await fetchFn(`${h.base}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: h.clientId, ...params }).toString(),
  });
  if (!r.ok) throw new Error(`token endpoint: HTTP ${r.status}`);
  return (await r.json()) as TokenResponse;
}

export function exchangeCode(h: HostedUi, code: string, verifier: string, fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<TokenResponse> {
  return tokenCall(h, { grant_type: 'authorization_code', code, redirect_uri: h.redirectUri, code_verifier: verifier }, fetchFn);
}

export function refreshTokens(h: HostedUi, refreshToken: string, fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<TokenResponse> {
  return tokenCall(h, { grant_type: 'refresh_token', refresh_token: refreshToken }, fetchFn);
}

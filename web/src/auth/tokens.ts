// Tokens of the signed-in user, kept in memory only (never localStorage):
// the ID token is what the API gets (it carries custom:tenant), refreshed
// silently with the refresh token before it expires.

export interface TokenResponse {
  id_token: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type?: string;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** expiresAt is in ms since the epoch. */
  expiresAt: number;
}

/** REFRESH_MARGIN_MS: refresh this long before the ID token expires. */
export const REFRESH_MARGIN_MS = 60_000;

/** decodeJwt returns a JWT's claims without verifying it (the API verifies). */
export function decodeJwt(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bin = atob(b64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** fromResponse turns a token endpoint answer into Tokens, keeping the old refresh token when a refresh returns none. */
export function fromResponse(r: TokenResponse, now: number, previous?: Tokens): Tokens {
  let expiresAt = now + r.expires_in * 1000;
  try {
    const exp = decodeJwt(r.id_token).exp;
    if (typeof exp === 'number') expiresAt = Math.min(expiresAt, exp * 1000);
  } catch {
    /* opaque token: trust expires_in */
  }
  return { idToken: r.id_token, accessToken: r.access_token, refreshToken: r.refresh_token ?? previous?.refreshToken, expiresAt };
}

/** needsRefresh tells whether the tokens expire within the margin. */
export function needsRefresh(t: Tokens, now: number): boolean {
  return t.expiresAt - now <= REFRESH_MARGIN_MS;
}

/** refreshDelay is how long to wait before refreshing silently. */
export function refreshDelay(t: Tokens, now: number): number {
  return Math.max(0, t.expiresAt - REFRESH_MARGIN_MS - now);
}

/**
 * TokenHolder keeps the tokens in memory and hands out a fresh ID token,
 * refreshing once (concurrent callers share the refresh) when it is about
 * to expire.
 */
export class TokenHolder {
  private tokens: Tokens | null = null;
  private refreshing: Promise<Tokens | null> | null = null;
  constructor(
    private readonly refresh: (refreshToken: string) => Promise<TokenResponse>,
    private readonly now: () => number = () => Date.now(),
  ) {}

  set(t: Tokens | null): void {
    this.tokens = t;
  }

  get current(): Tokens | null {
    return this.tokens;
  }

  /** idToken returns a valid ID token, refreshing if needed; null when signed out or the refresh failed. */
  async idToken(): Promise<string | null> {
    const t = this.tokens;
    if (!t) return null;
    if (!needsRefresh(t, this.now())) return t.idToken;
    const fresh = await this.refreshNow();
    return fresh?.idToken ?? null;
  }

  /** refreshNow refreshes the tokens once, sharing one request among callers. */
  refreshNow(): Promise<Tokens | null> {
    const t = this.tokens;
    if (!t?.refreshToken) return Promise.resolve(t && !needsRefresh(t, this.now()) ? t : null);
    if (!this.refreshing) {
      this.refreshing = this.refresh(t.refreshToken)
        .then((r) => (this.tokens = fromResponse(r, this.now(), t)))
        .catch(() => (this.tokens = null))
        .finally(() => (this.refreshing = null));
    }
    return this.refreshing;
  }
}

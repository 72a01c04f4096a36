// Where the API is and who calls it: the base URL (…/api/v1, from
// /config.json when deployed) and the bearer token of the signed-in user.
// Set once at start-up by auth/bootstrap.ts; restClient in rest.ts reads
// them on every call. No imports: rest.ts uses it, and the report links
// read apiBase and usesTokens (a link is followed without the client).

/** TokenSource returns the bearer token to send, or null (local mode). */
export type TokenSource = () => Promise<string | null>;

let base = '/api/v1';
let tokenSource: TokenSource = async () => null;
let tokens = false;

/** configureApi sets the API base URL and the token source. */
export function configureApi(opts: { base?: string; token?: TokenSource }): void {
  if (opts.base !== undefined) base = opts.base;
  if (opts.token) {
    tokenSource = opts.token;
    tokens = true;
  }
}

/** usesTokens reports, synchronously, whether calls carry a bearer token (jwt mode). */
export function usesTokens(): boolean {
  return tokens;
}

/** apiBase is the configured base URL of the API, e.g. /api/v1. */
export function apiBase(): string {
  return base;
}

/** authHeaders returns the Authorization header for the current user, if any. */
export async function authHeaders(): Promise<Record<string, string>> {
  const t = await tokenSource();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

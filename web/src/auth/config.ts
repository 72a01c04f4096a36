// The deployed app's /config.json (written by infra's WebConfig stack).

export interface WebConfig {
  apiUrl?: string;
  region?: string;
  userPoolId?: string;
  userPoolClientId?: string;
  /** cognitoDomain is the hosted UI's domain, e.g. bulwark.auth.eu-west-1.amazoncognito.com (or a full URL). */
  cognitoDomain?: string;
  domain?: string;
  tenantClaim?: string;
}

/** hostedUiBase returns https://<domain> of the Cognito hosted UI, or null when not configured. */
export function hostedUiBase(c: WebConfig | null): string | null {
  const d = c?.cognitoDomain || c?.domain;
  if (!d || !c?.userPoolClientId) return null;
  return (/^https?:\/\//.test(d) ? d : `https://${d}`).replace(/\/+$/, '');
}

/** apiBaseOf returns the API base (…/api/v1) for a config. */
export function apiBaseOf(c: WebConfig | null): string {
  const u = c?.apiUrl?.replace(/\/+$/, '') ?? '';
  return u.endsWith('/api/v1') ? u : `${u}/api/v1`;
}

/** loadConfig reads /config.json; null when it is absent (local `bulwark serve`). */
export async function loadConfig(fetchFn: typeof fetch = (...a) => fetch(...a)): Promise<WebConfig | null> {
  try {
    const r = await fetchFn('/config.json', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!r.ok) return null;
    const t = await r.text();
    const c = JSON.parse(t) as unknown;
    return c && typeof c === 'object' ? (c as WebConfig) : null;
  } catch {
    return null;
  }
}

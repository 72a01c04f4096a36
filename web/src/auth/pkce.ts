// PKCE (RFC 7636) for the authorization-code flow: a random verifier and its
// S256 challenge, both base64url without padding.

/** base64url encodes bytes as base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** randomString returns n random bytes as base64url (43 characters for 32 bytes). */
export function randomString(n = 32): string {
  const b = new Uint8Array(n);
  crypto.getRandomValues(b);
  return base64url(b);
}

/** challengeS256 is BASE64URL(SHA256(verifier)). */
export async function challengeS256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

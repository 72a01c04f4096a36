// Browser test of sign-in for the deployed app: a JWT-mode /config.json and
// a session that needs a token send the browser to the Cognito hosted UI
// with a PKCE challenge; the code comes back, tokens stay in memory and go
// with every API call; sign-out goes to the hosted UI's logout. No real
// Cognito: the config, the session answer, the hosted UI and the token
// endpoint are intercepted.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const DOMAIN = 'auth.bulwark.test';
const b64url = (buf) => Buffer.from(buf).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (claims) => `${b64url(JSON.stringify({ alg: 'none' }))}.${b64url(JSON.stringify(claims))}.sig`;

/**
 * fakeJwtMode makes page see a JWT-mode deployment: /config.json names a
 * hosted UI, GET /session wants idToken, and the hosted UI and its token
 * endpoint (which answers idToken) are intercepted. It returns the hosted
 * UI pages asked for and the token requests.
 */
async function fakeJwtMode(page, base, idToken) {
  const hosted = [];
  const tokenRequests = [];
  // Served by `bulwark serve`, the app's CSP allows connections to itself
  // only; deployed, CloudFront's policy also allows the hosted UI domain's
  // token endpoint (infra/web.go, checked by deployed.mjs). Give the pages
  // of this test the deployed rule for that domain.
  await page.route((u) => u.origin === base && !u.pathname.startsWith('/api/') && !u.pathname.includes('.'), async (r) => {
    const res = await r.fetch();
    const headers = res.headers();
    headers['content-security-policy'] = (headers['content-security-policy'] ?? '').replace("connect-src 'self'", `connect-src 'self' https://${DOMAIN}`);
    return r.fulfill({ response: res, headers });
  });
  await page.route('**/config.json', (r) => r.fulfill({ json: { apiUrl: base, region: 'eu-west-1', userPoolId: 'eu-west-1_e2e', userPoolClientId: 'e2e-client', cognitoDomain: DOMAIN } }));
  await page.route('**/api/v1/session', (r) => {
    const auth = r.request().headers().authorization;
    if (auth !== `Bearer ${idToken}`) return r.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Unauthorized', status: 401 }) });
    return r.fulfill({ json: { authMode: 'jwt', user: 'alice', tenant: 'acme', role: 'admin' } });
  });
  await page.route(`https://${DOMAIN}/**`, (r) => {
    const url = new URL(r.request().url());
    if (url.pathname === '/oauth2/token') {
      tokenRequests.push(Object.fromEntries(new URLSearchParams(r.request().postData())));
      return r.fulfill({ json: { id_token: idToken, access_token: 'access', refresh_token: 'refresh', expires_in: 3600, token_type: 'Bearer' }, headers: { 'Access-Control-Allow-Origin': '*' } });
    }
    hosted.push(url);
    return r.fulfill({ contentType: 'text/html', body: '<title>Hosted UI</title>' });
  });
  return { hosted, tokenRequests };
}

/** signIn opens the app, follows it to the (fake) hosted UI and comes back with a code: signed in, tokens in memory. */
async function signIn(page, base) {
  await page.goto(`${base}/`);
  await page.waitForURL(new RegExp(`^https://${DOMAIN}/oauth2/authorize`));
  const state = new URL(page.url()).searchParams.get('state');
  await page.goto(`${base}/?code=the-code&state=${encodeURIComponent(state)}`);
  await page.getByTestId('nav-user').waitFor();
}

export function register(test) {
  test('auth: JWT config redirects to the hosted UI with a PKCE challenge; the code signs in; the ID token goes with API calls', async ({ page, base }) => {
    const idToken = jwt({ sub: 'u1', 'custom:tenant': 'acme', exp: Math.floor(Date.now() / 1000) + 3600 });
    const apiAuth = [];
    const { hosted, tokenRequests } = await fakeJwtMode(page, base, idToken);
    page.on('request', (req) => {
      const u = new URL(req.url());
      if (u.origin === base && u.pathname.startsWith('/api/v1/') && u.pathname !== '/api/v1/session') apiAuth.push([u.pathname, req.headers().authorization]);
    });

    // Opening the app redirects to the hosted UI's authorize endpoint.
    await page.goto(`${base}/accelerator`);
    await page.waitForURL(new RegExp(`^https://${DOMAIN}/oauth2/authorize`));
    const auth = hosted.find((u) => u.pathname === '/oauth2/authorize');
    assert.ok(auth, 'the hosted UI was asked to authorize');
    const p = Object.fromEntries(auth.searchParams);
    assert.equal(p.response_type, 'code');
    assert.equal(p.client_id, 'e2e-client');
    assert.equal(p.redirect_uri, `${base}/`);
    assert.equal(p.code_challenge_method, 'S256');
    assert.match(p.code_challenge, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(p.state);

    // Back with a code: the verifier matching the challenge is exchanged, the app opens where it was.
    await page.goto(`${base}/?code=the-code&state=${encodeURIComponent(p.state)}`);
    await page.getByTestId('nav-user').waitFor();
    assert.match(await page.getByTestId('nav-user').innerText(), /alice \(admin\)/);
    assert.equal(tokenRequests.length, 1);
    const t = tokenRequests[0];
    assert.equal(t.grant_type, 'authorization_code');
    assert.equal(t.code, 'the-code');
    assert.equal(b64url(createHash('sha256').update(t.code_verifier).digest()), p.code_challenge, 'the verifier matches the challenge');
    await page.waitForURL(`${base}/accelerator`);
    await page.getByTestId('accelerator').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="accel-count-accounts"]')?.textContent !== '–');
    assert.ok(apiAuth.length > 0);
    for (const [path, h] of apiAuth) assert.equal(h, `Bearer ${idToken}`, `${path} carries the ID token`);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!stored.includes(idToken) && !stored.includes('refresh'), 'tokens are not stored in the browser');

    // Sign out: the hosted UI's logout.
    await page.getByTestId('sign-out').click();
    await page.waitForURL(new RegExp(`^https://${DOMAIN}/logout`));
    assert.equal(new URL(page.url()).searchParams.get('client_id'), 'e2e-client');
  });

  test('auth: in JWT mode a report downloads through the API client with the ID token; an error answer is shown, not saved', async ({ page, base }) => {
    const idToken = jwt({ sub: 'u1', 'custom:tenant': 'acme', exp: Math.floor(Date.now() / 1000) + 3600 });
    await fakeJwtMode(page, base, idToken);
    await signIn(page, base);
    // In the app from here on: a reload would sign in again (tokens live in memory).
    await page.getByTestId('btn-new-model').click();
    await page.getByTestId('new-name').fill('Reports with a token');
    await page.getByTestId('new-create').click();
    await page.waitForURL(/\/models\/[^/]+$/);
    await page.getByTestId('canvas').waitFor();
    const asked = [];
    page.on('request', (r) => r.url().includes('/reports/') && asked.push([new URL(r.url()).pathname + new URL(r.url()).search, r.headers().authorization]));

    // The server refuses: the problem's detail is shown, nothing is saved, no tab opens.
    const problem = { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'reports of this model are not yours to read' };
    await page.route('**/api/v1/models/*/reports/**', (r) => r.fulfill({ status: 403, contentType: 'application/problem+json', body: JSON.stringify(problem) }));
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.getByTestId('btn-reports').click();
    await page.getByTestId('report-executive-csv').click();
    const alert = page.getByTestId('report-error');
    await alert.waitFor();
    assert.match(await alert.innerText(), /reports of this model are not yours to read/);
    assert.equal(downloads, 0, 'a problem document is not saved as the report');
    assert.equal(page.context().pages().length, 1);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });

    // The server answers: the file is the report, asked with the ID token.
    await page.unroute('**/api/v1/models/*/reports/**');
    await page.getByTestId('btn-reports').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-executive-csv').click()]);
    assert.equal(download.suggestedFilename(), 'executive.csv');
    assert.match(await readFile(await download.path(), 'utf8'), /\S/);
    assert.equal(asked.length, 2);
    for (const [path, auth] of asked) {
      assert.match(path, /^\/api\/v1\/models\/[^/]+\/reports\/executive\?format=csv&download=true$/);
      assert.equal(auth, `Bearer ${idToken}`);
    }
    assert.equal(await page.getByTestId('report-error').count(), 0);
  });

  test('auth: local mode (bulwark serve) skips sign-in', async ({ page, base }) => {
    await page.goto(`${base}/accelerator`);
    await page.getByTestId('accelerator').waitFor();
    assert.equal(new URL(page.url()).origin, base);
    assert.match(await page.getByTestId('nav-user').innerText(), /admin/);
    assert.equal(await page.getByTestId('sign-out').count(), 0);
  });
}

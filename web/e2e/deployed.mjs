// Browser test of the deployed shape, all on loopback: the built web app
// behind a CloudFront stand-in sending exactly the headers of the
// synthesized response-headers policy (CSP included), a fake Cognito hosted
// UI, and `bulwark serve --auth jwt` behind an API Gateway stand-in with the
// synthesized routes, JWT authorizer and CORS configuration. Everything
// comes from testdata/deployed-shape.json, which infra's TestDeployedShape
// generates from the templates; BULWARK_DEPLOYED_SHAPE points at another
// shape file (e.g. one generated from older infra code).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CHROMIUM_ARGS, launchBrowser, startServer } from './lib.mjs';
import { b64url, loadShape, selfSignedCert, startApiGateway, startCloudFront, startHostedUi } from './deployed-servers.mjs';

const hostOf = (u) => new URL(u).hostname;

export function register(test, { nodeOf, dragToCanvas, waitSaved }) {
  test('deployed: CloudFront headers, hosted UI sign-in with PKCE, API Gateway CORS and JWT authorizer: sign in, library, save a diagram with If-Match', async () => {
    const shape = loadShape();
    const web = shape.webOrigin;
    const apiOrigin = new URL(shape.apiUrl).origin;
    const tls = selfSignedCert([hostOf(web), hostOf(apiOrigin), hostOf(shape.hostedUiOrigin)]);
    const stops = [];
    let browser;
    const diagnostics = [];
    try {
      const hosted = await startHostedUi(shape, tls);
      stops.push(hosted.stop);
      const backend = await startServer({
        env: {
          BULWARK_AUTH: 'jwt',
          BULWARK_JWT_ISSUER: shape.issuer,
          BULWARK_JWT_AUDIENCE: shape.audience,
          BULWARK_JWT_JWKS_URL: hosted.jwksUrl,
          // The JWKS is on loopback here; jwt mode refuses loopback otherwise.
          BULWARK_OUTBOUND_ALLOW: '127.0.0.1/32',
        },
      });
      stops.push(backend.stop);
      const gateway = await startApiGateway(shape, tls, { port: Number(new URL(backend.base).port) }, hosted.verifyJwt);
      stops.push(gateway.stop);
      const cloudfront = await startCloudFront(shape, tls);
      stops.push(cloudfront.stop);

      const rules = [
        `MAP ${hostOf(web)} 127.0.0.1:${cloudfront.port}`,
        `MAP ${hostOf(apiOrigin)} 127.0.0.1:${gateway.port}`,
        `MAP ${hostOf(shape.hostedUiOrigin)} 127.0.0.1:${hosted.port}`,
      ].join(',');
      browser = await launchBrowser({ args: [...CHROMIUM_ARGS, `--host-resolver-rules=${rules}`], ignoreHTTPSErrors: true });
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(e));
      page.on('console', (m) => m.type() === 'error' && diagnostics.push(`console: ${m.text()}`));
      const saves = [];
      page.on('request', (r) => {
        if (r.method() === 'PUT' && r.url().startsWith(apiOrigin)) saves.push(r.headers());
      });
      diagnostics.push(() => `API Gateway saw:\n${gateway.log.map((e) => `  ${e.method} ${e.path} → ${e.route} ${e.preflight ? '(preflight) ' : ''}${e.status}`).join('\n')}`);

      // The web app comes with exactly the policy's headers.
      const first = await page.goto(`${web}/`);
      const headers = first.headers();
      for (const [k, v] of Object.entries(shape.webHeaders)) assert.equal(headers[k], v, `${k} of index.html`);

      // Not signed in: off to the hosted UI with a PKCE challenge.
      await page.waitForURL((u) => u.origin === shape.hostedUiOrigin && u.pathname === '/oauth2/authorize');
      await page.getByTestId('hosted-username').fill('alice@example.com');
      await page.getByTestId('hosted-password').fill('correct horse battery staple');
      await page.getByTestId('hosted-sign-in').click();

      // Back with a code, which the app exchanges at /oauth2/token (CSP
      // connect-src), then asks the API who it is (a CORS preflight for the
      // Authorization header, which must not meet the authorizer).
      await page.waitForURL((u) => u.origin === web);
      await page.getByTestId('nav-user').waitFor({ timeout: 20_000 });
      assert.match(await page.getByTestId('nav-user').innerText(), /\(admin\)/);
      const [authz] = hosted.authorizeRequests;
      const exchange = hosted.tokenRequests.find((r) => r.grant_type === 'authorization_code');
      assert.ok(exchange, 'the code was exchanged');
      assert.equal(b64url(createHash('sha256').update(exchange.code_verifier).digest()), authz.code_challenge, 'the verifier matches the challenge');

      // The library, then a new model whose diagram is saved with If-Match.
      // (No page.goto from here on: tokens live in memory only, so a reload
      // would sign in again.)
      await page.getByTestId('btn-new-model').click();
      await page.getByTestId('new-name').fill('Deployed shape');
      await page.getByTestId('new-create').click();
      await page.waitForURL(/\/models\/[^/]+$/);
      await page.getByTestId('canvas').waitFor();
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
      await dragToCanvas(page, 'aws.ec2', 420, 300);
      await nodeOf(page, 'aws.ec2').waitFor();
      await waitSaved(page);
      const put = saves.find((h) => h['if-match']);
      assert.ok(put, `a save carried If-Match (saves: ${JSON.stringify(saves)})`);
      assert.ok(gateway.log.some((e) => e.preflight && e.method === 'OPTIONS' && e.status === 204), 'preflights were answered by the gateway');
      assert.ok(gateway.log.some((e) => e.method === 'PUT' && e.status >= 200 && e.status < 300), 'the save went through the gateway');

      // What the server stored.
      const r = await fetch(`${backend.base}/api/v1/models/${encodeURIComponent(id)}/diagram`, { headers: { Authorization: `Bearer ${hosted.idToken()}` } });
      assert.equal(r.status, 200);
      const diagram = await r.json();
      assert.deepEqual(diagram.components.map((c) => c.type), ['aws.ec2']);

      // A report download: a link cannot carry the token, so the app reads it
      // through its API client (token, base URL) and saves the blob.
      const reportAuth = [];
      page.on('request', (r) => {
        if (r.url().startsWith(apiOrigin) && r.url().includes('/reports/')) reportAuth.push(r.headers().authorization);
      });
      await page.getByTestId('btn-reports').click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-executive-csv').click()]);
      assert.equal(download.suggestedFilename(), 'executive.csv');
      const csv = await readFile(await download.path(), 'utf8');
      const want = await (await fetch(`${backend.base}/api/v1/models/${encodeURIComponent(id)}/reports/executive?format=csv&download=true`, { headers: { Authorization: `Bearer ${hosted.idToken()}` } })).text();
      assert.ok(csv.length > 0, 'the report has content');
      assert.equal(csv, want, 'the saved file is the server’s report');
      assert.match(put.authorization ?? '', /^Bearer \S+$/);
      assert.deepEqual(reportAuth, [put.authorization], 'the report was asked once, with the token of the other API calls');
      assert.ok(gateway.log.some((e) => e.method === 'GET' && e.path.includes('/reports/executive') && e.status === 200), 'the report went through the gateway');
      assert.equal(await page.getByTestId('report-error').count(), 0);
      if (pageErrors.length) throw pageErrors[0];
    } catch (e) {
      const extra = diagnostics.map((d) => (typeof d === 'function' ? d() : d)).join('\n');
      e.message = `${e.message}\n${extra}`;
      e.stack = `${e.stack}\n${extra}`;
      throw e;
    } finally {
      if (browser) await browser.close();
      for (const stop of stops.reverse()) await stop();
    }
  });
}

// Browser test of issue 14 points 1 and 2: a page of another site, open in
// the user's browser, attacks a running `bulwark serve` (local mode) with
// the requests a browser sends without asking (no-cors fetches with Blob,
// text/plain and multipart bodies, an auto-submitted form) and with a DNS
// rebinding name; nothing changes. Registered with run.mjs: node e2e/run.mjs
// security.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { CHROMIUM_ARGS, ROOT, launchBrowser } from './lib.mjs';

// Chromium resolves these names to loopback: attacker.test is the other
// site, rebind.test a name an attacker rebound to 127.0.0.1.
const RESOLVER = '--host-resolver-rules=MAP attacker.test 127.0.0.1, MAP rebind.test 127.0.0.1';

/** attackPage is the other site's page: every attack on target, then window.attackDone. */
function attackPage(target, evidence, otm) {
  const model = JSON.stringify({ name: 'Forged by another site', projectType: 'AWS Cloud Application', priority: 'High', facing: 'public', diagram: { components: [], flows: [], groups: [] } });
  // A text/plain form posting {"name":"…","pad":"=…"} as its body: the classic JSON CSRF.
  const formName = model.slice(0, -1) + ',"pad":"';
  return `<!doctype html><title>other site</title>
<iframe name="sink" id="sink"></iframe>
<form id="f" method="POST" action="${target}/api/v1/models" enctype="text/plain" target="sink">
<input type="hidden" name='${formName.replace(/'/g, '&#39;')}' value='"}'></form>
<form id="g" method="POST" action="${target}/api/v1/evidence/import" enctype="multipart/form-data" target="sink2">
<input type="hidden" name="findings" value=""></form>
<iframe name="sink2" id="sink2"></iframe>
<script>
const T = ${JSON.stringify(target)};
const model = ${JSON.stringify(model)};
const evidence = ${JSON.stringify(evidence)};
const otm = ${JSON.stringify(otm)};
const results = {};
const attempt = (name, p) => p.then((r) => (results[name] = r.type === 'opaque' ? 'sent (opaque)' : r.status), (e) => (results[name] = 'blocked: ' + e.message));
const loaded = (id) => new Promise((res) => document.getElementById(id).addEventListener('load', res, { once: true }));
(async () => {
  const fd = new FormData();
  fd.append('file', new Blob([evidence], { type: 'application/json' }), 'findings.json');
  await Promise.allSettled([
    attempt('blob', fetch(T + '/api/v1/models', { method: 'POST', mode: 'no-cors', body: new Blob([model]) })),
    attempt('text', fetch(T + '/api/v1/models', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: model })),
    attempt('evidence', fetch(T + '/api/v1/evidence/import', { method: 'POST', mode: 'no-cors', body: fd })),
    attempt('import', fetch(T + '/api/v1/import?from=otm', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: otm })),
    attempt('json-cors', fetch(T + '/api/v1/models', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Bulwark-Client': 'web' }, body: model })),
    attempt('delete', fetch(T + '/api/v1/models/' + encodeURIComponent(window.victim), { method: 'DELETE', mode: 'no-cors' })),
  ]);
  // The evidence form carries the findings as a file through DataTransfer.
  const input = document.createElement('input');
  input.type = 'file';
  input.name = 'file';
  const dt = new DataTransfer();
  dt.items.add(new File([evidence], 'findings.json', { type: 'application/json' }));
  input.files = dt.files;
  document.getElementById('g').append(input);
  const a = loaded('sink'), b = loaded('sink2');
  document.getElementById('f').submit();
  document.getElementById('g').submit();
  await Promise.all([a, b]);
  window.results = results;
  window.attackDone = true;
})();
</script>`;
}

/** startSite serves html at every path on a free loopback port. */
function startSite(html) {
  return new Promise((res) => {
    const s = createServer((req, rsp) => {
      rsp.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      rsp.end(html());
    });
    s.listen(0, '127.0.0.1', () => res({ port: s.address().port, close: () => new Promise((r) => s.close(r)) }));
  });
}

/** snapshot is what the attacks must not change: every model and its evidence. */
async function snapshot(api, id) {
  const { json: models } = await api('GET', '/models');
  const { json: model, etag } = await api('GET', `/models/${encodeURIComponent(id)}`);
  const { json: evidence } = await api('GET', `/models/${encodeURIComponent(id)}/evidence`);
  return { ids: models.items.map((m) => m.id).sort(), etag, name: model.name, evidence };
}

/** requestLines returns the access-log lines of the server for path since offset. */
function requestLines(log, offset, method, path) {
  return log
    .slice(offset)
    .split('\n')
    .filter((l) => l.includes('msg=request') && l.includes(`method=${method}`) && l.includes(`path=${path} `));
}

export function register(test) {
  test('security: a page of another site and a rebound host name change nothing', async ({ api, server }) => {
    const victim = (await api('POST', '/models', { name: 'Victim', projectType: 'AWS Cloud Application', priority: 'High', facing: 'internal', diagram: { components: [], flows: [], groups: [] } })).json.id;
    const before = await snapshot(api, victim);
    const evidence = readFileSync(join(ROOT, 'events/aws/securityhub/consolidated-ec2-8-failed.json'), 'utf8');
    const otm = readFileSync(join(ROOT, 'pkg/interop/testdata/otm-shop.yaml'), 'utf8');
    const site = await startSite(() => attackPage(server.base, evidence, otm));
    const browser = await launchBrowser({ args: [...CHROMIUM_ARGS, RESOLVER] });
    const logFrom = server.log().length;
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      // Cross-site request forgery from http://attacker.test.
      await page.addInitScript((id) => (window.victim = id), victim);
      await page.goto(`http://attacker.test:${site.port}/`);
      await page.waitForFunction(() => window.attackDone === true, null, { timeout: 20_000 });
      const results = await page.evaluate(() => window.results);
      // A preflighted request never gets past the browser.
      assert.match(String(results['json-cors']), /^blocked/, `JSON with a custom header went through: ${JSON.stringify(results)}`);

      // DNS rebinding: the attacker's name now points at the server, so
      // its page is same-origin with the API under that name.
      const rebound = `http://rebind.test:${new URL(server.base).port}`;
      await page.goto(`${rebound}/api/v1/health`);
      const statuses = await page.evaluate(async ({ id }) => {
        const opts = { headers: { 'Content-Type': 'application/json' } };
        const out = {};
        out.list = (await fetch('/api/v1/models')).status;
        out.read = (await fetch('/api/v1/models/' + encodeURIComponent(id))).status;
        out.create = (await fetch('/api/v1/models', { method: 'POST', ...opts, body: JSON.stringify({ name: 'Rebound', projectType: 'AWS Cloud Application', priority: 'High', facing: 'public', diagram: { components: [], flows: [], groups: [] } }) })).status;
        out.delete = (await fetch('/api/v1/models/' + encodeURIComponent(id), { method: 'DELETE' })).status;
        out.body = await (await fetch('/api/v1/models')).text();
        return out;
      }, { id: victim });
      assert.deepEqual({ list: statuses.list, read: statuses.read, create: statuses.create, delete: statuses.delete }, { list: 421, read: 421, create: 421, delete: 421 });
      assert.ok(!statuses.body.includes(victim), `the rebound page read the models: ${statuses.body}`);
    } finally {
      await browser.close();
      await site.close();
    }

    // Through the API: nothing changed.
    assert.deepEqual(await snapshot(api, victim), before);
    // And the server saw the forged requests and refused each one.
    const log = server.log();
    for (const [method, path] of [['POST', '/api/v1/models'], ['POST', '/api/v1/evidence/import'], ['POST', '/api/v1/import'], ['DELETE', `/api/v1/models/${victim}`]]) {
      const lines = requestLines(log, logFrom, method, path);
      assert.ok(lines.length > 0, `the server never saw ${method} ${path}`);
      for (const l of lines) assert.match(l, /status=(403|415|421)\b/, `${method} ${path} was answered: ${l}`);
    }
  });
}

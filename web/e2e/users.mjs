// Browser tests of Settings → Users (issue 9). Registered with run.mjs,
// which starts the server and the browser: node e2e/run.mjs users.
// On a laptop (auth mode local) the real server answers every Users route
// with 503; the page shows that explanation. The rest runs against
// page.route() stubs that behave like the Cognito-backed API.
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';

const problem = (route, status, detail, extra = {}) =>
  route.fulfill({
    status,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type: `https://bulwark.dev/problems/${status}`, title: String(status), status, detail, instance: new URL(route.request().url()).pathname, ...extra }),
  });

/**
 * stubUsers answers /api/v1/users* like pkg/users.Cognito behind pkg/api:
 * usernames are email addresses, an invited user is FORCE_CHANGE_PASSWORD,
 * a bad address is a 422 with field /email, an existing one a 409, and a
 * removed user stays listed, disabled and without a role.
 */
async function stubUsers(page, initial) {
  const users = new Map(initial.map((u) => [u.username, { status: 'CONFIRMED', enabled: true, created: '2025-01-02T03:04:05Z', ...u }]));
  const calls = [];
  const roles = ['viewer', 'reviewer', 'editor', 'admin'];
  await page.route((url) => url.pathname === '/api/v1/users' || url.pathname.startsWith('/api/v1/users/'), async (route) => {
    const req = route.request();
    const path = new URL(req.url()).pathname;
    const body = req.postData() ? JSON.parse(req.postData()) : undefined;
    calls.push([req.method(), path, body]);
    const list = () => [...users.values()].sort((a, b) => a.email.localeCompare(b.email));
    if (path === '/api/v1/users' && req.method() === 'GET') return route.fulfill({ json: { items: list(), roles } });
    if (path === '/api/v1/users' && req.method() === 'POST') {
      const email = String(body?.email ?? '').trim();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return problem(route, 422, `"${body?.email}" is not an email address`, { field: '/email' });
      if (!roles.includes(body?.role)) return problem(route, 422, `unknown role ${body?.role}`, { field: '/role' });
      if (users.has(email)) return problem(route, 409, `invite ${email}: UsernameExistsException: User account already exists`, { currentRevision: 0 });
      const u = { username: email, email, role: body.role, status: 'FORCE_CHANGE_PASSWORD', enabled: true, created: new Date().toISOString() };
      users.set(email, u);
      return route.fulfill({ status: 201, json: u });
    }
    const m = path.match(/^\/api\/v1\/users\/([^/]+)(\/role)?$/);
    const name = m && decodeURIComponent(m[1]);
    if (!m || !users.has(name)) return problem(route, 404, `no user ${name}`);
    if (m[2] && req.method() === 'PUT') {
      if (!roles.includes(body?.role)) return problem(route, 422, `unknown role ${body?.role}`, { field: '/role' });
      users.get(name).role = body.role;
      return route.fulfill({ json: users.get(name) });
    }
    if (!m[2] && req.method() === 'DELETE') {
      Object.assign(users.get(name), { enabled: false, role: '' });
      return route.fulfill({ status: 204, body: '' });
    }
    return problem(route, 405, 'method not allowed');
  });
  return { users, calls };
}

/** rows reads the users table: email, role (the selector's value), status, enabled. */
const rows = (page) =>
  page.$$eval('[data-testid^="user-row-"]', (trs) =>
    trs.map((tr) => {
      const td = tr.querySelectorAll('td');
      return [td[0].querySelector('b').textContent, td[1].querySelector('select').value, td[2].textContent, td[3].textContent];
    }));

export function register(test) {
  test('users: on a laptop, Settings → Users shows the server\'s explanation (503), not an error', async ({ page, base, api }) => {
    // The real local server: every Users route answers 503 problem+json.
    await assert.rejects(api('GET', '/users'), /503/);
    await page.goto(base + '/');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-users').click();
    await page.waitForURL(/\/settings\/users$/);
    const note = page.getByTestId('users-unavailable');
    await note.waitFor();
    assert.match(await note.innerText(), /Cognito user pool[\s\S]*auth mode local/);
    assert.equal(await page.getByTestId('users-error').count(), 0, 'no error banner');
    assert.equal(await page.getByTestId('users-invite').count(), 0, 'nothing to invite into');
    assert.equal(await page.locator('[role="alert"]').count(), 0);
  });

  test('users: invite (422 and 409 next to the field), change a role, remove with confirmation, the list follows', async ({ page, base }) => {
    const { users, calls } = await stubUsers(page, [
      { username: 'admin@example.com', email: 'admin@example.com', role: 'admin' },
      { username: 'bob@example.com', email: 'bob@example.com', role: 'viewer' },
    ]);
    await page.goto(`${base}/settings/users`);
    const table = page.getByTestId('users-table');
    await table.waitFor();
    assert.deepEqual(await rows(page), [['admin@example.com', 'admin', 'Active', 'Yes'], ['bob@example.com', 'viewer', 'Active', 'Yes']]);

    // Invite: a bad address is a 422 shown next to the email field.
    await page.getByTestId('users-invite').click();
    await page.getByTestId('invite-email').fill('carol.example.com');
    await page.getByTestId('invite-role').selectOption('editor');
    await page.getByTestId('invite-submit').click();
    const emailError = page.getByTestId('invite-email-error');
    await emailError.waitFor();
    assert.equal(await emailError.innerText(), '"carol.example.com" is not an email address');
    assert.equal(await page.getByTestId('invite-email').getAttribute('aria-invalid'), 'true');
    // An existing address is a 409, also next to the field.
    await page.getByTestId('invite-email').fill('bob@example.com');
    await page.getByTestId('invite-submit').click();
    await page.waitForFunction(() => /already has an account/.test(document.querySelector('[data-testid="invite-email-error"]')?.textContent ?? ''));
    // A good one: the dialog closes and the new user is listed, invited, as an editor.
    await page.getByTestId('invite-email').fill('carol@example.com');
    await page.getByTestId('invite-submit').click();
    await page.getByTestId('invite-dialog').waitFor({ state: 'detached' });
    const carol = page.getByTestId('user-row-carol@example.com');
    await carol.waitFor();
    assert.deepEqual((await rows(page))[2], ['carol@example.com', 'editor', 'Invited', 'Yes']);
    assert.deepEqual(calls.filter(([m]) => m === 'POST').map(([, , b]) => b), [
      { email: 'carol.example.com', role: 'editor' },
      { email: 'bob@example.com', role: 'editor' },
      { email: 'carol@example.com', role: 'editor' },
    ]);
    assert.deepEqual((await rows(page)).map((r) => r[0]), ['admin@example.com', 'bob@example.com', 'carol@example.com']);

    // Change Bob's role.
    await page.getByTestId('user-role-bob@example.com').selectOption('admin');
    await page.waitForFunction(() => document.querySelector('[data-testid="user-row-bob@example.com"]')?.getAttribute('data-role') === 'admin');
    assert.equal(users.get('bob@example.com').role, 'admin');
    const put = calls.find(([m]) => m === 'PUT');
    assert.match(put[1], /^\/api\/v1\/users\/bob(%40|@)example\.com\/role$/);
    assert.deepEqual(put[2], { role: 'admin' });
    assert.match(await page.getByTestId('users-notice').innerText(), /bob@example\.com is now an admin/);

    // Remove Carol: cancel first, then confirm.
    await page.getByTestId('user-remove-carol@example.com').click();
    await page.getByTestId('confirm-cancel').click();
    assert.equal(calls.filter(([m]) => m === 'DELETE').length, 0);
    await page.getByTestId('user-remove-carol@example.com').click();
    assert.match(await page.getByTestId('confirm-dialog').innerText(), /Remove carol@example\.com\?/);
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('user-removed-carol@example.com').waitFor();
    assert.deepEqual((await rows(page))[2], ['carol@example.com', '', 'Invited', 'No']);
    assert.equal(await carol.getAttribute('data-enabled'), 'false');
    assert.equal(await page.getByTestId('user-role-carol@example.com').isDisabled(), true);
    assert.deepEqual({ ...users.get('carol@example.com'), created: undefined }, { username: 'carol@example.com', email: 'carol@example.com', role: '', status: 'FORCE_CHANGE_PASSWORD', enabled: false, created: undefined });
    // The page reloaded the list after each change.
    assert.ok(calls.filter(([m]) => m === 'GET').length >= 3, `GETs: ${calls.filter(([m]) => m === 'GET').length}`);
  });

  test('users: a non-admin is told why Settings → Users is closed', async ({ page }) => {
    // A second server whose local user is an editor.
    const editor = await startServer({ env: { BULWARK_LOCAL_ROLE: 'editor' } });
    try {
      const { calls } = await stubUsers(page, []);
      await page.goto(`${editor.base}/settings/users`);
      await page.getByTestId('settings-forbidden').waitFor();
      assert.match(await page.getByTestId('settings-forbidden').innerText(), /administrators/);
      assert.equal(await page.getByTestId('nav-settings').count(), 0);
      assert.deepEqual(calls, [], 'no Users call for a non-admin');
      const r = await fetch(`${editor.base}/api/v1/users`);
      assert.equal(r.status, 403, 'the API refuses an editor too');
    } finally {
      await editor.stop();
    }
  });
}

// Browser test of the Jira integration against the fake Jira of
// pkg/jira/jiratest (web/e2e/fakejira): add an instance in Settings →
// Integrations, link a model, create an issue from a requirement, deliver a
// signed "Done" webhook, and see the requirement's status change.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const SECRET = 'e2e-webhook-secret-0123456789';

/** startFakeJira builds and starts web/e2e/fakejira; stop() ends it by PID. */
async function startFakeJira() {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-fakejira-'));
  const bin = join(dir, 'fakejira');
  execFileSync('go', ['build', '-o', bin, './web/e2e/fakejira'], { cwd: ROOT, stdio: 'inherit' });
  const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) res(JSON.parse(out.slice(0, nl)));
    });
    child.once('exit', (c) => rej(new Error(`fakejira exited ${c}`)));
  });
  return {
    ...info,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** doneWebhook is events/jira/issue_updated_done.json for the issue, stamped now. */
function doneWebhook(issue) {
  const body = JSON.parse(readFileSync(join(ROOT, 'events/jira/issue_updated_done.json'), 'utf8'));
  const now = new Date();
  body.timestamp = now.getTime();
  body.issue.id = issue.id;
  body.issue.key = issue.key;
  body.issue.self = issue.self;
  body.issue.fields.updated = now.toISOString().replace('Z', '+0000');
  return JSON.stringify(body);
}

export function register(test) {
  test('jira: instance in Settings, link a model, create an issue from a requirement, signed Done webhook sets its status', async ({ page, base, api }) => {
    const jira = await startFakeJira();
    try {
      // Settings → Integrations (admin): add the Data Center instance and test the connection.
      await page.goto(`${base}/`);
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('jira-instances').waitFor();
      await page.getByTestId('jira-add').click();
      await page.getByTestId('jira-name').fill('Fake Jira');
      await page.getByTestId('jira-url').fill(jira.url);
      await page.getByTestId('jira-datacenter').check();
      await page.getByTestId('jira-token').fill(jira.token);
      await page.getByTestId('jira-webhook-secret').fill(SECRET);
      await page.getByTestId('jira-save').click();
      // A row of the table (the dialog and its error banner share the prefix;
      // the dialog may still be closing when the row appears).
      const row = page.locator('tr[data-testid^="jira-instance-"]').first();
      await row.waitFor();
      const instanceId = (await row.getAttribute('data-testid')).slice('jira-instance-'.length);
      assert.match(await page.getByTestId(`jira-secrets-${instanceId}`).innerText(), /token ✓.*webhook secret ✓/);
      assert.ok(!(await page.content()).includes(jira.token), 'the token is never shown back');
      await page.getByTestId(`jira-test-${instanceId}`).click();
      await page.locator(`[data-testid="jira-test-result-${instanceId}"][data-ok="true"]`).waitFor();

      // A model with one EC2 instance has security requirements.
      const { json: model } = await api('POST', '/models', {
        schemaVersion: 1, name: 'Jira shop', projectType: 'AWS Cloud Application', priority: 'High', facing: 'public',
        diagram: { components: [{ id: 'web', type: 'aws.ec2', name: 'web server', position: { x: 100, y: 100 } }], flows: [], groups: [] },
      });

      // Link it in the editor: Integrations switch, instance, project SEC, issue types (from Jira), default status mapping.
      await page.goto(`${base}/models/${model.id}`);
      await page.getByTestId('btn-integrations').first().click();
      await page.getByTestId('jira-link-dialog').waitFor();
      await page.getByTestId('jira-link-enabled').check();
      await page.getByTestId('jira-link-instance').selectOption(instanceId);
      await page.getByTestId('jira-link-project').fill('SEC');
      await page.getByTestId('jira-link-types').waitFor();
      assert.match(await page.getByTestId('jira-link-types').innerText(), /Task/);
      await page.getByTestId('jira-link-threat-type').fill('Bug');
      await page.getByTestId('jira-link-requirement-type').fill('Task');
      assert.match(await page.getByTestId('jira-status-map').innerText(), /category done[\s\S]*Implemented/);
      await page.getByTestId('jira-link-save').click();
      await page.getByTestId('jira-link-dialog').waitFor({ state: 'detached' });
      const { json: link } = await api('GET', `/models/${model.id}/jira`);
      assert.deepEqual({ e: link.enabled, i: link.instance, p: link.project, t: link.requirementIssueType }, { e: true, i: instanceId, p: 'SEC', t: 'Task' });

      // Overview → Security Requirements: the Jira toggle and column; Create Issue on one requirement.
      await page.goto(`${base}/models/${model.id}/overview`);
      await page.getByTestId('pane-requirements').click();
      await page.getByTestId('jira-toggle').waitFor();
      assert.ok(await page.getByTestId('jira-toggle').isChecked());
      await page.locator('[data-testid="items-table"] th', { hasText: 'Jira' }).waitFor();
      const first = page.getByTestId('item-row').first();
      const item = await first.getAttribute('data-id');
      await first.click();
      await page.getByTestId('jira-create-issue').click();
      await page.getByTestId('jira-create-dialog').waitFor();
      const summary = page.getByTestId('jira-draft-summary-0');
      await summary.waitFor();
      assert.ok((await summary.inputValue()).length > 5, 'the summary is prefilled');
      assert.ok((await page.getByTestId('jira-draft-description-0').inputValue()).length > 20, 'the description is prefilled');
      await summary.fill(`${await summary.inputValue()} (reviewed)`);
      await page.getByTestId('jira-create-save').click();
      const keyLink = page.getByTestId('jira-issue-link-0');
      await keyLink.waitFor();
      const key = await keyLink.innerText();
      assert.match(key, /^SEC-\d+$/);
      assert.equal(await keyLink.getAttribute('href'), `${jira.url}/browse/${key}`);
      await page.getByTestId('jira-create-close').click();
      await page.getByTestId('item-issue-link').waitFor();
      assert.equal(await page.locator(`[data-testid="item-row"][data-id="${item}"] td[data-col="jira"]`).innerText(), key);

      // Jira reports the issue Done: a webhook signed with the instance's secret.
      const issue = await (await fetch(`${jira.url}/rest/api/2/issue/${key}`, { headers: { Authorization: `Bearer ${jira.token}` } })).json();
      assert.equal(issue.key, key, 'the issue exists in Jira');
      const body = doneWebhook(issue);
      const sig = 'sha256=' + createHmac('sha256', SECRET).update(body).digest('hex');
      const { json: inst } = await api('GET', `/integrations/jira/instances/${instanceId}`);
      const bad = await fetch(base + inst.webhookPath, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': 'sha256=00' }, body });
      assert.equal(bad.status, 401, 'a wrong signature is refused');
      const ok = await fetch(base + inst.webhookPath, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': sig }, body });
      const outcome = await ok.json();
      assert.equal(ok.status, 200, JSON.stringify(outcome));
      assert.equal(outcome.action, 'updated', JSON.stringify(outcome));

      // The requirement is Implemented now.
      await page.getByTestId('overview-refresh').click();
      const status = page.locator(`[data-testid="item-row"][data-id="${item}"] td[data-col="status"]`);
      await page.waitForFunction((id) => document.querySelector(`[data-testid="item-row"][data-id="${id}"] td[data-col="status"]`)?.textContent?.startsWith('Implemented'), item, { timeout: 10_000 });
      assert.match(await status.innerText(), /Implemented/);

      // Create issues in bulk for the checked rows only. Nothing checked: the button says why it is disabled.
      const bulk = page.getByTestId('jira-create-bulk');
      assert.ok(await bulk.isDisabled(), 'nothing is checked yet');
      assert.match(await bulk.getAttribute('title'), /Select rows/);
      const rows = page.getByTestId('item-row');
      const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
      assert.ok(ids.length >= 5, `${ids.length} requirements`);
      assert.equal(ids[0], item);
      const check = (i) => rows.nth(i).getByTestId('item-check');
      const checkedIds = () => page.locator('[data-testid="item-row"]:has([data-testid="item-check"]:checked)').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
      const waitChecked = (want) => page.waitForFunction(
        (w) => [...document.querySelectorAll('[data-testid="item-row"]')].filter((r) => r.querySelector('[data-testid="item-check"]')?.checked).map((r) => r.getAttribute('data-id')).join(' ') === w.join(' '),
        want,
      );
      // Select all, then none, with the header checkbox.
      const all = page.getByTestId('item-check-all');
      await all.check();
      await waitChecked(ids);
      assert.match(await page.getByTestId('selection-count').innerText(), new RegExp(`^${ids.length} selected`));
      await all.uncheck();
      await waitChecked([]);
      await page.getByTestId('selection-count').waitFor({ state: 'detached' });
      // Rows 1..3 by a Shift range, then row 2 off again: rows 1 and 3 stay checked. The current item stays the first row.
      await check(1).click();
      await check(3).click({ modifiers: ['Shift'] });
      await waitChecked([ids[1], ids[2], ids[3]]);
      assert.equal(await all.evaluate((el) => el.indeterminate), true, 'some rows checked: the header box is indeterminate');
      await check(2).click();
      await waitChecked([ids[1], ids[3]]);
      assert.equal(await page.locator('[data-testid="item-row"].selected').getAttribute('data-id'), item, 'a checkbox does not open its row');
      // Space on a focused row toggles its checkbox.
      await rows.nth(4).focus();
      await page.keyboard.press('Space');
      await waitChecked([ids[1], ids[3], ids[4]]);
      await page.keyboard.press('Space');
      await waitChecked([ids[1], ids[3]]);
      assert.equal(await page.getByTestId('selection-count').innerText(), '2 selected');
      assert.equal(await bulk.innerText(), 'Create issues (2)');
      await bulk.click();
      await page.getByTestId('jira-create-dialog').waitFor();
      await page.getByTestId('jira-draft-summary-1').waitFor();
      assert.deepEqual(
        await page.locator('[data-testid^="jira-draft-"][data-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-item'))),
        [ids[1], ids[3]],
      );
      await page.getByTestId('jira-create-save').click();
      await page.getByTestId('jira-issue-link-1').waitFor();
      const keys = [await page.getByTestId('jira-issue-link-0').innerText(), await page.getByTestId('jira-issue-link-1').innerText()];
      for (const k of keys) assert.match(k, /^SEC-\d+$/);
      assert.notEqual(keys[0], keys[1]);
      await page.getByTestId('jira-create-close').click();
      await page.getByTestId('jira-create-dialog').waitFor({ state: 'detached' });
      // Exactly the two checked rows got keys; the first keeps its own; the others have none. The selection is cleared.
      const want = ids.map((id, i) => (i === 0 ? key : i === 1 ? keys[0] : i === 3 ? keys[1] : ''));
      await page.waitForFunction(
        (w) => [...document.querySelectorAll('[data-testid="item-row"]')].map((r) => r.querySelector('td[data-col="jira"]')?.textContent ?? '').join(' ') === w.join(' '),
        want, { timeout: 10_000 },
      );
      assert.deepEqual(await checkedIds(), []);
      assert.equal(await page.getByTestId('selection-count').count(), 0);
      assert.ok(await bulk.isDisabled(), 'the selection is cleared after saving');
    } finally {
      await jira.stop();
    }
  });
}

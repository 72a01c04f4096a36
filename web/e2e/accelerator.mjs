// Browser tests of the Accelerator: the dashboard on the demo data, building
// a threat model from a VPC, drift after a snapshot changes, and sync.
// Registered with run.mjs; the server reads a temporary copy of events/demo/aws
// (server.accelData), so changing a snapshot here changes nothing in git.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const ACCOUNT = '111111111111';
const VPC = 'vpc-0cb55edf9b476c102'; // shop-eu, eu-west-1
const INSTANCE = 'i-0f9b3904da5bbd310'; // shop-eu-app-b04

/** removeFromSnapshot deletes a resource from the eu-west-1 snapshot of the account, as if it were terminated. */
function removeFromSnapshot(dataDir, resourceId) {
  const dir = join(dataDir, 'AWSLogs', ACCOUNT, 'Config', 'eu-west-1', '2026', '10', '1', 'ConfigSnapshot');
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.json')));
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const before = snap.configurationItems.length;
  snap.configurationItems = snap.configurationItems.filter((i) => i.resourceId !== resourceId);
  assert.equal(snap.configurationItems.length, before - 1, `${resourceId} is in the snapshot`);
  writeFileSync(file, JSON.stringify(snap));
}

const colour = (page, testId) => page.getByTestId(testId).getAttribute('data-colour');

async function waitColour(page, testId, want, timeout = 15_000) {
  await page.waitForFunction(([id, c]) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-colour') === c, [testId, want], { timeout });
}

export function register(test) {
  test('accelerator: dashboard, build a VPC model with progress, drift after a snapshot change, sync', async ({ page, base, api, server }) => {
    assert.ok(server.accelData, 'the server runs on a copy of events/demo/aws');
    await page.goto(`${base}/`);
    await page.getByTestId('nav-accelerator').click();
    await page.getByTestId('accelerator').waitFor();

    // Counts as the API gives them, on the demo data: 3 accounts, 7 VPCs.
    const { json: summary } = await api('GET', '/accelerator/summary');
    assert.equal(summary.accounts, 3);
    assert.equal(summary.vpcs, 7);
    for (const k of ['accounts', 'vpcs', 'threatModels', 'outOfSyncModels']) {
      await page.waitForFunction(([id, v]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === v, [`accel-count-${k}`, String(summary[k])]);
    }

    // The organization tree: root › OU › three accounts; selecting one lists its VPCs.
    const tree = await page.getByTestId('org-tree').innerText();
    assert.match(tree, /Root[\s\S]*Workloads[\s\S]*111111111111[\s\S]*222222222222[\s\S]*333333333333/);
    await page.getByTestId('org-account-222222222222').click();
    await page.getByTestId('vpc-row-' + VPC).waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid^="vpc-row-"]').count(), 2);
    await page.getByTestId(`org-account-${ACCOUNT}`).click();
    await page.getByTestId(`vpc-row-${VPC}`).waitFor();
    assert.equal(await page.locator('[data-testid^="vpc-row-"]').count(), 3);
    assert.equal(await colour(page, `vpc-status-${VPC}`), 'yellow', 'no threat model yet');
    // Accounts read from files have no scheduled evidence pull: nothing is said about one.
    assert.equal(await page.getByTestId('evidence-pull').count(), 0);
    assert.equal(await page.getByTestId(`vpc-count-${VPC}`).innerText(), '0');

    // "+": type fixed, VPC and account shown, name preset from the VPC.
    await page.getByTestId(`vpc-new-${VPC}`).click();
    await page.getByTestId('accel-new-dialog').waitFor();
    assert.equal(await page.getByTestId('accel-type').innerText(), 'AWS Cloud Application');
    assert.match(await page.getByTestId('accel-vpc').innerText(), new RegExp(VPC));
    assert.equal(await page.getByTestId('accel-account').innerText(), ACCOUNT);
    assert.equal(await page.getByTestId('accel-name').inputValue(), 'shop-eu');
    assert.match(await page.getByTestId('accel-version').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
    await page.getByTestId('accel-version').fill('1.0');
    await page.getByTestId('accel-facing-public').check();
    await page.getByTestId('accel-priority').selectOption('High');
    await page.getByTestId('accel-labels').fill('eu');
    await page.getByTestId('accel-labels').press('Enter');
    await page.getByTestId('accel-create').click();

    // Progress: the steps, then success.
    await page.getByTestId('build-progress').waitFor();
    assert.equal(await page.locator('[data-testid^="build-step-"]').count(), 5);
    await page.waitForFunction(() => document.querySelector('[data-testid="build-progress"]')?.getAttribute('data-status') === 'succeeded', null, { timeout: 30_000 });
    assert.equal(await page.getByTestId('build-step-collect').getAttribute('data-status'), 'succeeded');
    assert.equal(await page.getByTestId('build-step-persist').getAttribute('data-status'), 'succeeded');
    await page.getByTestId('accel-close').click();
    await waitColour(page, `vpc-status-${VPC}`, 'green');
    assert.equal(await page.getByTestId(`vpc-count-${VPC}`).innerText(), '1');
    await page.getByTestId(`vpc-expand-${VPC}`).click();
    const modelLink = page.locator(`[data-testid="vpc-models-${VPC}"] a[data-testid^="vpc-model-"]`);
    await modelLink.waitFor();
    const modelId = (await modelLink.getAttribute('data-testid')).slice('vpc-model-'.length);
    const { json: m } = await api('GET', `/models/${modelId}`);
    assert.deepEqual(
      { name: m.name, version: m.version, type: m.projectType, facing: m.facing, priority: m.priority, labels: m.labels, vpc: m.properties['aws.vpcId'] },
      { name: 'shop-eu', version: '1.0', type: 'AWS Cloud Application', facing: 'public', priority: 'High', labels: ['eu'], vpc: VPC },
    );

    // Open the diagram: built from the VPC, in sync.
    await modelLink.click();
    await page.waitForURL(new RegExp(`/models/${modelId}$`));
    await page.getByTestId('canvas').waitFor();
    await page.locator(`.react-flow__node[data-id="${INSTANCE}"]`).waitFor();
    await waitColour(page, 'drift-status', 'green');

    // The instance is terminated: the snapshot loses it and AWS Config reports the deletion.
    removeFromSnapshot(server.accelData, INSTANCE);
    const event = readFileSync(join(ROOT, 'events/aws/config/instance-deleted.json'), 'utf8');
    const { json: marked } = await api('POST', '/accelerator/events', JSON.parse(event));
    assert.deepEqual(marked.marked.map((x) => x.modelId), [modelId]);

    // Red in the dashboard, with the model's counts.
    await page.getByTestId('nav-accelerator').click();
    await page.getByTestId(`org-account-${ACCOUNT}`).click();
    await waitColour(page, `vpc-status-${VPC}`, 'red');
    await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent === '1', 'accel-count-outOfSyncModels');

    // The Drift Log: check now lists what is only in the threat model; the filter highlights it.
    await page.goto(`${base}/models/${modelId}`);
    await page.locator(`.react-flow__node[data-id="${INSTANCE}"]`).waitFor();
    await waitColour(page, 'drift-status', 'red');
    await page.getByTestId('btn-drift').click();
    await page.getByTestId('drift-panel').waitFor();
    assert.match(await page.getByTestId('drift-pending').innerText(), new RegExp(`DELETE[\\s\\S]*${INSTANCE}`));
    await page.getByTestId('drift-check').click();
    const item = page.getByTestId(`drift-item-${INSTANCE}`);
    await item.waitFor();
    assert.equal(await item.getAttribute('data-kind'), 'only-in-model');
    await page.getByTestId('drift-filter').selectOption('only-in-vpc');
    await item.waitFor({ state: 'detached' });
    assert.ok((await page.locator('[data-testid^="drift-item-"]').count()) > 0, 'some flows are only in the VPC');
    await page.getByTestId('drift-filter').selectOption('only-in-model');
    await item.waitFor();
    assert.match(await page.getByTestId('drift-highlight').textContent(), new RegExp(`data-id="${INSTANCE}"`));
    const outline = await page.locator(`.react-flow__node[data-id="${INSTANCE}"]`).evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.equal(outline, 'solid', 'the only-in-model instance is highlighted');

    // Sync: the model follows the VPC, green again, the instance is gone.
    const before = (await api('GET', `/models/${modelId}`)).json.revision;
    await page.getByTestId('drift-sync').click();
    await waitColour(page, 'drift-status', 'green', 30_000);
    await page.locator(`.react-flow__node[data-id="${INSTANCE}"]`).waitFor({ state: 'detached' });
    const after = await api('GET', `/models/${modelId}`);
    assert.ok(after.json.revision > before);
    assert.ok(!after.json.diagram.components.some((c) => c.id === INSTANCE));
    await page.getByTestId('nav-accelerator').click();
    await page.getByTestId(`org-account-${ACCOUNT}`).click();
    await waitColour(page, `vpc-status-${VPC}`, 'green');
  });
}

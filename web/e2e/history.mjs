// Browser test of a model's History (#19): versions with summaries, a
// version opened read-only, named and restored, submitted and approved as
// the baseline, and the current model compared with the baseline. Real
// server, real Chromium. Registered with run.mjs: node e2e/run.mjs "history".
import assert from 'node:assert/strict';
import { apiClient, startServer } from './lib.mjs';

/** nodeIds lists the data-ids of the component nodes inside root. */
async function nodeIds(root) {
  return root.locator('.react-flow__node:has([data-testid="component-node"])').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')).sort());
}

export function register(test, { newModelViaAPI, dragToCanvas, nodeOf, waitSaved }) {
  test('history: three versions, one opened read-only, named, restored, approved as baseline; current vs baseline shows the new database and its threats', async ({ page, base, api }) => {
    const id = await newModelViaAPI(api, 'Versioned shop');
    await page.goto(`${base}/models/${id}`);
    await page.getByTestId('canvas').waitFor();

    // Two edits, each saved: with the creation, three versions.
    await dragToCanvas(page, 'aws.ec2', 300, 200);
    await nodeOf(page, 'aws.ec2').waitFor();
    await waitSaved(page);
    await dragToCanvas(page, 'aws.lambda', 560, 320);
    await nodeOf(page, 'aws.lambda').waitFor();
    await waitSaved(page);
    const { json: saved } = await api('GET', `/models/${id}`);
    const ec2Id = saved.diagram.components.find((c) => c.type === 'aws.ec2').id;
    const revisions = (await api('GET', `/models/${id}/versions`)).json.items.map((v) => v.revision);
    assert.equal(revisions.length, 3, `three versions recorded, got ${revisions}`);
    const [v3, v2, v1] = revisions;

    await page.getByRole('button', { name: 'History' }).click();
    const panel = page.getByRole('complementary', { name: 'History' });
    const list = panel.getByRole('list', { name: 'Versions' });
    await list.getByRole('listitem').nth(2).waitFor();
    assert.equal(await list.getByRole('listitem').count(), 3);
    for (const rev of [v3, v2, v1]) {
      const item = list.getByRole('listitem', { name: `Version ${rev}`, exact: true });
      const summary = (await item.locator('.history-summary').textContent()).trim();
      assert.ok(summary.length > 0, `version ${rev} has a summary`);
      assert.match(await item.textContent(), /admin/, `version ${rev} names its author`);
    }
    assert.match(await list.getByRole('listitem', { name: `Version ${v2}` }).textContent(), /1 component|component/i);

    // Version 2 read-only: one EC2, a banner, and no way to change it.
    await panel.getByRole('button', { name: `Open version ${v2}` }).click();
    const view = page.getByRole('region', { name: `Version ${v2} — read-only` });
    await view.getByRole('heading', { name: `Version ${v2} — read-only` }).waitFor();
    const diagram = view.getByRole('region', { name: `Diagram of version ${v2}, read-only` });
    await diagram.locator('.react-flow__node').first().waitFor();
    assert.deepEqual(await nodeIds(diagram), [ec2Id]);
    const node = diagram.locator('.react-flow__node').first();
    assert.ok(!(await node.getAttribute('class')).includes('draggable'), 'the old version’s nodes cannot be dragged');
    const before = await node.getAttribute('style');
    const box = await node.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + 150, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.press('Delete');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    assert.equal(await node.getAttribute('style'), before, 'dragging moved nothing');
    assert.deepEqual(await nodeIds(diagram), [ec2Id], 'Delete removed nothing');
    const handles = await diagram.locator('.react-flow__handle').evaluateAll((hs) => hs.map((h) => getComputedStyle(h).pointerEvents));
    assert.ok(handles.length > 0 && handles.every((p) => p === 'none'), `no handle draws a flow (${handles})`);
    await page.waitForTimeout(1500); // longer than the editor's autosave delay
    assert.equal((await api('GET', `/models/${id}`)).json.revision, v3, 'nothing was saved while the old version was open');
    assert.equal((await api('GET', `/models/${id}/versions`)).json.items.length, 3);

    // The keyboard stays in the version: Tab cycles through its controls only.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="version-view"]')), `Tab ${i + 1} stays in the version view`);
    }

    // Name it.
    await view.getByRole('button', { name: 'Name this version' }).click();
    const dialog = page.getByRole('dialog', { name: `Name version ${v2}` });
    await dialog.getByLabel('Version name').fill('v1 one server');
    await dialog.getByRole('button', { name: 'Save name' }).click();
    await dialog.waitFor({ state: 'detached' });
    const named = (await api('GET', `/models/${id}/versions`)).json.items.find((v) => v.revision === v2);
    assert.equal(named.name, 'v1 one server');

    // Restore it: a fourth version, and the editor shows version 2's diagram.
    await view.getByRole('button', { name: 'Restore as new version' }).click();
    await view.waitFor({ state: 'detached' });
    const v4item = list.getByRole('listitem').first();
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Versions"] > li').length === 4, null, { timeout: 10_000 });
    const v4 = Number(await v4item.getAttribute('data-revision'));
    assert.ok(v4 > v3, `the restore is a new version (${v4} after ${v3})`);
    assert.match(await v4item.locator('.history-summary').textContent(), new RegExp(`restored revision ${v2}`));
    assert.match(await list.getByRole('listitem', { name: `Version ${v2} · v1 one server` }).textContent(), /v1 one server/);
    await nodeOf(page, 'aws.ec2').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="canvas"] [data-type="aws.lambda"]'), null, { timeout: 10_000 });
    assert.deepEqual(await nodeIds(page.getByTestId('canvas')), [ec2Id], 'the editor shows the restored diagram');
    const { json: restored } = await api('GET', `/models/${id}`);
    const { json: old } = await api('GET', `/models/${id}/versions/${v2}`);
    assert.equal(restored.revision, v4);
    assert.deepEqual(restored.diagram, old.diagram, 'the restored model has version 2’s diagram');

    // Submit and approve it (admin): it becomes the baseline.
    await panel.getByRole('button', { name: `Submit version ${v4} for review` }).click();
    await panel.getByRole('button', { name: `Approve version ${v4}` }).click();
    const approveDialog = page.getByRole('dialog', { name: `Approve version ${v4}` });
    await approveDialog.getByLabel('Comment (optional)').fill('fine for the first release');
    await approveDialog.getByRole('button', { name: 'Approve' }).click();
    await approveDialog.waitFor({ state: 'detached' });
    const v4row = list.getByRole('listitem', { name: `Version ${v4}` });
    await v4row.getByText('Baseline', { exact: true }).waitFor();
    assert.equal(await v4row.getAttribute('data-review'), 'approved');
    await v4row.getByText('Approved by admin: “fine for the first release”').waitFor();
    assert.equal(await list.getByText('Baseline', { exact: true }).count(), 1, 'one baseline');

    // Add a database and save (the History closed: it covers part of the canvas),
    // then compare the current model with the baseline.
    await panel.getByRole('button', { name: 'Close the History' }).click();
    await dragToCanvas(page, 'aws.rds', 560, 340);
    await nodeOf(page, 'aws.rds').waitFor();
    await waitSaved(page);
    const { json: now } = await api('GET', `/models/${id}`);
    const dbId = now.diagram.components.find((c) => c.type === 'aws.rds').id;
    const { json: diff } = await api('GET', `/models/${id}/diff?from=baseline&to=current`);
    const newThreats = diff.threats.added.filter((t) => t.elementId === dbId);
    assert.ok(newThreats.length > 0, 'the server finds threats of the new database');

    await page.getByRole('button', { name: 'History' }).click();
    await list.getByRole('listitem', { name: `Version ${v4}` }).getByText('Baseline', { exact: true }).waitFor();
    await panel.getByLabel('Compare from').selectOption('baseline');
    await panel.getByLabel('Compare to').selectOption('current');
    await panel.getByRole('button', { name: 'Compare', exact: true }).click();
    const cmp = page.getByRole('region', { name: 'Compare Baseline (approved) with Current' });
    await cmp.waitFor();
    const after = cmp.getByRole('region', { name: /^Current — version \d+, read-only$/ });
    const dbNode = after.locator(`.react-flow__node[data-id="${dbId}"]`);
    await dbNode.waitFor();
    const outline = await dbNode.evaluate((n) => { const s = getComputedStyle(n); return `${s.outlineStyle} ${s.outlineColor}`; });
    assert.equal(outline, 'solid rgb(29, 129, 2)', 'the added database is outlined in green');
    const ec2Outline = await after.locator(`.react-flow__node[data-id="${ec2Id}"]`).evaluate((n) => getComputedStyle(n).outlineStyle);
    assert.equal(ec2Outline, 'none', 'the unchanged server is not highlighted');
    const threats = cmp.getByRole('region', { name: 'Threats' });
    for (const t of newThreats) {
      await threats.getByRole('listitem').filter({ hasText: t.title }).first().waitFor();
    }
    assert.match(await threats.textContent(), /New threat/);
    const components = cmp.getByRole('region', { name: 'Components' });
    assert.match(await components.getByRole('listitem').filter({ hasText: 'Added' }).first().textContent(), /Added/);
    await cmp.getByRole('button', { name: 'Close' }).click();
    await cmp.waitFor({ state: 'detached' });

    // Compare the baseline with a file: the current model plus a bucket, never stored.
    const next = structuredClone(now);
    next.diagram.components.push({ id: 'files-bucket', type: 'aws.s3', name: 'files', position: { x: 900, y: 300 } });
    await panel.getByLabel('Compare “From” with a file').setInputFiles({ name: 'next.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(next)) });
    const withFile = page.getByRole('region', { name: 'Compare Baseline (approved) with file next.json' });
    const fileDiagram = withFile.getByRole('region', { name: 'File next.json, read-only' });
    for (const added of ['files-bucket', dbId]) {
      const n = fileDiagram.locator(`.react-flow__node[data-id="${added}"]`);
      await n.waitFor();
      assert.equal(await n.evaluate((e) => getComputedStyle(e).outlineColor), 'rgb(29, 129, 2)', `${added} is outlined as added`);
    }
    await withFile.getByRole('region', { name: 'Threats' }).getByRole('listitem').filter({ hasText: 'on files' }).first().waitFor();
    await withFile.getByRole('button', { name: 'Close' }).click();
    assert.equal((await api('GET', `/models/${id}`)).json.revision, now.revision, 'comparing with a file stores nothing');

    // Version 3 (server + function) against now (server + database), as one overlaid diagram.
    const lambdaId = saved.diagram.components.find((c) => c.type === 'aws.lambda').id;
    await panel.getByLabel('Compare from').selectOption(String(v3));
    await panel.getByLabel('Compare to').selectOption('current');
    await panel.getByRole('button', { name: 'Compare', exact: true }).click();
    const v3cmp = page.getByRole('region', { name: `Compare Version ${v3} with Current` });
    await v3cmp.getByRole('button', { name: 'Overlay' }).click();
    const overlay = v3cmp.getByRole('region', { name: /^Current — version \d+ over Version \d+, read-only$/ });
    const colour = async (nid) => {
      const n = overlay.locator(`.react-flow__node[data-id="${nid}"]`);
      await n.waitFor();
      return n.evaluate((e) => `${getComputedStyle(e).outlineStyle} ${getComputedStyle(e).outlineColor}`);
    };
    assert.equal(await colour(dbId), 'solid rgb(29, 129, 2)', 'the added database is green');
    assert.equal(await colour(lambdaId), 'solid rgb(217, 21, 21)', 'the removed function is put back, red');
    assert.match(await colour(ec2Id), /^none /, 'the unchanged server is not outlined');
    assert.equal(await v3cmp.getByRole('region', { name: /read-only$/ }).count(), 1, 'one diagram in the overlay');
    await v3cmp.getByRole('button', { name: 'Side by side' }).click();
    assert.equal(await v3cmp.getByRole('region', { name: /read-only$/ }).count(), 2, 'two diagrams side by side');
    assert.match(await v3cmp.getByRole('region', { name: 'Threats' }).textContent(), /gone/i, 'the function’s threats are listed as gone');
    await v3cmp.getByRole('button', { name: 'Close' }).click();
  });

  test('history: an editor submits a version for review; approving is shown disabled with the reason, and the server refuses it', async ({ page }) => {
    const editor = await startServer({ env: { BULWARK_LOCAL_ROLE: 'editor' } });
    try {
      const api = apiClient(editor.base);
      const id = await newModelViaAPI(api, 'Reviewed by someone else');
      await page.goto(`${editor.base}/models/${id}`);
      await page.getByTestId('canvas').waitFor();
      await page.getByRole('button', { name: 'History' }).click();
      const panel = page.getByRole('complementary', { name: 'History' });
      const item = panel.getByRole('list', { name: 'Versions' }).getByRole('listitem').first();
      await item.waitFor();
      const rev = Number(await item.getAttribute('data-revision'));
      await panel.getByRole('button', { name: `Submit version ${rev} for review` }).click();
      const approve = panel.getByRole('button', { name: `Approve version ${rev}` });
      await approve.waitFor();
      assert.equal(await item.getAttribute('data-review'), 'submitted');
      assert.ok(await approve.isDisabled(), 'an editor cannot approve');
      assert.ok(await panel.getByRole('button', { name: `Reject version ${rev}` }).isDisabled(), 'an editor cannot reject');
      const reason = 'Only a reviewer or an admin may approve a version; you are editor.';
      assert.equal(await approve.getAttribute('title'), reason);
      await item.getByText(reason).waitFor();
      assert.equal(await panel.getByRole('button', { name: `Submit version ${rev} for review` }).count(), 0, 'a submitted version is not submitted again');
      // The server enforces it too.
      await assert.rejects(api('POST', `/models/${id}/versions/${rev}/review`, { action: 'approve' }), /403/);
      assert.equal(await panel.getByText('Baseline', { exact: true }).count(), 0);
    } finally {
      await editor.stop();
    }
  });
}

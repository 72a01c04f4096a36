// Browser tests of the features around the diagram: Assist, Overview,
// templates and nesting, import and export. Registered with run.mjs, which
// starts the server and the browser: node e2e/run.mjs <part of a name>.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, startServer } from './lib.mjs';

const EMPTY = { components: [], flows: [], groups: [] };

/** putDiagram replaces a model's diagram through the API. */
async function putDiagram(api, id, diagram) {
  const { etag } = await api('GET', `/models/${id}`);
  await api('PUT', `/models/${id}/diagram`, { ...EMPTY, ...diagram }, { 'If-Match': etag });
}

async function openOverview(page, base, id) {
  await page.goto(`${base}/models/${id}/overview`);
  await page.getByTestId('items-table').waitFor();
}

export function register(test, { newModelViaAPI, nodeOf, dragToCanvas, waitSaved, clickPane }) {
  test('assist: drop an EC2, tasks appear, apply one; overview: twelve EC2 requirements, status and note kept', async ({ page, base, api }) => {
    const id = await newModelViaAPI(api, 'Assisted');
    await page.goto(`${base}/models/${id}`);
    await page.getByTestId('assist-panel').waitFor();
    await dragToCanvas(page, 'aws.ec2', 420, 300);
    await nodeOf(page, 'aws.ec2').waitFor();
    // After autosave, the EC2's tasks appear, marked new.
    const vpcTask = page.locator('[data-testid="assist-task"][data-task^="aws.ec2.assist.vpc@"]');
    await vpcTask.waitFor({ timeout: 15_000 });
    assert.equal(await vpcTask.getAttribute('data-status'), 'open');
    assert.match(await vpcTask.getAttribute('class'), /fresh/);
    const taskId = await vpcTask.getAttribute('data-task');
    await page.getByTestId(`assist-apply-${taskId}`).click();
    // The applied diagram is loaded into the editor: a VPC container around the EC2, and the task ticked.
    await page.locator('[data-testid="group-node"][data-kind="container"][data-type="aws.vpc"]').waitFor();
    await page.waitForFunction((t) => document.querySelector(`[data-task="${t}"]`)?.getAttribute('data-status') === 'completed', taskId);
    await waitSaved(page);
    const { json: saved } = await api('GET', `/models/${id}/diagram`);
    assert.ok(saved.groups.some((g) => g.type === 'aws.vpc'), 'the VPC is saved');

    // Overview: the twelve EC2 requirements.
    await page.getByTestId('btn-overview').click();
    await page.getByTestId('items-table').waitFor();
    await page.getByTestId('pane-requirements').click();
    await page.getByTestId('overview-search').fill('aws.ec2.');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="item-row"]').length === 12);
    assert.match(await page.getByTestId('overview-shown').innerText(), /^12 of/);
    // Grouped by source with a count.
    assert.equal(await page.locator('[data-testid="item-group"] [data-testid="group-count"]').first().innerText(), '12');
    await page.getByTestId('overview-group').selectOption('epic');
    assert.ok(await page.locator('[data-testid="item-group"]').count() > 1, 'several epics');
    // Column chooser.
    await page.getByTestId('columns-toggle').click();
    await page.getByTestId('column-rule').check();
    await page.locator('td[data-col="rule"]', { hasText: 'aws.ec2.require-imdsv2' }).waitFor();
    const row = page.locator('[data-testid="item-row"][data-id^="aws.ec2.require-imdsv2@"]');
    await row.click();
    // The description is the rule's Markdown, rendered (a list and a link), not raw.
    const desc = page.getByTestId('rule-description');
    await desc.locator('ol li').first().waitFor();
    assert.equal(await desc.locator('a[href^="https://docs.aws.amazon.com/"]').count(), 1);
    assert.doesNotMatch(await desc.innerText(), /\]\(https/);
    await page.getByTestId('item-status').selectOption('Implemented');
    await page.getByTestId('item-notes').fill('Launch template sets HttpTokens=required');
    await page.getByTestId('item-save').click();
    await page.getByTestId('item-saved').waitFor();
    await page.reload();
    await page.getByTestId('pane-requirements').click();
    await row.click();
    assert.equal(await page.getByTestId('item-status').inputValue(), 'Implemented');
    assert.equal(await page.getByTestId('item-notes').inputValue(), 'Launch template sets HttpTokens=required');
    assert.match(await row.innerText(), /Implemented/);
    // Threats pane: the Security Requirement yes/no column.
    await page.getByTestId('pane-threats').click();
    await page.locator('td[data-col="hasRequirement"]').first().waitFor();
    assert.match(await page.locator('td[data-col="hasRequirement"]').first().innerText(), /^(Yes|No)$/);
  });

  test('templates: Template Builder as admin; an editor is told why not', async ({ page, base, api }) => {
    await page.goto(`${base}/settings/templates`);
    await page.getByTestId('templates-table').waitFor();
    await page.getByTestId('btn-new-template').click();
    await page.getByTestId('template-builder').waitFor();
    await page.getByTestId('toolbox-item-aws.ec2').waitFor();
    await dragToCanvas(page, 'aws.ec2', 300, 250);
    await dragToCanvas(page, 'aws.rds', 600, 250);
    await nodeOf(page, 'aws.rds').waitFor();
    await page.getByTestId('prop-name').fill('Orders DB');
    await page.getByTestId('btn-template-save-as').click();
    await page.getByTestId('template-name').fill('Two tier');
    await page.getByTestId('template-submit').click();
    await page.waitForURL(/\/settings\/templates\/tpl-/);
    const tid = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const { json: t } = await api('GET', `/templates/${tid}`);
    assert.equal(t.name, 'Two tier');
    assert.equal(t.state, 'draft');
    assert.deepEqual(t.diagram.components.map((c) => c.type).sort(), ['aws.ec2', 'aws.rds']);
    assert.ok(t.diagram.components.some((c) => c.name === 'Orders DB'));
    // Edit and save a new version, then approve.
    await nodeOf(page, 'aws.ec2').click();
    await page.getByTestId('prop-name').fill('App server');
    await page.getByTestId('btn-save').click();
    await waitSaved(page);
    await page.getByTestId('btn-template-approve').click();
    await page.locator('[data-testid="builder-state"]', { hasText: 'approved' }).waitFor();
    const { json: t2 } = await api('GET', `/templates/${tid}`);
    assert.equal(t2.state, 'approved');
    assert.ok(t2.diagram.components.some((c) => c.name === 'App server'));
    // Duplicate and delete from the list.
    await page.getByTestId('builder-back').click();
    await page.getByTestId(`template-duplicate-${tid}`).click();
    const copy = page.locator('[data-testid^="template-row-"]', { hasText: 'Copy of Two tier' });
    await copy.waitFor();
    await copy.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('confirm-ok').click();
    await copy.waitFor({ state: 'detached' });

    // As an editor (a second server whose local user is an editor), the
    // builder is refused with the server's reason, and so is the API.
    const editor = await startServer({ env: { BULWARK_LOCAL_ROLE: 'editor' } });
    try {
      const r = await fetch(`${editor.base}/api/v1/templates`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Nope', diagram: { components: [], flows: [], groups: [] } }) });
      assert.equal(r.status, 403);
      assert.match((await r.json()).detail, /needs the admin role; you are editor/);
      await page.goto(`${editor.base}/settings/templates/new`);
      const refused = page.getByTestId('templates-refused');
      await refused.waitFor();
      assert.match(await refused.innerText(), /Only admins can manage templates[\s\S]*needs the admin role; you are editor/);
      assert.equal(await page.getByTestId('template-builder').count(), 0);
      await page.goto(`${editor.base}/settings/templates`);
      await page.getByTestId('templates-refused').waitFor();
      assert.equal(await page.getByTestId('btn-new-template').count(), 0);
    } finally {
      await editor.stop();
    }
  });

  test('templates: save a model and a group as templates; new model from a template; template dropped as a group', async ({ page, base, api }) => {
    const id = await newModelViaAPI(api, 'Source model');
    await putDiagram(api, id, {
      components: [
        { id: 'a', type: 'aws.ec2', name: 'Web', position: { x: 0, y: 0 }, properties: { note: 'x' } },
        { id: 'b', type: 'aws.rds', name: 'DB', position: { x: 300, y: 0 } },
        { id: 'c', type: 'aws.s3', name: 'Logs', position: { x: 0, y: 300 } },
      ],
      flows: [{ id: 'f1', source: 'a', target: 'b', protocol: 'HTTPS', port: 443 }, { id: 'f2', source: 'a', target: 'c', protocol: 'HTTPS', port: 443 }],
    });
    await page.goto(`${base}/models/${id}`);
    await nodeOf(page, 'aws.rds').waitFor();
    await page.getByTestId('btn-save-model-template').click();
    await page.getByTestId('template-name').fill('Whole model');
    await page.getByTestId('template-submit').click();
    await page.getByTestId('template-saved').waitFor();
    // Select two components, group them, save the group as a template.
    await nodeOf(page, 'aws.ec2').click();
    await nodeOf(page, 'aws.rds').click({ modifiers: ['Shift'] });
    await page.getByTestId('btn-group').click();
    await page.locator('.react-flow__node.selected [data-testid="group-node"][data-kind="group"]').waitFor();
    await page.getByTestId('btn-save-group-template').click();
    await page.getByTestId('template-name').fill('Web and DB');
    await page.getByTestId('template-submit').click();
    await page.getByTestId('template-saved').waitFor();
    const { json: list } = await api('GET', '/templates');
    const whole = list.items.find((t) => t.name === 'Whole model');
    const group = list.items.find((t) => t.name === 'Web and DB');
    assert.equal(whole.componentCount, 3);
    const { json: g } = await api('GET', `/templates/${group.id}`);
    assert.deepEqual(g.diagram.components.map((c) => c.name).sort(), ['DB', 'Web']);
    assert.equal(g.diagram.flows.length, 1, 'only the flow between the two');
    assert.deepEqual(g.diagram.components.find((c) => c.name === 'Web').properties, { note: 'x' });

    // Drop an approved template into the model: a group with fresh ids.
    const { json: full } = await api('GET', `/templates/${group.id}`);
    await api('POST', `/templates/${group.id}/approve`, undefined, { 'If-Match': `"${full.revision}"` });
    await page.reload();
    await page.getByTestId('toolbox-search').fill('Web and DB');
    await page.getByTestId(`toolbox-template-${group.id}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x: 500, y: 420 } });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="component-node"][data-type="aws.rds"]').length === 2);
    await waitSaved(page);
    const { json: after } = await api('GET', `/models/${id}/diagram`);
    const ids = [...after.components, ...after.groups, ...after.flows].map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    const wrap = after.groups.find((x) => x.name === 'Web and DB');
    assert.ok(wrap, 'the template is a named group');
    const inWrap = (x) => {
      for (let p = x.parent; p; p = after.groups.find((g) => g.id === p)?.parent) if (p === wrap.id) return true;
      return false;
    };
    assert.deepEqual(after.components.filter(inWrap).map((c) => c.name).sort(), ['DB', 'Web']);
    assert.equal(after.flows.filter((f) => after.components.some((c) => c.id === f.source && inWrap(c))).length, 1);

    // New threat model → Template: search, preview, submit.
    await page.goto(base + '/');
    await page.getByTestId('btn-new-model').click();
    await page.getByTestId('tab-template').click();
    await page.getByTestId('template-search').fill('microservices');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="template-option-"]').length === 1);
    await page.getByTestId('template-option-builtin-aws-microservices').click();
    await page.getByTestId('template-preview').waitFor();
    const { json: ms } = await api('GET', '/templates/builtin-aws-microservices');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="preview-component"]').length === n, ms.diagram.components.length);
    await page.getByTestId('template-model-name').fill('Shop on microservices');
    await page.getByTestId('template-create').click();
    await page.waitForURL(/\/models\/[^/]+$/);
    const newId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    await page.locator('[data-testid="component-node"][data-type="aws.eks"]').first().waitFor();
    const { json: created } = await api('GET', `/models/${newId}`);
    assert.equal(created.name, 'Shop on microservices');
    assert.deepEqual(created.diagram.components.map((c) => c.type).sort(), ms.diagram.components.map((c) => c.type).sort());
    assert.equal(await page.locator('[data-testid="component-node"]').count(), ms.diagram.components.length);
  });

  test('nesting: drop a model, Import Threats, its threats in Overview with the source; a cycle is refused', async ({ page, base, api }) => {
    const inner = await newModelViaAPI(api, 'Payments service');
    await putDiagram(api, inner, { components: [{ id: 's3', type: 'aws.s3', name: 'Receipts', position: { x: 0, y: 0 } }] });
    const outer = await newModelViaAPI(api, 'Shop platform');
    await page.goto(`${base}/models/${outer}`);
    await page.getByTestId('toolbox-search').fill('Payments');
    const item = page.getByTestId(`toolbox-model-${inner}`);
    await item.waitFor();
    await item.dragTo(page.getByTestId('canvas'), { targetPosition: { x: 400, y: 300 } });
    const nested = nodeOf(page, 'generic.threat-model');
    await nested.waitFor();
    await nested.click();
    await page.getByTestId('nested-import-threats').check();
    await page.getByTestId('btn-save').click();
    await waitSaved(page);
    const { json: d } = await api('GET', `/models/${outer}/diagram`);
    assert.deepEqual(d.components[0].nestedModel, { modelId: inner, importThreats: true });
    assert.equal(d.components[0].name, 'Payments service');
    await page.getByTestId('btn-overview').click();
    await page.getByTestId('items-table').waitFor();
    const group = page.locator('[data-testid="item-group"][data-group="Payments service"]');
    await group.waitFor();
    const { json: innerThreats } = await api('GET', `/models/${inner}/threats`);
    assert.equal(Number(await group.getByTestId('group-count').innerText()), innerThreats.items.length);
    await group.getByTestId('item-row').first().click();
    await page.getByTestId('item-imported').waitFor();

    // Nesting the outer model into the inner one would make a cycle: refused with the server's message.
    await page.goto(`${base}/models/${inner}`);
    await page.getByTestId('toolbox-search').fill('Shop platform');
    await page.getByTestId(`toolbox-model-${outer}`).dblclick();
    await nodeOf(page, 'generic.threat-model').waitFor();
    await page.getByTestId('btn-save').click();
    const err = page.getByTestId('save-error');
    await err.waitFor();
    const text = await err.innerText();
    assert.match(text, /cycle/);
    assert.match(text, /\/diagram\/components\/1\/nestedModel\/modelId/);
    assert.match(text, /Payments service › Shop platform › Payments service/);
    await clickPane(page);

    // Point the nested component at another model from its properties: the
    // name follows the model, Import Threats stays.
    const billing = await newModelViaAPI(api, 'Billing service');
    await page.goto(`${base}/models/${outer}`);
    await nodeOf(page, 'generic.threat-model').click();
    const select = page.getByTestId('nested-model-select');
    await page.locator(`[data-testid="nested-model-select"] option[value="${billing}"]`).waitFor({ state: 'attached' });
    assert.equal(await select.inputValue(), inner);
    assert.equal(await page.locator(`[data-testid="nested-model-select"] option[value="${outer}"]`).count(), 0, 'a model is not offered to nest itself');
    await select.selectOption(billing);
    await page.getByTestId('btn-save').click();
    await waitSaved(page);
    const { json: d2 } = await api('GET', `/models/${outer}/diagram`);
    assert.deepEqual(d2.components[0].nestedModel, { modelId: billing, importThreats: true });
    assert.equal(d2.components[0].name, 'Billing service');
  });

  test('import: a CloudFormation template through the Import tab; export menu', async ({ page, base, api }) => {
    await page.goto(base + '/');
    await page.getByTestId('btn-new-model').click();
    await page.getByTestId('tab-import').click();
    await page.locator('[data-testid="import-format"] option[value="cloudformation"]').waitFor({ state: 'attached' });
    await page.getByTestId('import-file').setInputFiles(join(ROOT, 'pkg/interop/testdata/cloudformation/web-app.yaml'));
    assert.equal(await page.getByTestId('import-format').inputValue(), 'cloudformation');
    await page.getByTestId('import-preview').click();
    await page.getByTestId('import-result').waitFor();
    assert.match(await page.getByTestId('import-summary').innerText(), /Imported from web-app: 12 components, 8 flows, 3 groups/);
    assert.ok(await page.locator('[data-testid="import-warnings"] li').count() >= 4);
    assert.match(await page.getByTestId('import-warnings').innerText(), /nested stack template/);
    await page.getByTestId('import-name').fill('Web app (CloudFormation)');
    await page.getByTestId('import-create').click();
    await page.waitForURL(/\/models\/[^/]+$/);
    await page.getByTestId('canvas').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="component-node"]').length === 12);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const { json: m } = await api('GET', `/models/${id}`);
    assert.equal(m.name, 'Web app (CloudFormation)');
    assert.equal(m.diagram.components.length, 12);
    assert.equal(await page.locator('[data-testid="group-node"]').count(), 3);
    // A bad document is refused with the server's problem detail.
    await page.goto(base + '/');
    await page.getByTestId('btn-new-model').click();
    await page.getByTestId('tab-import').click();
    await page.locator('[data-testid="import-format"] option[value="otm"]').waitFor({ state: 'attached' });
    await page.getByTestId('import-format').selectOption('otm');
    await page.getByTestId('import-text').fill('{"not": "otm"}');
    await page.getByTestId('import-preview').click();
    await page.getByTestId('import-error').waitFor();
    await page.keyboard.press('Escape');
    // Export: OTM download of the imported model.
    await page.goto(`${base}/models/${id}`);
    await page.getByTestId('canvas').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-format').selectOption('otm')]);
    assert.match(download.suggestedFilename(), /\.json$/);
    const { readFileSync } = await import('node:fs');
    const doc = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.ok(doc.otmVersion, 'an OTM document');
  });

  test('import: a real Threat Dragon model shows its warnings grouped with counts, and its threats are saved', async ({ page, base, api }) => {
    await page.goto(base + '/');
    await page.getByTestId('btn-new-model').click();
    await page.getByTestId('tab-import').click();
    await page.locator('[data-testid="import-format"] option[value="threatdragon"]').waitFor({ state: 'attached' });
    await page.getByTestId('import-file').setInputFiles(join(ROOT, 'pkg/interop/testdata/real/threatdragon/tdai-payments-processing-platform-openai-gpt-5.json'));
    // The format is detected once the file is read.
    await page.waitForFunction(() => document.querySelector('[data-testid="import-format"]')?.value === 'threatdragon');
    await page.getByTestId('import-preview').click();
    await page.getByTestId('import-result').waitFor();
    assert.match(await page.getByTestId('import-summary').innerText(), /\d+ components, \d+ flows, \d+ groups, \d+ threats/);
    const total = await page.getByTestId('import-warnings-total').innerText();
    const m = total.match(/^(\d+) warnings? in (\d+) groups?/);
    assert.ok(m, total);
    const counts = await page.getByTestId('import-warnings-count').allInnerTexts();
    assert.equal(counts.length, Number(m[2]));
    assert.equal(counts.reduce((a, c) => a + Number(c), 0), Number(m[1]));
    assert.equal(await page.locator('[data-testid="import-warnings-types"]').count(), 1);
    await page.getByTestId('import-create').click();
    await page.waitForURL(/\/models\/[^/]+$/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const { json: saved } = await api('GET', `/models/${id}`);
    assert.ok((saved.custom ?? []).some((c) => c.kind === 'threat' && c.source === 'threatdragon'), 'the imported threats are saved');
  });
}

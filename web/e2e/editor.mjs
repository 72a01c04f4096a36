// Browser tests of the editor's chrome (#17.4, 6, 7, 12, 13, 15): Edit
// details, the protocol picker, the Drift Log (and the History beside it), the Accelerator tree, the
// editor at 1600 x 1000, dialogs (the executive summary too) and the properties panel. Each measures
// what a person sees. Registered with run.mjs: node e2e/run.mjs "editor".
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const WIDE = { width: 1600, height: 1000 };

/** modelWith creates a model whose diagram is d (components, flows, groups). */
async function modelWith(api, name, d) {
  const { json } = await api('POST', '/models', {
    schemaVersion: 1, name, version: '1.0', projectType: 'Web Application', priority: 'Medium', facing: 'internal',
    diagram: { components: [], flows: [], groups: [], ...d },
  });
  return json.id;
}

/** box is an element's bounding box, rounded. */
async function box(locator) {
  const b = await locator.boundingBox();
  assert.ok(b, 'the element is on screen');
  return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) };
}

/** overflowing lists the elements under the selector whose text does not fit their box. */
function overflowing(page, selector) {
  return page.locator(selector).evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => `${e.className}: ${e.textContent.slice(0, 80)} (${e.scrollWidth} > ${e.clientWidth})`));
}

/** clickEdge clicks the middle of a flow's line, as a person selects it. */
async function clickEdge(page, flowId) {
  const p = await page.locator(`.react-flow__edge[data-id="${flowId}"] path`).first().evaluate((path) => {
    const pt = path.getPointAtLength(path.getTotalLength() / 2);
    const m = path.getScreenCTM();
    return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f };
  });
  await page.mouse.click(p.x, p.y);
}

const active = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { tag: a?.tagName, label: a?.getAttribute('aria-label') ?? '', text: a?.textContent?.slice(0, 60) ?? '', inDialog: !!a?.closest('[role="dialog"]') };
});

export function register(test, { newModelViaAPI, findType, connect, waitSaved, clickPane }) {
  test('editor details: Edit details from the title and the library row, API problems by field, kept after reload', async ({ page, base, api }) => {
    await page.setViewportSize(WIDE);
    const id = await newModelViaAPI(api, 'Payments portal');
    await page.goto(`${base}/models/${id}`);
    await page.getByRole('button', { name: 'Edit details of Payments portal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit details' });
    const name = dialog.getByLabel('Name', { exact: true });
    assert.equal(await name.inputValue(), 'Payments portal');

    // The API refuses an empty name and a 70-character label: each message beside its field.
    await name.fill('   ');
    const long = 'x'.repeat(70);
    await dialog.getByLabel('Labels', { exact: true }).fill(long);
    await dialog.getByLabel('Labels', { exact: true }).press('Enter');
    await dialog.getByRole('button', { name: 'Save details' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[role="dialog"] [aria-invalid="true"]').length === 2);
    const messageOf = async (locator) => page.locator(`#${await locator.getAttribute('aria-describedby')}`).innerText();
    assert.equal(await messageOf(name), 'Name is required');
    assert.equal(await messageOf(dialog.getByLabel('Labels', { exact: true })), `Label “${long}” longer than 64 characters`);
    assert.equal((await api('GET', `/models/${id}`)).json.name, 'Payments portal', 'nothing was saved');

    // Fixed: every detail changes.
    await name.fill('Payments API');
    await dialog.getByLabel('Version', { exact: true }).fill('3.0');
    await dialog.getByLabel('Project type').selectOption('Mobile Application');
    await dialog.getByLabel('Priority').selectOption('Low');
    await dialog.getByLabel('Public facing').check();
    await dialog.getByRole('button', { name: `Remove ${long}` }).click();
    await dialog.getByLabel('Labels', { exact: true }).fill('pci');
    await dialog.getByLabel('Labels', { exact: true }).press('Enter');
    await dialog.getByLabel('Description').fill('Card payments for the shop.');
    await dialog.getByRole('button', { name: 'Save details' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('model-name').innerText(), 'Payments API');
    const want = { name: 'Payments API', version: '3.0', projectType: 'Mobile Application', priority: 'Low', facing: 'public', labels: ['pci'], description: 'Card payments for the shop.' };
    const got = (await api('GET', `/models/${id}`)).json;
    assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, got[k]])), want);

    // The diagram still saves after the details changed its revision: no conflict.
    const ec2 = await findType(api, ['aws.ec2'], /EC2/);
    await page.getByTestId(`toolbox-item-${ec2}`).dblclick();
    await waitSaved(page);
    assert.equal((await api('GET', `/models/${id}`)).json.diagram.components.length, 1);

    await page.reload();
    await page.getByRole('button', { name: 'Edit details of Payments API' }).waitFor();

    // From the library row.
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Edit details of Payments API' }).click();
    await dialog.getByLabel('Priority').selectOption('Very High');
    await dialog.getByRole('button', { name: 'Save details' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction((mid) => /Very High/.test(document.querySelector(`[data-testid="model-row-${mid}"]`)?.textContent ?? ''), id);
    assert.equal((await api('GET', `/models/${id}`)).json.priority, 'Very High');
    await page.reload();
    assert.match(await page.getByTestId(`model-row-${id}`).innerText(), /Payments API[\s\S]*3\.0[\s\S]*Mobile Application[\s\S]*Very High[\s\S]*Public[\s\S]*pci/);
  });

  test('editor protocol picker: sets the protocol of flows drawn next, never of the flow just drawn', async ({ page, base, api }) => {
    await page.setViewportSize(WIDE);
    const ec2 = await findType(api, ['aws.ec2'], /EC2/);
    const id = await modelWith(api, 'Protocols', {
      components: [
        { id: 'a', type: ec2, name: 'bastion', position: { x: 0, y: 0 } },
        { id: 'b', type: ec2, name: 'app', position: { x: 360, y: 0 } },
        { id: 'c', type: ec2, name: 'web', position: { x: 360, y: 260 } },
      ],
    });
    await page.goto(`${base}/models/${id}`);
    const node = (nid) => page.locator(`.react-flow__node[data-id="${nid}"]`);
    await node('c').waitFor();
    await page.getByTestId('protocol-SSH').click();
    await connect(page, node('a'), node('b'));
    await page.locator('.react-flow__edge.selected').waitFor({ state: 'attached' });
    // The just-drawn flow is still selected when the next protocol is chosen.
    await page.getByTestId('protocol-HTTP').click();
    assert.equal(await page.getByTestId('flow-protocol').inputValue(), 'SSH', 'the selected flow keeps SSH');
    await connect(page, node('b'), node('c'));
    await waitSaved(page);
    const flows = (await api('GET', `/models/${id}`)).json.diagram.flows.map((f) => `${f.source}>${f.target} ${f.protocol} ${f.port}`).sort();
    assert.deepEqual(flows, ['a>b SSH 22', 'b>c HTTP 80']);

    // An existing flow changes in its properties.
    await clickEdge(page, (await api('GET', `/models/${id}`)).json.diagram.flows.find((f) => f.source === 'a').id);
    assert.equal(await page.getByTestId('flow-protocol').inputValue(), 'SSH');
    await page.getByTestId('flow-protocol').selectOption('HTTPS');
    await waitSaved(page);
    const after = (await api('GET', `/models/${id}`)).json.diagram.flows.map((f) => f.protocol).sort();
    assert.equal(after.filter((p) => p === 'HTTPS').length, 1);
  });

  test('editor at 1600 x 1000: one toolbar row, canvas at least 1100 px, properties only with a selection, panels fold', async ({ page, base, api }) => {
    await page.setViewportSize(WIDE);
    const ec2 = await findType(api, ['aws.ec2'], /EC2/);
    const vpc = await findType(api, ['aws.vpc'], /^Amazon VPC$/);
    const id = await modelWith(api, 'A model with a rather long name for the title of the editor', {
      groups: [{ id: 'g', kind: 'container', type: vpc, name: 'shop-vpc', position: { x: 0, y: 0 }, size: { width: 500, height: 300 } }],
      components: [{ id: 'a', type: ec2, name: 'app', parent: 'g', position: { x: 60, y: 80 } }],
    });
    await page.goto(`${base}/models/${id}`);
    await page.locator('.react-flow__node[data-id="a"]').waitFor();

    const headRow = async () => {
      const kids = await page.locator('.editor-head > *').evaluateAll((els) => els.map((e) => {
        const r = e.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, right: r.right };
      }));
      const head = await box(page.locator('.editor-head'));
      const tools = await page.getByRole('toolbar', { name: 'Diagram tools' }).locator('button, label, [role="status"]').evaluateAll((els) => els.filter((e) => e.getClientRects().length).map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)));
      return { kids, head, tools };
    };
    const assertOneRow = async (when) => {
      const { kids, head, tools } = await headRow();
      assert.ok(head.height <= 52, `${when}: the editor head is one row (${head.height} px high)`);
      assert.ok(Math.max(...tools) - Math.min(...tools) <= 4, `${when}: the toolbar's controls are on one line (centres ${tools})`);
      for (const k of kids) assert.ok(k.right <= 1600 + 0.5, `${when}: nothing in the head runs past the window (${k.right})`);
    };
    await assertOneRow('nothing selected');

    const canvas = page.getByTestId('canvas');
    const properties = page.getByRole('complementary', { name: 'Properties' });
    assert.equal(await properties.count(), 0, 'no properties panel without a selection');
    assert.ok((await box(canvas)).width >= 1100, `canvas ${(await box(canvas)).width} px wide`);

    // A selected container: its properties in the right column (the canvas keeps its width), and Save group as template fits on the row.
    const width = (await box(canvas)).width;
    await page.getByTestId('group-title').click();
    await properties.waitFor();
    const column = await box(page.locator('.side-panel.right'));
    const p = await box(properties);
    assert.ok(p.x >= column.x && p.x + p.width <= column.x + column.width, 'the properties are in the right column');
    assert.equal((await box(canvas)).width, width, 'selecting does not resize the canvas');
    await assertOneRow('a container selected');
    await clickPane(page);
    await properties.waitFor({ state: 'detached' });

    // Folding both side panels gives the canvas their width, and is remembered.
    const before = (await box(canvas)).width;
    await page.getByRole('button', { name: 'Hide Components' }).click();
    await page.getByRole('button', { name: 'Hide Properties and Assist' }).click();
    const folded = (await box(canvas)).width;
    assert.ok(folded >= before + 400, `canvas ${before} → ${folded} px with the panels folded`);
    assert.equal(await page.getByTestId('toolbox').count(), 0);
    await page.reload();
    await page.getByRole('button', { name: 'Show Components' }).waitFor();
    assert.equal((await box(canvas)).width, folded);
    await page.getByRole('button', { name: 'Show Components' }).click();
    await page.getByTestId('toolbox-search').waitFor();
    // Folded, a selection still shows its properties.
    await page.getByTestId('group-title').click();
    await properties.waitFor();
    await clickPane(page);
    await properties.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Show Properties and Assist' }).click();
    assert.equal((await box(canvas)).width, before);
  });

  test('editor dialogs: focus stays inside while open and returns to the opener on close', async ({ page, base, api }) => {
    await page.setViewportSize(WIDE);
    const id = await newModelViaAPI(api, 'Focus');
    await page.goto(`${base}/models/${id}`);
    const opener = page.getByRole('button', { name: 'Edit details of Focus' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Edit details' });
    await dialog.waitFor();
    let a = await active(page);
    assert.ok(a.inDialog && a.tag === 'INPUT', `focus starts in the dialog's first field: ${JSON.stringify(a)}`);
    const stops = await dialog.locator('input, select, textarea, button').count();
    for (let i = 0; i < stops + 3; i++) {
      await page.keyboard.press('Tab');
      a = await active(page);
      assert.ok(a.inDialog, `Tab ${i + 1} stays in the dialog: ${JSON.stringify(a)}`);
    }
    await dialog.getByLabel('Name', { exact: true }).focus();
    await page.keyboard.press('Shift+Tab');
    a = await active(page);
    assert.ok(a.inDialog && a.text === 'Save details', `Shift+Tab from the first field goes to the last button: ${JSON.stringify(a)}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    a = await active(page);
    assert.equal(a.label, 'Edit details of Focus', 'focus is back on the title');

    // The library's delete confirmation: Escape returns focus to the row's Delete.
    await page.goto(`${base}/`);
    await page.getByTestId(`delete-${id}`).click();
    await page.getByRole('dialog', { name: 'Delete threat model' }).waitFor();
    assert.equal((await active(page)).text, 'Delete');
    assert.ok((await active(page)).inDialog);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    a = await active(page);
    assert.ok(!a.inDialog && a.text === 'Delete', `focus is back on the row's Delete: ${JSON.stringify(a)}`);

    // The executive summary (Reports → Executive summary with charts…) is the same Dialog: Tab and Shift+Tab stay inside, Escape closes, focus is back on Reports.
    await page.goto(`${base}/models/${id}`);
    await page.getByTestId('btn-reports').click();
    await page.getByTestId('report-view').click();
    const report = page.getByRole('dialog', { name: 'Executive summary' });
    await report.getByTestId('report-figures').waitFor();
    assert.ok((await active(page)).inDialog, 'focus starts in the executive summary');
    for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      a = await active(page);
      assert.ok(a.inDialog, `${key} stays in the executive summary: ${JSON.stringify(a)}`);
    }
    await page.keyboard.press('Escape');
    await report.waitFor({ state: 'detached' });
    a = await active(page);
    assert.ok(!a.inDialog && a.text.startsWith('Reports'), `focus is back on Reports: ${JSON.stringify(a)}`);
  });

  test('editor properties: catalog labels, an empty name refused, container headers, the nested model list fits, Source Name of hand-drawn', async ({ page, base, api }) => {
    await page.setViewportSize(WIDE);
    const ec2 = await findType(api, ['aws.ec2'], /EC2/);
    const vpc = await findType(api, ['aws.vpc'], /^Amazon VPC$/);
    const inner = await newModelViaAPI(api, `Card vault ${'with a very long name '.repeat(8)}end`);
    const id = await modelWith(api, 'Properties', {
      groups: [
        { id: 'v1', kind: 'container', type: vpc, name: 'Amazon VPC', position: { x: 0, y: 0 }, size: { width: 420, height: 260 } },
        { id: 'v2', kind: 'container', type: vpc, name: 'shop-vpc', position: { x: 480, y: 0 }, size: { width: 420, height: 260 } },
        { id: 'b', kind: 'boundary', name: 'Payments zone', position: { x: 0, y: 320 }, size: { width: 420, height: 200 } },
      ],
      components: [
        { id: 'a', type: ec2, name: 'app', parent: 'v1', position: { x: 60, y: 80 } },
        { id: 'n', type: 'generic.threat-model', name: 'Card vault', position: { x: 600, y: 360 }, nestedModel: { modelId: inner, importThreats: false } },
      ],
    });
    await page.goto(`${base}/models/${id}`);
    await page.locator('.react-flow__node[data-id="a"]').waitFor();

    // Container headers say each thing once.
    const title = (gid) => page.locator(`.react-flow__node[data-id="${gid}"] [data-testid="group-title"]`).innerText();
    assert.equal((await title('v1')).trim(), 'Amazon VPC');
    assert.equal((await title('v2')).trim(), 'shop-vpc');

    // Catalog names, not keys.
    await page.locator('.react-flow__node[data-id="a"]').click();
    const properties = page.getByRole('complementary', { name: 'Properties' });
    await properties.getByLabel('Public IP', { exact: true }).waitFor();
    await properties.getByLabel('IMDSv2 required', { exact: true }).waitFor();
    const text = await properties.innerText();
    for (const key of ['publicIp', 'imdsv2Required']) assert.ok(!text.includes(key), `no raw key ${key} in the panel`);

    // An empty name is refused with a message; the name is kept.
    const name = properties.getByLabel('Name', { exact: true });
    await name.fill('');
    const alert = properties.getByRole('alert');
    assert.match(await alert.innerText(), /needs a name; it keeps “app”/);
    assert.equal(await page.locator('.react-flow__node[data-id="a"] .component-name').innerText(), 'app');
    await properties.getByLabel('Public IP', { exact: true }).check(); // an edit to save
    assert.match(await alert.innerText(), /needs a name/, 'the message stays while the field is empty');
    await waitSaved(page);
    const saved = (await api('GET', `/models/${id}`)).json.diagram.components.find((c) => c.id === 'a');
    assert.equal(saved.name, 'app');
    assert.equal(saved.properties.publicIp, true);

    // The nested model's list stays inside its panel.
    await page.locator('.react-flow__node[data-id="n"]').click();
    const select = page.getByTestId('nested-model-select');
    await page.waitForFunction(() => !document.querySelector('[data-testid="nested-model-select"]')?.disabled);
    const panel = await box(page.locator('.assist'));
    const s = await box(select);
    assert.ok(s.x >= panel.x && s.x + s.width <= panel.x + panel.width, `the select (${s.x}+${s.width}) is inside the Assist panel (${panel.x}+${panel.width})`);
    assert.deepEqual(await overflowing(page, '.assist'), []);

    // Overview: a hand-drawn component's requirements name it as their source.
    await page.goto(`${base}/models/${id}/overview`);
    await page.getByTestId('pane-requirements').click();
    const cell = page.locator('[data-testid="item-row"] td[data-col="sourceName"]').first();
    await cell.waitFor();
    const names = await page.locator('[data-testid="item-row"] td[data-col="sourceName"]').allInnerTexts();
    assert.ok(names.length > 0 && names.every((n) => n.trim() !== ''), `no blank Source Name: ${JSON.stringify(names.slice(0, 5))}`);
    assert.ok(names.includes('app'));
  });

  test('editor drift log: flows by name, badges sized as badges, nothing overflows, hand-drawn under its own heading', async ({ page, base, api, server }) => {
    await page.setViewportSize(WIDE);
    const ACCOUNT = '111111111111';
    const VPC = 'vpc-0cb55edf9b476c102'; // shop-eu, eu-west-1 (events/demo/aws)
    const INSTANCE = 'i-0f9b3904da5bbd310'; // shop-eu-app-b04
    // The Accelerator test terminates this instance in the server's copy of events/demo/aws (its snapshot, and a
    // deletion event kept in events/): start from the original data.
    const region = join('AWSLogs', ACCOUNT, 'Config', 'eu-west-1');
    cpSync(join(ROOT, 'events', 'demo', 'aws', region), join(server.accelData, region), { recursive: true, force: true });
    rmSync(join(server.accelData, 'events'), { recursive: true, force: true });
    let { json: run } = await api('POST', '/accelerator/builds', { accountId: ACCOUNT, region: 'eu-west-1', vpcId: VPC, name: 'shop-eu drift' });
    for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(run.status); i++) {
      await new Promise((r) => setTimeout(r, 150));
      run = (await api('GET', `/accelerator/runs/${run.id}`)).json;
    }
    assert.equal(run.status, 'succeeded', run.error);
    const id = run.modelId;
    const { json: m, etag } = await api('GET', `/models/${id}`);
    const instance = m.diagram.components.find((c) => c.id === INSTANCE);
    assert.ok(instance, 'the built model has the instance');
    const d = m.diagram;
    d.components.push({ id: 'hand-users', type: 'generic.browser', name: 'Staff browsers', position: { x: -400, y: -300 } });
    d.flows.push({ id: 'hand-flow', source: 'hand-users', target: INSTANCE, protocol: 'HTTPS', port: 443 });
    await api('PUT', `/models/${id}/diagram`, d, { 'If-Match': etag });

    // The instance is terminated: the snapshot loses it, AWS Config reports it.
    const dir = join(server.accelData, 'AWSLogs', ACCOUNT, 'Config', 'eu-west-1', '2026', '10', '1', 'ConfigSnapshot');
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.json')));
    const snap = JSON.parse(readFileSync(file, 'utf8'));
    snap.configurationItems = snap.configurationItems.filter((i) => i.resourceId !== INSTANCE);
    writeFileSync(file, JSON.stringify(snap));
    await api('POST', '/accelerator/events', JSON.parse(readFileSync(join(ROOT, 'events/aws/config/instance-deleted.json'), 'utf8')));

    await page.goto(`${base}/models/${id}`);
    await page.getByTestId('canvas').waitFor();
    await page.getByTestId('btn-drift').waitFor();
    // An Accelerator model's editor (Drift Log, inferred flows) keeps its tools on one row too.
    assert.ok((await box(page.locator('.editor-head'))).height <= 52, 'the editor head of an Accelerator model is one row');
    const rights = await page.locator('.editor-head > *').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
    assert.ok(Math.max(...rights) <= 1600, `nothing in the head runs past the window: ${rights}`);
    await page.getByTestId('btn-drift').click();
    const panel = page.getByRole('complementary', { name: 'Drift Log' });
    await panel.waitFor();
    await page.getByTestId('drift-check').click();
    await page.getByTestId(`drift-item-${INSTANCE}`).waitFor({ timeout: 30_000 });

    // Flows by the names of their ends.
    const items = await panel.locator('[data-testid^="drift-item-"]').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-testid').slice('drift-item-'.length), text: e.innerText })));
    const flows = items.filter((i) => i.text.includes('→'));
    assert.ok(flows.length > 0, `flows are listed: ${JSON.stringify(items.slice(0, 5))}`);
    for (const f of flows) {
      assert.ok(!/\bi-0[0-9a-f]{8,}|elb:|arn:aws|sg-0[0-9a-f]{8,}/.test(f.text), `flow listed by names, not ids: ${f.text}`);
    }
    assert.ok(flows.some((f) => f.text.includes(instance.name)), `a flow of ${instance.name} is listed by its name`);

    // Badges: one text line high, narrower than 160 px, beside a wrapping name.
    const badges = await panel.locator('.drift-kind').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent, width: r.width, height: r.height, line: parseFloat(getComputedStyle(e).lineHeight) };
    }));
    assert.ok(badges.length > 0);
    for (const b of badges) {
      assert.ok(b.height <= b.line + 4, `badge "${b.text}" is ${b.height} px high, a line is ${b.line}`);
      assert.ok(b.width < 160, `badge "${b.text}" is ${b.width} px wide`);
    }
    assert.deepEqual(await overflowing(page, '.drift-panel, .drift-panel li, .drift-panel li > span, .drift-panel .hint'), []);

    // Hand-drawn elements: their own heading, not drift.
    const hand = panel.getByRole('region', { name: 'Added by hand — kept by Sync' });
    await hand.waitFor();
    const handText = await hand.innerText();
    assert.match(handText, /Staff browsers/);
    assert.match(handText, new RegExp(`Staff browsers → ${instance.name} HTTPS 443`));
    assert.ok(!items.some((i) => i.id === 'hand-users'), 'the hand-drawn component is not listed as drift');
  });

  test('editor side panels: the Drift Log and the History open together, stacked over the canvas without overlapping; each stays usable; one toolbar row', async ({ page, base, api }) => {
    await page.setViewportSize(WIDE);
    let { json: run } = await api('POST', '/accelerator/builds', { accountId: '111111111111', region: 'eu-west-1', vpcId: 'vpc-0cb55edf9b476c102', name: 'shop-eu panels' });
    for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(run.status); i++) {
      await new Promise((r) => setTimeout(r, 150));
      run = (await api('GET', `/accelerator/runs/${run.id}`)).json;
    }
    assert.equal(run.status, 'succeeded', run.error);
    const id = run.modelId;
    // Fifteen saved versions: the History is longer than there is room for.
    for (let i = 1; i <= 14; i++) {
      const { json: m, etag } = await api('GET', `/models/${id}`);
      const d = m.diagram;
      d.components = d.components.filter((c) => c.id !== 'hand-users');
      d.components.push({ id: 'hand-users', type: 'generic.browser', name: `Staff browsers ${i}`, position: { x: -400, y: -300 } });
      await api('PUT', `/models/${id}/diagram`, d, { 'If-Match': etag });
    }
    const revisions = (await api('GET', `/models/${id}/versions`)).json.items.map((v) => v.revision);

    await page.goto(`${base}/models/${id}`);
    await page.getByTestId('canvas').waitFor();
    await page.getByTestId('btn-drift').click();
    const drift = page.getByRole('complementary', { name: 'Drift Log' });
    await drift.waitFor();
    const historyButton = page.getByRole('button', { name: 'History', exact: true });
    await historyButton.click();
    const history = page.getByRole('complementary', { name: 'History' });
    const versions = history.getByRole('list', { name: 'Versions' }).getByRole('listitem');
    await versions.nth(revisions.length - 1).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="drift-status"]')?.getAttribute('data-status'));

    const intersects = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const inside = (a, b) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
    const layout = async (when) => {
      const d = await box(drift);
      const h = await box(history);
      const canvas = await box(page.getByTestId('canvas'));
      const minimap = await box(page.locator('.react-flow__minimap, .big-minimap').first());
      assert.ok(!intersects(d, h), `${when}: the Drift Log ${JSON.stringify(d)} and the History ${JSON.stringify(h)} do not overlap`);
      for (const [name, b] of [['Drift Log', d], ['History', h]]) {
        assert.ok(inside(b, canvas), `${when}: the ${name} ${JSON.stringify(b)} is over the canvas ${JSON.stringify(canvas)}`);
        assert.ok(!intersects(b, minimap), `${when}: the ${name} leaves the minimap free`);
        assert.ok(b.height >= 100, `${when}: the ${name} is ${b.height} px high`);
      }
      assert.ok((await box(page.locator('.editor-head'))).height <= 52, `${when}: the editor head is one row`);
      return { d, h };
    };
    const first = await layout('both open');
    assert.ok(first.d.y < first.h.y, 'opened first, the Drift Log is above the History');
    assert.equal(first.d.x, first.h.x, 'one column');

    // Each is usable where it is: Playwright clicks only what is not covered.
    // The History scrolls inside its box to its oldest version.
    assert.ok(await history.evaluate((e) => e.scrollHeight > e.clientHeight + 20), 'the long History scrolls inside its box');
    const oldest = history.getByRole('button', { name: `Open version ${revisions.at(-1)}`, exact: true });
    await oldest.scrollIntoViewIfNeeded();
    const o = await box(oldest);
    assert.ok(inside(o, await box(history)), 'the oldest version is reachable inside the History');
    await oldest.click();
    const view = page.getByRole('region', { name: `Version ${revisions.at(-1)} — read-only` });
    await view.waitFor();
    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'detached' });
    await page.getByTestId('drift-check').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="drift-check"]')?.textContent === 'Check now' && !document.querySelector('[data-testid="drift-check"]').disabled);
    await page.getByTestId('drift-filter').selectOption('changed');
    await layout('after a check');

    // Closing the Drift Log gives the History the room; reopened, the Drift Log goes below it.
    await drift.getByRole('button', { name: 'Close the Drift Log' }).click();
    await drift.waitFor({ state: 'detached' });
    const alone = await box(history);
    assert.equal(alone.y, first.d.y, 'the History moves up to the top of the column');
    assert.ok(alone.height > first.h.height, `the History grows (${first.h.height} → ${alone.height} px)`);
    await page.getByTestId('btn-drift').click();
    await drift.waitFor();
    const again = await layout('reopened');
    assert.ok(again.h.y < again.d.y, 'the panel opened last goes below');
    await history.getByRole('button', { name: 'Close the History' }).click();
    await history.waitFor({ state: 'detached' });
    assert.equal(await historyButton.getAttribute('aria-pressed'), 'false');
    assert.equal((await box(drift)).y, first.d.y);
  });

  test('editor accelerator: the Root and OUs list every VPC below them; account names do not repeat the id', async ({ page, base, api }) => {
    await page.setViewportSize(WIDE);
    const { json: org } = await api('GET', '/accelerator/organization');
    const ous = [];
    const walk = (n) => { if (n.type === 'ou') ous.push(n); (n.children ?? []).forEach(walk); };
    walk(org.root);
    let all = [];
    for (const a of org.registered) all = all.concat(((await api('GET', `/accelerator/accounts/${a}/vpcs`)).json.vpcs ?? []).map((v) => v.vpcId));
    assert.ok(all.length >= 2);

    await page.goto(`${base}/accelerator`);
    const tree = page.getByRole('navigation', { name: 'AWS Organizations' });
    await tree.waitFor();
    const rows = () => page.locator('[data-testid^="vpc-row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid').slice('vpc-row-'.length)).sort());
    await tree.getByRole('button', { name: org.root.name, exact: true }).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="vpc-row-"]').length === n, all.length);
    assert.deepEqual(await rows(), [...all].sort());
    assert.equal(await page.getByRole('heading', { name: /^VPCs of / }).innerText(), `VPCs of ${org.root.name}`);
    assert.ok(await page.getByRole('columnheader', { name: 'Account' }).isVisible(), 'an Account column says whose each VPC is');
    for (const ou of ous) {
      await tree.getByRole('button', { name: ou.name, exact: true }).click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="vpc-row-"]').length === n, all.length);
      assert.ok(await tree.getByRole('button', { name: ou.name, exact: true }).getAttribute('aria-current') === 'true');
    }

    // Each account row says its id once.
    for (const a of org.registered) {
      const text = await page.getByTestId(`org-account-${a}`).innerText();
      assert.equal(text.split(a).length - 1, 1, `"${text}" names ${a} once`);
    }
    await page.getByTestId(`org-account-${org.registered[0]}`).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="vpc-row-"]').length < n, all.length);
    const heading = await page.getByRole('heading', { name: /^VPCs of / }).innerText();
    assert.equal(heading.split(org.registered[0]).length - 1, 1, `"${heading}" names the account once`);
  });
}

// Browser end-to-end tests: real headless Chromium against the Go server
// (temporary bolt store). Prints "N passed, N failed"; a failing test saves a
// screenshot and prints its path. Run one test: node e2e/run.mjs <name substring>.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiClient, ensureBuilt, launchBrowser, startServer, WEB } from './lib.mjs';

const SHOTS = join(WEB, 'test-results');
const tests = [];
const test = (name, fn) => tests.push({ name, fn });

// ---------- helpers ----------

async function newModelViaUI(page, base, name, { labels = [] } = {}) {
  await page.goto(base + '/');
  await page.getByTestId('btn-new-model').click();
  await page.getByTestId('new-name').fill(name);
  await page.getByTestId('new-version').fill('2.1');
  await page.getByTestId('new-type').selectOption('Web Application');
  await page.getByTestId('new-priority').selectOption('High');
  await page.getByTestId('new-facing-public').check();
  for (const l of labels) {
    await page.getByTestId('new-labels').fill(l);
    await page.getByTestId('new-labels').press('Enter');
  }
  await page.getByTestId('new-create').click();
  await page.waitForURL(/\/models\/[^/]+$/);
  await page.getByTestId('canvas').waitFor();
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
}

async function newModelViaAPI(api, name) {
  const { json } = await api('POST', '/models', {
    schemaVersion: 1, name, projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal',
    diagram: { components: [], flows: [], groups: [] },
  });
  return json.id;
}

/** findType picks a catalog type id by id candidates or a name pattern. */
async function findType(api, ids, namePattern) {
  const { json } = await api('GET', '/catalog');
  const t = json.componentTypes.find((x) => ids.includes(x.id)) ?? json.componentTypes.find((x) => namePattern.test(x.name));
  assert.ok(t, `the catalog has no type like ${ids.join(', ')} / ${namePattern}`);
  return t.id;
}

const nodeOf = (page, typeId) => page.locator(`.react-flow__node:has([data-testid="component-node"][data-type="${typeId}"])`);

async function dragToCanvas(page, typeId, x, y) {
  await page.getByTestId('toolbox-search').fill('');
  await page.getByTestId(`toolbox-item-${typeId}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

async function connect(page, fromLocator, toLocator) {
  const s = await fromLocator.locator('.react-flow__handle.source').boundingBox();
  const t = await toLocator.locator('.react-flow__handle.target').boundingBox();
  await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
  await page.mouse.down();
  await page.mouse.move((s.x + t.x) / 2, (s.y + t.y) / 2, { steps: 5 });
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 5 });
  await page.mouse.up();
}

async function waitSaved(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-status') === 'saved', null, { timeout: 15_000 });
}

/** viewportSettled waits until the canvas stops moving (the fit-view animation is over). */
async function viewportSettled(page) {
  let last = null;
  let still = 0;
  for (let i = 0; i < 100; i++) {
    const t = await page.locator('.react-flow__viewport').getAttribute('style');
    still = t === last ? still + 1 : 0;
    if (still >= 2) return; // unchanged over 300 ms
    last = t;
    await page.waitForTimeout(150);
  }
  throw new Error('the canvas kept moving');
}

async function clickPane(page) {
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
}

const sortById = (xs) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));

// ---------- tests ----------

test('library: create, search, filter chips, sort, delete with confirmation', async ({ page, base, api }) => {
  const id = await newModelViaUI(page, base, 'Payments portal', { labels: ['pci', 'team-a'] });
  await newModelViaAPI(api, 'Internal wiki');
  await page.goto(base + '/');
  const row = page.getByTestId(`model-row-${id}`);
  await row.waitFor();
  assert.match(await row.innerText(), /Payments portal[\s\S]*2\.1[\s\S]*Web Application[\s\S]*High[\s\S]*Public[\s\S]*pci/);
  await page.getByTestId('library-search').fill('wiki');
  await row.waitFor({ state: 'detached' });
  await page.getByTestId('library-search').fill('');
  await row.waitFor();
  await page.getByTestId('filter-facet').selectOption('label');
  await page.getByTestId('filter-value').fill('pci');
  await page.getByTestId('filter-add').click();
  await page.getByTestId('filter-chip-label-pci').waitFor();
  await page.getByText('Internal wiki').waitFor({ state: 'detached' });
  await page.getByTestId('filter-chip-label-pci-remove').click();
  await page.getByText('Internal wiki').waitFor();
  await page.getByTestId('library-sort').selectOption('name');
  await page.waitForFunction(() => {
    const names = [...document.querySelectorAll('[data-testid="model-open"]')].map((a) => a.textContent);
    return names.length === 2 && names[0] === 'Internal wiki';
  });
  await page.getByTestId(`delete-${id}`).click();
  await page.getByTestId('confirm-cancel').click();
  await row.waitFor();
  await page.getByTestId(`delete-${id}`).click();
  await page.getByTestId('confirm-ok').click();
  await row.waitFor({ state: 'detached' });
  await assert.rejects(api('GET', `/models/${id}`), /404/);
});

test('editor: EC2 + ALB over HTTPS, group, container, save, reload identical', async ({ page, base, api }) => {
  const ec2 = await findType(api, ['aws.ec2'], /EC2 instance/i);
  const alb = await findType(api, ['aws.alb', 'aws.elbv2.alb', 'aws.elbv2', 'aws.elb'], /application load balancer|load balancer/i);
  const id = await newModelViaUI(page, base, 'Shop');
  await page.getByTestId('toolbox-search').fill('EC2');
  await page.getByTestId(`toolbox-item-${ec2}`).waitFor();
  await dragToCanvas(page, ec2, 520, 300);
  await nodeOf(page, ec2).waitFor();
  await dragToCanvas(page, alb, 220, 300);
  await nodeOf(page, alb).waitFor();

  await connect(page, nodeOf(page, alb), nodeOf(page, ec2));
  const label = page.getByTestId('flow-label');
  await label.waitFor();
  assert.equal(await label.innerText(), 'HTTPS:443');
  // The new flow is selected: its protocol and port are editable.
  assert.equal(await page.getByTestId('flow-protocol').inputValue(), 'HTTPS');
  assert.equal(await page.getByTestId('flow-port').inputValue(), '443');

  // Select both (click, shift-click) and group them.
  await nodeOf(page, alb).click();
  await nodeOf(page, ec2).click({ modifiers: ['Shift'] });
  await page.getByTestId('btn-group').click();
  await page.locator('[data-testid="group-node"][data-kind="group"]').waitFor();

  // With nothing selected, Group makes an empty box; turn it into an EC2 container.
  await clickPane(page);
  await page.getByTestId('btn-group').click();
  const emptyBox = page.locator('.react-flow__node.selected [data-testid="group-title"]');
  await emptyBox.click({ button: 'right' });
  await page.getByTestId('menu-container').click();
  await page.getByTestId('container-type-input').fill('EC2');
  await page.getByTestId('container-save').click();
  await page.locator(`[data-testid="group-node"][data-kind="container"][data-type="${ec2}"]`).waitFor();

  await page.getByTestId('btn-save').click();
  await waitSaved(page);
  const { json: saved, etag } = await api('GET', `/models/${id}/diagram`);
  assert.equal(saved.components.length, 2);
  assert.equal(saved.groups.length, 2);
  assert.equal(saved.flows.length, 1);
  const byType = Object.fromEntries(saved.components.map((c) => [c.type, c]));
  const plain = saved.groups.find((g) => g.kind === 'group');
  const container = saved.groups.find((g) => g.kind === 'container');
  assert.equal(container.type, ec2);
  assert.equal(byType[ec2].parent, plain.id);
  assert.equal(byType[alb].parent, plain.id);
  assert.deepEqual(
    { source: saved.flows[0].source, target: saved.flows[0].target, protocol: saved.flows[0].protocol, port: saved.flows[0].port },
    { source: byType[alb].id, target: byType[ec2].id, protocol: 'HTTPS', port: 443 },
  );

  // Reload: the same diagram, nothing to save, same picture.
  await page.getByTestId('btn-fit').click();
  await viewportSettled(page);
  const boxes = async () => {
    const out = {};
    for (const el of await page.locator('.react-flow__node').all()) out[await el.getAttribute('data-id')] = await el.boundingBox();
    return out;
  };
  const before = await boxes();
  await page.reload();
  await nodeOf(page, ec2).waitFor();
  await waitSaved(page);
  await page.getByTestId('btn-fit').click();
  await viewportSettled(page);
  const after = await boxes();
  assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
  for (const [k, b] of Object.entries(before)) {
    for (const p of ['x', 'y', 'width', 'height']) assert.ok(Math.abs(after[k][p] - b[p]) < 2, `${k}.${p}: ${b[p]} → ${after[k][p]}`);
  }
  // The flow's line runs along the container's title, so its label waits for hover.
  await page.getByTestId('flow-hit').first().dispatchEvent('mouseover');
  assert.equal(await page.getByTestId('flow-label').innerText(), 'HTTPS:443');
  const again = await api('GET', `/models/${id}/diagram`);
  assert.equal(again.etag, etag, 'reloading must not write');
  assert.deepEqual(
    { c: sortById(again.json.components), f: again.json.flows, g: sortById(again.json.groups) },
    { c: sortById(saved.components), f: saved.flows, g: sortById(saved.groups) },
  );
});

test('toolbox: search, category chips, AWS and generic sections, protocols', async ({ page, base, api }) => {
  const id = await newModelViaAPI(api, 'Toolbox');
  await page.goto(`${base}/models/${id}`);
  const items = page.locator('[data-testid^="toolbox-item-"]');
  await items.first().waitFor();
  const all = await items.count();
  assert.ok(all > 10, `${all} toolbox items`);
  const toolbox = page.getByTestId('toolbox');
  assert.match(await toolbox.innerText(), /AWS services[\s\S]*Generic components[\s\S]*Protocols/i);
  for (const g of ['generic.browser', 'generic.mobile-app', 'generic.external-service', 'generic.on-premises', 'generic.web-server', 'generic.database', 'generic.message-queue', 'generic.identity-provider']) {
    await page.getByTestId(`toolbox-item-${g}`).waitFor();
  }
  // AWS types show the unmodified aws-icons SVG.
  const src = await page.locator('[data-testid="toolbox-item-aws.ec2"] img').getAttribute('src');
  assert.match(src, /AmazonEC2.*\.svg$/);
  await page.getByTestId('toolbox-search').fill('lambda');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^="toolbox-item-"]').length === 1);
  await page.getByTestId('toolbox-search').fill('');
  const { json: cat } = await api('GET', '/catalog');
  const inCategory = (c) => cat.componentTypes.filter((t) => t.category === c).length;
  await page.getByTestId('toolbox-category').selectOption('Generic');
  await page.getByTestId('category-chip-Generic').waitFor();
  assert.equal(await items.count(), inCategory('Generic'));
  await page.getByTestId('toolbox-category').selectOption('Database');
  assert.equal(await items.count(), inCategory('Generic') + inCategory('Database'));
  await page.getByTestId('category-chip-Generic-remove').click();
  await page.getByTestId('category-chip-Generic').waitFor({ state: 'detached' });
  assert.equal(await items.count(), inCategory('Database'));
  await page.getByTestId('category-chip-Database-remove').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="toolbox-item-"]').length === n, all);
  // Choosing a protocol makes it the one new flows use.
  await page.getByTestId('protocol-SSH').click();
  assert.match(await page.getByTestId('protocol-SSH').getAttribute('class'), /active/);
});

test('editor: resize a group, drag a component into it, box select', async ({ page, base, api }) => {
  const ec2 = await findType(api, ['aws.ec2'], /EC2/);
  const id = await newModelViaAPI(api, 'Gestures');
  const { etag } = await api('GET', `/models/${id}`);
  await api('PUT', `/models/${id}/diagram`, {
    components: [{ id: 'c', type: ec2, name: 'Loose', position: { x: 400, y: 0 } }],
    flows: [],
    groups: [{ id: 'g', kind: 'group', name: 'Box', position: { x: 0, y: 0 }, size: { width: 240, height: 160 } }],
  }, { 'If-Match': etag });
  await page.goto(`${base}/models/${id}`);
  const group = page.locator('.react-flow__node[data-id="g"]');
  await group.waitFor();
  await page.getByTestId('btn-fit').click();
  await viewportSettled(page);
  // Resize: select the group, drag its bottom-right corner.
  await group.locator('[data-testid="group-title"]').click();
  const corner = await group.locator('.react-flow__resize-control.handle.bottom.right').boundingBox();
  const before = await group.boundingBox();
  await page.mouse.move(corner.x + corner.width / 2, corner.y + corner.height / 2);
  await page.mouse.down();
  await page.mouse.move(corner.x + 80, corner.y + 60, { steps: 8 });
  await page.mouse.up();
  const after = await group.boundingBox();
  assert.ok(after.width > before.width + 40 && after.height > before.height + 30, `resized ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  // Drag the loose component into the group.
  const comp = page.locator('.react-flow__node[data-id="c"]');
  const cb = await comp.boundingBox();
  const gb = await group.boundingBox();
  await page.mouse.move(cb.x + cb.width / 2, cb.y + cb.height / 2);
  await page.mouse.down();
  await page.mouse.move(gb.x + gb.width / 2, gb.y + gb.height / 2 + 10, { steps: 10 });
  await page.mouse.up();
  await page.getByTestId('btn-save').click();
  await waitSaved(page);
  const { json } = await api('GET', `/models/${id}/diagram`);
  assert.equal(json.components[0].parent, 'g');
  assert.ok(json.groups[0].size.width > 240 + 40, `group width ${json.groups[0].size.width}`);
  // Box select (Shift + drag on the pane) selects both; undo twice restores the start.
  const pane = await page.locator('.react-flow__pane').boundingBox();
  await page.keyboard.down('Shift');
  await page.mouse.move(pane.x + 5, pane.y + 5);
  await page.mouse.down();
  await page.mouse.move(pane.x + pane.width - 5, pane.y + pane.height - 5, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node.selected').length === 2);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await page.getByTestId('btn-save').click();
  await waitSaved(page);
  const { json: undone } = await api('GET', `/models/${id}/diagram`);
  assert.equal(undone.components[0].parent, undefined);
  assert.deepEqual(undone.groups[0].size, { width: 240, height: 160 });
});

test('editor: keyboard undo/redo, copy/paste, delete, help overlay', async ({ page, base, api }) => {
  const ec2 = await findType(api, ['aws.ec2'], /EC2/);
  const id = await newModelViaAPI(api, 'Keys');
  await page.goto(`${base}/models/${id}`);
  await page.getByTestId(`toolbox-item-${ec2}`).dblclick();
  const nodes = page.locator('.react-flow__node');
  await nodes.first().waitFor();
  await nodes.first().click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 2);
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 1);
  await page.keyboard.press('Shift+Control+z');
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 2);
  await page.keyboard.press('Delete'); // the pasted copy is selected
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 1);
  await page.keyboard.press('?');
  await page.getByTestId('help-overlay').waitFor();
  assert.match(await page.getByTestId('help-overlay').innerText(), /Undo[\s\S]*Redo[\s\S]*paste/);
  await page.keyboard.press('Escape');
  await page.getByTestId('help-overlay').waitFor({ state: 'detached' });
  await waitSaved(page);
  const { json } = await api('GET', `/models/${id}/diagram`);
  assert.equal(json.components.length, 1);
});

test('editor: unsaved edits survive a page reload', async ({ page, base, api }) => {
  const ec2 = await findType(api, ['aws.ec2'], /EC2/);
  const id = await newModelViaAPI(api, 'Drafts');
  // Autosave is blocked so the edit can only survive through the draft.
  await page.route('**/api/v1/models/*/diagram', (route) => (route.request().method() === 'PUT' ? route.abort() : route.continue()));
  await page.goto(`${base}/models/${id}`);
  await page.getByTestId(`toolbox-item-${ec2}`).dblclick();
  await page.locator('.react-flow__node').first().waitFor();
  await page.getByTestId('prop-name').fill('kept across reload');
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('bulwark.draft.') && localStorage.getItem(k).includes('kept across reload')));
  await page.reload();
  await page.unroute('**/api/v1/models/*/diagram');
  await page.locator('.react-flow__node', { hasText: 'kept across reload' }).waitFor();
  await waitSaved(page);
  const { json } = await api('GET', `/models/${id}/diagram`);
  assert.equal(json.components[0].name, 'kept across reload');
});

test('editor: two tabs with unsaved edits to one model keep a draft each', async ({ page, base, api }) => {
  const ec2 = await findType(api, ['aws.ec2'], /EC2/);
  const id = await newModelViaAPI(api, 'Two tabs');
  // A second tab of the same browser: one localStorage, its own sessionStorage.
  const tabB = await page.context().newPage();
  const block = (route) => (route.request().method() === 'PUT' ? route.abort() : route.continue());
  for (const p of [page, tabB]) {
    await p.route('**/api/v1/models/*/diagram', block);
    await p.goto(`${base}/models/${id}`);
    await p.getByTestId(`toolbox-item-${ec2}`).dblclick();
    await p.locator('.react-flow__node').first().waitFor();
  }
  await page.getByTestId('prop-name').fill('edited in tab A');
  await tabB.getByTestId('prop-name').fill('edited in tab B');
  // Both drafts written (each tab writes its own a moment after an edit).
  const drafts = () => Object.keys(localStorage).filter((k) => k.startsWith('bulwark.draft.')).map((k) => localStorage.getItem(k));
  await page.waitForFunction(() => {
    const all = Object.keys(localStorage).filter((k) => k.startsWith('bulwark.draft.')).map((k) => localStorage.getItem(k));
    return all.some((d) => d.includes('edited in tab A')) && all.some((d) => d.includes('edited in tab B'));
  });
  const all = await page.evaluate(drafts);
  assert.equal(all.length, 2, 'one draft per tab');
  assert.ok(all.some((d) => d.includes('edited in tab A') && !d.includes('edited in tab B')), 'tab A has its own draft');
  // Each tab's reload finds its own edit, not the other tab's.
  await page.reload();
  await page.locator('.react-flow__node', { hasText: 'edited in tab A' }).waitFor();
  await tabB.reload();
  await tabB.locator('.react-flow__node', { hasText: 'edited in tab B' }).waitFor();
  await tabB.close();
  await page.unroute('**/api/v1/models/*/diagram');
});

test('conflict: two pages edit the same model, nothing is lost', async ({ page, base, api, openSecondBrowser }) => {
  const ec2 = await findType(api, ['aws.ec2'], /EC2/);
  const other = await findType(api, ['aws.lambda', 'generic.web-server'], /lambda|web server/i);
  const id = await newModelViaAPI(api, 'Shared');
  const pageB = await openSecondBrowser();
  await page.goto(`${base}/models/${id}`);
  await pageB.goto(`${base}/models/${id}`);
  await page.getByTestId('canvas').waitFor();
  await pageB.getByTestId('canvas').waitFor();
  await waitSaved(page);
  await waitSaved(pageB);

  await page.getByTestId(`toolbox-item-${ec2}`).dblclick();
  await page.getByTestId('btn-save').click();
  await waitSaved(page);

  await pageB.getByTestId(`toolbox-item-${other}`).dblclick();
  await pageB.getByTestId('btn-save').click();
  const dialog = pageB.getByTestId('conflict-dialog');
  await dialog.waitFor();
  assert.match(await pageB.getByTestId('conflict-mine').textContent(), /added\s+component/i);
  assert.match(await pageB.getByTestId('conflict-theirs').textContent(), /added\s+component/i);
  await pageB.getByTestId('conflict-keep-mine').click();
  await dialog.waitFor({ state: 'detached' });
  await waitSaved(pageB);
  const { json } = await api('GET', `/models/${id}/diagram`);
  assert.deepEqual(json.components.map((c) => c.type).sort(), [ec2, other].sort());
  // Both pages end up showing both components.
  assert.equal(await pageB.locator('.react-flow__node').count(), 2);
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 2);
});

test('export: PNG and SVG of the whole diagram, flows included', async ({ page, base, api }) => {
  const ec2 = await findType(api, ['aws.ec2'], /EC2/);
  const id = await newModelViaAPI(api, 'Export me');
  const { etag } = await api('GET', `/models/${id}`);
  await api('PUT', `/models/${id}/diagram`, {
    components: [
      { id: 'a', type: ec2, name: 'A', position: { x: 0, y: 0 } },
      { id: 'b', type: ec2, name: 'B', position: { x: 404, y: 116 } },
    ],
    flows: [{ id: 'f', source: 'a', target: 'b', protocol: 'HTTPS', port: 443 }],
    groups: [],
  }, { 'If-Match': etag });
  await page.goto(`${base}/models/${id}`);
  await page.getByTestId('flow-label').waitFor();
  // Bounds 500 x 200 at zoom 1, plus 40 px of margin on each side.
  const want = { width: 580, height: 280 };
  for (const fmt of ['png', 'svg']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`btn-export-${fmt}`).click()]);
    assert.equal(download.suggestedFilename(), `Export-me.${fmt}`);
    const data = readFileSync(await download.path());
    if (fmt === 'png') {
      assert.equal(data.subarray(1, 4).toString('latin1'), 'PNG');
      const size = { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
      for (const k of ['width', 'height']) assert.ok(Math.abs(size[k] - want[k]) <= 2 || Math.abs(size[k] - 2 * want[k]) <= 4, `png ${k} ${size[k]} (want ${want[k]} at 1x or 2x)`);
    } else {
      const svg = data.toString('utf8');
      assert.match(svg, /^<svg[^>]*width="580"[^>]*height="280"/);
      // Real shapes and text that draw.io and Inkscape can edit: parsed as XML, no HTML inside foreignObject.
      const parsed = await page.evaluate((src) => {
        const doc = new DOMParser().parseFromString(src, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          foreign: doc.getElementsByTagName('foreignObject').length,
          texts: [...doc.getElementsByTagName('text')].map((t) => t.textContent),
          paths: doc.getElementsByTagName('path').length,
          icons: [...doc.getElementsByTagName('image')].map((i) => i.getAttribute('href')?.slice(0, 26)),
        };
      }, svg);
      assert.equal(parsed.error, null, 'the SVG is well-formed');
      assert.equal(parsed.foreign, 0, 'no foreignObject');
      for (const t of ['A', 'B', 'HTTPS:443']) assert.ok(parsed.texts.includes(t), `<text>${t}</text> in ${JSON.stringify(parsed.texts)}`);
      assert.ok(parsed.paths >= 2, 'the flow is a path with an arrowhead');
      assert.deepEqual(parsed.icons, ['data:image/svg+xml;base64,'], 'the EC2 icon is embedded once');
    }
  }
});

// ---------- test files of other features: each exports register(test) ----------

for (const file of ['accelerator.mjs', 'accounts.mjs', 'jira.mjs', 'evidence.mjs', 'auth.mjs', 'users.mjs', 'security.mjs', 'overview.mjs', 'inferred.mjs']) (await import(`./${file}`)).register(test);

// Test files registered with this runner: each exports register(test, helpers).
const helpers = { newModelViaUI, newModelViaAPI, findType, nodeOf, dragToCanvas, connect, waitSaved, clickPane };
for (const file of ['./features.mjs', './deployed.mjs', './history.mjs', './editor.mjs']) (await import(file)).register(test, helpers);
// The layout tests (#17: Assist, imports, built VPCs, labels): every e2e/layout*.mjs.
for (const file of readdirSync(join(WEB, 'e2e')).filter((f) => /^layout.*\.mjs$/.test(f)).sort()) (await import(`./${file}`)).register(test, helpers);

// ---------- runner ----------

const only = process.argv[2];
const selected = tests.filter((t) => !only || t.name.includes(only));
if (selected.length === 0) {
  console.log(`no test name contains "${only}"\n0 passed, 1 failed`);
  process.exit(1);
}
let server;
try {
  ensureBuilt();
  server = await startServer();
} catch (e) {
  console.log(`setup failed: ${e.stack ?? e}\n0 passed, ${selected.length} failed`);
  process.exit(1);
}
console.log(`server ${server.base} (pid ${server.pid})`);
const api = apiClient(server.base);
let passed = 0;
let failed = 0;
try {
  for (const t of selected) {
    const browsers = [await launchBrowser()];
    const page = browsers[0].context.pages()[0] ?? (await browsers[0].context.newPage());
    const pages = [page];
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    const openSecondBrowser = async () => {
      const b = await launchBrowser();
      browsers.push(b);
      const p = b.context.pages()[0] ?? (await b.context.newPage());
      pages.push(p);
      return p;
    };
    const t0 = Date.now();
    try {
      await t.fn({ page, base: server.base, api, openSecondBrowser, server });
      if (errors.length) throw errors[0];
      passed++;
      console.log(`ok   ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      mkdirSync(SHOTS, { recursive: true });
      const slug = t.name.replace(/\W+/g, '-').slice(0, 60);
      const shots = [];
      for (const [i, p] of pages.entries()) {
        const path = join(SHOTS, `${slug}${i ? `-page${i + 1}` : ''}.png`);
        try {
          await p.screenshot({ path, fullPage: true });
          shots.push(path);
        } catch {
          /* page gone */
        }
      }
      console.log(`FAIL ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n  ${e.stack ?? e}`);
      for (const s of shots) console.log(`  screenshot: ${s}`);
    } finally {
      for (const b of browsers) await b.close();
    }
  }
} finally {
  await server.stop();
}
if (failed) console.log(`server log (last 2000 chars):\n${server.log().slice(-2000)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

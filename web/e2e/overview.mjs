// Browser tests of large models and what the Overview and exports show of
// them: the Overview's filters, grouping, Columns popover and windowed
// table; the SVG export; the far-away view of a big diagram. Registered
// with run.mjs: node e2e/run.mjs "overview filters", "overview window",
// "svg export" or "far view".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'Info'];

/** createModel makes a model with the given diagram through the API. */
async function createModel(api, name, diagram) {
  const { json, etag } = await api('POST', '/models', {
    schemaVersion: 1, name, projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal',
    diagram: { components: [], flows: [], groups: [] },
  });
  await api('PUT', `/models/${json.id}/diagram`, { components: [], flows: [], groups: [], ...diagram }, { 'If-Match': etag });
  return json.id;
}

/** grid places n components of the given types on a grid, with a flow between neighbours. */
function grid(types, n) {
  const components = [];
  const flows = [];
  for (let i = 0; i < n; i++) {
    components.push({ id: `c${i}`, type: types[i % types.length], name: `service ${i}`, position: { x: (i % 30) * 160, y: Math.floor(i / 30) * 140 } });
    if (i) flows.push({ id: `f${i}`, source: `c${i - 1}`, target: `c${i}`, protocol: 'HTTPS', port: 443 });
  }
  return { components, flows };
}

/** groupsShown reads the table's groups as [title, count, rows in the DOM]. */
const groupsShown = (page) => page.locator('[data-testid="item-group"]').evaluateAll((els) => els.map((e) => [
  e.getAttribute('data-group'), Number(e.querySelector('[data-testid="group-count"]')?.textContent), e.querySelectorAll('[data-testid="item-row"]').length,
]));

export function register(test) {
  test('overview filters: Security Requirement = No, group by severity; Columns closes on Escape', async ({ page, base, api }) => {
    // Threats a nested model brings in have no requirement in this model (Security Requirement: No).
    const inner = await createModel(api, 'Payments', {
      components: [
        { id: 'fn', type: 'aws.lambda', name: 'charge', position: { x: 0, y: 0 } },
        { id: 'q', type: 'aws.sqs', name: 'payments-queue', position: { x: 300, y: 0 } },
      ],
    });
    const id = await createModel(api, 'Filter me', {
      components: [
        { id: 'web', type: 'aws.ec2', name: 'web', position: { x: 0, y: 0 } },
        { id: 'db', type: 'aws.rds', name: 'orders-db', position: { x: 300, y: 0 } },
        { id: 'pay', type: 'generic.threat-model', name: 'Payments', position: { x: 600, y: 0 }, nestedModel: { modelId: inner, importThreats: true } },
      ],
      flows: [{ id: 'f', source: 'web', target: 'db', protocol: 'PostgreSQL', port: 5432 }],
    });
    const { json: threats } = await api('GET', `/models/${id}/threats`);
    const without = threats.items.filter((t) => !t.requirements?.length);
    assert.ok(without.length > 0 && without.length < threats.items.length, `some threats have requirements and some not (${without.length} of ${threats.items.length})`);
    const want = SEVERITIES.map((s) => [s, without.filter((t) => t.severity === s).length]).filter(([, n]) => n > 0);

    await page.goto(`${base}/models/${id}/overview`);
    await page.getByTestId('items-table').waitFor();
    await page.getByLabel('Filter by Security Requirement').selectOption('No');
    await page.getByLabel('Group by', { exact: true }).selectOption('severity');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="item-row"]').length === n, without.length);
    assert.equal(await page.getByTestId('overview-shown').innerText(), `${without.length} of ${threats.items.length} shown`);
    // Groups in severity order, each with its count and all its rows.
    assert.deepEqual(await groupsShown(page), want.map(([s, n]) => [s, n, n]));
    // Every row shown says No, and each is in the group of its severity.
    const rows = await page.locator('[data-testid="item-row"]').evaluateAll((els) => els.map((r) => [
      r.closest('[data-testid="item-group"]').getAttribute('data-group'), r.querySelector('[data-col="severity"]').textContent, r.querySelector('[data-col="hasRequirement"]').textContent,
    ]));
    for (const [group, sev, req] of rows) {
      assert.equal(req, 'No');
      assert.equal(group, sev);
    }
    // A second filter narrows further; the option shows how many rows have the value.
    const stride = without[0].stride;
    const n = without.filter((t) => t.stride === stride).length;
    const strideFilter = page.getByLabel('Filter by STRIDE');
    assert.ok((await strideFilter.locator('option').allInnerTexts()).some((o) => o.startsWith(stride + ' (')));
    await strideFilter.selectOption(stride);
    await page.waitForFunction((k) => document.querySelectorAll('[data-testid="item-row"]').length === k, n);
    // Filter by status, which is a column too.
    await page.getByRole('button', { name: /Clear filters \(2\)/ }).click();
    await page.getByLabel('Filter by Status').selectOption('Open');
    await page.waitForFunction((k) => document.querySelectorAll('[data-testid="item-row"]').length === k, threats.items.filter((t) => t.status === 'Open').length);

    // The Columns popover closes on Escape and gives the focus back to its button.
    const columns = page.getByRole('button', { name: 'Columns' });
    await columns.click();
    const menu = page.getByRole('group', { name: 'Columns' });
    await menu.waitFor();
    await menu.getByRole('checkbox').first().focus();
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await columns.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Columns');

    // Requirements: filter by severity and group by epic.
    await page.getByRole('tab', { name: /Security Requirements/ }).click();
    const { json: reqs } = await api('GET', `/models/${id}/requirements`);
    const high = reqs.items.filter((r) => r.severity === 'High');
    await page.getByLabel('Filter by Severity').selectOption('High');
    await page.getByLabel('Group by', { exact: true }).selectOption('epic');
    await page.waitForFunction((k) => document.querySelectorAll('[data-testid="item-row"]').length === k, high.length);
    const epics = [...new Set(high.map((r) => r.epic))];
    assert.deepEqual((await groupsShown(page)).map(([g, c]) => [g, c]).sort(), epics.map((e) => [e, high.filter((r) => r.epic === e).length]).sort());
    // Compliance is a column too: with no evidence every requirement is NOT AVAILABLE, none COMPLIANT.
    const compliance = page.getByLabel('Filter by Compliance');
    assert.deepEqual(await compliance.locator('option').allInnerTexts(), ['All', `NOT AVAILABLE (${reqs.items.length})`]);
    await page.getByRole('button', { name: /Clear filters/ }).click();
    await compliance.selectOption('NOT AVAILABLE');
    await page.getByLabel('Group by', { exact: true }).selectOption('compliance');
    await page.waitForFunction((k) => document.querySelectorAll('[data-testid="item-row"]').length === k, reqs.items.length);
    assert.deepEqual((await groupsShown(page)).map(([g, c]) => [g, c]), [['NOT AVAILABLE', reqs.items.length]]);
  });

  test('overview window: a large table renders a window of rows; scrolling and arrow keys reach the last row', async ({ page, base, api }) => {
    const id = await createModel(api, 'Many threats', grid(['aws.ec2', 'aws.s3', 'aws.rds', 'aws.lambda'], 120));
    const { json: threats } = await api('GET', `/models/${id}/threats`);
    const total = threats.items.length;
    assert.ok(total >= 600, `${total} threats`);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${base}/models/${id}/overview`);
    await page.getByTestId('items-table').waitFor();
    await page.getByLabel('Group by', { exact: true }).selectOption('none');
    await page.waitForFunction((n) => document.querySelector('[data-testid="items-table"]')?.getAttribute('data-rows') === String(n), total);
    const inDom = await page.locator('[data-testid="item-row"]').count();
    // Rows are as high as the window's arithmetic assumes (ROW_HEIGHT, 34 px), else scrolling would jump.
    const heights = await page.locator('[data-testid="item-row"]').evaluateAll((els) => [...new Set(els.map((e) => Math.round(e.getBoundingClientRect().height * 10) / 10))]);
    assert.deepEqual(heights, [34]);
    assert.ok(inDom > 10 && inDom < 120, `${inDom} of ${total} rows in the page`);
    // The scroll height is that of every row: scroll to the end and the last row is there.
    const scroller = page.locator('.overview-table');
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    const last = threats.items.at(-1);
    const lastRow = page.locator(`[data-testid="item-row"][data-id="${last.id}"]`);
    await lastRow.waitFor();
    const [sb, rb] = [await scroller.boundingBox(), await lastRow.boundingBox()];
    assert.ok(rb.y >= sb.y && rb.y + rb.height <= sb.y + sb.height + 1, 'the last row is in view');
    // The column titles and filters stay in view.
    const head = await page.locator('[data-testid="items-table"] thead').boundingBox();
    assert.ok(Math.abs(head.y - sb.y) < 2, `the header at ${head.y}, the table's top at ${sb.y}`);
    assert.ok(await page.getByLabel('Filter by Severity').isVisible());
    // Keyboard: from the first row, Arrow Down 40 times moves the focus 40 rows on, past the first window; Enter opens it.
    await scroller.evaluate((el) => { el.scrollTop = 0; });
    const first = page.locator(`[data-testid="item-row"][data-id="${threats.items[0].id}"]`);
    await first.waitFor();
    await first.focus();
    const order = await page.evaluate(() => [...document.querySelectorAll('[data-testid="item-row"]')].map((r) => r.getAttribute('data-id')));
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    assert.equal(order[0], threats.items[0].id);
    assert.equal(focused, threats.items[40].id);
    // The focused row is in view, below the sticky header.
    const fb = await page.locator(`[data-testid="item-row"][data-id="${focused}"]`).boundingBox();
    const hb = await page.locator('[data-testid="items-table"] thead').boundingBox();
    assert.ok(fb.y >= hb.y + hb.height - 1 && fb.y + fb.height <= sb.y + sb.height + 1, 'the focused row is visible');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp');
    const up = await page.locator(`[data-testid="item-row"][data-id="${threats.items[35].id}"]`).boundingBox();
    assert.ok(up.y >= hb.y + hb.height - 1, 'Arrow Up keeps the row below the header');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction((fid) => document.querySelector(`[data-testid="item-row"][data-id="${fid}"]`)?.getAttribute('aria-selected') === 'true', focused);
    // Space checks the focused row.
    await page.keyboard.press(' ');
    await page.getByTestId('selection-count').waitFor();
    assert.equal(await page.getByTestId('selection-count').innerText(), '1 selected');
  });

  test('svg export: a large model exports as small, editable SVG with every name as text', async ({ page, base, api }) => {
    const n = 400;
    const id = await createModel(api, 'Big export', grid(['aws.ec2', 'aws.s3', 'aws.rds', 'generic.browser'], n));
    await page.goto(`${base}/models/${id}`);
    await page.locator('.react-flow__node').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
    const svg = readFileSync(await download.path(), 'utf8');
    const parsed = await page.evaluate((src) => {
      const doc = new DOMParser().parseFromString(src, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        foreign: doc.getElementsByTagName('foreignObject').length,
        texts: [...doc.getElementsByTagName('text')].map((t) => [...t.childNodes].map((c) => c.textContent).join(' ')),
        symbols: doc.getElementsByTagName('symbol').length,
      };
    }, svg);
    assert.equal(parsed.error, null);
    assert.equal(parsed.foreign, 0);
    for (let i = 0; i < n; i++) assert.ok(parsed.texts.includes(`service ${i}`), `service ${i} is a <text>`);
    assert.equal(parsed.symbols, 4, 'each icon once');
    console.log(`  svg export of ${n} components and ${n - 1} flows: ${(svg.length / 1024).toFixed(0)} KB (${(svg.length / n / 1024).toFixed(2)} KB per component)`);
    assert.ok(svg.length < n * 1200 + 200_000, `${svg.length} bytes`);
  });

  test('far view: a big diagram zoomed out draws boxes and one path of flows, and its flows again when zoomed in', async ({ page, base, api }) => {
    const n = 400;
    const id = await createModel(api, 'Far away', grid(['aws.ec2', 'aws.s3'], n));
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${base}/models/${id}`);
    await page.locator('.react-flow__node').first().waitFor();
    const scale = () => page.evaluate(() => Number(/scale\(([^)]+)\)/.exec(document.querySelector('.react-flow__viewport').style.transform)[1]));
    const pane = await page.locator('.react-flow__pane').boundingBox();
    await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
    // Fit shows all 400 components, which may already be the far view: start close enough to see flows.
    for (let i = 0; i < 30 && (await scale()) < 0.5; i++) await page.mouse.wheel(0, -200);
    await page.locator('.react-flow__edge').first().waitFor();
    for (let i = 0; i < 30 && (await scale()) >= 0.3; i++) await page.mouse.wheel(0, 200);
    await page.locator('.canvas.far').waitFor();
    // Every node is in the page (none mount while panning); names are not drawn; flows are one path.
    assert.equal(await page.locator('.react-flow__node').count(), n);
    assert.equal(await page.locator('.react-flow__edge').count(), 0);
    assert.equal(await page.locator('.component-name').first().evaluate((el) => getComputedStyle(el).display), 'none');
    const path = page.locator('[data-testid="far-flows"] path');
    assert.equal(((await path.getAttribute('d')).match(/M/g) ?? []).length, n - 1);
    // The lines join the boxes: the path's box on screen spans from the first box's right edge to the last box's left edge.
    const [pb, first, last] = [await path.boundingBox(), await page.locator('.react-flow__node[data-id="c0"]').boundingBox(), await page.locator(`.react-flow__node[data-id="c${n - 1}"]`).boundingBox()];
    assert.ok(Math.abs(pb.y - (first.y + first.height / 2)) < 2, `path top ${pb.y} at the first box's middle ${first.y + first.height / 2}`);
    assert.ok(Math.abs(pb.y + pb.height - (last.y + last.height / 2)) < 2, 'path bottom at the last box middle');
    // Zoomed in again, the flows are React Flow edges with labels.
    for (let i = 0; i < 30 && (await scale()) < 0.7; i++) await page.mouse.wheel(0, -200);
    await page.locator('.canvas.far').waitFor({ state: 'detached' });
    await page.locator('.react-flow__edge').first().waitFor();
    assert.equal(await page.locator('[data-testid="far-flows"]').count(), 0);
    await page.getByTestId('flow-label').first().waitFor();
  });

  test('report charts: the executive summary in the app shows whole category names inside the chart', async ({ page, base, api }) => {
    const id = await createModel(api, 'Charts', grid(['aws.ec2', 'aws.rds', 'aws.s3', 'aws.lambda'], 8));
    const { json: exec } = await api('GET', `/models/${id}/reports/executive?format=json`);
    const longest = exec.epics.map((e) => e.epic).sort((a, b) => b.length - a.length)[0];
    assert.ok(longest.length > 20, `a long epic name (${longest})`);
    await page.goto(`${base}/models/${id}`);
    await page.getByRole('button', { name: /Reports/ }).click();
    await page.getByTestId('report-view').click();
    const view = page.getByRole('dialog', { name: 'Executive summary' });
    await view.getByTestId('chart-epic').waitFor();
    // Every label is the whole name and starts inside the chart (text-anchor end: a long name would start left of 0 and be cut).
    const labels = await view.locator('[data-testid="chart-bar"]').evaluateAll((els) => els.map((g) => {
      const t = g.querySelector('text');
      const box = t.getBBox();
      return { label: g.getAttribute('data-label'), text: t.textContent, left: box.x, right: box.x + box.width, bar: Number(g.querySelector('rect').getAttribute('x')) };
    }));
    assert.ok(labels.some((l) => l.label === longest));
    for (const l of labels) {
      assert.equal(l.text, l.label, 'the whole name');
      assert.ok(l.left >= 0, `"${l.label}" starts at ${l.left.toFixed(1)} px, inside the chart`);
      assert.ok(l.right <= l.bar, `"${l.label}" ends at ${l.right.toFixed(1)} px, before its bar at ${l.bar}`);
    }
  });
}

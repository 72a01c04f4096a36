// Browser tests of the diagram layout (#17): what Assist adds, imported and
// built diagrams, Fit, edge routing and labels, node names. Each measures
// what a person sees: boxes on screen, text that fits. Registered with run.mjs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

/** boxesOnScreen returns every rendered node's box on screen (and its group title's box), by node id. */
export async function boxesOnScreen(page) {
  return page.evaluate(() => {
    const out = {};
    for (const el of document.querySelectorAll('.react-flow__node')) {
      const r = el.getBoundingClientRect();
      const t = el.querySelector('[data-testid="group-title"]')?.getBoundingClientRect();
      out[el.dataset.id] = { x: r.x, y: r.y, width: r.width, height: r.height, title: t ? { x: t.x, y: t.y, width: t.width, height: t.height } : null };
    }
    return out;
  });
}

const intersects = (a, b) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
const inside = (inner, outer, m = 0) => inner.x >= outer.x + m - 0.5 && inner.y >= outer.y + m - 0.5 && inner.x + inner.width <= outer.x + outer.width - m + 0.5 && inner.y + inner.height <= outer.y + outer.height - m + 0.5;

/** ancestorsOf maps each element id of a diagram to the ids of its enclosing groups. */
function ancestorsOf(diagram) {
  const parent = new Map([...diagram.groups, ...diagram.components].map((e) => [e.id, e.parent]));
  const out = new Map();
  for (const id of parent.keys()) {
    const a = [];
    for (let p = parent.get(id); p && a.length < 100; p = parent.get(p)) a.push(p);
    out.set(id, a);
  }
  return out;
}

/**
 * checkNesting asserts, on screen: a child lies inside its parent, clear of
 * the parent's title, inset by at least `inset` px; elements not nested in
 * one another do not overlap.
 */
export function checkNesting(diagram, boxes, inset = 8) {
  const anc = ancestorsOf(diagram);
  const ids = [...anc.keys()].filter((id) => boxes[id]);
  for (const id of ids) {
    const p = anc.get(id)[0];
    if (!p || !boxes[p]) continue;
    assert.ok(inside(boxes[id], boxes[p], inset), `${id} ${JSON.stringify(boxes[id])} is inset in its parent ${p} ${JSON.stringify(boxes[p])}`);
    const t = boxes[p].title;
    if (t) assert.ok(boxes[id].y >= t.y + t.height - 0.5, `${id} (top ${boxes[id].y}) is below the title of ${p} (bottom ${t.y + t.height})`);
  }
  for (const a of ids) {
    for (const b of ids) {
      if (a >= b || anc.get(a).includes(b) || anc.get(b).includes(a)) continue;
      assert.ok(!intersects(boxes[a], boxes[b]), `${a} ${JSON.stringify(boxes[a])} and ${b} ${JSON.stringify(boxes[b])} overlap`);
    }
  }
}

/** absoluteBoxes returns each element's box in canvas coordinates (components without a size are 96 × 84). */
export function absoluteBoxes(d) {
  const groups = new Map(d.groups.map((g) => [g.id, g]));
  const out = new Map();
  for (const e of [...d.groups, ...d.components]) {
    let { x, y } = e.position;
    for (let p = groups.get(e.parent), n = 0; p && n < 100; p = groups.get(p.parent), n++) {
      x += p.position.x;
      y += p.position.y;
    }
    const s = e.size ?? { width: 96, height: 84 };
    out.set(e.id, { x, y, width: s.width, height: s.height, parent: e.parent });
  }
  return out;
}

/** viewOf reads the canvas's pan and zoom and its box on screen. */
export async function viewOf(page) {
  return page.evaluate(() => {
    const t = document.querySelector('.react-flow__viewport').style.transform;
    const m = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(t);
    const r = document.querySelector('.react-flow').getBoundingClientRect();
    return { tx: Number(m[1]), ty: Number(m[2]), zoom: Number(m[3]), pane: { x: r.x, y: r.y, width: r.width, height: r.height } };
  });
}

/** assertAllInView checks that every element of d lies inside the canvas on screen at the current pan and zoom. */
export async function assertAllInView(page, d) {
  const v = await viewOf(page);
  const out = [];
  for (const [id, b] of absoluteBoxes(d)) {
    const s = { x: v.pane.x + v.tx + b.x * v.zoom, y: v.pane.y + v.ty + b.y * v.zoom, width: b.width * v.zoom, height: b.height * v.zoom };
    if (!inside(s, v.pane)) out.push(`${id} at ${JSON.stringify(s)}`);
  }
  assert.deepEqual(out, [], `every element is inside the canvas ${JSON.stringify(v.pane)} at zoom ${v.zoom}`);
  return v;
}

/** settle waits until the canvas's transform stops changing (animations over). */
export async function viewportSettled(page) {
  let last = null;
  for (let still = 0, i = 0; i < 100 && still < 2; i++) {
    const t = await page.locator('.react-flow__viewport').getAttribute('style');
    still = t === last ? still + 1 : 0;
    last = t;
    await page.waitForTimeout(150);
  }
}

/**
 * sprawlingModel is shaped like the 551-resource CloudFormation import of
 * issue #17: components without a drawing spread over ~9,000 × 207,000 px,
 * a few VPCs with subnets, flows between neighbours. Deterministic.
 */
export function sprawlingModel(types, containerTypes, n = 551) {
  const groups = [];
  const components = [];
  for (let v = 0; v < 3; v++) {
    groups.push({ id: `vpc${v}`, kind: 'container', type: containerTypes.vpc, name: `vpc-${v}`, position: { x: v * 3000, y: v * 60000 }, size: { width: 900, height: 700 } });
    for (let s = 0; s < 3; s++) groups.push({ id: `sn${v}-${s}`, kind: 'container', type: containerTypes.subnet, parent: `vpc${v}`, name: `subnet-${v}-${s}`, position: { x: 0, y: 0 }, size: { width: 300, height: 200 } });
  }
  for (let i = 0; i < n; i++) {
    const inSubnet = i < 54;
    components.push({
      id: `r${i}`, type: types[i % types.length], name: `stack-resource-${i}`,
      position: inSubnet ? { x: 0, y: 0 } : { x: (i % 3) * 3000, y: i * 375 },
      ...(inSubnet ? { parent: `sn${Math.floor(i / 18)}-${Math.floor(i / 6) % 3}` } : {}),
    });
  }
  const flows = [];
  for (let i = 0; i < 320; i++) {
    const a = (i * 7) % n;
    const b = (i * 13 + 5) % n;
    if (a !== b) flows.push({ id: `f${i}`, source: `r${a}`, target: `r${b}`, protocol: 'HTTPS', port: 443 });
  }
  return { components, flows, groups };
}

/** catalogTypes picks plain component types and the VPC and subnet container types from the server's catalog. */
export async function catalogTypes(api) {
  const { json: cat } = await api('GET', '/catalog');
  const types = cat.componentTypes.filter((t) => !t.canContain).map((t) => t.id).slice(0, 20);
  const byId = new Set(cat.componentTypes.map((t) => t.id));
  assert.ok(byId.has('aws.vpc') && byId.has('aws.subnet'), 'the catalog has aws.vpc and aws.subnet');
  return { types, containerTypes: { vpc: 'aws.vpc', subnet: 'aws.subnet' }, catalog: cat };
}

/** buildVpc runs the Accelerator build of a demo VPC through the API and returns the new model's id. */
export async function buildVpc(api, { accountId = '111111111111', region = 'us-east-1', vpcId = 'vpc-0a67d881610d78211', name = 'Built layout' } = {}) {
  const { json: run } = await api('POST', '/accelerator/builds', { accountId, region, vpcId, name, version: '1.0', facing: 'public', priority: 'High' });
  let r = run;
  for (let i = 0; i < 200 && r.status !== 'succeeded' && r.status !== 'failed'; i++) {
    await new Promise((res) => setTimeout(res, 200));
    r = (await api('GET', `/accelerator/runs/${run.id}`)).json;
  }
  assert.equal(r.status, 'succeeded', `the build of ${vpcId} succeeded: ${r.error ?? ''}`);
  assert.ok(r.modelId, 'the run names the built model');
  return r.modelId;
}

/** polyline reads the corners of an SVG path of M, L and Q commands (a Q's end point is a corner's end). */
function polyline(d) {
  const pts = [];
  for (const m of d.matchAll(/([MLQC])\s*([^MLQC]+)/g)) {
    const nums = m[2].trim().split(/[\s,]+/).map(Number);
    pts.push({ x: nums[nums.length - 2], y: nums[nums.length - 1] });
  }
  return pts;
}

export function register(test, { findType, waitSaved }) {
  test('layout: Assist "Add it" insets nested containers below their titles and places new components apart', async ({ page, base, api }) => {
    const ec2 = await findType(api, ['aws.ec2'], /EC2/);
    const { json: m, etag } = await api('POST', '/models', {
      schemaVersion: 1, name: 'Assist layout', projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal',
      diagram: { components: [], flows: [], groups: [] },
    });
    await api('PUT', `/models/${m.id}/diagram`, {
      components: [
        { id: 'web', type: ec2, name: 'Web server', position: { x: 200, y: 200 }, properties: { internetFacing: true } },
        { id: 'other', type: ec2, name: 'Batch worker', position: { x: 700, y: 200 } },
      ],
      flows: [], groups: [],
    }, { 'If-Match': etag });
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(`${base}/models/${m.id}`);
    await page.locator('.react-flow__node[data-id="web"]').waitFor();

    // Wrap the instance three times (security group, subnet above it, VPC
    // above both), then add three components that all land beside it.
    for (const rule of ['security-group', 'subnet', 'vpc', 'logging', 'inspector', 'load-balancer']) {
      const row = page.locator(`[data-testid="assist-task"][data-task="aws.ec2.assist.${rule}@web"]`);
      await row.getByRole('button', { name: 'Add it' }).click();
      await page.waitForFunction((r) => document.querySelector(`[data-task="aws.ec2.assist.${r}@web"]`)?.getAttribute('data-status') !== 'open', rule, { timeout: 15_000 });
      await waitSaved(page);
    }
    const { json: saved } = await api('GET', `/models/${m.id}`);
    const d = saved.diagram;
    assert.equal(d.groups.length, 3, 'security group, subnet and VPC were added');
    assert.ok(d.components.length >= 5, 'CloudWatch, Inspector and the load balancer were added');

    // Fit, then measure what is on screen.
    await page.getByRole('button', { name: /fit view/i }).click();
    await page.waitForTimeout(400);
    const boxes = await boxesOnScreen(page);
    for (const e of [...d.groups, ...d.components]) assert.ok(boxes[e.id], `${e.id} is drawn`);
    checkNesting(d, boxes);

    // New components are near what needs them: within a few node widths of the instance.
    const w = boxes.web;
    for (const c of d.components.filter((x) => !['web', 'other'].includes(x.id))) {
      const b = boxes[c.id];
      const dist = Math.hypot(b.x - w.x, b.y - w.y) / (w.width || 1);
      assert.ok(dist < 8, `${c.id} is near the instance (${dist.toFixed(1)} widths away)`);
    }
  });

  test('layout: Fit shows every node of a sprawling 551-resource model; Tidy layout makes it compact', async ({ page, base, api }) => {
    const { types, containerTypes } = await catalogTypes(api);
    const diagram = sprawlingModel(types, containerTypes);
    const { json: m, etag } = await api('POST', '/models', {
      schemaVersion: 1, name: 'Sprawling import', projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal',
      diagram: { components: [], flows: [], groups: [] },
    });
    await api('PUT', `/models/${m.id}/diagram`, diagram, { 'If-Match': etag });
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(`${base}/models/${m.id}`);
    await page.locator('.react-flow__node').first().waitFor();
    await viewportSettled(page);
    // Opened fitted: the whole diagram is in view, however small.
    await assertAllInView(page, diagram);
    // Pan away, then Fit brings all of it back.
    await page.mouse.move(800, 500);
    await page.mouse.wheel(0, -2000);
    await viewportSettled(page);
    await page.getByRole('button', { name: /fit view/i }).click();
    await viewportSettled(page);
    await assertAllInView(page, diagram);

    // Tidy layout: one compact picture, saved, nothing overlapping, children inset in their parents.
    await page.getByRole('button', { name: 'Tidy layout' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-status') === 'dirty', null, { timeout: 60_000 });
    await waitSaved(page);
    await viewportSettled(page);
    const { json: saved } = await api('GET', `/models/${m.id}`);
    const d = saved.diagram;
    const boxes = absoluteBoxes(d);
    const top = [...boxes].filter(([, b]) => !b.parent);
    const x0 = Math.min(...top.map(([, b]) => b.x));
    const y0 = Math.min(...top.map(([, b]) => b.y));
    const w = Math.max(...top.map(([, b]) => b.x + b.width)) - x0;
    const h = Math.max(...top.map(([, b]) => b.y + b.height)) - y0;
    assert.ok(Math.max(w / h, h / w) < 4, `the tidied diagram is not a strip: ${w.toFixed(0)} × ${h.toFixed(0)}`);
    assert.ok(w * h < 551 * 300 * 300, `the tidied diagram is compact: ${w.toFixed(0)} × ${h.toFixed(0)}`);
    for (const [a, ba] of top) for (const [b, bb] of top) if (a < b) assert.ok(!intersects(ba, bb), `${a} and ${b} overlap after Tidy layout`);
    for (const [id, b] of boxes) {
      if (!b.parent) continue;
      const p = boxes.get(b.parent);
      assert.ok(b.x >= p.x + 8 && b.y >= p.y + 28 + 8 && b.x + b.width <= p.x + p.width - 8 && b.y + b.height <= p.y + p.height - 8, `${id} is inset in ${b.parent}`);
    }
    const v = await assertAllInView(page, d);
    assert.ok(v.zoom > 0.1, `the tidied diagram fits at a zoom where shapes are visible (${v.zoom.toFixed(3)})`);
  });

  test('layout: a 300-resource CloudFormation template imports as one compact diagram, not a strip', async ({ page, base, api }) => {
    // Generated here (functions, queues, tables, buckets; each function reads a queue and writes a table) to reach the size of issue #17's import.
    const Resources = {};
    for (let i = 0; i < 75; i++) {
      Resources[`Queue${i}`] = { Type: 'AWS::SQS::Queue', Properties: { QueueName: `orders-${i}` } };
      Resources[`Table${i}`] = { Type: 'AWS::DynamoDB::Table', Properties: { TableName: `orders-${i}`, BillingMode: 'PAY_PER_REQUEST' } };
      Resources[`Bucket${i}`] = { Type: 'AWS::S3::Bucket', Properties: {} };
      Resources[`Fn${i}`] = {
        Type: 'AWS::Lambda::Function',
        Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: 'exports.handler=async()=>{}' }, Role: 'arn:aws:iam::111111111111:role/fn', Environment: { Variables: { QUEUE: { Ref: `Queue${i}` }, TABLE: { Ref: `Table${i}` }, BUCKET: { Ref: `Bucket${i}` } } } },
      };
    }
    const template = JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Description: 'Generated by the layout e2e test', Resources });
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(base + '/');
    await page.getByTestId('btn-new-model').click();
    await page.getByTestId('tab-import').click();
    await page.locator('[data-testid="import-format"] option[value="cloudformation"]').waitFor({ state: 'attached' });
    await page.getByTestId('import-file').setInputFiles({ name: 'big-stack.json', mimeType: 'application/json', buffer: Buffer.from(template) });
    await page.getByTestId('import-format').selectOption('cloudformation');
    await page.getByTestId('import-preview').click();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
    await page.getByTestId('import-create').click();
    await page.waitForURL(/\/models\/[^/]+$/, { timeout: 60_000 });
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const { json: m } = await api('GET', `/models/${id}`);
    const d = m.diagram;
    assert.ok(d.components.length >= 200, `the template imports its resources (${d.components.length})`);
    const top = [...absoluteBoxes(d)].filter(([, b]) => !b.parent).map(([, b]) => b);
    const w = Math.max(...top.map((b) => b.x + b.width)) - Math.min(...top.map((b) => b.x));
    const h = Math.max(...top.map((b) => b.y + b.height)) - Math.min(...top.map((b) => b.y));
    assert.ok(Math.max(w / h, h / w) < 4, `the imported diagram is not a strip: ${w.toFixed(0)} × ${h.toFixed(0)}`);
    for (let i = 0; i < top.length; i++) for (let j = i + 1; j < top.length; j++) assert.ok(!intersects(top[i], top[j]), 'top-level elements do not overlap');
    await page.locator('.react-flow__node').first().waitFor();
    await viewportSettled(page);
    const v = await assertAllInView(page, d);
    assert.ok(v.zoom > 0.1, `the whole import fits at a zoom where shapes are visible (${v.zoom.toFixed(3)})`);
  });

  test('layout: a CloudFormation import opens laid out, nothing overlapping, all in view', async ({ page, base, api }) => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(base + '/');
    await page.getByTestId('btn-new-model').click();
    await page.getByTestId('tab-import').click();
    await page.locator('[data-testid="import-format"] option[value="cloudformation"]').waitFor({ state: 'attached' });
    await page.getByTestId('import-file').setInputFiles(join(ROOT, 'pkg/interop/testdata/real/cloudformation/quickstart-aws-vpc.template.yaml'));
    await page.waitForFunction(() => document.querySelector('[data-testid="import-format"]')?.value === 'cloudformation');
    await page.getByTestId('import-preview').click();
    await page.getByTestId('import-result').waitFor();
    await page.getByTestId('import-create').click();
    await page.waitForURL(/\/models\/[^/]+$/);
    await page.getByTestId('canvas').waitFor();
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const { json: m } = await api('GET', `/models/${id}`);
    const d = m.diagram;
    assert.ok(d.components.length > 10, `the template imports components (${d.components.length})`);
    await page.locator('.react-flow__node').first().waitFor();
    await viewportSettled(page);
    await assertAllInView(page, d);
    checkNesting(d, await boxesOnScreen(page), 1);
  });


  test('layout: node names wrap to fit their box; built names drop the shared prefix, full name on hover', async ({ page, base, api }) => {
    const { catalog } = await catalogTypes(api);
    const plain = catalog.componentTypes.filter((t) => !t.canContain);
    // The catalog's longest names, as a dropped component is named, plus the one the issue names.
    const longest = [...plain].sort((a, b) => b.name.length - a.name.length).slice(0, 12);
    const alb = plain.find((t) => t.name === 'Application Load Balancer');
    assert.ok(alb, 'the catalog has the Application Load Balancer');
    const picked = [...new Set([...longest, alb])];
    const components = picked.map((t, i) => ({ id: `n${i}`, type: t.id, name: t.name, position: { x: (i % 6) * 160, y: Math.floor(i / 6) * 140 } }));
    // Built components: sized by the builder (160 × 80), named after their stack.
    const built = ['orders', 'payments-2', 'edge/ff8c1d9b2775df90', 'aurora', 'search'].map((suffix, i) => ({
      id: `b${i}`, type: plain[i].id, name: `shop-microservices-${suffix}`, position: { x: i * 200, y: 400 }, size: { width: 160, height: 80 },
      resource: { resourceType: 'AWS::EC2::Instance', resourceId: `i-0000000000000000${i}`, accountId: '111111111111', region: 'eu-west-1' },
    }));
    const { json: m, etag } = await api('POST', '/models', {
      schemaVersion: 1, name: 'Names', projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal',
      diagram: { components: [], flows: [], groups: [] },
    });
    await api('PUT', `/models/${m.id}/diagram`, { components: [...components, ...built], flows: [], groups: [] }, { 'If-Match': etag });
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(`${base}/models/${m.id}`);
    await page.locator('.react-flow__node[data-id="b4"]').waitFor();
    await viewportSettled(page);

    const measured = await page.evaluate(() => [...document.querySelectorAll('.react-flow__node')].map((el) => {
      const name = el.querySelector('[data-testid="component-name"]');
      const box = el.querySelector('[data-testid="component-node"]');
      const r = name.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      const lines = Math.round(name.scrollHeight / parseFloat(getComputedStyle(name).lineHeight));
      return {
        id: el.dataset.id, text: name.textContent, title: box.getAttribute('title'), lines,
        sw: name.scrollWidth, cw: name.clientWidth, sh: name.scrollHeight, ch: name.clientHeight,
        inBox: r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5,
      };
    }));
    const byId = Object.fromEntries(measured.map((x) => [x.id, x]));
    for (const c of components) {
      const x = byId[c.id];
      assert.equal(x.text, c.name, `${c.id} shows its whole name`);
      assert.ok(x.sw <= x.cw, `"${c.name}" fits the width (${x.sw} > ${x.cw})`);
      assert.ok(x.sh <= x.ch, `"${c.name}" shows every line (${x.sh} > ${x.ch})`);
      assert.ok(x.inBox, `"${c.name}" lies inside its node`);
    }
    const a = byId[components.find((c) => c.type === alb.id).id];
    assert.ok(a.lines >= 2 && a.sh <= a.ch, `"Application Load Balancer" shows both lines (${a.lines} lines)`);
    for (const b of built) {
      const x = byId[b.id];
      assert.equal(x.text, b.name.slice('shop-microservices-'.length), `${b.id} drops the shared prefix`);
      assert.match(x.title, new RegExp(`^${b.name.replace(/[/.]/g, '\\$&')} \\(`), `${b.id} has its full name on hover`);
      assert.ok(x.sw <= x.cw && x.sh <= x.ch && x.inBox, `${b.name} fits`);
    }
  });


  test('layout: a built VPC routes flows around components, bundles parallel flows, shows labels only zoomed in and off group titles', async ({ page, base, api }) => {
    const id = await buildVpc(api);
    const { json: m } = await api('GET', `/models/${id}`);
    const d = m.diagram;
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.goto(`${base}/models/${id}`);
    await page.locator('.react-flow__edge').first().waitFor();
    await viewportSettled(page);

    // Fitted, the whole VPC is in view and too small to read labels: none drawn.
    const fitted = await assertAllInView(page, d);
    if (fitted.zoom < 0.6) assert.equal(await page.getByTestId('flow-label').count(), 0, `no labels at ${fitted.zoom.toFixed(2)} zoom`);
    else console.log(`  (the built VPC fits at ${fitted.zoom.toFixed(2)}: labels may show)`);

    // Flows: one drawn line per pair of ends, none through a component it does not connect.
    const pairs = new Set(d.flows.map((f) => `${f.source}>${f.target}`));
    const drawn = await page.evaluate(() => [...document.querySelectorAll('.react-flow__edge')].map((g) => ({ id: g.dataset.id, d: g.querySelector('path.react-flow__edge-path')?.getAttribute('d') ?? null })).filter((e) => e.d));
    assert.equal(drawn.length, pairs.size, `${d.flows.length} flows are drawn as ${pairs.size} lines (parallel flows bundled)`);
    const flows = new Map(d.flows.map((f) => [f.id, f]));
    const boxes = absoluteBoxes(d);
    const comps = d.components.map((c) => [c.id, boxes.get(c.id)]);
    const crossings = [];
    for (const e of drawn) {
      const f = flows.get(e.id);
      const pts = polyline(e.d);
      for (let i = 1; i < pts.length; i++) {
        const p = pts[i - 1];
        const q = pts[i];
        const x1 = Math.min(p.x, q.x), x2 = Math.max(p.x, q.x), y1 = Math.min(p.y, q.y), y2 = Math.max(p.y, q.y);
        for (const [cid, b] of comps) {
          if (cid === f.source || cid === f.target) continue;
          if (x2 > b.x + 1 && x1 < b.x + b.width - 1 && y2 > b.y + 1 && y1 < b.y + b.height - 1) crossings.push(`${e.id} through ${cid}`);
        }
      }
    }
    console.log(`  ${drawn.length} lines, ${crossings.length} segments through a component they do not connect`);
    assert.ok(crossings.length <= Math.ceil(drawn.length * 0.02), `few flows cross components: ${crossings.slice(0, 10).join('; ')}`);

    // Hovering a flow shows its label even zoomed out.
    if (fitted.zoom < 0.6) {
      const e = drawn.map((x) => ({ ...x, pts: polyline(x.d) })).find((x) => x.pts.length >= 2 && Math.hypot(x.pts[1].x - x.pts[0].x, x.pts[1].y - x.pts[0].y) * fitted.zoom > 12);
      const [p, q] = e.pts;
      const at = { x: fitted.pane.x + fitted.tx + ((p.x + q.x) / 2) * fitted.zoom, y: fitted.pane.y + fitted.ty + ((p.y + q.y) / 2) * fitted.zoom };
      await page.mouse.move(at.x, at.y);
      await page.getByTestId('flow-label').first().waitFor({ timeout: 5000 });
      assert.equal(await page.getByTestId('flow-label').count(), 1, 'the hovered flow shows its label');
      await page.mouse.move(fitted.pane.x + 5, fitted.pane.y + 5);
    }

    // Zoomed in to 100 %: labels are shown, none on a group's title.
    await page.evaluate(() => {
      const el = document.querySelector('.react-flow__pane');
      el.dispatchEvent(new WheelEvent('wheel', { deltaY: 0, bubbles: true }));
    });
    for (let i = 0; i < 12 && (await viewOf(page)).zoom < 1; i++) {
      await page.getByRole('button', { name: /zoom in/i }).click();
      await viewportSettled(page);
    }
    assert.ok((await viewOf(page)).zoom >= 0.6, 'zoomed in');
    await page.getByTestId('flow-label').first().waitFor();
    const overlapping = await page.evaluate(() => {
      const titles = [...document.querySelectorAll('[data-testid="group-title"]')].map((t) => t.getBoundingClientRect());
      const out = [];
      for (const l of document.querySelectorAll('[data-testid="flow-label"]')) {
        const r = l.getBoundingClientRect();
        for (const t of titles) if (r.left < t.right - 1 && t.left < r.right - 1 && r.top < t.bottom - 1 && t.top < r.bottom - 1) out.push(l.textContent);
      }
      return { out, labels: document.querySelectorAll('[data-testid="flow-label"]').length };
    });
    assert.ok(overlapping.labels > 0, 'labels are shown zoomed in');
    assert.deepEqual(overlapping.out, [], `no label lies on a group title (of ${overlapping.labels})`);
  });

}

// Browser tests of the diagram layout (#17): what Assist adds, imported and
// built diagrams, Fit, edge routing and labels, node names. Each measures
// what a person sees: boxes on screen, text that fits. Registered with run.mjs.
import assert from 'node:assert/strict';

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
}

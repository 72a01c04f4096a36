// Benchmark: a generated 2,000-component, 3,000-flow model in headless
// Chromium. Prints the time until every visible node is rendered and the
// frame times while panning, then the time the Overview of a model with
// 10,000 threats takes to open. Goals: first render < 1.5 s, panning >= 30
// fps, Overview < 1 s. The load average is printed with each figure: the
// machine may be shared.
//   npm run bench            (Go server with a temporary bolt store)
//   BULWARK_SERVER_CMD=... npm run bench
import { apiClient, ensureBuilt, launchBrowser, startServer } from './lib.mjs';

const COMPONENTS = Number(process.env.BENCH_COMPONENTS ?? 2000);
const FLOWS = Number(process.env.BENCH_FLOWS ?? 3000);
const OVERVIEW_ROWS = Number(process.env.BENCH_OVERVIEW_ROWS ?? 10_000);

/** generate lays out components on a grid, a tenth of them inside 20 groups, with flows to near neighbours. */
export function generate(types, protocols, n = COMPONENTS, f = FLOWS) {
  const cols = 40;
  const groups = [];
  const components = [];
  for (let g = 0; g < 20; g++) {
    groups.push({ id: `g${g}`, kind: 'group', name: `Group ${g}`, position: { x: (g % 5) * 1400, y: -1000 - Math.floor(g / 5) * 400 }, size: { width: 1200, height: 320 } });
  }
  for (let i = 0; i < n; i++) {
    const t = types[i % types.length];
    if (i < 100) {
      const g = Math.floor(i / 5);
      components.push({ id: `c${i}`, type: t, name: `${t} ${i}`, parent: `g${g}`, position: { x: 40 + (i % 5) * 220, y: 60 } });
    } else {
      const k = i - 100;
      components.push({ id: `c${i}`, type: t, name: `${t} ${i}`, position: { x: (k % cols) * 180, y: Math.floor(k / cols) * 150 } });
    }
  }
  const flows = [];
  for (let j = 0; flows.length < f; j++) {
    const a = j % n;
    const b = j < n ? (a + 1) % n : (a + cols) % n;
    if (a === b) continue;
    flows.push({ id: `f${flows.length}`, source: `c${a}`, target: `c${b}`, protocol: protocols[j % protocols.length].id, port: protocols[j % protocols.length].defaultPort ?? 0 });
  }
  return { components, flows, groups };
}

ensureBuilt();
const server = await startServer();
const api = apiClient(server.base);
const browser = await launchBrowser();
try {
  const { json: cat } = await api('GET', '/catalog');
  const types = cat.componentTypes.filter((t) => !t.canContain).map((t) => t.id).slice(0, 12);
  if (!types.length) throw new Error('the server catalog is empty');
  const diagram = generate(types, cat.protocols.slice(0, 4));
  const { json: model, etag } = await api('POST', '/models', {
    schemaVersion: 1, name: 'Benchmark', projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal',
    diagram: { components: [], flows: [], groups: [] },
  });
  await api('PUT', `/models/${model.id}/diagram`, diagram, { 'If-Match': etag });
  console.log(`model: ${diagram.components.length} components, ${diagram.flows.length} flows, ${diagram.groups.length} groups`);

  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  // Warm the HTTP cache (bundle, icons) the way a returning user has it.
  await page.goto(`${server.base}/`);
  await page.waitForLoadState('networkidle');

  // Main-thread busy time is reported too: on a shared machine the wall
  // clock also counts time the browser waited for a CPU.
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const m0 = await metrics();
  const t0 = Date.now();
  await page.goto(`${server.base}/models/${model.id}`);
  // Done when every rendered node is visible (React Flow hides nodes until it
  // knows their size), icons are loaded, and nothing changes (viewport, node
  // count) for 3 frames; the time is that of the first of those frames.
  const handle = await page.waitForFunction(
    () => {
      const w = window;
      const nodes = document.querySelectorAll('.react-flow__node');
      // Seen from far (below FAR_ZOOM, as Fit shows a large diagram) the
      // flows are one path of lines, not React Flow edges.
      const far = document.querySelector('[data-testid="far-flows"] path')?.getAttribute('d') ?? '';
      const edges = document.querySelectorAll('.react-flow__edge').length || (far.match(/M/g) ?? []).length;
      let ready = nodes.length > 0 && edges > 0;
      if (ready) for (const n of nodes) if (n.style.visibility === 'hidden') { ready = false; break; }
      if (ready) for (const img of document.querySelectorAll('.react-flow__node img')) if (!img.complete) { ready = false; break; }
      const sig = `${nodes.length}/${edges}/${document.querySelector('.react-flow__viewport')?.style.transform}`;
      if (!ready) { w.__stable = null; return false; }
      if (!w.__stable || w.__stable.sig !== sig) w.__stable = { sig, at: performance.now(), frames: 0 };
      if (++w.__stable.frames < 3) return false;
      return { at: w.__stable.at, nodes: nodes.length, edges, viewport: sig.split('/')[2] };
    },
    null,
    { polling: 'raf', timeout: 60_000 },
  );
  const first = await handle.jsonValue();
  const wall = Date.now() - t0;
  const m1 = await metrics();
  const busy = (k) => ((m1[k] - (m0[k] ?? 0)) * 1000).toFixed(0);
  const timing = await page.evaluate(() => {
    const r = performance.getEntriesByType('resource');
    const end = (re) => Math.max(0, ...r.filter((e) => re.test(e.name)).map((e) => e.responseEnd));
    return { scripts: end(/\.js$/), catalog: end(/\/api\/v1\/catalog$/), model: end(/\/api\/v1\/models\/[^/]+$/) };
  });
  console.log(`  breakdown: scripts loaded ${timing.scripts.toFixed(0)} ms, catalog ${timing.catalog.toFixed(0)} ms, model ${timing.model.toFixed(0)} ms, rendered ${first.at.toFixed(0)} ms`);
  console.log(`  main thread busy: ${busy('TaskDuration')} ms (script ${busy('ScriptDuration')} ms, layout ${busy('LayoutDuration')} ms, style ${busy('RecalcStyleDuration')} ms); load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} CPUs`);
  console.log(`first render: ${first.at.toFixed(0)} ms after navigation start (${wall} ms wall), ${first.nodes} nodes and ${first.edges} flows on screen at ${first.viewport} (goal < 1500 ms) ${first.at < 1500 ? 'OK' : 'OVER GOAL'}`);

  // Pan at the opening zoom, then with the whole diagram in view (Fit), where every node is on screen.
  const opening = await pan(page);
  const rendered = await page.locator('.react-flow__node').count();
  console.log(`panning: ${opening.fps.toFixed(1)} fps average, median frame ${opening.median.toFixed(1)} ms, p95 frame ${opening.p95.toFixed(1)} ms over ${opening.frames} frames, ${opening.drags} drags at the opening zoom (goal >= 30 fps) ${opening.fps >= 30 ? 'OK' : 'UNDER GOAL'}; ${await loadAverage()}`);
  // Zoom out with the mouse wheel until the whole diagram is in view (or at the minimum zoom).
  const scale = () => page.evaluate(() => Number(/scale\(([^)]+)\)/.exec(document.querySelector('.react-flow__viewport')?.style.transform ?? '')?.[1] ?? 1));
  const pane = await page.locator('.react-flow__pane').boundingBox();
  const fits = () => page.evaluate(({ n }) => {
    const r = document.querySelector('.react-flow__pane').getBoundingClientRect();
    const inView = [...document.querySelectorAll('.react-flow__node')].filter((el) => {
      const b = el.getBoundingClientRect();
      return b.right > r.left && b.left < r.right && b.bottom > r.top && b.top < r.bottom;
    }).length;
    return inView >= n;
  }, { n: diagram.components.length + diagram.groups.length });
  await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
  for (let i = 0; i < 40 && !(await fits()) && (await scale()) > 0.06; i++) {
    await page.mouse.wheel(0, 300);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  const whole = await pan(page);
  console.log(`panning, whole diagram in view at ${await page.evaluate(() => document.querySelector('.react-flow__viewport')?.style.transform)} with ${whole.nodes} nodes in the DOM: ${whole.fps.toFixed(1)} fps average, median frame ${whole.median.toFixed(1)} ms, p95 frame ${whole.p95.toFixed(1)} ms (goal >= 30 fps) ${whole.fps >= 30 ? 'OK' : 'UNDER GOAL'}; ${await loadAverage()}`);
  console.log(`nodes in the DOM after panning at the opening zoom: ${rendered} of ${diagram.components.length + diagram.groups.length} (onlyRenderVisibleElements)`);
  await benchOverview(api, browser, server.base);
  await benchLayout(api, browser, server.base);
} finally {
  await browser.close();
  await server.stop();
}

/** pan drags the empty pane for ~3 s in a loop and counts the frames the page draws meanwhile. */
async function pan(page) {
  const box = await page.locator('.react-flow__pane').boundingBox();
  await page.evaluate(() => {
    window.__frames = [];
    window.__stopFrames = false;
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (!window.__stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const tp = Date.now();
  let drags = 0;
  while (Date.now() - tp < 3000) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 30; i++) {
      const dx = (drags % 2 ? 1 : -1) * i * 12;
      await page.mouse.move(cx + dx, cy + (drags % 3 ? i * 6 : -i * 6));
    }
    await page.mouse.up();
    drags++;
  }
  const frames = await page.evaluate(() => {
    window.__stopFrames = true;
    return window.__frames.slice(1);
  });
  const total = frames.reduce((a, b) => a + b, 0);
  const sorted = [...frames].sort((a, b) => a - b);
  return {
    fps: (frames.length / total) * 1000, median: sorted[Math.floor(sorted.length / 2)] ?? 0, p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    frames: frames.length, drags, nodes: await page.locator('.react-flow__node').count(),
  };
}

/** loadAverage is the 1-minute load average and the number of CPUs, for the record. */
async function loadAverage() {
  const os = await import('node:os');
  return `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`;
}

/**
 * benchOverview makes a model with at least OVERVIEW_ROWS threats and times
 * opening its Overview: from navigation start until the table holds every
 * row (the rows in view in the page) and the first rows are drawn.
 */
async function benchOverview(api, browser, base) {
  const types = ['aws.ec2', 'aws.rds', 'aws.s3', 'aws.cloudfront'];
  const make = (n) => {
    const components = [];
    const flows = [];
    for (let i = 0; i < n; i++) {
      components.push({ id: `c${i}`, type: types[i % types.length], name: `service ${i}`, position: { x: (i % 40) * 160, y: Math.floor(i / 40) * 140 } });
      if (i) flows.push({ id: `f${i}`, source: `c${i - 1}`, target: `c${i}`, protocol: 'HTTPS', port: 443 });
    }
    return { components, flows, groups: [] };
  };
  const { json: model } = await api('POST', '/models', {
    schemaVersion: 1, name: 'Overview benchmark', projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal',
    diagram: { components: [], flows: [], groups: [] },
  });
  // Size the model from a sample: threats per component of these types.
  let n = 100;
  let total = 0;
  for (let round = 0; round < 3 && total < OVERVIEW_ROWS; round++) {
    const { etag } = await api('GET', `/models/${model.id}`);
    await api('PUT', `/models/${model.id}/diagram`, make(n), { 'If-Match': etag });
    const { json } = await api('GET', `/models/${model.id}/threats`);
    total = json.items.length;
    if (total < OVERVIEW_ROWS) n = Math.ceil((n * OVERVIEW_ROWS) / Math.max(1, total)) + 1;
  }
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const times = [];
  for (let run = 0; run < 3; run++) {
    await page.goto(`${base}/`);
    await page.waitForLoadState('networkidle');
    await page.goto(`${base}/models/${model.id}/overview`);
    const handle = await page.waitForFunction(
      (want) => {
        const t = document.querySelector('[data-testid="items-table"]');
        if (!t || Number(t.getAttribute('data-rows')) < want || !t.querySelector('[data-testid="item-row"]')) return false;
        return { at: performance.now(), inDom: t.querySelectorAll('[data-testid="item-row"]').length };
      },
      total,
      { polling: 'raf', timeout: 60_000 },
    );
    const r = await handle.jsonValue();
    const api = await page.evaluate(() => Math.max(0, ...performance.getEntriesByType('resource').filter((e) => /\/(threats|requirements)$/.test(e.name)).map((e) => e.responseEnd)));
    times.push({ ...r, api });
  }
  const best = times.reduce((a, b) => (b.at < a.at ? b : a));
  const median = [...times].sort((a, b) => a.at - b.at)[1];
  console.log(`overview: ${total} threats (${n} components); opened in ${median.at.toFixed(0)} ms median of 3 (best ${best.at.toFixed(0)} ms) after navigation start, analysis loaded at ${median.api.toFixed(0)} ms, ${median.inDom} rows in the DOM (goal < 1000 ms) ${median.at < 1000 ? 'OK' : 'OVER GOAL'}; ${await loadAverage()}`);
}

// ---------- #17.2 layout (E4): ELK "Tidy layout" of a 551-resource import ----------

/**
 * benchLayout times "Tidy layout" on a model shaped like the 551-resource
 * CloudFormation import of issue #17 (e2e/layout.mjs sprawlingModel): from
 * the click to the laid-out diagram in the editor (ELK in its Web Worker,
 * the first run including loading elkjs), best and median of 3.
 */
async function benchLayout(api, browser, base) {
  const { catalogTypes, sprawlingModel } = await import('./layout.mjs');
  const { types, containerTypes } = await catalogTypes(api);
  const diagram = sprawlingModel(types, containerTypes);
  const times = [];
  for (let run = 0; run < 3; run++) {
    const { json: model, etag } = await api('POST', '/models', {
      schemaVersion: 1, name: `Layout bench ${run}`, projectType: 'AWS Cloud Application', priority: 'Medium', facing: 'internal',
      diagram: { components: [], flows: [], groups: [] },
    });
    await api('PUT', `/models/${model.id}/diagram`, diagram, { 'If-Match': etag });
    const page = await browser.context.newPage();
    await page.goto(`${base}/models/${model.id}`);
    await page.locator('.react-flow__node').first().waitFor();
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Tidy layout' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-status') === 'dirty', null, { timeout: 120_000 });
    times.push(Date.now() - t0);
    await page.close();
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`layout: Tidy layout of ${diagram.components.length} components, ${diagram.groups.length} groups, ${diagram.flows.length} flows (ELK in a Web Worker): median ${sorted[1]} ms, best ${sorted[0]} ms, first (loads elkjs) ${times[0]} ms; ${await loadAverage()}`);
}

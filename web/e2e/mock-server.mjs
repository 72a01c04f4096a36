// A small in-memory stand-in for the Go server, implementing the API
// contract the web app codes against. For developing the web app and its
// browser tests when the Go server is not at hand:
//   BULWARK_SERVER_CMD="node web/e2e/mock-server.mjs" npm run e2e
// Usage: node mock-server.mjs --addr 127.0.0.1:PORT --web DIR
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const [host, port] = (args.addr ?? '127.0.0.1:8080').split(':');
const web = args.web ?? new URL('../dist', import.meta.url).pathname;
const catalog = JSON.parse(readFileSync(process.env.MOCK_CATALOG ?? new URL('./mock-catalog.json', import.meta.url), 'utf8'));
const models = new Map();
let seq = 0;

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

function send(res, status, body, headers = {}) {
  const data = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
  res.end(data);
}
const problem = (res, status, title, extra = {}) => send(res, status, { type: 'about:blank', title, status, ...extra });
const ifMatch = (req) => {
  const m = /^"(\d+)"$/.exec(req.headers['if-match'] ?? '');
  return m ? Number(m[1]) : undefined;
};
const summary = (m) => ({
  id: m.id, name: m.name, version: m.version, projectType: m.projectType, priority: m.priority, facing: m.facing,
  labels: m.labels, owner: m.owner, createdAt: m.createdAt, updatedAt: m.updatedAt, revision: m.revision,
  componentCount: m.diagram.components.length, flowCount: m.diagram.flows.length,
});
const body = (req) =>
  new Promise((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(s || 'null'));
      } catch {
        resolve(undefined);
      }
    });
  });

function validDiagram(d) {
  const ids = new Set([...d.components.map((c) => c.id), ...d.groups.filter((g) => g.kind === 'container').map((g) => g.id)]);
  const problems = [];
  d.flows.forEach((f, i) => {
    if (!ids.has(f.source)) problems.push({ field: `/diagram/flows/${i}/source`, message: `refers to ${f.source}` });
    if (!ids.has(f.target)) problems.push({ field: `/diagram/flows/${i}/target`, message: `refers to ${f.target}` });
  });
  return problems;
}

async function api(req, res, path, url) {
  if (path === '/health') return send(res, 200, { status: 'ok', version: 'mock' });
  if (path === '/session') return send(res, 200, { authMode: 'local', user: 'admin', tenant: 'local', role: 'admin' });
  if (path === '/catalog') return send(res, 200, catalog);
  if (path === '/models' && req.method === 'GET') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const labels = url.searchParams.getAll('label');
    const types = url.searchParams.getAll('type');
    const prios = url.searchParams.getAll('priority');
    let items = [...models.values()].filter(
      (m) => (!q || m.name.toLowerCase().includes(q)) && labels.every((l) => m.labels?.includes(l)) &&
        (!types.length || types.includes(m.projectType)) && (!prios.length || prios.includes(m.priority)),
    );
    const sort = url.searchParams.get('sort') ?? '-updatedAt';
    const key = sort.replace(/^-/, '');
    items.sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0) * (sort.startsWith('-') ? -1 : 1));
    return send(res, 200, { items: items.map(summary), next: '' });
  }
  if (path === '/models' && req.method === 'POST') {
    const m = await body(req);
    if (!m?.name) return problem(res, 422, 'Invalid', { field: '/name', problems: [{ field: '/name', message: 'is required' }] });
    const now = new Date().toISOString();
    const doc = { ...m, id: `m${++seq}`, tenant: 'local', revision: 1, createdAt: now, updatedAt: now, diagram: m.diagram ?? { components: [], flows: [], groups: [] } };
    models.set(doc.id, doc);
    return send(res, 201, doc, { ETag: '"1"', Location: `/api/v1/models/${doc.id}` });
  }
  const mm = /^\/models\/([^/]+)(\/diagram)?$/.exec(path);
  if (!mm) return problem(res, 404, 'Not found');
  const m = models.get(decodeURIComponent(mm[1]));
  if (!m) return problem(res, 404, 'Not found');
  if (!mm[2]) {
    if (req.method === 'GET') return send(res, 200, m, { ETag: `"${m.revision}"` });
    if (req.method === 'DELETE') {
      models.delete(m.id);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'PATCH') {
      const rev = ifMatch(req);
      if (rev === undefined) return problem(res, 428, 'Precondition required');
      if (rev !== m.revision) return problem(res, 409, 'Conflict', { currentRevision: m.revision });
      Object.assign(m, await body(req), { revision: m.revision + 1, updatedAt: new Date().toISOString() });
      return send(res, 200, m, { ETag: `"${m.revision}"` });
    }
  } else {
    if (req.method === 'GET') return send(res, 200, m.diagram, { ETag: `"${m.revision}"` });
    if (req.method === 'PUT') {
      const rev = ifMatch(req);
      if (rev === undefined) return problem(res, 428, 'Precondition required');
      if (rev !== m.revision) return problem(res, 409, 'Conflict', { currentRevision: m.revision, detail: `model changed since revision ${rev}` });
      const d = await body(req);
      const problems = validDiagram(d);
      if (problems.length) return problem(res, 422, 'Invalid diagram', { field: problems[0].field, problems });
      m.diagram = d;
      m.revision++;
      m.updatedAt = new Date().toISOString();
      return send(res, 200, { revision: m.revision, diagram: d }, { ETag: `"${m.revision}"` });
    }
  }
  return problem(res, 405, 'Method not allowed');
}

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname.startsWith('/api/v1/')) return api(req, res, url.pathname.slice(7), url);
  let file = normalize(join(web, url.pathname));
  if (!file.startsWith(web) || !existsSync(file) || statSync(file).isDirectory()) file = join(web, 'index.html');
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
}).listen(Number(port), host, () => console.log(`mock server on http://${host}:${port}`));

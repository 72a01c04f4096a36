// Shared helpers of the browser tests and the benchmark: build the app if
// needed, start the Bulwark server on a free port with a temporary bolt
// store, wait for /api/v1/health, launch Debian's Chromium, stop everything
// by PID.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const WEB = resolve(new URL('..', import.meta.url).pathname);
export const ROOT = resolve(WEB, '..');
export const DIST = join(WEB, 'dist');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** newest returns the latest modification time of the files under dir. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** ensureBuilt builds web/dist when it is missing or older than the sources. */
export function ensureBuilt() {
  const index = join(DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(WEB, 'src')) && !process.env.BULWARK_REBUILD) return;
  console.log('building web/dist …');
  execFileSync(process.execPath, [join(WEB, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: WEB, stdio: 'inherit' });
  execFileSync(process.execPath, [join(WEB, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: WEB, stdio: 'inherit' });
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * startServer starts the server and resolves when /api/v1/health answers.
 * BULWARK_SERVER_CMD overrides the command; it may use the placeholders
 * {addr}, {port}, {store} and {web}, else those flags are appended.
 * env adds environment variables (BULWARK_LOCAL_ROLE: 'editor' runs the
 * local server as an editor).
 */
export async function startServer({ env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  const store = `bolt://${join(dir, 'e2e.db')}`;
  let cmd = process.env.BULWARK_SERVER_CMD;
  // The Accelerator reads a temporary copy of events/demo/aws, so tests may change snapshots.
  const accelData = join(dir, 'aws');
  cpSync(join(ROOT, 'events', 'demo', 'aws'), accelData, { recursive: true });
  if (!cmd) {
    const bin = join(dir, 'bulwark');
    const t0 = Date.now();
    console.log('building the server: go build ./functions/local …');
    execFileSync('go', ['build', '-o', bin, './functions/local'], { cwd: ROOT, stdio: 'inherit' });
    console.log(`built the server in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    cmd = `${bin} serve --accelerator-data ${accelData}`;
  }
  const vars = { addr, port: String(port), store, web: DIST };
  if (/\{(addr|port)\}/.test(cmd)) cmd = cmd.replace(/\{(addr|port|store|web)\}/g, (_, k) => vars[k]);
  else cmd = `${cmd} --addr ${addr} --store ${store} --web ${DIST}`;
  // exec: the shell becomes the server, so the PID we hold is the server's.
  // The key of the encrypted secrets file goes in the temporary folder, not the user's configuration directory.
  const child = spawn('/bin/sh', ['-c', `exec ${cmd}`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { BULWARK_SECRETS_KEY_FILE: join(dir, 'secrets.key'), ...process.env, ...env } });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const base = `http://${addr}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before it was healthy:\n${log}`);
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`server not healthy after 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    accelData,
    pid: child.pid,
    log: () => log,
    async stop() {
      const running = () => child.exitCode === null && child.signalCode === null;
      if (running()) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (running()) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** launchBrowser starts a fresh headless Chromium profile; close() removes it. */
export async function launchBrowser(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** api calls the server's JSON API directly (for setup and for checking what was stored). */
export function apiClient(base) {
  return async function api(method, path, body, headers = {}) {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return { json, etag: r.headers.get('etag') };
  };
}

// Prints the gzip size of the initial route (index.html's entry chunk, its
// static imports and CSS) and of each lazily loaded chunk, from Vite's manifest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const GOAL = 400 * 1024;

const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const css of chunk.css ?? []) initial.add(css);
  for (const imp of chunk.imports ?? []) visit(imp);
};
visit('index.html');

let total = 0;
console.log('initial route (gzip):');
for (const f of initial) {
  const n = gz(f);
  total += n;
  console.log(`  ${f.padEnd(44)} ${kb(n)}`);
}
console.log(`initial route total: ${kb(total)} gzip (goal < ${kb(GOAL)}) ${total < GOAL ? 'OK' : 'OVER GOAL'}`);
const lazy = Object.values(manifest).filter((c) => c.file.endsWith('.js') && !initial.has(c.file));
let lazyTotal = 0;
for (const c of lazy) {
  const n = gz(c.file) + (c.css ?? []).reduce((a, f) => a + gz(f), 0);
  lazyTotal += n;
  console.log(`  lazy: ${c.file.padEnd(38)} ${kb(n)}`);
}
console.log(`lazy chunks total: ${kb(lazyTotal)} gzip`);
if (total >= GOAL) process.exitCode = 1;

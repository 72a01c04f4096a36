// Runs Vitest once and ends with a plain "N passed, N failed" line, which CI
// reads (it does not parse Vitest's own summary).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-vitest-'));
const out = join(dir, 'results.json');
const r = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
let passed = 0;
let failed = 0;
try {
  const res = JSON.parse(readFileSync(out, 'utf8'));
  passed = res.numPassedTests;
  // A file that fails to load has no failed test but a failed suite.
  failed = res.numFailedTests || res.numFailedTestSuites || res.numRuntimeErrorTestSuites || 0;
} catch {
  failed = Math.max(1, failed);
}
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(r.status === 0 && failed === 0 ? 0 : 1);

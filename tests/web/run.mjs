// CTest's entry to the browser tests (web.e2e): checks that everything they need
// is there, failing with what is missing and how to get it (never a silent
// pass), then runs node's test runner over tests/web/*.test.mjs, one file at a
// time (each file starts its own heed-server and Chromium).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingPrerequisites } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const missing = missingPrerequisites();
if (missing.length) {
  console.error(`web.e2e: FAILED: the browser tests cannot run; missing:\n  - ${missing.join('\n  - ')}`);
  process.exit(1);
}
const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
  .map((f) => path.join(here, f));
const run = spawnSync(process.execPath, ['--test', ...files], { stdio: 'inherit', cwd: here });
process.exit(run.status ?? 1);

// workspace_bench: head office's workspace in Chromium over loopback on a
// million records (about 100,000 open cases), issue 14's figures:
//   - queue: navigation to the queue's first rows drawn (target <= 1 s)
//   - case:  navigation to a case page drawn (target <= 300 ms)
// or, with --page dashboard, issue 15's: navigation to the dashboard drawn whole
// (tiles, the trend's chart, the store league and the Pareto) on a chain's year,
// for the last 7 days and for the last 12 months by week (target <= 1 s), seeded
// by insight_bench --seed-only (env HEED_INSIGHT_SEED; 18,000,000 records by default).
// each the median and p95 of --runs navigations, cold (a new browser context:
// empty HTTP cache) and warm (the same context again: revalidated from cache),
// and the bytes a first visit transfers (sign-in page, sign in, the queue).
// "Drawn" is the first animation frame after the element appears, timed in the
// page from the navigation's start (performance.now()), so Playwright's own
// polling is not in the figure.
//
// Seeds with workspace_seed (env HEED_WORKSPACE_SEED; --reuse keeps a seeded
// directory of the same sizes), then runs `heed-server serve` (env HEED_SERVER,
// HEED_WEB_ROOT) on it. Prints the figures; exits 1 only if a step fails.
// Usage: node workspace_bench.mjs --dir DIR [--cases 1000000] [--stores 2000] [--runs 15] [--reuse]
//        node workspace_bench.mjs --page dashboard --dir DIR [--records 18000000] [--stores 2000] [--runs 15] [--reuse]
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as h from '../harness.mjs';

const { values: opt } = parseArgs({
  options: {
    dir: { type: 'string' },
    cases: { type: 'string', default: '1000000' },
    stores: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '15' },
    reuse: { type: 'boolean', default: false },
    page: { type: 'string', default: 'workspace' },
    records: { type: 'string', default: '18000000' },
  },
});
if (!opt.dir) {
  console.error('workspace_bench: --dir DIR is required');
  process.exit(2);
}
const runs = Number(opt.runs);
const dashboard = opt.page === 'dashboard';
if (!dashboard && opt.page !== 'workspace') {
  console.error('workspace_bench: --page is workspace or dashboard');
  process.exit(2);
}

// Seeding.
const seedArgs = dashboard
  ? ['--seed-only', '--dir', opt.dir, '--records', opt.records, '--stores', opt.stores]
  : ['--dir', opt.dir, '--cases', opt.cases, '--stores', opt.stores];
if (opt.reuse) seedArgs.push('--reuse');
const seeder = dashboard ? process.env.HEED_INSIGHT_SEED : process.env.HEED_WORKSPACE_SEED;
const started = Date.now();
const seeded = spawnSync(seeder, seedArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (seeded.status !== 0) {
  console.error(`workspace_bench: ${seeder} failed (${seeded.status})`);
  process.exit(1);
}
const data = JSON.parse(seeded.stdout.trim().split('\n').pop());
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`workspace_bench: ${data.records} records${dashboard ? '' : `, ${data.open_cases} open cases`}, ${opt.stores} stores; ` +
  `seeding ${((Date.now() - started) / 1000).toFixed(0)} s; machine: ${os.cpus().length} cores, ${cpu}`);

const median = (v) => pct(v, 0.5);
function pct(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.round(p * (s.length - 1)))];
}

// Marks, in the page, the first frame drawn after `selector` matches (with `text` in
// it), or after every one of `selectors` matches.
function drawnProbe({ selector, selectors, text }) {
  const check = () => {
    if (selectors) {
      if (!selectors.every((s) => document.querySelector(s))) return false;
      requestAnimationFrame(() => {
        window.__heedDrawn ??= performance.now();
      });
      return true;
    }
    const el = document.querySelector(selector);
    if (!el || (text && !el.textContent.includes(text))) return false;
    requestAnimationFrame(() => {
      window.__heedDrawn ??= performance.now();
    });
    return true;
  };
  const observer = new MutationObserver(() => {
    if (check()) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

const QUEUE = { path: '/', selector: 'main table tbody tr', text: '' };
const CASE = { path: `/cases/${data.case_id}`, selector: 'main h1', text: data.reference };
// The dashboard drawn whole: every tile, the chart's canvas, the league's rows and the Pareto's.
const DASHBOARD_PARTS = ['main ul.tiles li.tile', 'main .chart canvas', 'main table.league tbody tr', 'main table.pareto tbody tr'];
const DASHBOARD_WEEK = { path: '/dashboard', selectors: DASHBOARD_PARTS };
const DASHBOARD_YEAR = { path: '/dashboard?period=12m&grain=week', selectors: DASHBOARD_PARTS };
const targets = dashboard ? [['dash 7d', DASHBOARD_WEEK], ['dash 12m', DASHBOARD_YEAR]] : [['queue', QUEUE], ['case', CASE]];

const server = await h.startServer({ dataDir: data.data_dir, rules: data.rules, logLevel: 'warn' });
const browser = await h.launchBrowser();
let status = 0;
try {
  // A first visit: the sign-in page, signing in, the queue drawn; every byte on the wire.
  // Its session cookie then serves every timed navigation.
  const first = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  const page = await first.newPage();
  const transfers = await h.trackTransfers(page);
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Username').fill(data.username);
  await page.getByLabel('Password').fill(data.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator(QUEUE.selector).first().waitFor({ timeout: 30000 });
  if (dashboard) await page.goto(`${server.url}/dashboard`);
  await page.waitForLoadState('networkidle');
  const t = transfers.summary();
  const firstVisit = `first visit: ${t.requests} requests, ${(t.bytes / 1024).toFixed(1)} KB transferred ` +
    `(JS ${(t.byType.script / 1024).toFixed(1)} KB, CSS ${(t.byType.stylesheet / 1024).toFixed(1)} KB, ` +
    `HTML ${(t.byType.document / 1024).toFixed(1)} KB, API ${(t.byType.api / 1024).toFixed(1)} KB, ` +
    `other ${(t.byType.other / 1024).toFixed(1)} KB)`;
  const cookies = await first.cookies();
  await first.close();

  async function newContext() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    await context.addCookies(cookies);
    return context;
  }
  async function timeOnce(context, target) {
    const page = await context.newPage();
    await page.addInitScript(drawnProbe, { selector: target.selector, selectors: target.selectors, text: target.text });
    await page.goto(server.url + target.path, { waitUntil: 'commit' });
    try {
      await page.waitForFunction(() => window.__heedDrawn !== undefined, null, { timeout: 30000, polling: 50 });
    } catch (err) {
      const found = await page.evaluate((t) => (t.selectors ?? [t.selector]).map((s) => `${s}: ${!!document.querySelector(s)}`), target);
      const main = await page.evaluate(() => document.body.innerText.slice(0, 300));
      throw new Error(`${target.path} not drawn in 30 s at ${page.url()} (${found.join(", ")}): ${main}`, { cause: err });
    }
    // Where the time went: the last module loaded, and the slowest API answer (its own duration).
    const ms = await page.evaluate(() => {
      const res = performance.getEntriesByType('resource').filter((e) => e.startTime < window.__heedDrawn);
      const scripts = res.filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'));
      const apis = res.filter((e) => new URL(e.name).pathname.startsWith('/api/'));
      return {
        drawn: window.__heedDrawn,
        scripts: Math.max(0, ...scripts.map((e) => e.responseEnd)),
        api: Math.max(0, ...apis.map((e) => e.responseEnd - e.requestStart)),
      };
    });
    await page.close();
    return ms;
  }

  const rows = [];
  for (const [name, target] of targets) {
    const cold = [];
    const warm = [];
    for (let i = 0; i < runs + 1; ++i) {
      const context = await newContext();
      const c = await timeOnce(context, target);
      const w = await timeOnce(context, target);
      await context.close();
      if (i === 0) continue; // the first run warms the server's page cache and Chromium itself
      cold.push(c);
      warm.push(w);
    }
    rows.push([name, 'cold', cold], [name, 'warm', warm]);
  }
  console.log(`${'page'.padEnd(8)} ${'cache'.padEnd(5)} ${'median ms'.padStart(9)} ${'p95 ms'.padStart(8)} ${'runs'.padStart(5)}` +
    `  ${'modules loaded'.padStart(14)} ${'slowest API'.padStart(11)} (medians, ms)`);
  for (const [name, cache, v] of rows) {
    const drawn = v.map((x) => x.drawn);
    console.log(`${name.padEnd(8)} ${cache.padEnd(5)} ${median(drawn).toFixed(0).padStart(9)} ${pct(drawn, 0.95).toFixed(0).padStart(8)} ` +
      `${String(v.length).padStart(5)}  ${median(v.map((x) => x.scripts)).toFixed(0).padStart(14)} ${median(v.map((x) => x.api)).toFixed(1).padStart(11)}`);
  }

  console.log(firstVisit);
  console.log(dashboard ? 'target: the dashboard drawn <= 1000 ms (printed, not enforced)'
    : 'targets: queue <= 1000 ms, case page <= 300 ms (printed, not enforced)');
} catch (err) {
  console.error(`workspace_bench: ${err.stack ?? err}`);
  status = 1;
} finally {
  await browser.close();
  await server.stop();
}
process.exit(status);

// The browser tests' harness: a real heed-server on a free loopback port with a
// temporary data directory, head-office users made through its own CLI
// (`heed-server user add`), devices enrolled as a store's tablet does it
// (`heed-server enroll-code`, then POST /api/v1/devices/enroll), records posted
// through POST /api/v1/records so the server opens real cases, and Debian's
// Chromium driven through playwright-core.
//
// Invariants: nothing here stubs a part of Heed; every server and browser a
// test starts is stopped by `stop()` / `close()` and, failing that, when the
// test process exits; a missing prerequisite (the server binary, the built web
// root, Chromium, node_modules) throws an error that says how to get it, so a
// run without them fails loudly instead of passing.
//
// Env: HEED_SERVER (the heed-server binary), HEED_WEB_ROOT (the built web
// files), HEED_CHROMIUM (default /usr/bin/chromium), HEED_SCREENSHOT_DIR
// (default <repo>/build/screenshots/web), HEED_TEST_KEEP=1 keeps data dirs.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');

export const CHROMIUM = process.env.HEED_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOT_DIR = process.env.HEED_SCREENSHOT_DIR || path.join(repoRoot, 'build/screenshots/web');
// The WCAG 2.2 AA rule sets axe-core runs on every page and dialog.
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// What is missing to run the browser tests, with how to get it; empty when all is there.
export function missingPrerequisites() {
  const missing = [];
  const server = process.env.HEED_SERVER;
  if (!server || !existsSync(server))
    missing.push(`heed-server (env HEED_SERVER=${server ?? ''}): build it, e.g. cmake --build --preset release`);
  const webRoot = process.env.HEED_WEB_ROOT;
  if (!webRoot || !existsSync(path.join(webRoot, 'index.html')))
    missing.push(`the built web root (env HEED_WEB_ROOT=${webRoot ?? ''}): build the heed_web target`);
  if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM}: run deploy/install-deps.sh (installs Debian's chromium)`);
  for (const pkg of ['playwright-core', '@axe-core/playwright'])
    if (!existsSync(path.join(here, 'node_modules', pkg, 'package.json')))
      missing.push(`tests/web/node_modules/${pkg}: run deploy/install-deps.sh (npm ci in tests/web)`);
  return missing;
}

export function requirePrerequisites() {
  const missing = missingPrerequisites();
  if (missing.length) throw new Error(`browser tests cannot run; missing:\n  - ${missing.join('\n  - ')}`);
}

// ---------------------------------------------------------------------------
// Processes: everything started here is ended when the test process ends.
const children = new Set();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs `heed-server ARGS` to completion (the CLI's side of the data directory).
export function cli(args, input) {
  const run = spawnSync(process.env.HEED_SERVER, args, { input: input ?? '', encoding: 'utf8', timeout: 60000 });
  if (run.status !== 0)
    throw new Error(`heed-server ${args.join(' ')} failed (${run.status}): ${run.stderr || run.stdout}`);
  return run.stdout;
}

// The default users: a chain admin, a chain agent, a chain manager and a store manager of MCR-01.
export const USERS = {
  admin: { username: 'admin', password: 'admin-pass-123456', role: 'admin', scope: 'chain' },
  agent: { username: 'ana', password: 'agent-pass-123456', role: 'agent', scope: 'chain' },
  manager: { username: 'mo', password: 'manager-pass-123456', role: 'manager', scope: 'chain' },
  storeManager: { username: 'sam', password: 'store-pass-123456', role: 'manager', scope: 'store:MCR-01' },
};

// Starts heed-server on a free loopback port over a new temporary data dir.
// options: idleTimeout (seconds, passed as --idle-timeout), dataDir (reuse one),
// rules (a rules file), webRoot (default HEED_WEB_ROOT; false: the API alone), extraArgs.
export async function startServer(options = {}) {
  if (options.webRoot !== false) requirePrerequisites();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'heed-web-'));
  const port = await freePort();
  const args = ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`];
  if (options.webRoot !== false) args.push('--web-root', options.webRoot ?? process.env.HEED_WEB_ROOT);
  if (options.rules) args.push('--rules', options.rules);
  if (options.idleTimeout !== undefined) args.push('--idle-timeout', String(options.idleTimeout));
  if (options.logLevel) args.push('--log-level', options.logLevel);
  args.push(...(options.extraArgs ?? []));
  const proc = spawn(process.env.HEED_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let log = '';
  const keep = (chunk) => {
    log = (log + chunk.toString()).slice(-20000);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const server = {
    url,
    port,
    dataDir,
    proc,
    log: () => log,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(proc);
      if (!options.dataDir && !process.env.HEED_TEST_KEEP) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 20000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`heed-server exited (${proc.exitCode}) at start:\n${log}`);
    try {
      const res = await httpRequest(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`heed-server did not answer /healthz within 20 s:\n${log}`);
    }
    await sleep(50);
  }
  return server;
}

// A rules file: the shipped rules, their relative paths made absolute, changed by
// `change(rules)`, in a temporary directory. Returns {file, remove()}.
export function rulesFile(change) {
  const assets = path.join(repoRoot, 'assets');
  const rules = JSON.parse(readFileSync(path.join(assets, 'rules/default.json'), 'utf8'));
  rules.calendar.holidays = path.join(assets, 'calendar/bank-holidays-england-wales.json');
  rules.final_response.templates = path.join(assets, 'letters');
  change(rules);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'heed-rules-'));
  const file = path.join(dir, 'rules.json');
  writeFileSync(file, JSON.stringify(rules));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function addUser(server, user) {
  cli(
    ['user', 'add', '--data', server.dataDir, '--username', user.username, '--role', user.role, '--scope', user.scope],
    `${user.password}\n`,
  );
  return user;
}

// ---------------------------------------------------------------------------
// One HTTP request on a connection of its own (node:http, no keep-alive). fetch keeps
// idle connections and may reuse one just as heed-server closes it after its 5 s
// keep-alive; under a loaded ASan run a CLI step between two requests takes that long,
// and the request failed with "fetch failed".
export function httpRequest(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: new Headers(res.headers), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// The API as a client without a browser (bearer tokens; the browser uses the cookie).
export async function apiJson(server, method, pathname, { token, body, headers } = {}) {
  const res = await httpRequest(server.url + pathname, {
    method,
    headers: {
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  let json = null;
  try {
    json = res.text ? JSON.parse(res.text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text: res.text };
}

export async function bearer(server, user) {
  const res = await apiJson(server, 'POST', '/api/v1/auth/login', {
    body: { username: user.username, password: user.password },
  });
  if (res.status !== 200) throw new Error(`sign-in of ${user.username} failed: ${res.status} ${res.text}`);
  return res.json.token;
}

// A store's device, as a tablet enrols: a one-time code from the CLI, then the API.
export async function enrollDevice(server, storeId, name = 'Till 1') {
  const out = cli(['enroll-code', '--data', server.dataDir, '--store', storeId]);
  const code = out.match(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/)?.[0] ?? out.trim().split(/\s+/).pop();
  const res = await apiJson(server, 'POST', '/api/v1/devices/enroll', { body: { code, name } });
  if (res.status !== 201) throw new Error(`enrolment at ${storeId} failed: ${res.status} ${res.text}`);
  return { storeId, deviceId: res.json.device_id, token: res.json.token };
}

export async function postRecords(server, device, records) {
  const res = await apiJson(server, 'POST', '/api/v1/records', { token: device.token, body: { records } });
  if (res.status !== 200 || res.json.rejected?.length)
    throw new Error(`records refused: ${res.status} ${res.text}`);
  return res.json;
}

// ---------------------------------------------------------------------------
// Records in wire format schema 2 (assets/api/wire-format.md).
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

// A complaint reference STORE-DEVICE-SEQUENCE+CHECK (Luhn mod 32), as core/src/reference.cpp makes it.
export function makeReference(storeCode, deviceCode, sequence) {
  let digits = '';
  let v = sequence;
  do {
    digits = ALPHABET[v % 32] + digits;
    v = Math.floor(v / 32);
  } while (v > 0);
  digits = digits.padStart(4, ALPHABET[0]);
  const body = `${storeCode}-${deviceCode}-${digits}`;
  let factor = 2;
  let sum = 0;
  for (const c of [...body].reverse()) {
    if (c === '-') continue;
    let addend = factor * ALPHABET.indexOf(c);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return body + ALPHABET[(32 - (sum % 32)) % 32];
}

let sequence = 100;
const minutesAgo = (m) => new Date(Date.now() - m * 60000).toISOString().replace(/\.\d+Z$/, 'Z');
// The code a store's references start with (the reference alphabet has no 0, 1, I or O).
const STORE_CODES = { 'MCR-01': 'MCR', 'MCR-02': 'MCR2', 'LIV-01': 'LPL', 'LON-01': 'LDN', 'LON-02': 'LDN2' };
const storeCode = (storeId) => STORE_CODES[storeId] ?? 'ST';

function header(device, type) {
  return {
    id: randomUUID(),
    type,
    schema: 2,
    store_id: device.storeId,
    device_id: device.deviceId,
    created_at: minutesAgo(5),
  };
}

export function contact(overrides = {}) {
  return {
    name: 'Ffion Łukasik',
    email: 'ffion@example.co.uk',
    phone: '07700 900123',
    address: null,
    consent: true,
    notice_version: '2026-01',
    ...overrides,
  };
}

// Feedback; with `contact` it asks for a call-back (high priority when NPS <= 6 or CSAT <= 2).
export function feedback(device, overrides = {}) {
  return {
    ...header(device, 'feedback'),
    csat: 4,
    nps: 9,
    comment: 'Quick checkout, friendly staff.',
    language: 'en',
    touchpoint: 'checkout',
    contact: null,
    suspected_misuse: false,
    ...overrides,
  };
}

// A detractor who left contact details and consent: the server opens a call-back case.
export function detractor(device, overrides = {}) {
  return feedback(device, {
    csat: 1,
    nps: 2,
    comment: 'Waited 25 minutes at the till and nobody apologised.',
    contact: contact(),
    ...overrides,
  });
}

// A complaint not resolved at the store: escalated to `target`, so the server opens a complaint case.
export function complaint(device, overrides = {}, target = 'area_manager') {
  return {
    ...header(device, 'complaint'),
    reference: makeReference(storeCode(device.storeId), 'K2', sequence++),
    staff_id: 'S1042',
    channel: 'face_to_face',
    touchpoint: 'customer_service',
    category: 'faulty_goods',
    severity: 'high',
    description: 'Kettle bought last week stopped working after two days. Second one this month.',
    customer_mood: 'upset',
    desired_outcome: 'refund',
    offered: ['repair'],
    goodwill_pence: 0,
    approved_by: null,
    purchase: { kind: 'goods', date: new Date(Date.now() - 9 * 86400000).toISOString().slice(0, 10), amount_pence: 2999, order_ref: 'ORD-55812' },
    resolved_first_contact: false,
    customer_accepted: false,
    escalation: {
      target,
      rationale: 'Third complaint about this kettle model since October; the customer refused a repair.',
      history_reviewed: true,
    },
    customer: contact({ name: 'Gareth Price', email: 'gareth@example.co.uk', phone: '07700 900456' }),
    consumer_rights: {
      kind: 'goods',
      days_since_purchase: 9,
      entitlement: 'short_term_reject',
      repair_already_failed: false,
      burden_on_trader: true,
      offer_falls_short: true,
    },
    adjustments: {
      consent: true,
      contact_channel: 'email',
      best_time: 'after 5pm',
      language: null,
      formats: ['large_print'],
      note: null,
    },
    ...overrides,
  };
}

// The case the server opened for a record (via the admin's bearer token), or null.
export async function caseOf(server, token, recordId, status = 'all') {
  let cursor = '';
  for (let page = 0; page < 20; ++page) {
    const res = await apiJson(server, 'GET', `/api/v1/cases?status=${status}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token });
    if (res.status !== 200) throw new Error(`GET /api/v1/cases: ${res.status} ${res.text}`);
    const found = res.json.cases.find((c) => c.record_id === recordId);
    if (found) return found;
    if (!res.json.next_cursor) return null;
    cursor = encodeURIComponent(res.json.next_cursor);
  }
  return null;
}

// A working day's data: the four users, a tablet at MCR-01 (North West) and
// one at LON-01 (London), and records that open real cases:
//   callback     — a detractor at MCR-01 who asked for a call-back
//   complaint    — a kettle complaint at MCR-01 escalated to the area
//   store        — a complaint at MCR-01 left with the store manager
//   london       — a complaint at LON-01 escalated to head office (outside the store manager's store)
//   promoter     — a happy customer with no contact (no case)
// Returns { users, devices, records, cases, tokens }.
export async function seedDay(server) {
  const users = {};
  for (const [key, user] of Object.entries(USERS)) users[key] = addUser(server, user);
  const devices = {
    manchester: await enrollDevice(server, 'MCR-01', 'Till 1'),
    london: await enrollDevice(server, 'LON-01', 'Service desk'),
  };
  const records = {
    callback: detractor(devices.manchester),
    complaint: complaint(devices.manchester),
    store: complaint(
      devices.manchester,
      {
        category: 'pricing_billing',
        severity: 'low',
        description: 'Charged twice for a bag of compost at the self-checkout.',
        desired_outcome: 'refund',
        offered: ['apology'],
        purchase: null,
        consumer_rights: null,
        adjustments: null,
        customer: contact({ name: 'Alun Hughes', email: 'alun@example.co.uk', phone: '07700 900654' }),
      },
      'store_manager',
    ),
    london: complaint(
      devices.london,
      {
        category: 'delivery',
        severity: 'medium',
        description: 'Sofa delivery missed twice; nobody rang to say.',
        desired_outcome: 'compensation',
        offered: ['apology'],
        purchase: null,
        consumer_rights: null,
        adjustments: null,
        customer: contact({ name: 'Priya Shah', email: 'priya@example.co.uk', phone: '07700 900789' }),
      },
      'head_office',
    ),
    promoter: feedback(devices.manchester),
  };
  await postRecords(server, devices.manchester, [records.callback, records.complaint, records.store, records.promoter]);
  await postRecords(server, devices.london, [records.london]);
  const tokens = { admin: await bearer(server, users.admin) };
  const cases = {};
  for (const key of ['callback', 'complaint', 'store', 'london']) {
    cases[key] = await caseOf(server, tokens.admin, records[key].id);
    if (!cases[key]) throw new Error(`the server opened no case for the ${key} record`);
  }
  return { users, devices, records, cases, tokens };
}

// ---------------------------------------------------------------------------
// The browser.
export async function launchBrowser() {
  requirePrerequisites();
  const { chromium } = await import('playwright-core');
  // launch() gives every browser a fresh temporary profile (user-data dir), removed on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60000 });
  return browser;
}

// A new page (own context: own cookies) at a viewport; defaults to 1280×800, en-GB, London time.
export async function newPage(browser, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`[console] ${msg.text()}`);
  });
  return page;
}

// Runs axe-core with the WCAG 2.2 AA tags on what the page shows now; throws
// with every violation, readably, when there is any.
export async function expectAccessible(page, what) {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (result.violations.length === 0) return result;
  const lines = [`axe-core: ${result.violations.length} WCAG 2.2 AA violation(s) on ${what}:`];
  for (const v of result.violations) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 5))
      lines.push(`    at ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ')}`);
    if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more`);
  }
  throw new Error(lines.join('\n'));
}

export async function screenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

// Signs in through the sign-in page, as a person does.
export async function signIn(page, server, user) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

// Every response the page receives from now on, with the bytes on the wire
// (Chromium's encodedDataLength: headers and the body as sent, compressed or not).
// summary(): {requests, bytes, byType: {script, stylesheet, api, document, other}}.
export async function trackTransfers(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const seen = new Map();
  cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
    seen.set(requestId, { url: response.url, type, status: response.status, bytes: 0 });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const entry = seen.get(requestId);
    if (entry) entry.bytes = encodedDataLength;
  });
  return {
    entries: () => [...seen.values()],
    summary() {
      const byType = { script: 0, stylesheet: 0, api: 0, document: 0, other: 0 };
      let bytes = 0;
      for (const e of seen.values()) {
        bytes += e.bytes;
        const kind = new URL(e.url).pathname.startsWith('/api/')
          ? 'api'
          : { Script: 'script', Stylesheet: 'stylesheet', Document: 'document' }[e.type] ?? 'other';
        byType[kind] += e.bytes;
      }
      return { requests: seen.size, bytes, byType };
    },
  };
}

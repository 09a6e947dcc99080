// Head office's working day in Chromium, against a real heed-server with cases
// the server opened from records posted by enrolled tablets at MCR-01 (North
// West) and LON-01 (London): signing in, the queue (by keyboard too, and a new
// case arriving while it is open), a detractor's call-back worked to resolved, a
// complaint worked to its final response, the audited contact reveal, a store
// manager who sees only their store, and the admin pages. axe-core checks every
// page and dialog for WCAG 2.2 AA; each page's JS and CSS is weighed; every page
// and main dialog is photographed (HEED_SCREENSHOT_DIR).
//
// The tests run in order on one server and one browser (each role in its own
// context): later tests build on the cases earlier ones worked.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

let server;
let browser;
let day;
const pages = {};

before(async () => {
  server = await h.startServer();
  day = await h.seedDay(server);
  browser = await h.launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The signed-in page of a role, made once (its own cookies).
async function pageOf(role, size) {
  const key = size ? `${role}-${size.width}x${size.height}` : role;
  if (!pages[key]) {
    pages[key] = await h.newPage(browser, size);
    await h.signIn(pages[key], server, day.users[role]);
  }
  return pages[key];
}

const caseTitle = (c) => c.reference || `Case ${c.id}`;
const queueLink = (page, c) => page.getByRole('link', { name: caseTitle(c), exact: true });

async function openQueue(page) {
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
  await page.locator('main table tbody tr').first().waitFor();
}

// Waits until the case page shows the case (its heading names the reference or number).
async function caseShown(page, c) {
  await page.getByRole('heading', { level: 1, name: new RegExp(c.reference ?? `#${c.id}`) }).waitFor();
}

async function caseJson(id) {
  const res = await h.apiJson(server, 'GET', `/api/v1/cases/${id}`, { token: day.tokens.admin });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

// Opens the dialog a button opens, checks it with axe and photographs it.
async function dialogFrom(page, buttonName, dialogName, shot) {
  await page.getByRole('button', { name: buttonName, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.waitFor();
  await h.expectAccessible(page, `the dialog "${dialogName}"`);
  if (shot) await h.screenshot(page, shot);
  return dialog;
}

test('sign in: a wrong password is refused in words, the right one opens the queue', async () => {
  const page = await h.newPage(browser);
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  assert.match(await page.title(), /^Sign in/, 'the title names the page');
  await h.expectAccessible(page, 'the sign-in page');
  await h.screenshot(page, 'sign-in');

  await page.getByLabel('Username').fill(day.users.agent.username);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The username or password is not right').waitFor();
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'the wrong password is cleared');
  await h.expectAccessible(page, 'the sign-in page with an error');
  await h.screenshot(page, 'sign-in-error');

  await page.getByLabel('Password').fill(day.users.agent.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  assert.match(await page.title(), /Queue/);
  await page.context().close();
});

test('the queue lists the open cases, next deadline first, with their SLA in words', async () => {
  const page = await pageOf('agent');
  await openQueue(page);
  for (const key of ['callback', 'complaint', 'london']) await queueLink(page, day.cases[key]).waitFor();
  await page.getByRole('tab', { name: /Open/, selected: true }).waitFor();
  await h.expectAccessible(page, 'the queue');
  await h.screenshot(page, 'queue');
  // A filter narrows it: complaints only.
  await page.getByLabel('Type').selectOption('complaint');
  await queueLink(page, day.cases.complaint).waitFor();
  await queueLink(page, day.cases.callback).waitFor({ state: 'detached' });
  await h.expectAccessible(page, 'the queue, filtered');
  await page.getByLabel('Type').selectOption('');
  await queueLink(page, day.cases.callback).waitFor();
});

test('the keyboard works the queue: j/k and the arrow keys move, Enter opens', async () => {
  const page = await pageOf('agent');
  await openQueue(page);
  const links = page.locator('main table tbody tr .case-link');
  const names = await links.allTextContents();
  assert.ok(names.length >= 3, `at least three cases in the queue: ${names}`);
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
  await page.locator('main h1').click(); // focus in the page, not on a control
  await page.keyboard.press('j');
  assert.equal(await focused(), names[0]);
  await page.keyboard.press('j');
  assert.equal(await focused(), names[1]);
  await page.keyboard.press('k');
  assert.equal(await focused(), names[0]);
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), names[1]);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), names[1]);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/cases\/\d+$/);
  await page.getByRole('heading', { level: 1, name: new RegExp(names[1].replace(/^Case /, '#')) }).waitFor();
  // And back to the queue.
  await page.goBack();
  await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
});

test('a new case arrives in an open queue without a reload', async () => {
  const page = await pageOf('agent');
  await openQueue(page);
  const record = h.detractor(day.devices.london, {
    comment: 'Nobody at the returns desk for twenty minutes.',
    contact: h.contact({ name: 'Tom Evans', email: 'tom@example.co.uk', phone: '07700 900321' }),
  });
  await h.postRecords(server, day.devices.london, [record]);
  const fresh = await h.caseOf(server, day.tokens.admin, record.id);
  assert.ok(fresh, 'the server opened a call-back');
  day.cases.arrived = fresh;
  const started = Date.now();
  const row = page.locator('main table tbody tr', { has: queueLink(page, fresh) });
  await row.waitFor({ timeout: 20000 });
  await row.getByText('New', { exact: true }).waitFor();
  console.log(`  the new case showed ${((Date.now() - started) / 1000).toFixed(1)} s after it was posted`);
  await h.expectAccessible(page, 'the queue with a new case');
});

test('a detractor\'s call-back, from the queue to resolved', async () => {
  const page = await pageOf('agent');
  const c = day.cases.callback;
  await openQueue(page);
  await queueLink(page, c).click();
  await caseShown(page, c);
  await page.getByText(day.records.callback.comment).waitFor(); // the customer's own words
  await h.expectAccessible(page, 'a call-back case');
  await h.screenshot(page, 'case-callback');

  // Reach the customer: the first contact that reaches them acknowledges the case.
  const contact = await dialogFrom(page, 'Log contact', 'Log a contact', 'dialog-log-contact');
  await contact.getByLabel('Channel').selectOption('phone');
  await contact.getByLabel('Reached the customer').check();
  await contact.getByLabel('Summary').fill('Apologised for the wait; the till queue is staffed at lunch from Monday.');
  await contact.getByRole('button', { name: 'Save contact' }).click();
  await contact.waitFor({ state: 'detached' });
  await page.getByText(/Contact logged/).first().waitFor();

  const resolve = await dialogFrom(page, 'Resolve', 'Resolve the case', 'dialog-resolve-callback');
  await resolve.getByLabel('What was found and done').fill('Rang the customer, apologised; rota changed for lunchtimes.');
  await resolve.getByLabel('Apology').check();
  await resolve.getByLabel('Root cause').selectOption('staff_training');
  await resolve.getByRole('button', { name: 'Resolve case' }).click();
  await resolve.waitFor({ state: 'detached' });
  await page.getByText(/Case resolved/).first().waitFor();

  const after = await caseJson(c.id);
  assert.equal(after.status, 'closed');
  assert.ok(after.acknowledged_at, 'reaching the customer acknowledged it');
  assert.ok(after.resolved_at, 'resolved');
  await h.expectAccessible(page, 'a resolved call-back');
});

test('showing a customer\'s contact details is audited', async () => {
  const page = await pageOf('agent');
  const c = day.cases.complaint;
  await page.goto(`${server.url}/cases/${c.id}`);
  await caseShown(page, c);
  await page.getByRole('button', { name: 'Show contact details' }).click();
  await page.getByText('gareth@example.co.uk').waitFor();
  await h.expectAccessible(page, 'a complaint with its contact details shown');
  await h.screenshot(page, 'case-contact-shown');

  const audit = await h.apiJson(server, 'GET', `/api/v1/audit?action=contact.view&case_id=${c.id}`, {
    token: day.tokens.admin,
  });
  assert.equal(audit.status, 200, audit.text);
  const entry = audit.json.entries.find((e) => e.actor === day.users.agent.username);
  assert.ok(entry, `an audit row for ${day.users.agent.username}: ${audit.text}`);
  assert.equal(entry.action, 'contact.view');
  assert.ok(!JSON.stringify(entry).includes('gareth@example.co.uk'), 'the audit holds no personal data');
  const history = (await caseJson(c.id)).history ?? [];
  assert.ok(
    history.some((e) => e.action === 'contact_viewed' && e.actor === day.users.agent.username),
    'the case history notes the view',
  );
});

test('a complaint, from the queue to its final response: previewed, saved, printable', async () => {
  const page = await pageOf('agent');
  const c = day.cases.complaint;
  await openQueue(page);
  await queueLink(page, c).click();
  await caseShown(page, c);
  await page.getByText(day.records.complaint.description).waitFor();
  await page.getByRole('heading', { name: 'Consumer Rights Act' }).waitFor();
  await h.expectAccessible(page, 'a complaint case');
  await h.screenshot(page, 'case-complaint');

  const resolve = await dialogFrom(page, 'Resolve', 'Resolve the case', 'dialog-resolve-complaint');
  await resolve.getByLabel('What was found and done').fill(
    'The kettle had a faulty element. We refunded the full price and apologised.',
  );
  await resolve.getByLabel('Refund', { exact: true }).check();
  await resolve.getByLabel('Apology').check();
  await resolve.getByLabel('Root cause').selectOption('product_quality');
  await resolve.getByRole('button', { name: 'Preview letter' }).click();

  const preview = page.getByRole('dialog', { name: 'Check the final response' });
  await preview.waitFor();
  const letter = preview.getByRole('article', { name: 'Final response letter' });
  await letter.getByText(c.reference, { exact: false }).first().waitFor();
  await letter.getByText(/£29\.99/).first().waitFor();
  await letter.getByText(/RetailADR/).first().waitFor();
  await h.expectAccessible(page, 'the final response preview');
  await h.screenshot(page, 'dialog-final-response-preview');
  // Nothing is stored by the preview.
  assert.equal((await caseJson(c.id)).final_responses?.length ?? 0, 0, 'the preview saved nothing');

  await preview.getByRole('button', { name: 'Resolve and save letter' }).click();
  await preview.waitFor({ state: 'detached' });
  await page.getByText(/final response is saved/i).first().waitFor();
  const saved = await caseJson(c.id);
  assert.equal(saved.final_responses.length, 1, 'one final response saved');

  // The saved letter, shown for printing.
  await page.getByRole('button', { name: /View letter/ }).click();
  const shown = page.getByRole('dialog', { name: 'Final response' });
  await shown.waitFor();
  await shown.getByRole('article', { name: 'Final response letter' }).getByText(/RetailADR/).first().waitFor();
  await shown.getByRole('button', { name: 'Print letter' }).waitFor();
  await h.expectAccessible(page, 'the saved final response');
  await h.screenshot(page, 'dialog-final-response');
  await page.emulateMedia({ media: 'print' });
  await h.screenshot(page, 'final-response-print');
  await page.emulateMedia({ media: 'screen' });
  await shown.getByRole('button', { name: 'Close letter' }).click();

  // The server's printable page too.
  const printable = await page.evaluate(async (id) => {
    const r = await fetch(`/api/v1/cases/${id}/final-response?format=html`);
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  }, c.id);
  assert.equal(printable.status, 200);
  assert.match(printable.type, /text\/html/);
  assert.ok(printable.text.includes(c.reference));
});

test('every case dialog passes axe', async () => {
  const page = await pageOf('agent');
  const c = day.cases.london;
  await page.goto(`${server.url}/cases/${c.id}`);
  await caseShown(page, c);
  const seen = [];
  for (const [button, dialog, shot] of [
    ['Acknowledge', 'Acknowledge the case', null],
    ['Assign', 'Assign the case', 'dialog-assign'],
    ['Add note', 'Add a note', 'dialog-note'],
    ['Wait for customer', 'Wait for the customer', null],
    ['Escalate', 'Escalate the case', 'dialog-escalate'],
  ]) {
    if (!(await page.getByRole('button', { name: button, exact: true }).count())) continue;
    const d = await dialogFrom(page, button, dialog, shot);
    await page.keyboard.press('Escape');
    await d.waitFor({ state: 'detached' });
    seen.push(button);
  }
  assert.ok(seen.length >= 3, `the case offered its actions: ${seen}`);
});

test('a store manager sees only their store, in the queue and by a direct address', async () => {
  const page = await pageOf('storeManager');
  await openQueue(page);
  await queueLink(page, day.cases.store).waitFor();
  const stores = await page.locator('main table tbody tr td[data-label="Store"]').allTextContents();
  assert.ok(stores.length > 0);
  assert.deepEqual([...new Set(stores.map((s) => s.trim()))], ['MCR-01'], 'only MCR-01 cases');
  assert.equal(await queueLink(page, day.cases.london).count(), 0, 'no London case');
  assert.equal(await queueLink(page, day.cases.arrived).count(), 0, 'not the London call-back either');
  await h.expectAccessible(page, 'a store manager\'s queue');
  await h.screenshot(page, 'queue-store-manager');

  await page.goto(`${server.url}/cases/${day.cases.london.id}`);
  await page.getByRole('heading', { name: 'Case not found', level: 1 }).waitFor();
  await assert.rejects(
    page.getByText(day.records.london.description).waitFor({ timeout: 1000 }),
    'nothing of the London case is shown',
  );
  await h.expectAccessible(page, 'a case outside the store manager\'s scope');
});

test('admin: users and devices, with every dialog', async () => {
  const page = await pageOf('admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  await page.getByRole('cell', { name: day.users.storeManager.username, exact: true }).waitFor();
  await h.expectAccessible(page, 'the users page');
  await h.screenshot(page, 'admin-users');
  for (const [button, dialog, shot] of [
    ['Add user', 'Add a user', 'dialog-add-user'],
    [`Change role or scope of ${day.users.storeManager.username}`, `Change ${day.users.storeManager.username}`, 'dialog-change-user'],
    [`Reset password of ${day.users.storeManager.username}`, `Reset password for ${day.users.storeManager.username}`, 'dialog-reset-password'],
    [`Disable ${day.users.storeManager.username}`, `Disable ${day.users.storeManager.username}?`, 'dialog-disable-user'],
  ]) {
    const d = await dialogFrom(page, button, dialog, shot);
    await d.getByRole('button', { name: 'Cancel' }).click();
    await d.waitFor({ state: 'detached' });
  }

  await page.getByRole('link', { name: 'Devices' }).click();
  await page.getByRole('heading', { name: 'Devices', level: 1 }).waitFor();
  await page.getByText(day.devices.london.deviceId).first().waitFor();
  await h.expectAccessible(page, 'the devices page');
  await h.screenshot(page, 'admin-devices');

  const make = await dialogFrom(page, 'New enrolment code', 'New enrolment code', 'dialog-new-enrolment-code');
  await make.getByLabel('Store').selectOption('MCR-02').catch(() => make.getByLabel('Store').fill('MCR-02'));
  await make.getByRole('button', { name: 'Make code' }).click();
  const code = page.getByRole('dialog', { name: 'Enrolment code for MCR-02' });
  await code.waitFor();
  await code.getByRole('img').first().waitFor(); // the QR code
  await h.expectAccessible(page, 'the enrolment code with its QR code');
  await h.screenshot(page, 'dialog-enrolment-code');
  await code.getByRole('button', { name: 'Done' }).click();

  const revoke = await dialogFrom(
    page,
    `Revoke Service desk (${day.devices.london.deviceId})`,
    'Revoke Service desk?',
    'dialog-revoke-device',
  );
  await revoke.getByRole('button', { name: 'Cancel' }).click();
});

test('the queue and case page at 800×1280 (a 10-inch tablet, portrait)', async () => {
  const page = await pageOf('agent', { width: 800, height: 1280 });
  await openQueue(page);
  await h.expectAccessible(page, 'the queue in portrait');
  await h.screenshot(page, 'queue-portrait');
  await page.goto(`${server.url}/cases/${day.cases.complaint.id}`);
  await caseShown(page, day.cases.complaint);
  await h.expectAccessible(page, 'a case in portrait');
  await h.screenshot(page, 'case-portrait');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling in portrait (${overflow} px too wide)`);
});

test('the dashboard: tiles, trend, league and Pareto; a bar leads to its cases; a store manager sees their store', async () => {
  // Enough answers at MCR-01 for figures (the rules' minimum is 30); too few at LON-01.
  const hoursAgo = (n) => new Date(Date.now() - n * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const scores = [[5, 10], [4, 9], [4, 8], [2, 3], [5, 9], [3, 6], [4, 10], [1, 0]];
  const mcr = Array.from({ length: 40 }, (_, i) =>
    h.feedback(day.devices.manchester, { created_at: hoursAgo(2 + i * 3), csat: scores[i % 8][0], nps: scores[i % 8][1] }));
  const lon = Array.from({ length: 5 }, (_, i) => h.feedback(day.devices.london, { created_at: hoursAgo(3 + i * 5) }));
  await h.postRecords(server, day.devices.manchester, mcr);
  await h.postRecords(server, day.devices.london, lon);

  const page = await pageOf('manager');
  await page.goto(`${server.url}/dashboard`);
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  const tiles = page.locator('.tiles');
  await tiles.waitFor();
  const nps = tiles.locator('li', { has: page.getByRole('heading', { name: 'NPS', exact: true }) });
  await nps.locator('.tile-sample').filter({ hasText: /answers/ }).waitFor();
  assert.match(await nps.locator('.tile-value').textContent(), /^[+−-]?\d+\s*±/, 'the NPS with its margin of error');
  const fcr = tiles.locator('li', { has: page.getByRole('heading', { name: 'Resolved at first contact' }) });
  assert.match(await fcr.textContent(), /Too few complaints/, 'a handful of complaints: no figure');
  await page.locator('.chart').first().waitFor();
  const league = page.getByRole('table', { name: /Stores ranked on NPS/ });
  await league.getByRole('rowheader', { name: 'MCR-01' }).waitFor();
  assert.match(await league.getByRole('row', { name: /LON-01/ }).textContent(), /Too few answers/);
  const pareto = page.getByRole('table', { name: 'Complaints by category' });
  await pareto.waitFor();
  await h.expectAccessible(page, 'the dashboard');
  await h.screenshot(page, 'dashboard', { fullPage: true });

  // The trend by week, then a Pareto bar's cases in the queue.
  await page.getByLabel('Group').selectOption('week');
  await page.waitForURL(/grain=week/);
  await page.locator('.chart').first().waitFor();
  await pareto.getByRole('link', { name: 'Cases for Faulty goods' }).click();
  await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
  await page.getByText(/from the dashboard/).waitFor();
  assert.match(page.url(), /status=all/);
  assert.match(page.url(), /category=faulty_goods/);
  await queueLink(page, day.cases.complaint).first().waitFor();  // with its follow-up, of the same reference

  const store = await pageOf('storeManager');
  await store.goto(`${server.url}/dashboard`);
  const own = store.getByRole('table', { name: /Stores ranked on/ });
  await own.getByRole('rowheader', { name: 'MCR-01' }).waitFor();
  assert.equal(await own.getByRole('rowheader', { name: 'LON-01' }).count(), 0, 'no London row for MCR-01\'s manager');
  await h.expectAccessible(store, 'a store manager\'s dashboard');
});

test('the dashboard: what customers said, the staff view, devices, the digest and the downloads; an agent sees no staff figures', async () => {
  // A detractor who typed their number into the comment, and a London tablet with a queue and an error.
  const recent = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  await h.postRecords(server, day.devices.manchester, [
    h.feedback(day.devices.manchester, { created_at: recent, nps: 2, csat: 1, comment: 'Waited 20 minutes at the till. Ring me on 07700 900123.' }),
  ]);
  const beat = await h.apiJson(server, 'POST', '/api/v1/devices/heartbeat', {
    token: day.devices.london.token,
    body: { queue_length: 12, oldest_pending_age_s: 5400, app_version: '1.4.0', last_error: 'could not reach the server (timed out)' },
  });
  assert.equal(beat.status, 204, beat.text);
  // The digest needs an email address, which an admin gives.
  const given = await h.apiJson(server, 'PATCH', `/api/v1/users/${day.users.manager.username}`, {
    token: day.tokens.admin,
    body: { email: 'mo@example.co.uk' },
  });
  assert.equal(given.status, 200, given.text);

  const page = await pageOf('manager');
  await page.goto(`${server.url}/dashboard`);
  const said = page.locator('section', { has: page.getByRole('heading', { name: 'What customers said' }) });
  await said.getByText(/Waited 20 minutes at the till/).waitFor();
  assert.doesNotMatch(await said.textContent(), /07700/, 'a number typed into a comment is not shown');
  assert.match(await said.textContent(), /\[number removed\]/);
  const firstPage = await said.getByRole('listitem').count();
  await said.getByRole('button', { name: 'Show older comments' }).click();
  await said.getByRole('listitem').nth(firstPage).waitFor();  // older ones below, the first page kept
  await said.getByLabel('Detractors only (likely to recommend 0 to 6)').check();
  await said.getByText(/\((promoter|passive)\)/).first().waitFor({ state: 'detached' });
  await said.getByText(/Waited 20 minutes/).waitFor();
  const shown = await said.getByRole('listitem').count();
  assert.ok(shown > 0);
  assert.equal(await said.getByText('Detractor', { exact: true }).count(), shown, 'each one a detractor, said in words');

  const staff = page.getByRole('table', { name: /Complaints each staff member logged/ });
  await staff.waitFor();
  assert.equal(await staff.getByRole('columnheader', { name: /rank/i }).count(), 0, 'not a league: no ranks');
  assert.match(await staff.textContent(), /Too few for a share/, 'small samples are flagged in words');

  const devices = page.locator('section', { has: page.getByRole('heading', { name: 'Devices at a glance' }) });
  await devices.getByText(/Service desk \(LON-01\)/).first().waitFor();
  assert.match(await devices.textContent(), /12 waiting to send, oldest 1 h 30 min/);
  assert.match(await devices.textContent(), /could not reach the server/);
  await devices.getByRole('link', { name: 'All devices' }).waitFor();

  const digest = page.getByRole('form', { name: 'Email digest' });
  await digest.getByText('It goes to mo@example.co.uk.').waitFor();
  await digest.getByLabel('Weekly, after each Monday to Sunday week').check();
  await digest.getByRole('button', { name: 'Save' }).click();
  await digest.getByText('Saved: the weekly digest.').waitFor();
  const me = await h.apiJson(server, 'GET', '/api/v1/me', { token: await h.bearer(server, day.users.manager) });
  assert.equal(me.json.digest, 'weekly');

  const cases = page.getByRole('link', { name: 'Download the cases raised in this period (CSV)' });
  const csv = await page.request.get(new URL(await cases.getAttribute('href'), server.url).href);
  assert.equal(csv.status(), 200);
  const text = await csv.text();
  assert.match(text, /^\uFEFF?id,type,status,store_id,/);
  assert.doesNotMatch(text, /ffion@|07700/, 'no contact details in the cases CSV');
  await page.getByRole('link', { name: 'Download the records for this period (CSV)' }).waitFor();
  await page.getByRole('link', { name: /Printable report for last week/ }).waitFor();

  await h.expectAccessible(page, 'the dashboard\'s lower sections');
  await h.screenshot(page, 'dashboard-more', { fullPage: true });

  // A 10-inch tablet held upright.
  const tablet = await pageOf('manager', { width: 800, height: 1280 });
  await tablet.goto(`${server.url}/dashboard`);
  await tablet.getByRole('table', { name: /Complaints each staff member logged/ }).waitFor();
  await tablet.getByText(/Waited 20 minutes at the till/).waitFor();
  await h.expectAccessible(tablet, 'the dashboard in portrait');
  await h.screenshot(tablet, 'dashboard-portrait', { fullPage: true });
  const overflow = await tablet.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling in portrait (${overflow} px too wide)`);

  const agent = await pageOf('agent');
  await agent.goto(`${server.url}/dashboard`);
  await agent.getByRole('heading', { name: 'What customers said' }).waitFor();
  await agent.getByRole('heading', { name: 'Devices at a glance' }).waitFor();
  assert.equal(await agent.getByRole('heading', { name: /^Staff/ }).count(), 0, 'an agent sees no staff figures');
  assert.equal(await agent.getByRole('link', { name: /CSV/ }).count(), 0, 'nor the downloads an agent may not make');
});

test('each page needs at most 150 KB of JS and CSS, gzipped', async () => {
  const targets = [
    ['sign-in', null, '/sign-in', (p) => p.getByRole('button', { name: 'Sign in' }).waitFor()],
    ['queue', 'agent', '/', (p) => p.locator('main table tbody tr').first().waitFor()],
    ['case', 'agent', `/cases/${day.cases.complaint.id}`, (p) => caseShown(p, day.cases.complaint)],
    ['users', 'admin', '/admin/users', (p) => p.getByRole('heading', { name: 'Users', level: 1 }).waitFor()],
    ['devices', 'admin', '/admin/devices', (p) => p.getByRole('heading', { name: 'Devices', level: 1 }).waitFor()],
    ['dashboard', 'manager', '/dashboard', (p) => p.locator('.tiles').waitFor()],
  ];
  const lines = [];
  for (const [name, role, path, ready] of targets) {
    // A new context: an empty cache, so every file the page needs is fetched.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    if (role) await context.addCookies(await pageOf(role).then((p) => p.context().cookies()));
    const page = await context.newPage();
    const bodies = [];
    page.on('response', (res) => {
      const type = res.request().resourceType();
      if (type === 'script' || type === 'stylesheet') bodies.push(res.body().then((b) => ({ url: res.url(), b })));
    });
    await page.goto(server.url + path);
    await ready(page);
    await page.waitForLoadState('networkidle');
    const files = await Promise.all(bodies);
    const raw = files.reduce((n, f) => n + f.b.length, 0);
    const gz = files.reduce((n, f) => n + gzipSync(f.b, { level: 9 }).length, 0);
    lines.push(`${name}: ${files.length} files, ${(raw / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`);
    assert.ok(files.length > 0, `${name} loaded its scripts`);
    assert.ok(gz <= 150 * 1024, `${name} needs ${(gz / 1024).toFixed(1)} KB of JS and CSS gzipped (at most 150 KB)`);
    await context.close();
  }
  console.log(`  ${lines.join('\n  ')}`);
});

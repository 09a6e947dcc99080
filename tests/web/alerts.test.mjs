// A store alert in Chromium (issue 15): a server whose rules turn alerts on,
// a lunchtime of unhappy answers at MCR-01 posted by its till, and the store
// manager finding the alert in the queue (by its words and the Alert type),
// reading the answers behind it on the case page (no customer panel, no
// letter), and resolving it with what was found. axe-core checks each page and
// the dialog; each is photographed (HEED_SCREENSHOT_DIR).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

let server;
let browser;
let rules;
let manager;
const title = '5 of 6 answers negative in 15 minutes at Manchester Arndale';

const minutesAgo = (m) => new Date(Date.now() - m * 60000).toISOString().replace(/\.\d+Z$/, 'Z');

before(async () => {
  rules = h.rulesFile((r) => {
    r.alerts.enabled = true;
  });
  server = await h.startServer({ rules: rules.file });
  manager = h.addUser(server, h.USERS.storeManager);
  const till = await h.enrollDevice(server, 'MCR-01', 'Till 1');
  const unhappy = (m, comment) => h.feedback(till, { created_at: minutesAgo(m), csat: 1, nps: 2, comment });
  await h.postRecords(server, till, [
    unhappy(14, 'Only one till open and a long queue.'),
    unhappy(12, 'Waited ages to pay.'),
    h.feedback(till, { created_at: minutesAgo(10) }),
    unhappy(8, null),
    unhappy(6, 'Queue out of the door.'),
    unhappy(4, 'Nobody on the tills.'),
  ]);
  browser = await h.launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rules?.remove();
});

test('a store alert: found in the queue by its words, read with its answers, the store contacted, resolved with what was found', async () => {
  const page = await h.newPage(browser);
  await h.signIn(page, server, manager);
  await page.goto(`${server.url}/?type=alert`);
  await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
  assert.equal(await page.getByLabel('Type').inputValue(), 'alert');
  const link = page.getByRole('link', { name: title, exact: true });
  await link.waitFor();
  await h.expectAccessible(page, 'the queue with an alert');
  await h.screenshot(page, 'queue-alert');

  await link.click();
  await page.getByRole('heading', { level: 1, name: /Alert/ }).waitFor();
  await page.getByText(title).first().waitFor();
  const answers = page.getByRole('table', { name: 'Answers counted by the alert' });
  await answers.waitFor();
  assert.equal(await answers.locator('tbody tr').count(), 6);
  await page.getByText('Queue out of the door.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Show contact details' }).count(), 0, 'no customer panel');
  await h.expectAccessible(page, 'an alert case');
  await h.screenshot(page, 'case-alert', { fullPage: true });

  // Contact about an alert is with the store, and says so.
  await page.getByRole('button', { name: 'Log contact' }).click();
  const contact = page.getByRole('dialog', { name: 'Log a contact' });
  await contact.getByLabel('We contacted the store').waitFor();
  assert.equal(await contact.getByText(/customer/).count(), 0, 'no customer in an alert\'s contact');
  await contact.getByLabel('Reached the store').check();
  await contact.getByLabel('Summary').fill('Spoke to the duty manager: two tills down since noon.');
  await contact.getByRole('button', { name: 'Save contact' }).click();
  await contact.waitFor({ state: 'detached' });
  await page.getByText(/Contact logged. Reaching the store acknowledged the case./).first().waitFor();
  await page.getByText('Phone, to the store: reached the store').waitFor();

  await page.getByRole('button', { name: 'Resolve', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Resolve the case' });
  await dialog.waitFor();
  assert.equal(await dialog.getByText('Remedies given').count(), 0, 'no remedies for an alert');
  await h.expectAccessible(page, 'resolving an alert');
  await h.screenshot(page, 'dialog-resolve-alert');
  await dialog.getByLabel('What was found and done').fill('Two tills were down at lunch; a third was opened.');
  await dialog.getByRole('button', { name: 'Resolve case' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByText(/Case resolved/).first().waitFor();

  const token = await h.bearer(server, manager);
  const list = await h.apiJson(server, 'GET', '/api/v1/cases?type=alert&status=all', { token });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.cases.length, 1);
  const file = await h.apiJson(server, 'GET', `/api/v1/cases/${list.json.cases[0].id}`, { token });
  assert.equal(file.json.status, 'closed');
  assert.deepEqual(file.json.final_responses, []);
});

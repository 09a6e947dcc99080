// The dashboard of a chain with more stores than a page should list (issue 15):
// 24 stores in an area of their own beside the shipped five, each with a till and
// a week's worth of answers. A chain-wide manager sees the league folded to its
// best and worst 10 with the count between, unfolds and folds it again, and is
// asked to choose a store before the staff view lists anyone: one store's staff,
// not the chain's. axe-core checks the page; it is photographed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

const STORES = Array.from({ length: 24 }, (_, i) => `BIG-${String(i + 1).padStart(2, '0')}`);

let server;
let browser;
let rules;

before(async () => {
  rules = h.rulesFile((r) => {
    r.areas.midlands = { name: 'Midlands', stores: STORES };
  });
  server = await h.startServer({ rules: rules.file });
  h.addUser(server, h.USERS.manager);
  // 30 answers a store (the rules' minimum for a figure), each store's NPS its own.
  for (const [i, store] of STORES.entries()) {
    const till = await h.enrollDevice(server, store, 'Till 1');
    const answers = Array.from({ length: 30 }, (_, n) => h.feedback(till, { nps: n < i ? 3 : 10, comment: null }));
    if (store === 'BIG-03')
      answers.push(h.complaint(till, { staff_id: 'S3003' }), h.complaint(till, { staff_id: 'S3003' }));
    await h.postRecords(server, till, answers);
  }
  browser = await h.launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rules?.remove();
});

test("a chain's dashboard: the league folded to its best and worst, the staff view one store at a time", async () => {
  const page = await h.newPage(browser);
  await h.signIn(page, server, h.USERS.manager);
  await page.goto(`${server.url}/dashboard`);

  const league = page.getByRole('table', { name: /Stores ranked on NPS/ });
  await league.getByRole('rowheader', { name: 'BIG-01' }).waitFor();
  const storeRows = league.locator('tbody tr:not(.league-chain):not(.league-gap)');
  assert.equal(await storeRows.count(), 20, 'the best 10 and the worst 10');
  assert.match(await league.locator('.league-gap').textContent(), /^4 stores between$/);
  assert.match(await storeRows.first().textContent(), /^1BIG-01/, 'the best first');
  assert.match(await storeRows.last().textContent(), /^24BIG-24/, 'the worst last');
  await h.expectAccessible(page, 'the dashboard of a chain');
  await h.screenshot(page, 'dashboard-chain', { fullPage: true });

  await page.getByRole('button', { name: 'Show all 24 stores' }).click();
  await league.getByRole('rowheader', { name: 'BIG-12' }).waitFor();
  assert.equal(await storeRows.count(), 24);
  assert.equal(await league.locator('.league-gap').count(), 0);
  await page.getByRole('button', { name: 'Show the best and the worst 10 only' }).click();
  await league.getByRole('rowheader', { name: 'BIG-12' }).waitFor({ state: 'detached' });

  const staffSection = page.locator('section', { has: page.getByRole('heading', { name: /^Staff/ }) });
  await staffSection.getByText('Choose one of your 29 stores to see its staff\'s figures.').waitFor();
  assert.equal(await page.getByRole('table', { name: /Complaints each staff member logged/ }).count(), 0);
  await staffSection.getByLabel('Store').selectOption('BIG-03');
  const staff = page.getByRole('table', { name: /Complaints each staff member logged/ });
  await staff.getByRole('rowheader', { name: 'S3003' }).waitFor();
  assert.equal(await staff.locator('tbody tr').count(), 1, "that store's staff only");
  assert.match(await staff.textContent(), /BIG-03/);
  await h.expectAccessible(page, 'the staff view of one store');
});

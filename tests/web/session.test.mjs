// Sessions and the web's security, on a server with a short idle timeout:
// signing out, the idle warning and the idle sign-out in the browser, the
// server's own idle expiry (background polls do not keep a session alive),
// CSRF refused, the Content-Security-Policy and the session cookie's flags.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

// Long enough for axe to check the idle warning before the sign-out it warns of.
const IDLE_S = 10;
let server;
let browser;
let users;

before(async () => {
  server = await h.startServer({ idleTimeout: IDLE_S });
  users = { agent: h.addUser(server, h.USERS.agent), admin: h.addUser(server, h.USERS.admin) };
  browser = await h.launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A cookie session made through the API, as the sign-in page makes it.
async function cookieSession(user, headers = {}) {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ username: user.username, password: user.password, session: 'cookie' }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const body = await res.json();
  const setCookie = res.headers.get('set-cookie');
  assert.ok(setCookie, 'sign-in with session "cookie" sets a cookie');
  return { body, setCookie, cookie: setCookie.split(';')[0] };
}

const withCookie = (session, extra = {}) => ({ Cookie: session.cookie, ...extra });

test('the session cookie is HttpOnly, SameSite=Strict, Path=/, and Secure under https; no token in the body', async () => {
  const plain = await cookieSession(users.agent);
  const attrs = plain.setCookie.split(';').map((a) => a.trim().toLowerCase());
  assert.ok(plain.cookie.startsWith('heed_session='), plain.setCookie);
  assert.ok(attrs.includes('httponly'), plain.setCookie);
  assert.ok(attrs.includes('samesite=strict'), plain.setCookie);
  assert.ok(attrs.includes('path=/'), plain.setCookie);
  assert.ok(!attrs.includes('secure'), `no Secure over plain http: ${plain.setCookie}`);
  assert.equal(plain.body.token, undefined, 'the session token is not in the body');
  assert.ok(plain.body.csrf_token, 'the body carries the CSRF token');

  const https = await cookieSession(users.agent, { 'X-Forwarded-Proto': 'https' });
  const secureAttrs = https.setCookie.split(';').map((a) => a.trim().toLowerCase());
  assert.ok(secureAttrs.includes('secure'), `Secure behind an https proxy: ${https.setCookie}`);
  assert.ok(secureAttrs.includes('httponly') && secureAttrs.includes('samesite=strict'), https.setCookie);

  // And as the browser holds it.
  const page = await h.newPage(browser);
  await h.signIn(page, server, users.agent);
  const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'heed_session');
  assert.ok(cookie, 'the browser holds heed_session');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/');
  assert.equal(await page.evaluate(() => document.cookie.includes('heed_session')), false, 'scripts cannot read it');
  await page.context().close();
});

test('a state change without the CSRF token, with a wrong one, or from another origin is refused', async () => {
  const s = await cookieSession(users.admin);
  const post = (headers) =>
    fetch(`${server.url}/api/v1/enrollment-codes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...withCookie(s, headers) },
      body: JSON.stringify({ store_id: 'MCR-01' }),
    });
  for (const [what, headers] of [
    ['no X-CSRF-Token', {}],
    ['a wrong X-CSRF-Token', { 'X-CSRF-Token': 'not-the-token' }],
    ['another origin', { 'X-CSRF-Token': s.body.csrf_token, Origin: 'https://evil.example' }],
  ]) {
    const res = await post(headers);
    assert.equal(res.status, 403, `${what}: ${res.status}`);
    assert.equal((await res.json()).error, 'csrf_failed', what);
  }
  // The same request with the token is accepted: it was the CSRF check that refused.
  const ok = await post({ 'X-CSRF-Token': s.body.csrf_token });
  assert.equal(ok.status, 201, await ok.text());
  // Reads need no token.
  const me = await fetch(`${server.url}/api/v1/me`, { headers: withCookie(s) });
  assert.equal(me.status, 200);
  // Signing out is a state change too.
  const logout = await fetch(`${server.url}/api/v1/auth/logout`, { method: 'POST', headers: withCookie(s) });
  assert.equal(logout.status, 403);
});

test('every web answer carries a Content-Security-Policy without unsafe-inline, and the hardening headers', async () => {
  for (const p of ['/', '/sign-in', '/cases/1', '/src/app.js', '/src/workspace.css']) {
    const res = await fetch(server.url + p);
    assert.equal(res.status, 200, p);
    const csp = res.headers.get('content-security-policy');
    assert.ok(csp, `CSP on ${p}`);
    assert.ok(!csp.includes('unsafe-inline'), `no 'unsafe-inline' on ${p}: ${csp}`);
    assert.ok(!csp.includes('unsafe-eval'), `no 'unsafe-eval' on ${p}: ${csp}`);
    assert.match(csp, /script-src 'self'/, p);
    assert.match(csp, /default-src 'none'/, p);
    assert.match(csp, /frame-ancestors 'none'/, p);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', p);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', p);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', p);
  }
  // The served page obeys it: no inline script or style, so nothing was refused while it ran.
  const page = await h.newPage(browser);
  const refused = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  await page.goto(`${server.url}/sign-in`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.deepEqual(refused, [], 'the page needs nothing the CSP refuses');
  await page.context().close();
});

test('sign out ends the session: the sign-in page says so and the old cookie is refused', async () => {
  const page = await h.newPage(browser);
  await h.signIn(page, server, users.agent);
  const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'heed_session');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  await page.getByText('You have signed out.').waitFor();
  await h.expectAccessible(page, 'the sign-in page after signing out');
  const me = await fetch(`${server.url}/api/v1/me`, { headers: { Cookie: `heed_session=${cookie.value}` } });
  assert.equal(me.status, 401, 'the signed-out session is over on the server');
  // Back and reload do not bring the workspace back.
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  await page.context().close();
});

test('the server ends a session idle for --idle-timeout; background polls do not count as activity', async () => {
  const s = await cookieSession(users.agent);
  const started = Date.now();
  // Polls like the queue's every 2 s: they answer, but do not keep the session alive.
  while (Date.now() - started < (IDLE_S - 2) * 1000) {
    const poll = await fetch(`${server.url}/api/v1/cases?status=open`, { headers: withCookie(s, { 'X-Heed-Background': '1' }) });
    assert.equal(poll.status, 200);
    await new Promise((r) => setTimeout(r, 2000));
  }
  await new Promise((r) => setTimeout(r, (IDLE_S + 1) * 1000 - (Date.now() - started)));
  const res = await fetch(`${server.url}/api/v1/me`, { headers: withCookie(s) });
  assert.equal(res.status, 401);
  const body = await res.json();
  assert.equal(body.error, 'session_expired');
  assert.ok(body.message, 'the expiry says why');

  // Ordinary requests do keep it alive.
  const busy = await cookieSession(users.agent);
  for (let i = 0; i < 3; ++i) {
    await new Promise((r) => setTimeout(r, (IDLE_S * 1000) / 2));
    const r = await fetch(`${server.url}/api/v1/me`, { headers: withCookie(busy) });
    assert.equal(r.status, 200, `request ${i} of a busy session`);
  }
});

test('the browser warns before the idle timeout, "Stay signed in" keeps the session, and idling signs out with the reason', async () => {
  const page = await h.newPage(browser);
  await h.signIn(page, server, users.agent);
  const warning = page.getByRole('dialog', { name: 'Are you still there?' });
  await warning.waitFor({ timeout: IDLE_S * 1000 });
  await warning.getByRole('button', { name: 'Stay signed in' }).click();
  await warning.waitFor({ state: 'hidden' });
  await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
  // The warning comes back (half the timeout here); it is checked and photographed before it runs out.
  await warning.waitFor({ timeout: IDLE_S * 1000 });
  await h.expectAccessible(page, 'the idle warning');
  await h.screenshot(page, 'idle-warning');
  // Then nothing: the sign-in page says why.
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor({ timeout: (IDLE_S + 5) * 1000 });
  await page.getByText(`You were signed out after ${IDLE_S} seconds without activity.`).waitFor();
  await h.expectAccessible(page, 'the sign-in page after the idle timeout');
  await h.screenshot(page, 'sign-in-idle');
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  assert.equal(me, 401, 'the server no longer knows the session');
  await page.context().close();
});

// Who is signed in (the /me body), the CSRF token, and the client's idle timer.
// The session itself is an HttpOnly cookie: JavaScript never sees it, so a reload
// recovers the user and csrf_token from GET /api/v1/me. The idle timer mirrors the
// server's (idle_timeout_s): a minute before it runs out (half the time, when the
// timeout is under two minutes) the app shows a warning with "Stay signed in"; at
// the end it signs out and says why. The server counts only requests as activity,
// so typing or clicking that sends none is passed on by a throttled GET /me.
import { api, onActivity, setCsrfToken } from './api.js';
import { useEffect, useState } from './html.js';

const state = {
  status: 'unknown', // unknown | signed-in | signed-out
  user: null,
  idleTimeoutS: 1800,
  // Why the last session ended, shown on the sign-in page: {kind: 'idle', minutes} or
  // {kind: 'expired', message} or {kind: 'signed-out'}.
  reason: null,
  warning: null, // {deadline: ms since epoch} while the idle warning shows
};
const listeners = new Set();

function emit() {
  for (const l of listeners) l({ ...state });
}

export function getSession() {
  return { ...state };
}

/** Preact hook: the session, re-rendered on every change. */
export function useSession() {
  const [s, set] = useState(getSession);
  useEffect(() => {
    listeners.add(set);
    set(getSession());
    return () => listeners.delete(set);
  }, []);
  return s;
}

/** The signed-in user's /me body, or null. */
export function currentUser() {
  return state.user;
}

function adopt(user, csrf, idleTimeoutS) {
  state.user = user;
  state.status = 'signed-in';
  state.reason = null;
  if (csrf) setCsrfToken(csrf);
  if (typeof idleTimeoutS === 'number' && idleTimeoutS > 0) state.idleTimeoutS = idleTimeoutS;
  else if (user && typeof user.idle_timeout_s === 'number') state.idleTimeoutS = user.idle_timeout_s;
  lastActivity = Date.now();
  lastServerTouch = Date.now();
  startIdleTimer();
  emit();
}

function drop(reason) {
  state.user = null;
  state.status = 'signed-out';
  state.reason = reason || null;
  state.warning = null;
  setCsrfToken(null);
  stopIdleTimer();
  emit();
}

/** On start: is there a session cookie? Resolves to the user or null. */
export async function loadSession() {
  try {
    const me = await api('GET', '/api/v1/me');
    adopt(me, me.csrf_token, me.idle_timeout_s);
    return me;
  } catch (e) {
    if (state.status !== 'signed-out') drop(state.reason);
    if (e.status === 401) return null;
    throw e;
  }
}

/** Throws ApiError (401 invalid_credentials: wrong username or password). */
export async function signIn(username, password) {
  const r = await api('POST', '/api/v1/auth/login', { username, password, session: 'cookie' });
  adopt(r.user, r.csrf_token, r.idle_timeout_s);
  return r.user;
}

/** Ends the session on the server (best effort) and locally. */
export async function signOut(reason = { kind: 'signed-out' }) {
  stopIdleTimer();
  try {
    await api('POST', '/api/v1/auth/logout');
  } catch {
    // Already gone on the server (expired, disabled): signing out locally is enough.
  }
  drop(reason);
}

/** "30 minutes", "1 minute", "45 seconds". */
export function idleWords(seconds) {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const m = Math.round(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

// A 401 from any call: the server ended the session (idle, disabled, new password).
window.addEventListener('heed:signed-out', (e) => {
  if (state.status !== 'signed-in') return;
  const { code, message } = e.detail || {};
  if (code === 'session_expired') drop({ kind: 'idle', seconds: state.idleTimeoutS, message });
  else drop({ kind: 'expired' });
});

// ---- the idle timer -----------------------------------------------------------
let lastActivity = Date.now();
let lastServerTouch = Date.now();
let ticker = null;
let touching = false;

function warnBeforeMs() {
  const t = state.idleTimeoutS * 1000;
  return Math.min(60_000, t / 2);
}

function tick() {
  if (state.status !== 'signed-in') return;
  const now = Date.now();
  const end = lastActivity + state.idleTimeoutS * 1000;
  if (now >= end) {
    signOut({ kind: 'idle', seconds: state.idleTimeoutS });
    return;
  }
  if (now >= end - warnBeforeMs()) {
    if (!state.warning || state.warning.deadline !== end) {
      state.warning = { deadline: end };
      emit();
    }
  } else if (state.warning) {
    state.warning = null;
    emit();
  }
}

function startIdleTimer() {
  stopIdleTimer();
  ticker = setInterval(tick, 1000);
}

function stopIdleTimer() {
  if (ticker) clearInterval(ticker);
  ticker = null;
}

// A request that counts as activity reached the server (api.js reports each one that
// is not a background poll).
onActivity(() => {
  lastServerTouch = Date.now();
  if (!state.warning) lastActivity = Date.now();
});

/** The person typed or clicked: keep both timers going (while no warning shows). */
function onInput() {
  if (state.status !== 'signed-in' || state.warning) return;
  lastActivity = Date.now();
  // The server's clock only moves with requests; pass the activity on, at most once a minute.
  const gap = Math.min(60_000, (state.idleTimeoutS * 1000) / 4);
  if (!touching && Date.now() - lastServerTouch > gap) {
    touching = true;
    lastServerTouch = Date.now();
    api('GET', '/api/v1/me')
      .catch(() => {})
      .finally(() => {
        touching = false;
      });
  }
}

for (const type of ['keydown', 'pointerdown', 'wheel', 'touchstart']) {
  window.addEventListener(type, onInput, { passive: true, capture: true });
}

/** "Stay signed in": a request the server counts, and the warning goes. */
export async function staySignedIn() {
  lastActivity = Date.now();
  state.warning = null;
  emit();
  try {
    const me = await api('GET', '/api/v1/me');
    if (me && me.csrf_token) setCsrfToken(me.csrf_token);
    state.user = me;
    emit();
  } catch {
    // A 401 has already signed us out through heed:signed-out.
  }
}

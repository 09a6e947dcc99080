// The workspace's only way to the server: api(method, path, body?, {background}?).
// The session lives in an HttpOnly cookie the browser sends by itself; every request
// other than GET/HEAD carries X-CSRF-Token (the server refuses it without). Polls pass
// {background: true} so they do not count as activity for the idle timeout. Any 401
// means the session is gone: the window gets a `heed:signed-out` event and the app
// goes to the sign-in page. Errors are thrown as ApiError with the server's words.

let csrfToken = null;
let activityListener = null;

/** Set by session.js after sign-in and after /me on a reload. */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** session.js learns of every request the server counts as activity (not background). */
export function onActivity(listener) {
  activityListener = listener;
}

export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields || [];
  }

  /** The message for one field ("username", "scope" …), or null. */
  fieldMessage(field) {
    const f = this.fields.find((x) => x.field === field);
    return f ? f.message || this.message : null;
  }
}

const fallbackMessages = {
  0: 'Could not reach the server. Check the network and try again.',
  401: 'You are not signed in.',
  403: 'You are not allowed to do that.',
  404: 'Not found. It may have been removed, or be outside your stores.',
  409: 'That clashes with a change made meanwhile. Reload and try again.',
  429: 'Too many tries. Wait a moment and try again.',
};

function fallbackMessage(status) {
  if (fallbackMessages[status]) return fallbackMessages[status];
  if (status >= 500) return `The server had a problem (${status}). Try again in a moment.`;
  return `The request failed (${status}).`;
}

/** Builds "path?x=1&y=2" from an object, leaving out empty values. */
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

// GETs started before the modules that use them have run (app.js, at load):
// the page's data travels alongside /api/v1/me instead of after it.
const early = new Map();
const EARLY_FOR_MS = 10000;

/** Starts GET `path` now; the first api('GET', path) within 10 s takes its answer. */
export function prefetch(path) {
  const answer = request('GET', path, null, {});
  early.set(path, { answer, at: Date.now() });
  // A failure is not kept: after a sign-in the page must ask again, not read a 401.
  answer.catch(() => {
    if (early.get(path)?.answer === answer) early.delete(path);
  });
}

function takeEarly(method, path, options) {
  const hit = early.get(path);
  if (!hit || method.toUpperCase() !== 'GET' || options.background) return null;
  early.delete(path);
  return Date.now() - hit.at <= EARLY_FOR_MS ? hit.answer : null;
}

export async function api(method, path, body, options = {}) {
  const prefetched = takeEarly(method, path, options);
  if (prefetched) return prefetched;
  try {
    return await request(method, path, body, options);
  } catch (e) {
    // A CSRF token the server no longer knows (another tab signed in again): fetch the
    // session's current one from /me and try once more.
    if (e.status === 403 && e.code === 'csrf_failed' && !options.retried) {
      const me = await request('GET', '/api/v1/me', null, { background: true });
      if (me && me.csrf_token) {
        setCsrfToken(me.csrf_token);
        return request(method, path, body, { ...options, retried: true });
      }
    }
    throw e;
  }
}

async function request(method, path, body, { background = false } = {}) {
  const headers = { Accept: 'application/json' };
  const upper = method.toUpperCase();
  if (upper !== 'GET' && upper !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (background) headers['X-Heed-Background'] = '1';
  const init = { method: upper, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined && body !== null) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', fallbackMessage(0));
  }

  if (!background && activityListener) activityListener();
  if (response.status === 204) return null;
  let data = null;
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  if (response.ok) return data;

  const code = (data && data.error) || 'http_' + response.status;
  const message = (data && data.message) || fallbackMessage(response.status);
  const error = new ApiError(response.status, code, message, data && data.fields);
  // A wrong password is a 401 too, but it is the sign-in form's answer, not a lost session.
  if (response.status === 401 && !path.startsWith('/api/v1/auth/login')) {
    window.dispatchEvent(new CustomEvent('heed:signed-out', { detail: { code, message } }));
  }
  throw error;
}

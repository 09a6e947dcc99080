// History-API routing: the server answers every non-API path with index.html, so a
// path like /cases/12 can be reloaded or bookmarked. navigate() pushes a new entry and
// tells the app; links are real <a href> (middle-click and copy work) that navigate()
// on a plain click.
import { html, useEffect, useState } from './html.js';

const listeners = new Set();

function location() {
  return { path: window.location.pathname, search: window.location.search };
}

export function navigate(to, { replace = false } = {}) {
  const here = window.location.pathname + window.location.search;
  if (to !== here) {
    if (replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
  }
  for (const l of listeners) l(location());
}

window.addEventListener('popstate', () => {
  for (const l of listeners) l(location());
});

/** Preact hook: {path, search}, re-rendered on every navigation. */
export function useLocation() {
  const [loc, set] = useState(location);
  useEffect(() => {
    listeners.add(set);
    return () => listeners.delete(set);
  }, []);
  return loc;
}

/** Matches "/cases/:id" against a path; returns the params or null. */
export function match(pattern, path) {
  const p = pattern.split('/');
  const a = path.replace(/\/+$/, '').split('/');
  if (path === '/' && pattern === '/') return {};
  if (p.length !== a.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(a[i]);
    else if (p[i] !== a[i]) return null;
  }
  return params;
}

/** <a> that moves within the app without a page load. */
export function Link({ href, children, ...rest }) {
  const onClick = (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return html`<a href=${href} onClick=${onClick} ...${rest}>${children}</a>`;
}

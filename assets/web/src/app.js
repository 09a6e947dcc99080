// The workspace's entry point: the router (/ queue, /cases/:id, /admin/users,
// /admin/devices, /sign-in), the page shell (skip link, header with the user, their
// role, the navigation and "Sign out", the <main> landmark, the live region) and the
// idle warning. A page that needs a signed-in user is never drawn without one: the
// app asks /me first and sends a signed-out visitor to /sign-in?next=<where they were>.
import { html, render, useEffect, useRef, useState } from './html.js';
import { navigate, useLocation, match, Link } from './router.js';
import { loadSession, signOut, staySignedIn, useSession, idleWords } from './session.js';
import { Dialog, ErrorBanner, LiveRegion, Spinner, useTitle } from './ui.js';
import { roleName, scopeWords, warmFormats } from './format.js';
import { prefetch } from './api.js';
import { SignInPage } from './sign-in.js';
import { QueuePage } from './queue.js';
import { CasePage } from './case-page.js';
import { UsersPage } from './admin-users.js';
import { DevicesPage } from './admin-devices.js';

// The dashboard and uPlot load on its first visit: no other page pays for them.
function DashboardPage(props) {
  const [page, setPage] = useState(() => loadedDashboard);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (page) return;
    import('./dashboard.js')
      .then((m) => {
        loadedDashboard = m.DashboardPage;
        setPage(() => m.DashboardPage);
      })
      .catch(setError);
  }, []);
  if (error) return html`<${ErrorBanner} error=${error} onRetry=${() => window.location.reload()} />`;
  if (!page) return html`<${Spinner} label="Loading the dashboard…" />`;
  const Page = page;
  return html`<${Page} ...${props} />`;
}
let loadedDashboard = null;

const routes = [
  { pattern: '/', page: QueuePage, nav: 'queue' },
  { pattern: '/cases/:id', page: CasePage, nav: 'queue' },
  { pattern: '/dashboard', page: DashboardPage, nav: 'dashboard' },
  { pattern: '/admin/users', page: UsersPage, nav: 'users', roles: ['admin'] },
  { pattern: '/admin/devices', page: DevicesPage, nav: 'devices', roles: ['admin', 'manager'] },
];

function findRoute(path) {
  for (const r of routes) {
    const params = match(r.pattern, path);
    if (params) return { route: r, params };
  }
  return null;
}

function NotFound() {
  useTitle('Page not found');
  return html`
    <h1>Page not found</h1>
    <p>There is no page at this address. <${Link} href="/">Go to the queue</${Link}>.</p>`;
}

function NotAllowed({ what }) {
  useTitle('Not available');
  return html`
    <h1>Not available</h1>
    <p>${what} Ask an admin if you need it. <${Link} href="/">Go to the queue</${Link}>.</p>`;
}

function Header({ user, current }) {
  const items = [
    { key: 'queue', href: '/', label: 'Queue' },
    { key: 'dashboard', href: '/dashboard', label: 'Dashboard' },
  ];
  if (user.role === 'admin') items.push({ key: 'users', href: '/admin/users', label: 'Users' });
  if (user.role === 'admin' || user.role === 'manager')
    items.push({ key: 'devices', href: '/admin/devices', label: 'Devices' });
  return html`
    <header class="app-header">
      <div class="app-header-inner">
        <${Link} href="/" class="brand"><span class="brand-mark" aria-hidden="true">H</span>Heed<span class="brand-sub">head office</span></${Link}>
        <nav class="app-nav" aria-label="Main">
          <ul>
            ${items.map(
              (i) => html`<li key=${i.key}>
                <${Link} href=${i.href} class="app-nav-link" aria-current=${current === i.key ? 'page' : undefined}>${i.label}</${Link}>
              </li>`,
            )}
          </ul>
        </nav>
        <div class="app-user">
          <span class="app-user-name">${user.username}</span>
          <span class="app-user-role">${roleName(user.role)} · ${scopeWords(user.scope, user.areas)}</span>
        </div>
        <button type="button" class="button button--quiet" onClick=${() => signOut()}>Sign out</button>
      </div>
    </header>`;
}

function IdleWarning({ warning, timeoutS }) {
  useSecondTick(Boolean(warning));
  if (!warning) return null;
  const left = Math.max(0, Math.ceil((warning.deadline - Date.now()) / 1000));
  return html`
    <${Dialog} title="Are you still there?" onClose=${staySignedIn} className="dialog--narrow"
      footer=${html`
        <button type="button" class="button button--primary" onClick=${staySignedIn}>Stay signed in</button>
        <button type="button" class="button" onClick=${() => signOut()}>Sign out</button>`}>
      <p>You have not done anything for a while. For the customers' privacy you will be signed
        out after ${idleWords(timeoutS)} without activity.</p>
      <p class="idle-countdown" aria-live="off">Signing out in <strong>${left} s</strong>.</p>
    <//>`;
}

// Re-renders every second while active (the idle warning's countdown).
function useSecondTick(active) {
  const [, setN] = useState(0);
  useEffect(() => {
    if (!active) return undefined;
    const t = setInterval(() => setN((x) => x + 1), 1000);
    return () => clearInterval(t);
  }, [active]);
}

function App() {
  const session = useSession();
  const loc = useLocation();
  const mainRef = useRef(null);
  const firstPath = useRef(loc.path);
  const [loadError, setLoadError] = useState(null);

  useEffect(() => {
    loadSession().catch((e) => setLoadError(e));
  }, []);

  // Signed out (or never signed in): the sign-in page, remembering where they were.
  useEffect(() => {
    if (session.status === 'signed-out' && loc.path !== '/sign-in') {
      // After their own "Sign out" the next person starts from the queue; after a timeout
      // the same person comes back to where they were.
      const here = loc.path + loc.search;
      const own = session.reason && session.reason.kind === 'signed-out';
      navigate(here === '/' || own ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
    } else if (session.status === 'signed-in' && loc.path === '/sign-in') {
      const next = new URLSearchParams(loc.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [session.status, loc.path]);

  // After a navigation (not the first load) the focus goes to the new page's main.
  useEffect(() => {
    if (loc.path !== firstPath.current && mainRef.current) {
      firstPath.current = null;
      mainRef.current.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  }, [loc.path]);

  if (loadError && session.status !== 'signed-in') {
    return html`<main id="main" class="page page--narrow" tabindex="-1">
      <h1>Heed head office</h1>
      <${ErrorBanner} error=${loadError} onRetry=${() => window.location.reload()} />
    </main>`;
  }

  if (session.status === 'unknown') {
    return html`<main id="main" class="page" tabindex="-1"><${Spinner} /></main>`;
  }

  if (session.status !== 'signed-in' || loc.path === '/sign-in') {
    return html`
      <main id="main" class="page page--sign-in" tabindex="-1" ref=${mainRef}>
        <${SignInPage} reason=${session.reason} />
      </main>
      <${LiveRegion} />`;
  }

  const user = session.user;
  const found = findRoute(loc.path);
  let body;
  if (!found) body = html`<${NotFound} />`;
  else if (found.route.roles && !found.route.roles.includes(user.role))
    body = html`<${NotAllowed} what=${found.route.nav === 'users' ? 'Only admins manage users.' : 'Only admins and managers see devices.'} />`;
  else {
    const Page = found.route.page;
    body = html`<${Page} key=${found.route.pattern} ...${found.params} user=${user} search=${loc.search} navigate=${navigate} />`;
  }

  return html`
    <a class="skip-link" href="#main">Skip to main content</a>
    <${Header} user=${user} current=${found && found.route.nav} />
    <main id="main" class="page" tabindex="-1" ref=${mainRef}>${body}</main>
    <${LiveRegion} />
    <${IdleWarning} warning=${session.warning} timeoutS=${session.idleTimeoutS} />`;
}

// The first page's data travels with /me rather than after it: a case opened by its
// address draws in one round trip instead of two.
prefetch('/api/v1/me');
const opening = match('/cases/:id', location.pathname);
if (opening && /^\d+$/.test(opening.id)) prefetch(`/api/v1/cases/${encodeURIComponent(opening.id)}`);

render(html`<${App} />`, document.getElementById('app'));
warmFormats();

// /admin/users (admins only): the users this admin manages — add (username, role, scope
// inside the admin's own, a password set or made by the server and shown once), change
// role and scope, disable and enable, reset a password (the new one shown once). Each
// form checks what it can before sending, keeps what was typed when the server says no,
// and shows the server's words beside the field it names.
import { html, useEffect, useState } from './html.js';
import { api } from './api.js';
import { Badge, ConfirmDialog, CopyButton, Dialog, ErrorBanner, Field, Spinner, announce, fieldErrors, focusFirstError, useTitle } from './ui.js';
import { roleName, scopePhrase, scopeWords, levelWords } from './format.js';

const ROLES = [
  { value: 'agent', label: 'Agent', hint: 'works cases in their scope' },
  { value: 'manager', label: 'Manager', hint: 'works cases, assigns them, sees devices' },
  { value: 'admin', label: 'Admin', hint: 'manages users and devices; sees cases without contact details' },
];
const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;
const LABELS = { username: 'Username', role: 'Role', scope: 'Scope', password: 'Password', active: 'Status' };

/** The scopes an admin may give: their own and everything inside it. */
function scopeChoices(me) {
  const out = [];
  if (me.whole_chain || me.scope === 'chain') out.push({ value: 'chain', label: 'Whole chain' });
  for (const a of me.areas || []) out.push({ value: `area:${a.id}`, label: `Area: ${a.name || levelWords(a.id)}` });
  for (const s of me.stores || []) out.push({ value: `store:${s}`, label: `Store: ${s}` });
  if (!out.some((c) => c.value === me.scope)) out.unshift({ value: me.scope, label: scopeWords(me.scope, me.areas) });
  return out;
}

function RoleSelect({ value, onChange, error }) {
  return html`<${Field} label="Role" error=${error}>
    ${(p) => html`<select ...${p} class="select" value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
      ${ROLES.map((r) => html`<option key=${r.value} value=${r.value}>${r.label} — ${r.hint}</option>`)}
    </select>`}
  <//>`;
}

function ScopeSelect({ me, value, onChange, error }) {
  const choices = scopeChoices(me);
  return html`<${Field} label="Scope" hint="The stores this user sees and works." error=${error}>
    ${(p) => html`<select ...${p} class="select" value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
      ${choices.map((c) => html`<option key=${c.value} value=${c.value}>${c.label}</option>`)}
    </select>`}
  <//>`;
}

/** "Make a strong password" or "Set a password", with the password field for the latter. */
function PasswordChoice({ mode, setMode, password, setPassword, error, name }) {
  return html`
    <fieldset class="fieldset">
      <legend>Password</legend>
      <div class="choice-list">
        <label class="choice"><input type="radio" class="radio" name=${name} checked=${mode === 'make'}
          onChange=${() => setMode('make')} /> Make a strong password (shown once)</label>
        <label class="choice"><input type="radio" class="radio" name=${name} checked=${mode === 'set'}
          onChange=${() => setMode('set')} /> Set one myself</label>
      </div>
      ${mode === 'set' &&
      html`<${Field} label="New password" hint="At least 12 characters." error=${error}>
        ${(p) => html`<input ...${p} class="input" type="password" autocomplete="new-password" value=${password}
          onInput=${(e) => setPassword(e.currentTarget.value)} />`}
      <//>`}
    </fieldset>`;
}

function checkPassword(mode, password) {
  if (mode !== 'set') return null;
  if (password.length < 12) return 'Password must be at least 12 characters.';
  if (password.length > 1024) return 'Password must be at most 1024 characters.';
  return null;
}

/** The password the server made, shown once. */
function ShownOnce({ username, password }) {
  return html`
    <div class="secret" role="status">
      <div>
        <p class="field-label">New password for ${username}</p>
        <p class="secret-value" data-testid="shown-password">${password}</p>
        <p class="field-hint">Shown this once: give it to ${username} now. It cannot be shown again.</p>
      </div>
      <${CopyButton} text=${password} label="Copy password" />
    </div>`;
}

function AddUserDialog({ me, onClose, onAdded }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState('agent');
  const [scope, setScope] = useState(me.scope);
  const [mode, setMode] = useState('make');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState(null);

  const submit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const found = {};
    if (!username.trim()) found.username = 'Enter a username.';
    else if (!USERNAME.test(username.trim()))
      found.username = 'Username may use letters, digits and . _ @ - only (at most 64).';
    const pw = checkPassword(mode, password);
    if (pw) found.password = pw;
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length) return focusFirstError(e.currentTarget);
    setBusy(true);
    try {
      const body = { username: username.trim(), role, scope };
      if (mode === 'set') body.password = password;
      const user = await api('POST', '/api/v1/users', body);
      onAdded(user);
      announce(`User ${user.username} added.`);
      if (user.password) setMade(user);
      else onClose();
    } catch (err) {
      setErrors(fieldErrors(err, LABELS));
      setFailure(err);
      focusFirstError(form);
    } finally {
      setBusy(false);
    }
  };

  if (made) {
    return html`<${Dialog} key="added" title=${`${made.username} added`} onClose=${onClose}
        footer=${html`<button type="button" class="button button--primary" onClick=${onClose}>Done</button>`}>
      <p>${made.username} can sign in as ${roleName(made.role).toLowerCase()} for ${scopePhrase(made.scope, me.areas)}.</p>
      <${ShownOnce} username=${made.username} password=${made.password} />
    <//>`;
  }
  return html`<${Dialog} title="Add a user" onClose=${onClose}
      footer=${html`
        <button type="submit" form="add-user-form" class="button button--primary" disabled=${busy}>${busy ? 'Adding…' : 'Add user'}</button>
        <button type="button" class="button" onClick=${onClose}>Cancel</button>`}>
    <form id="add-user-form" class="form" onSubmit=${submit} noValidate>
      <${Field} label="Username" hint="Letters, digits and . _ @ - (at most 64)." error=${errors.username}>
        ${(p) => html`<input ...${p} class="input" autocomplete="off" autocapitalize="none" spellcheck=${false}
          value=${username} onInput=${(e) => setUsername(e.currentTarget.value)} />`}
      <//>
      <${RoleSelect} value=${role} onChange=${setRole} error=${errors.role} />
      <${ScopeSelect} me=${me} value=${scope} onChange=${setScope} error=${errors.scope} />
      <${PasswordChoice} name="add-password-mode" mode=${mode} setMode=${setMode} password=${password}
        setPassword=${setPassword} error=${errors.password} />
      <${ErrorBanner} error=${failure} />
    </form>
  <//>`;
}

function ChangeUserDialog({ me, user, onClose, onChanged }) {
  const [role, setRole] = useState(user.role);
  const [scope, setScope] = useState(user.scope);
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    const body = {};
    if (role !== user.role) body.role = role;
    if (scope !== user.scope) body.scope = scope;
    setFailure(null);
    setErrors({});
    if (!Object.keys(body).length) {
      setFailure('Nothing has changed: choose another role or scope, or cancel.');
      return;
    }
    setBusy(true);
    try {
      const changed = await api('PATCH', `/api/v1/users/${encodeURIComponent(user.username)}`, body);
      onChanged(changed);
      announce(`${changed.username} is now ${roleName(changed.role).toLowerCase()}, ${scopePhrase(changed.scope, me.areas)}.`);
      onClose();
    } catch (err) {
      setErrors(fieldErrors(err, LABELS));
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<${Dialog} title=${`Change ${user.username}`} onClose=${onClose}
      footer=${html`
        <button type="submit" form="change-user-form" class="button button--primary" disabled=${busy}>${busy ? 'Saving…' : 'Save changes'}</button>
        <button type="button" class="button" onClick=${onClose}>Cancel</button>`}>
    <form id="change-user-form" class="form" onSubmit=${submit} noValidate>
      <${RoleSelect} value=${role} onChange=${setRole} error=${errors.role} />
      <${ScopeSelect} me=${me} value=${scope} onChange=${setScope} error=${errors.scope} />
      <${ErrorBanner} error=${failure} />
    </form>
  <//>`;
}

function ResetPasswordDialog({ user, onClose }) {
  const [mode, setMode] = useState('make');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);

  const submit = async (e) => {
    e.preventDefault();
    const pw = checkPassword(mode, password);
    setError(pw);
    setFailure(null);
    if (pw) return focusFirstError(e.currentTarget);
    setBusy(true);
    try {
      const r = await api('POST', `/api/v1/users/${encodeURIComponent(user.username)}/reset-password`,
        mode === 'set' ? { password } : {});
      setDone(r);
      announce(`Password reset for ${user.username}.`);
    } catch (err) {
      setError(fieldErrors(err, LABELS).password || null);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return html`<${Dialog} key="done" title=${`Password reset for ${user.username}`} onClose=${onClose}
        footer=${html`<button type="button" class="button button--primary" onClick=${onClose}>Done</button>`}>
      <p>${user.username}'s sessions have ended: they sign in again with the new password.</p>
      ${done.password ? html`<${ShownOnce} username=${user.username} password=${done.password} />` : html`<p>The password you typed is set.</p>`}
    <//>`;
  }
  return html`<${Dialog} title=${`Reset password for ${user.username}`} onClose=${onClose}
      footer=${html`
        <button type="submit" form="reset-form" class="button button--primary" disabled=${busy}>${busy ? 'Resetting…' : 'Reset password'}</button>
        <button type="button" class="button" onClick=${onClose}>Cancel</button>`}>
    <form id="reset-form" class="form" onSubmit=${submit} noValidate>
      <p>This signs ${user.username} out everywhere.</p>
      <${PasswordChoice} name="reset-password-mode" mode=${mode} setMode=${setMode} password=${password}
        setPassword=${setPassword} error=${error} />
      <${ErrorBanner} error=${failure} />
    </form>
  <//>`;
}

export function UsersPage({ user: me }) {
  useTitle('Users');
  const [users, setUsers] = useState(null);
  const [error, setError] = useState(null);
  const [dialog, setDialog] = useState(null); // {kind, user}
  const [rowError, setRowError] = useState(null); // {username, error}
  const [busy, setBusy] = useState(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let gone = false;
    setError(null);
    api('GET', '/api/v1/users')
      .then((r) => !gone && setUsers(r.users))
      .catch((e) => !gone && setError(e));
    return () => {
      gone = true;
    };
  }, [attempt]);

  const replace = (u) =>
    setUsers((list) => {
      const i = list.findIndex((x) => x.username === u.username);
      const { password, sessions_ended, ...clean } = u;
      if (i < 0) return [...list, clean].sort((a, b) => a.username.localeCompare(b.username));
      const copy = list.slice();
      copy[i] = clean;
      return copy;
    });

  const setActive = async (u, active) => {
    setBusy(u.username);
    setRowError(null);
    try {
      const changed = await api('PATCH', `/api/v1/users/${encodeURIComponent(u.username)}`, { active });
      replace(changed);
      announce(`${u.username} ${active ? 'enabled' : 'disabled'}.`);
      setDialog(null);
    } catch (e) {
      if (dialog) setDialog({ ...dialog, error: e });
      else setRowError({ username: u.username, error: e });
    } finally {
      setBusy(null);
    }
  };

  const close = () => setDialog(null);
  return html`
    <div class="page-head">
      <h1>Users</h1>
      <button type="button" class="button button--primary" onClick=${() => setDialog({ kind: 'add' })}>Add user</button>
    </div>
    <p class="page-sub">The people who sign in to head office's workspace within ${scopePhrase(me.scope, me.areas)}.</p>
    <${ErrorBanner} error=${error} onRetry=${() => setAttempt((n) => n + 1)} />
    ${users === null && !error && html`<${Spinner} label="Loading users…" />`}
    ${users &&
    html`<table class="data-table section-table">
      <caption class="visually-hidden">Users</caption>
      <thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Scope</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>
        ${users.map(
          (u) => html`<tr key=${u.username} class=${u.active ? '' : 'row-muted'}>
            <td><strong>${u.username}</strong>${u.username === me.username && html`<span class="cell-sub">You</span>`}</td>
            <td>${roleName(u.role)}</td>
            <td class="nowrap">${scopeWords(u.scope, me.areas)}</td>
            <td>${u.active ? html`<${Badge} kind="ok">Active<//>` : html`<${Badge} kind="neutral">Disabled<//>`}</td>
            <td class="actions">
              <div class="button-row">
                <button type="button" class="button button--small" aria-label=${`Change role or scope of ${u.username}`}
                  onClick=${() => setDialog({ kind: 'change', user: u })}>Change</button>
                <button type="button" class="button button--small" aria-label=${`Reset password of ${u.username}`}
                  onClick=${() => setDialog({ kind: 'reset', user: u })}>Reset password</button>
                ${u.active
                  ? html`<button type="button" class="button button--small" aria-label=${`Disable ${u.username}`}
                      onClick=${() => setDialog({ kind: 'disable', user: u })}>Disable</button>`
                  : html`<button type="button" class="button button--small" aria-label=${`Enable ${u.username}`}
                      disabled=${busy === u.username} onClick=${() => setActive(u, true)}>Enable</button>`}
              </div>
              ${rowError && rowError.username === u.username && html`<${ErrorBanner} compact error=${rowError.error} />`}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>`}
    ${dialog && dialog.kind === 'add' && html`<${AddUserDialog} me=${me} onClose=${close} onAdded=${replace} />`}
    ${dialog && dialog.kind === 'change' && html`<${ChangeUserDialog} me=${me} user=${dialog.user} onClose=${close} onChanged=${replace} />`}
    ${dialog && dialog.kind === 'reset' && html`<${ResetPasswordDialog} user=${dialog.user} onClose=${close} />`}
    ${dialog && dialog.kind === 'disable' &&
    html`<${ConfirmDialog} title=${`Disable ${dialog.user.username}?`} confirmLabel="Disable user"
        busy=${busy === dialog.user.username} error=${dialog.error}
        onConfirm=${() => setActive(dialog.user, false)} onClose=${close}>
      <p>${dialog.user.username} is signed out at once and cannot sign in until enabled again. Their cases stay as they are.</p>
    <//>`}`;
}

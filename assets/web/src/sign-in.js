// The sign-in page: username and password, the server's answer in words, and why the
// last session ended when it was not the person's own "Sign out" (the idle timeout, or
// a session the server ended). What was typed stays after a failed attempt, apart
// from a wrong password, which is cleared.
import { html, useRef, useState } from './html.js';
import { signIn, idleWords } from './session.js';
import { ErrorBanner, Field, useTitle } from './ui.js';

function reasonText(reason) {
  if (!reason) return null;
  if (reason.kind === 'idle') {
    const s = reason.seconds;
    return `You were signed out after ${idleWords(s)} without activity. Sign in again to carry on.`;
  }
  if (reason.kind === 'expired') return 'Your session has ended. Sign in again to carry on.';
  if (reason.kind === 'signed-out') return 'You have signed out.';
  return null;
}

export function SignInPage({ reason }) {
  useTitle('Sign in');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  const userRef = useRef(null);
  const passRef = useRef(null);

  const submit = async (e) => {
    e.preventDefault();
    const found = {};
    if (!username.trim()) found.username = 'Enter your username.';
    if (!password) found.password = 'Enter your password.';
    setErrors(found);
    setFailure(null);
    if (found.username) return userRef.current && userRef.current.focus();
    if (found.password) return passRef.current && passRef.current.focus();
    setBusy(true);
    try {
      await signIn(username.trim(), password);
      // The app moves on to where they were going once the session says signed-in.
    } catch (err) {
      setBusy(false);
      if (err.status === 401) {
        setFailure('The username or password is not right. Check them and try again.');
        setPassword('');
        if (passRef.current) passRef.current.focus();
      } else {
        setFailure(err);
      }
    }
  };

  const note = reasonText(reason);
  return html`
    <div class="sign-in">
      <p class="sign-in-brand"><span class="brand-mark" aria-hidden="true">H</span>Heed head office</p>
      <h1>Sign in</h1>
      ${note && html`<p class="notice ${reason.kind === 'signed-out' ? 'notice--ok' : 'notice--info'}" role="status">${note}</p>`}
      <form class="form" onSubmit=${submit} noValidate>
        <${Field} label="Username" error=${errors.username}>
          ${(p) => html`<input ...${p} ref=${userRef} class="input" name="username" autocomplete="username"
            autocapitalize="none" spellcheck=${false} value=${username} onInput=${(e) => setUsername(e.currentTarget.value)} />`}
        <//>
        <${Field} label="Password" error=${errors.password}>
          ${(p) => html`<input ...${p} ref=${passRef} class="input" type="password" name="password"
            autocomplete="current-password" value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} />`}
        <//>
        <${ErrorBanner} error=${failure} />
        <button type="submit" class="button button--primary button--wide" disabled=${busy}>
          ${busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>`;
}

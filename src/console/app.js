// The console's entry: signs in (or resumes the session from the refresh cookie),
// routes on the path with the History API, and moves focus to each new view.
import { gql, isSignedIn, passkeysSupported, resume, signIn, signInWithGoogle, signInWithPasskey, signOut, verifyMfa, verifyMfaWithPasskey, whenProofNeeded, whenSessionEnds } from './api.js';
import { serviceAccountsView } from './admin.js';
import { field, h } from './dom.js';
import { showEmailCodeSignIn } from './email-code.js';
import { askForProof } from './proof-dialog.js';
import { securityView } from './security.js';
import { userView, usersView } from './users.js';
import { webhooksView } from './webhooks.js';
import { errorBox, heading, humanError, onSubmit } from './forms.js';
import { forgotPasswordView, signUpView } from './sign-up.js';
import { accountView, isAdminRole, keysView, keyView, sessionActivityView, sessionsView } from './views.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const status = document.getElementById('status');
const googleClientId = document.querySelector('meta[name=google-client-id]').content;

const routes = [
  [/^\/console\/?$/, accountView, 'Account'],
  [/^\/console\/sessions\/?$/, sessionsView, 'Sessions'],
  [/^\/console\/security\/?$/, securityView, 'Security'],
  [/^\/console\/sessions\/([^/]+)$/, sessionActivityView, 'Session activity'],
  [/^\/console\/keys\/?$/, keysView, 'API keys'],
  [/^\/console\/keys\/([^/]+)$/, keyView, 'API key'],
  [/^\/admin\/service-accounts\/?$/, serviceAccountsView, 'Service accounts'],
  [/^\/admin\/users\/?$/, usersView, 'Users'],
  [/^\/admin\/users\/([^/]+)$/, userView, 'User'],
  [/^\/admin\/webhooks\/?$/, webhooksView, 'Webhooks'],
];

/** The pages for people who are not signed in (sign-in itself is every other path). */
const publicRoutes = [
  [/^\/console\/sign-up\/?$/, () => signUpView({ done: enter }), 'Create your account'],
  [/^\/console\/forgot-password\/?$/, () => forgotPasswordView({ main, signInAgain }), 'Forgot your password'],
];

let me = null;
let renderedPath = null;

function announce(message) {
  status.textContent = '';
  // A new text node after a frame, so screen readers announce a repeated message too.
  requestAnimationFrame(() => (status.textContent = message));
}

function showPublicPage(path, focus) {
  const [, view, title] = publicRoutes.find(([pattern]) => pattern.test(path)) ?? [];
  if (!view) return showSignIn();
  document.title = `${title} · authgraph console`;
  main.replaceChildren(...view().flat().filter(Boolean));
  if (focus) main.querySelector('h1').focus();
}

/** Back to the sign-in page at /console, with a message. */
function signInAgain(message) {
  history.pushState({}, '', '/console');
  showSignIn(message);
}

async function render({ focus = true } = {}) {
  const path = location.pathname;
  if (!isSignedIn()) return showPublicPage(path, focus);
  if (publicRoutes.some(([pattern]) => pattern.test(path))) history.replaceState({}, '', '/console');
  // A message belongs to the page it was said on.
  if (renderedPath !== null && path !== renderedPath) status.textContent = '';
  renderedPath = path;
  const [pattern, view, title] = routes.find(([pattern]) => pattern.test(location.pathname)) ?? [];
  let content;
  try {
    content = view
      ? await view({ announce, me, rerender: () => render({ focus: false }), signedOut }, ...decodeURIComponent(location.pathname).match(pattern).slice(1))
      : [heading('Page not found'), h('p', {}, h('a', { href: '/console' }, 'Go to your account'))];
  } catch (error) {
    if (!isSignedIn()) return;
    content = [heading('Something went wrong'), h('p', { role: 'alert' }, humanError(error))];
  }
  document.title = `${title ?? 'Not found'} · authgraph console`;
  for (const link of nav.querySelectorAll('a')) {
    if (new URL(link.href).pathname === location.pathname) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren(...[content].flat(2).filter(Boolean));
  if (focus) main.querySelector('h1')?.focus();
}

async function loadMe() {
  const { account } = await gql('query ConsoleMe { account { username role } }');
  me = account;
  nav.hidden = false;
  for (const item of document.querySelectorAll('.nav-admin')) item.hidden = !isAdminRole(me.role);
}

function signedOut(message) {
  me = null;
  nav.hidden = true;
  announce(message);
  showSignIn(message);
}

function showSignIn(message) {
  document.title = 'Sign in · authgraph console';
  const errors = errorBox();
  const form = h(
    'form',
    { method: 'post', class: 'card narrow' },
    field('Username or e-mail', h('input', { name: 'username', autocomplete: 'username', required: true })),
    field('Password', h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('p', { class: 'hint' }, h('a', { href: '/console/forgot-password' }, 'Forgot your password?')),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'rememberMe' }), ' Keep me signed in for 30 days'),
    errors,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  onSubmit(form, errors, async (data) => {
    const challenge = await signIn(String(data.get('username')).trim(), String(data.get('password')), data.get('rememberMe') === 'on');
    await (challenge ? showSecondFactor(challenge) : enter());
  });
  main.replaceChildren(...[
    heading('Sign in'),
    message ? h('p', { class: 'notice' }, message) : null,
    form,
    passkeySection(form),
    h('p', {}, h('button', { type: 'button', onclick: () => showEmailCodeSignIn(main, { done: (challenge) => (challenge ? showSecondFactor(challenge) : enter()), back: () => showSignIn() }) }, 'E-mail me a sign-in code')),
    googleSection(),
    h('p', {}, 'No account yet? ', h('a', { href: '/console/sign-up' }, 'Create one')),
  ].filter(Boolean));
  main.querySelector('h1').focus();
}

/** The second step of a sign-in: a code from the authenticator app, or a recovery code. */
function showSecondFactor(challenge) {
  document.title = 'Second factor · authgraph console';
  const errors = errorBox();
  const code = h('input', { name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', required: true, spellcheck: 'false' });
  const form = h(
    'form',
    { method: 'post', class: 'card narrow' },
    field('Code', code, 'The six digits your authenticator app shows, or one of your recovery codes.'),
    errors,
    h('button', { type: 'submit' }, 'Verify'),
    ' ',
    h('button', { type: 'button', onclick: () => showSignIn() }, 'Start over'),
  );
  onSubmit(form, errors, async (data) => {
    try {
      await verifyMfa(challenge.challengeId, String(data.get('code')).trim());
    } catch (error) {
      code.select();
      throw error;
    }
    await enter();
  });
  const withPasskey = challenge.methods?.includes('passkey') && passkeysSupported()
    ? h('button', { type: 'button', onclick: async () => {
        errors.clear();
        try {
          await verifyMfaWithPasskey(challenge.challengeId);
        } catch (error) {
          return errors.show(error);
        }
        await enter();
      } }, 'Use a passkey')
    : null;
  main.replaceChildren(heading('Two-step sign-in'), h('p', {}, 'This account asks for a second factor as well.'), form, withPasskey ? h('p', {}, withPasskey) : null);
  main.querySelector('h1').focus();
}

/** Sign in with a passkey: the browser offers this site's passkeys, nothing is typed. */
function passkeySection(form) {
  if (!passkeysSupported()) return null;
  const errors = errorBox();
  const button = h('button', { type: 'button' }, 'Sign in with a passkey');
  button.addEventListener('click', async () => {
    errors.clear();
    button.disabled = true;
    try {
      await signInWithPasskey(form.elements.rememberMe.checked);
      await enter();
    } catch (error) {
      errors.show(error.name === 'NotAllowedError' ? new Error('No passkey was chosen, or the browser refused. Try again, or sign in with your password.') : error);
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { class: 'card narrow', 'aria-labelledby': 'passkey-title' }, h('h2', { id: 'passkey-title' }, 'Or with a passkey'), errors, button);
}

function googleSection() {
  const errors = errorBox();
  const section = h('section', { class: 'card narrow', 'aria-labelledby': 'google-title' }, h('h2', { id: 'google-title' }, 'Or with Google'));
  if (!googleClientId) {
    const note = h('p', { id: 'google-note', class: 'hint', role: 'status' });
    const explain = () => {
      note.textContent = 'Google sign-in is not configured on this server. An operator turns it on by starting the server with OIDC_CLIENT_ID set to an OAuth client id (see “Sign in with Google” in the README).';
    };
    section.append(h('button', { type: 'button', 'aria-describedby': 'google-note', onclick: explain }, 'Sign in with Google'), note);
    return section;
  }
  const target = h('div', { class: 'google-button' });
  section.append(target, errors);
  const start = () => {
    google.accounts.id.initialize({
      client_id: googleClientId,
      callback: async ({ credential }) => {
        errors.clear();
        try {
          const challenge = await signInWithGoogle(credential);
          await (challenge ? showSecondFactor(challenge) : enter());
        } catch (error) {
          errors.show(error);
        }
      },
    });
    google.accounts.id.renderButton(target, { type: 'standard', text: 'signin_with' });
  };
  if (globalThis.google?.accounts) start();
  else {
    const script = h('script', { src: 'https://accounts.google.com/gsi/client', async: true });
    script.addEventListener('load', start);
    script.addEventListener('error', () => errors.show(new Error('Google sign-in could not be loaded. Sign in with your password.')));
    document.head.append(script);
  }
  return section;
}

async function enter(message) {
  await loadMe();
  if (location.pathname !== '/console' && !routes.some(([pattern]) => pattern.test(location.pathname))) history.replaceState({}, '', '/console');
  announce(typeof message === 'string' ? message : `Signed in as ${me.username}.`);
  await render();
}

document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin || ![...routes, ...publicRoutes].some(([pattern]) => pattern.test(url.pathname))) return;
  event.preventDefault();
  if (url.pathname !== location.pathname) history.pushState({}, '', url);
  render();
});
window.addEventListener('popstate', () => render());

document.getElementById('sign-out').addEventListener('click', async () => {
  await signOut().catch(() => {});
  signedOut('You are signed out.');
});
whenSessionEnds(signedOut);
whenProofNeeded(askForProof);

try {
  if (await resume()) await loadMe();
} catch (error) {
  announce(humanError(error));
}
await render({ focus: false });

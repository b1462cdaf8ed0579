// The console's entry: resumes the session from the refresh cookie (or shows sign-in), routes on
// the path with the History API, and renders the page with Preact.
import { AccountPage } from './account.js';
import { gql, isAdminRole, isSignedIn, resume, signOut, whenProofNeeded, whenSessionEnds } from './api.js';
import { humanError, t } from './i18n.js';
import { KeyPage, KeysPage } from './keys.js';
import { html, render, useEffect, useErrorBoundary, useRef, useState } from './preact.js';
import { ProofDialog } from './proof-dialog.js';
import { SecurityPage } from './security.js';
import { ServiceAccountsPage } from './service-accounts.js';
import { SessionActivityPage, SessionsPage } from './sessions.js';
import { SignIn } from './sign-in.js';
import { ForgotPassword, SignUp } from './sign-up.js';
import { Heading, whenLoaded } from './ui.js';
import { UserPage, UsersPage } from './users.js';
import { WebhooksPage } from './webhooks.js';

/** The signed-in pages: a pattern, the page's component, and its title's catalogue key. */
const routes = [
  [/^\/console\/?$/, AccountPage, 'nav.account'],
  [/^\/console\/sessions\/?$/, SessionsPage, 'nav.sessions'],
  [/^\/console\/security\/?$/, SecurityPage, 'nav.security'],
  [/^\/console\/sessions\/([^/]+)$/, SessionActivityPage, 'title.sessionActivity'],
  [/^\/console\/keys\/?$/, KeysPage, 'nav.keys'],
  [/^\/console\/keys\/([^/]+)$/, KeyPage, 'title.key'],
  [/^\/admin\/service-accounts\/?$/, ServiceAccountsPage, 'nav.serviceAccounts'],
  [/^\/admin\/users\/?$/, UsersPage, 'nav.users'],
  [/^\/admin\/users\/([^/]+)$/, UserPage, 'title.user'],
  [/^\/admin\/webhooks\/?$/, WebhooksPage, 'nav.webhooks'],
];

/** The pages for people who are not signed in (sign-in itself is every other path). */
const publicRoutes = [
  [/^\/console\/sign-up\/?$/, 'sign-up', 'signUp.title'],
  [/^\/console\/forgot-password\/?$/, 'forgot-password', 'forgot.pageTitle'],
];

const navigation = [
  ['/console', 'nav.account'],
  ['/console/sessions', 'nav.sessions'],
  ['/console/keys', 'nav.keys'],
  ['/console/security', 'nav.security'],
];
const adminNavigation = [
  ['/admin/users', 'nav.users'],
  ['/admin/service-accounts', 'nav.serviceAccounts'],
  ['/admin/webhooks', 'nav.webhooks'],
];

const isConsolePath = (path) => [...routes, ...publicRoutes].some(([pattern]) => pattern.test(path));

function App({ startingAccount, startingMessage }) {
  const [me, setMe] = useState(startingAccount);
  const [path, setPath] = useState(location.pathname);
  // Bumped to build the current page again in place (after a change it made), without moving focus.
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState(startingMessage);
  const [notice, setNotice] = useState({ message: null, count: 0 });
  // The proof a sensitive change waits for (proof-dialog.js), and how to answer it.
  const [proof, setProof] = useState(null);
  const shownPath = useRef(path);
  const whenShown = useRef([]);

  const go = (to) => {
    if (to !== location.pathname) history.pushState({}, '', to);
    // A message belongs to the page it was said on.
    if (to !== shownPath.current) setStatus('');
    shownPath.current = to;
    setPath(location.pathname);
  };
  const announce = (message) => {
    setStatus('');
    // A new text after a frame, so screen readers announce a repeated message too.
    requestAnimationFrame(() => setStatus(message));
  };
  const signedOut = (message) => {
    setMe(null);
    announce(message);
    setNotice(({ count }) => ({ message, count: count + 1 }));
  };
  const enter = async (message) => {
    const { account } = await gql('query ConsoleMe { account { username role } }');
    if (!routes.some(([pattern]) => pattern.test(location.pathname)) || publicRoutes.some(([pattern]) => pattern.test(location.pathname))) {
      history.replaceState({}, '', '/console');
    }
    setPath(location.pathname);
    setMe(account);
    setNotice(({ count }) => ({ message: null, count }));
    announce(typeof message === 'string' ? message : t('signIn.signedInAs', { username: account.username }));
  };
  const signInAgain = (message) => {
    go('/console');
    setNotice(({ count }) => ({ message, count: count + 1 }));
  };

  // A rerender's promise settles once the page has loaded its data again and shows it.
  const shown = () => whenShown.current.splice(0).forEach((resolve) => resolve());
  useEffect(() => {
    whenLoaded(shown);
    let proofs = 0;
    whenProofNeeded((refusal) => new Promise((resolve) => setProof({ refusal, resolve, id: ++proofs })));
    whenSessionEnds(signedOut);
    const onClick = (event) => {
      const link = event.target.closest?.('a[href]');
      if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const url = new URL(link.href);
      if (url.origin !== location.origin || !isConsolePath(url.pathname)) return;
      event.preventDefault();
      go(url.pathname);
      // The same link again builds the page again, as a reload would.
      setVersion((count) => count + 1);
    };
    const onPopState = () => go(location.pathname);
    document.addEventListener('click', onClick);
    window.addEventListener('popstate', onPopState);
    return () => {
      document.removeEventListener('click', onClick);
      window.removeEventListener('popstate', onPopState);
    };
  }, []);

  let page;
  if (!me) {
    const [, name, title] = publicRoutes.find(([pattern]) => pattern.test(path)) ?? [];
    document.title = t('title.page', { page: t(title ?? 'signIn.title') });
    if (name === 'sign-up') page = html`<${SignUp} enter=${enter} />`;
    else if (name === 'forgot-password') page = html`<${ForgotPassword} signInAgain=${signInAgain} />`;
    else page = html`<${SignIn} key=${notice.count} notice=${notice.message} enter=${enter} />`;
  } else {
    const route = routes.find(([pattern]) => pattern.test(path));
    document.title = t('title.page', { page: t(route?.[2] ?? 'title.notFound') });
    // A page awaits its rerender: it may add to the page once it is built again (security.js).
    const rerender = () => new Promise((resolve) => {
      whenShown.current.push(resolve);
      setVersion((count) => count + 1);
    });
    const context = { announce, go, me, rerender, signedOut };
    page = route
      ? html`<${PageFrame} key=${path} page=${route[1]} args=${decodeURIComponent(path).match(route[0]).slice(1)} context=${context} version=${version} />`
      : html`<${Heading}>${t('title.notFound')}<//><p><a href="/console">${t('notFound.goToAccount')}</a></p>`;
  }
  const links = [...navigation, ...(me && isAdminRole(me.role) ? adminNavigation : [])];
  return html`
    <a class="skip-link" href="#main">${t('nav.skip')}</a>
    <header class="top">
      <p class="brand"><a href="/console">authgraph</a></p>
      ${me && html`
        <nav aria-label=${t('nav.label')} id="nav">
          <ul>${links.map(([href, key]) => html`<li><a href=${href} aria-current=${href === path ? 'page' : undefined}>${t(key)}</a></li>`)}</ul>
          <button type="button" id="sign-out" onClick=${async () => {
            await signOut().catch(() => {});
            signedOut(t('signOut.done'));
          }}>${t('nav.signOut')}</button>
        </nav>`}
    </header>
    <div id="status" role="status" aria-live="polite" class="status">${status}</div>
    <main id="main" tabindex="-1">${page}</main>
    ${proof && html`<${ProofDialog} key=${proof.id} refusal=${proof.refusal} settle=${(proven) => {
      setProof(null);
      proof.resolve(proven);
    }} />`}`;
}

/** A signed-in page, or what went wrong loading it. */
function PageFrame({ page: Page, ...props }) {
  const [error] = useErrorBoundary();
  if (error && isSignedIn()) return html`<${Heading}>${t('title.error')}<//><p role="alert">${humanError(error)}</p>`;
  if (error) return null;
  return html`<${Page} ...${props} />`;
}

let startingAccount = null;
let startingMessage = '';
try {
  if (await resume()) ({ account: startingAccount } = await gql('query ConsoleMe { account { username role } }'));
} catch (error) {
  startingMessage = humanError(error);
}
const root = document.getElementById('console');
root.replaceChildren();
render(html`<${App} startingAccount=${startingAccount} startingMessage=${startingMessage} />`, root);

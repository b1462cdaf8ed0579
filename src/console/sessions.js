// The sessions page (where the account is signed in, current one marked, revoke one or all
// others) and a credential's activity log, which the session and key pages show.
import { gql } from './api.js';
import { t } from './i18n.js';
import { html, useState } from './preact.js';
import { DataTable, ErrorText, Heading, Pager, Time, useCursors, useLoaded } from './ui.js';

const pageSize = 10;

export function SessionsPage({ context: { announce, rerender, signedOut }, version }) {
  const { value } = useLoaded(() => gql('query ConsoleSessions { sessions { id name device createdAt lastUsedAt expiresAt current } }'), [version]);
  const [error, setError] = useState(null);
  if (!value) return html`<p>${t('loading')}</p>`;
  const { sessions } = value;
  const revoke = async (session) => {
    const question = session.current ? t('sessions.revokeCurrent') : t('sessions.revokeOne', { device: session.device, name: session.name });
    if (!confirm(question)) return;
    setError(null);
    try {
      await gql('mutation ConsoleRevokeSession($id: ID!) { revokeSession(id: $id) { id } }', { id: session.id });
    } catch (refusal) {
      return setError(refusal);
    }
    if (session.current) return signedOut(t('sessions.revokedCurrent'));
    announce(t('sessions.revoked', { name: session.name }));
    await rerender();
  };
  const revokeOthers = async () => {
    if (!confirm(t('sessions.revokeOthersQuestion'))) return;
    const { revokeOtherSessions: count } = await gql('mutation ConsoleRevokeOthers { revokeOtherSessions }');
    announce(t(count === 1 ? 'sessions.revokedOther' : 'sessions.revokedOthers', { count }));
    await rerender();
  };
  const columns = [t('sessions.client'), t('sessions.signedIn'), t('sessions.lastUsed'), t('sessions.expires'), t('sessions.actions')];
  const rows = sessions.map((session) => {
    const named = `${session.device} ${session.name}${session.current ? ` (${t('sessions.thisSession')})` : ''}`;
    return [
      // One block, so that narrow screens keep it in the value column beside the cell's label.
      html`<div>${session.device}${session.current && html`<span class="badge"> ${t('sessions.thisSession')}</span>`}<div class="hint mono">${session.name}</div></div>`,
      html`<${Time} iso=${session.createdAt} />`,
      html`<${Time} iso=${session.lastUsedAt} />`,
      html`<${Time} iso=${session.expiresAt} />`,
      html`<div class="actions">
        <a href=${`/console/sessions/${encodeURIComponent(session.id)}`} aria-label=${t('sessions.activityOf', { session: named })}>${t('sessions.activity')}</a>
        <button type="button" class="danger" aria-label=${t('sessions.revokeLabel', { session: named })} onClick=${() => revoke(session)}>${t('sessions.revoke')}</button>
      </div>`,
    ];
  });
  return html`
    <${Heading}>${t('nav.sessions')}<//>
    <p>${t('sessions.intro')}</p>
    <${ErrorText} error=${error} />
    <${DataTable} caption=${t('sessions.caption')} columns=${columns} rows=${rows} />
    ${sessions.length > 1 && html`<button type="button" onClick=${revokeOthers}>${t('sessions.revokeOthers')}</button>`}`;
}

export const SessionActivityPage = ({ args: [sessionId] }) => html`
  <${ActivityLog} tokenId=${sessionId} header=${html`
    <${Heading}>${t('title.sessionActivity')}<//>
    <p><a href="/console/sessions">${t('sessions.back')}</a></p>`} />`;

/**
 * One credential's log, newest first, a page at a time (Older / Newer by cursor); `header`
 * (a page's heading) shows with the first page, as every page shows its heading with its content.
 */
export function ActivityLog({ tokenId, header = null }) {
  const { cursors, after, page, previous, next } = useCursors();
  const { value } = useLoaded(async () => {
    const { tokenLog } = await gql(
      'query ConsoleTokenLog($tokenId: ID!, $first: Int, $after: String) { tokenLog(tokenId: $tokenId, first: $first, after: $after) { nodes { id at action outcome operation ip userAgent } pageInfo { endCursor hasNextPage } } }',
      { tokenId, first: pageSize, after },
    );
    return { ...tokenLog, page };
  }, [tokenId, cursors]);
  if (!value) return header && html`<p>${t('loading')}</p>`;
  const columns = [t('activity.when'), t('activity.event'), t('activity.outcome'), t('activity.operation'), t('activity.ip'), t('activity.client')];
  return html`
    ${header}
    <section aria-labelledby="activity-title" class="activity">
      <h2 id="activity-title">${t('activity.title')}</h2>
      ${value.nodes.length === 0
        ? html`<p>${t('activity.none')}</p>`
        : html`<${DataTable}
            caption=${t('activity.caption', { page: value.page })}
            columns=${columns}
            rows=${value.nodes.map((event) => [html`<${Time} iso=${event.at} />`, event.action, event.outcome, event.operation ?? '—', event.ip ?? '—', event.userAgent ?? '—'])}
          />`}
      <${Pager}
        label=${t('activity.pages')}
        shown=${value}
        previous=${previous}
        next=${next}
        previousLabel=${t('activity.newer')}
        nextLabel=${t('activity.older')}
      />
    </section>`;
}

// Second factors: authenticator apps (TOTP) added with a QR code and confirmed with their first
// code, removed one by one, and the recovery codes for when the phone is lost. Passkeys: added
// on this device, renamed, removed (not the account's last way to sign in).
import { gql, passkeysSupported, registerPasskey } from './api.js';
import { t } from './i18n.js';
import { html, useLayoutEffect, useRef, useState } from './preact.js';
import { DataTable, ErrorText, Field, Heading, Time, useAction, useLoaded } from './ui.js';

const factorFields = 'id name kind confirmed createdAt';

/** A heading that takes the focus when it appears: the panel it opens is what to read next. */
function FocusedTitle({ children }) {
  const ref = useRef(null);
  useLayoutEffect(() => ref.current.focus(), []);
  return html`<h2 tabindex="-1" ref=${ref}>${children}</h2>`;
}

/** The recovery codes, once: a warning, the list, and a copy button. */
function RecoveryCodes({ codes, announce }) {
  const copy = async () => {
    await navigator.clipboard.writeText(codes.join('\n'));
    announce(t('recovery.copied'));
  };
  return html`
    <section class="once" aria-label=${t('recovery.label')}>
      <${FocusedTitle}>${t('recovery.saveTitle')}<//>
      <p class="warning">${t('recovery.onlyOnce')}</p>
      <ol class="codes mono">${codes.map((code) => html`<li>${code}</li>`)}</ol>
      <button type="button" onClick=${copy}>${t('recovery.copy')}</button>
    </section>`;
}

/** The steps after enrollTotp: scan (or type) the secret, then confirm with the app's first code. */
function ConfirmApp({ enrollment, confirmed, announce }) {
  const { error, busy, onSubmit } = useAction(async (data) => {
    const { confirmTotp } = await gql(
      `mutation ConsoleConfirmTotp($factorId: ID!, $code: String!) { confirmTotp(factorId: $factorId, code: $code) { factor { ${factorFields} } recoveryCodes } }`,
      { factorId: enrollment.factor.id, code: String(data.get('code')).trim() },
    );
    announce(t('mfa.on', { name: confirmTotp.factor.name }));
    await confirmed(confirmTotp.recoveryCodes);
  });
  const { name } = enrollment.factor;
  return html`
    <section class="card" aria-label=${t('mfa.newApp')}>
      <${FocusedTitle}>${t('mfa.setUp', { name })}<//>
      <p>${t('mfa.scan')}</p>
      <img src=${enrollment.qrCode} alt=${t('mfa.qrAlt', { name })} class="qr" width="200" height="200" />
      <${Field} label=${t('mfa.key')} hint=${t('mfa.keyHint')} type="text" readonly value=${enrollment.secret} class="mono" spellcheck="false" autocomplete="off" />
      <form method="post" onSubmit=${onSubmit}>
        <${Field} label=${t('mfa.codeFromApp')} hint=${t('mfa.codeFromAppHint')} name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required />
        <${ErrorText} error=${error} />
        <button type="submit" disabled=${busy}>${t('mfa.confirm')}</button>
      </form>
    </section>`;
}

/** The account's passkeys, and a form that adds one made on this device. */
function Passkeys({ passkeys, announce, rerender, act }) {
  const { error, busy, onSubmit } = useAction(async (data) => {
    const passkey = await registerPasskey(String(data.get('name')).trim() || null);
    announce(t('passkeys.added', { name: passkey.name }));
    await rerender();
  });
  const rename = (passkey) => act(async () => {
    const name = prompt(t('passkeys.newName', { name: passkey.name }), passkey.name)?.trim();
    if (!name || name === passkey.name) return null;
    await gql('mutation ConsoleRenamePasskey($id: ID!, $name: String!) { renamePasskey(id: $id, name: $name) { id } }', { id: passkey.id, name });
    return t('passkeys.renamed');
  });
  const remove = (passkey) => act(async () => {
    if (!confirm(t('passkeys.removeQuestion', { name: passkey.name }))) return null;
    await gql('mutation ConsoleRemovePasskey($id: ID!) { removePasskey(id: $id) }', { id: passkey.id });
    return t('passkeys.removed', { name: passkey.name });
  });
  return html`
    <section class="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">${t('passkeys.title')}</h2>
      <p>${t('passkeys.what')}</p>
      ${passkeys.length === 0
        ? html`<p class="hint">${t('passkeys.none')}</p>`
        : html`<${DataTable}
            caption=${t('passkeys.caption')}
            columns=${[t('field.name'), t('passkeys.addedColumn'), t('sessions.lastUsed'), t('sessions.actions')]}
            rows=${passkeys.map((passkey) => [
              html`<div>${passkey.name}<div class="hint">${t(passkey.deviceType === 'multiDevice' ? 'passkeys.synced' : 'passkeys.deviceBound')}</div></div>`,
              html`<${Time} iso=${passkey.createdAt} />`,
              html`<${Time} iso=${passkey.lastUsedAt} />`,
              html`<div>
                <button type="button" aria-label=${t('passkeys.renameLabel', { name: passkey.name })} onClick=${rename(passkey)}>${t('passkeys.rename')}</button>${' '}
                <button type="button" class="danger" aria-label=${t('passkeys.removeLabel', { name: passkey.name })} onClick=${remove(passkey)}>${t('passkeys.remove')}</button>
              </div>`,
            ])}
          />`}
      ${passkeysSupported()
        ? html`
          <form method="post" onSubmit=${onSubmit}>
            <${Field} label=${t('passkeys.label')} hint=${t('passkeys.labelHint')} name="name" maxlength="64" autocomplete="off" placeholder="Passkey" />
            <${ErrorText} error=${error} />
            <button type="submit" disabled=${busy}>${t('passkeys.add')}</button>
          </form>`
        : html`<p class="hint">${t('passkeys.unsupported')}</p>`}
    </section>`;
}

export function SecurityPage({ context: { announce, rerender }, version }) {
  const { value } = useLoaded(
    () => gql(`query ConsoleSecurity { account { mfaEnabled mfaFactors { ${factorFields} } passkeys { id name deviceType createdAt lastUsedAt } } }`),
    [version],
  );
  const [enrollment, setEnrollment] = useState(null);
  const [codes, setCodes] = useState(null);
  const page = useAction();
  const add = useAction(async (data) => {
    const { enrollTotp } = await gql(
      `mutation ConsoleEnrollTotp($name: String) { enrollTotp(name: $name) { secret uri qrCode factor { ${factorFields} } } }`,
      { name: String(data.get('name')).trim() || null },
    );
    setEnrollment(enrollTotp);
  });
  /** After a change that made recovery codes: the page anew, with the codes above it. */
  const showCodes = async (recoveryCodes) => {
    await rerender();
    setEnrollment(null);
    setCodes(recoveryCodes);
  };
  /** Runs an action that answers what to announce (null: nothing happened), its error shown on the page. */
  const act = (action) => () => page.run(async () => {
    const done = await action();
    if (done === null) return;
    setCodes(null);
    announce(done);
    await rerender();
  });
  if (!value) return html`<p>${t('loading')}</p>`;
  const { account } = value;
  const remove = (factor) => act(async () => {
    const last = factor.confirmed && account.mfaFactors.filter((other) => other.confirmed).length === 1;
    if (!confirm(t(last ? 'mfa.removeLastQuestion' : 'mfa.removeQuestion', { name: factor.name }))) return null;
    await gql('mutation ConsoleRemoveFactor($id: ID!) { removeMfaFactor(id: $id) }', { id: factor.id });
    return t('mfa.removed', { name: factor.name });
  });
  const regenerate = () => page.run(async () => {
    if (!confirm(t('recovery.question'))) return;
    const { regenerateRecoveryCodes } = await gql('mutation ConsoleRecoveryCodes { regenerateRecoveryCodes }');
    announce(t('recovery.made'));
    await showCodes(regenerateRecoveryCodes);
  });
  return html`
    <${Heading}>${t('nav.security')}<//>
    ${codes && html`<${RecoveryCodes} key=${codes.join()} codes=${codes} announce=${announce} />`}
    <p>${t(account.mfaEnabled ? 'mfa.isOn' : 'mfa.isOff')}</p>
    <${ErrorText} error=${page.error} />
    ${account.mfaFactors.length > 0 && html`<${DataTable}
      caption=${t('mfa.caption')}
      columns=${[t('field.name'), t('passkeys.addedColumn'), t('key.status'), t('sessions.actions')]}
      rows=${account.mfaFactors.map((factor) => [
        html`<div>${factor.name}<div class="hint">${factor.kind === 'TOTP' ? t('mfa.app') : factor.kind}</div></div>`,
        html`<${Time} iso=${factor.createdAt} />`,
        t(factor.confirmed ? 'mfa.factorOn' : 'mfa.notConfirmed'),
        html`<button type="button" class="danger" aria-label=${t('passkeys.removeLabel', { name: factor.name })} onClick=${remove(factor)}>${t('passkeys.remove')}</button>`,
      ])}
    />`}
    ${enrollment
      ? html`<${ConfirmApp} enrollment=${enrollment} confirmed=${showCodes} announce=${announce} />`
      : html`
        <form method="post" class="card" onSubmit=${add.onSubmit}>
          <h2>${t('mfa.addTitle')}</h2>
          <${Field} label=${t('field.name')} hint=${t('mfa.nameHint')} name="name" maxlength="100" autocomplete="off" placeholder="Authenticator app" />
          <${ErrorText} error=${add.error} />
          <button type="submit" disabled=${add.busy}>${t('mfa.add')}</button>
        </form>`}
    <${Passkeys} passkeys=${account.passkeys} announce=${announce} rerender=${rerender} act=${act} />
    ${account.mfaEnabled && html`
      <section class="card" aria-labelledby="recovery-title">
        <h2 id="recovery-title">${t('recovery.title')}</h2>
        <p>${t('recovery.what')}</p>
        <button type="button" onClick=${regenerate}>${t('recovery.regenerate')}</button>
      </section>`}`;
}

// Second factors: authenticator apps (TOTP) added with a QR code and confirmed with their first
// code, removed one by one, and the recovery codes for when the phone is lost. Passkeys: added
// on this device, renamed, removed (not the account's last way to sign in).
import { gql, passkeysSupported, registerPasskey } from './api.js';
import { field, h, table, time } from './dom.js';
import { errorBox, heading, onSubmit } from './forms.js';

const factorFields = 'id name kind confirmed createdAt';

/** The recovery codes, once: a warning, the list, and a copy button. Focus moves to it. */
function recoveryCodesPanel(codes, announce) {
  const title = h('h2', { tabindex: -1 }, 'Save your recovery codes');
  const copy = async () => {
    await navigator.clipboard.writeText(codes.join('\n'));
    announce('Recovery codes copied to the clipboard.');
  };
  queueMicrotask(() => title.focus());
  return h(
    'section',
    { class: 'once', 'aria-label': 'Recovery codes' },
    title,
    h('p', { class: 'warning' }, 'This is the only time these codes are shown. Each signs you in once when your authenticator app is not at hand. Keep them somewhere safe, away from your phone.'),
    h('ol', { class: 'codes mono' }, codes.map((code) => h('li', {}, code))),
    h('button', { type: 'button', onclick: copy }, 'Copy codes'),
  );
}

/** The steps after enrolTotp: scan (or type) the secret, then confirm with the app's first code. */
function confirmPanel(enrollment, { announce, shown }) {
  const errors = errorBox();
  const title = h('h2', { tabindex: -1 }, `Set up "${enrollment.factor.name}"`);
  const code = h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', required: true });
  const form = h('form', { method: 'post' }, field('Code from the app', code, 'The six digits the app shows for this account.'), errors, h('button', { type: 'submit' }, 'Confirm'));
  onSubmit(form, errors, async (data) => {
    const { confirmTotp } = await gql(
      `mutation ConsoleConfirmTotp($factorId: ID!, $code: String!) { confirmTotp(factorId: $factorId, code: $code) { factor { ${factorFields} } recoveryCodes } }`,
      { factorId: enrollment.factor.id, code: String(data.get('code')).trim() },
    );
    announce(`"${confirmTotp.factor.name}" is on: sign-ins now ask for its code.`);
    await shown(confirmTotp.recoveryCodes);
  });
  queueMicrotask(() => title.focus());
  return h(
    'section',
    { class: 'card', 'aria-label': 'New authenticator app' },
    title,
    h('p', {}, 'Scan the QR code with an authenticator app (or type the key into it), then enter the code it shows.'),
    h('img', { src: enrollment.qrCode, alt: `QR code of the key for ${enrollment.factor.name}`, class: 'qr', width: 200, height: 200 }),
    field('Key', h('input', { type: 'text', readonly: true, value: enrollment.secret, class: 'mono', spellcheck: 'false', autocomplete: 'off' }), 'For typing into the app by hand.'),
    form,
  );
}

/** The account's passkeys, and a form that adds one made on this device. */
function passkeysSection(passkeys, { announce, rerender, pageErrors }) {
  const errors = errorBox();
  const addForm = h(
    'form',
    { method: 'post' },
    field('Passkey label', h('input', { name: 'name', maxlength: 64, autocomplete: 'off', placeholder: 'Passkey' }), 'Which device or password manager holds it, e.g. "MacBook".'),
    errors,
    h('button', { type: 'submit' }, 'Add a passkey'),
  );
  onSubmit(addForm, errors, async (data) => {
    const passkey = await registerPasskey(String(data.get('name')).trim() || null);
    announce(`Passkey "${passkey.name}" added: it signs you in without a password.`);
    await rerender();
  });
  const act = (action, done) => async () => {
    try {
      if ((await action()) === false) return;
    } catch (error) {
      return pageErrors.show(error);
    }
    announce(done);
    await rerender();
  };
  const rename = (passkey) =>
    act(async () => {
      const name = prompt(`New name for "${passkey.name}"`, passkey.name)?.trim();
      if (!name || name === passkey.name) return false;
      await gql('mutation ConsoleRenamePasskey($id: ID!, $name: String!) { renamePasskey(id: $id, name: $name) { id } }', { id: passkey.id, name });
    }, 'Passkey renamed.');
  const remove = (passkey) =>
    act(async () => {
      if (!confirm(`Remove the passkey "${passkey.name}"? It will no longer sign you in.`)) return false;
      await gql('mutation ConsoleRemovePasskey($id: ID!) { removePasskey(id: $id) }', { id: passkey.id });
    }, `Passkey "${passkey.name}" removed.`);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'passkeys-title' },
    h('h2', { id: 'passkeys-title' }, 'Passkeys'),
    h('p', {}, 'A passkey signs you in with your device’s screen lock or a security key, without a password, and counts as two factors.'),
    passkeys.length === 0
      ? h('p', { class: 'hint' }, 'No passkeys yet.')
      : table(
          'Your passkeys',
          ['Name', 'Added', 'Last used', 'Actions'],
          passkeys.map((passkey) => [
            [passkey.name, h('div', { class: 'hint' }, passkey.deviceType === 'multiDevice' ? 'synced passkey' : 'device-bound passkey')],
            time(passkey.createdAt),
            time(passkey.lastUsedAt),
            [
              h('button', { type: 'button', onclick: rename(passkey), 'aria-label': `Rename ${passkey.name}` }, 'Rename'),
              ' ',
              h('button', { type: 'button', class: 'danger', onclick: remove(passkey), 'aria-label': `Remove ${passkey.name}` }, 'Remove'),
            ],
          ]),
        ),
    passkeysSupported() ? addForm : h('p', { class: 'hint' }, 'This browser cannot make passkeys here (passkeys need https, or localhost).'),
  );
}

export async function securityView({ announce, rerender }) {
  const { account } = await gql(
    `query ConsoleSecurity { account { mfaEnabled mfaFactors { ${factorFields} } passkeys { id name deviceType createdAt lastUsedAt } } }`,
  );
  const slot = h('div');
  const errors = errorBox();
  const pageErrors = errorBox();
  /** After a change that made recovery codes: the page anew, with the codes above it. */
  const shown = async (codes) => {
    await rerender();
    if (codes) document.getElementById('security-once')?.replaceChildren(recoveryCodesPanel(codes, announce));
  };

  const addForm = h(
    'form',
    { method: 'post', class: 'card' },
    h('h2', {}, 'Add an authenticator app'),
    field('Name', h('input', { name: 'name', maxlength: 100, autocomplete: 'off', placeholder: 'Authenticator app' }), 'Which app or phone, e.g. "Pixel 8".'),
    errors,
    h('button', { type: 'submit' }, 'Add app'),
  );
  onSubmit(addForm, errors, async (data) => {
    const { enrollTotp } = await gql(
      `mutation ConsoleEnrollTotp($name: String) { enrollTotp(name: $name) { secret uri qrCode factor { ${factorFields} } } }`,
      { name: String(data.get('name')).trim() || null },
    );
    addForm.hidden = true;
    slot.replaceChildren(confirmPanel(enrollTotp, { announce, shown }));
  });

  const remove = (factor) => async () => {
    const last = account.mfaFactors.filter((other) => other.confirmed).length === 1 && factor.confirmed;
    const what = last ? `Remove "${factor.name}"? It is your last second factor: sign-ins will ask only for your password, and your recovery codes stop working.` : `Remove "${factor.name}"?`;
    if (!confirm(what)) return;
    try {
      await gql('mutation ConsoleRemoveFactor($id: ID!) { removeMfaFactor(id: $id) }', { id: factor.id });
    } catch (error) {
      return pageErrors.show(error);
    }
    announce(`"${factor.name}" removed.`);
    await rerender();
  };

  const regenerate = async () => {
    if (!confirm('Make new recovery codes? The ones you have stop working.')) return;
    try {
      const { regenerateRecoveryCodes } = await gql('mutation ConsoleRecoveryCodes { regenerateRecoveryCodes }');
      announce('New recovery codes made.');
      await shown(regenerateRecoveryCodes);
    } catch (error) {
      pageErrors.show(error);
    }
  };

  return [
    heading('Security'),
    h('div', { id: 'security-once' }),
    h('p', {}, account.mfaEnabled ? 'Two-step sign-in is on: after your password (or Google), sign-ins ask for a code from one of these apps.' : 'Two-step sign-in is off. Add an authenticator app to have sign-ins ask for its code as well.'),
    pageErrors,
    account.mfaFactors.length === 0
      ? null
      : table(
          'Your second factors',
          ['Name', 'Added', 'Status', 'Actions'],
          account.mfaFactors.map((factor) => [
            [factor.name, h('div', { class: 'hint' }, factor.kind === 'TOTP' ? 'authenticator app' : factor.kind)],
            time(factor.createdAt),
            factor.confirmed ? 'on' : 'not confirmed',
            h('button', { type: 'button', class: 'danger', onclick: remove(factor), 'aria-label': `Remove ${factor.name}` }, 'Remove'),
          ]),
        ),
    slot,
    addForm,
    passkeysSection(account.passkeys, { announce, rerender, pageErrors }),
    account.mfaEnabled
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'recovery-title' },
          h('h2', { id: 'recovery-title' }, 'Recovery codes'),
          h('p', {}, 'Single-use codes for signing in without your authenticator app. Making new ones ends the old set.'),
          h('button', { type: 'button', onclick: regenerate }, 'Make new recovery codes'),
        )
      : null,
  ];
}

// The dialog a sensitive change opens when the server wants proof first: the password again
// (REAUTHENTICATION_REQUIRED) or a code from the second factor (MFA_REQUIRED); or, for either,
// a passkey. The change is retried once the proof is accepted; Cancel leaves it refused.
import { passkeysSupported, reauthenticate, stepUp, stepUpWithPasskey } from './api.js';
import { t } from './i18n.js';
import { html, useLayoutEffect, useRef } from './preact.js';
import { ErrorText, Field, useAction } from './ui.js';

const kinds = {
  REAUTHENTICATION_REQUIRED: {
    key: 'proof.password',
    input: { type: 'password', autocomplete: 'current-password' },
    label: 'field.password',
    prove: (value) => reauthenticate(value),
  },
  MFA_REQUIRED: {
    key: 'proof.mfa',
    input: { autocomplete: 'one-time-code', inputmode: 'numeric', spellcheck: 'false' },
    label: 'field.code',
    prove: (value) => stepUp(value.trim()),
  },
};

/** The dialog for `refusal` (an error with one of the codes above); `settle(true)` once the proof is accepted. */
export function ProofDialog({ refusal, settle }) {
  const kind = kinds[refusal.code];
  const dialog = useRef(null);
  useLayoutEffect(() => {
    dialog.current.showModal();
    dialog.current.querySelector('input').focus();
  }, []);
  const close = (proven) => {
    dialog.current.close();
    settle(proven);
  };
  const { error, busy, run, onSubmit } = useAction(async (data) => {
    await kind.prove(String(data.get('proof')));
    close(true);
  });
  const withPasskey = () => run(async () => {
    await stepUpWithPasskey();
    close(true);
  });
  const onCancel = (event) => {
    event.preventDefault();
    close(false);
  };
  return html`
    <dialog aria-labelledby="proof-title" class="card narrow" ref=${dialog} onCancel=${onCancel}>
      <h2 id="proof-title">${t(`${kind.key}.title`)}</h2>
      <p>${t(`${kind.key}.text`)}</p>
      <form method="dialog" onSubmit=${onSubmit}>
        <${Field} label=${t(kind.label)} name="proof" required ...${kind.input} />
        <${ErrorText} error=${error} />
        <div class="actions">
          <button type="submit" disabled=${busy}>${t('mfa.confirm')}</button>
          ${passkeysSupported() && html`<button type="button" onClick=${withPasskey}>${t('mfa.usePasskey')}</button>`}
          <button type="button" onClick=${() => close(false)}>${t('proof.cancel')}</button>
        </div>
      </form>
    </dialog>`;
}

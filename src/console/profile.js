// Self-service on the account page: the name, the e-mail address (kept until the new one is
// proven by its code), the password, a download of everything stored, and deletion.
import { gql } from './api.js';
import { field, h, time } from './dom.js';
import { errorBox, onSubmit } from './forms.js';

/** A titled card holding one form. */
function card(id, title, ...children) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function profileSection(account, { announce }) {
  const errors = errorBox();
  const form = h(
    'form',
    { method: 'post' },
    field('Full name', h('input', { name: 'fullName', value: account.fullName ?? '', maxlength: 100, autocomplete: 'name' }), 'How mails address you; leave empty for none.'),
    errors,
    h('button', { type: 'submit' }, 'Save name'),
  );
  onSubmit(form, errors, async (data) => {
    const fullName = String(data.get('fullName')).trim() || null;
    await gql('mutation ConsoleUpdateProfile($fullName: String) { updateProfile(fullName: $fullName) { fullName } }', { fullName });
    announce('Name saved.');
  });
  return card('profile-title', 'Profile', form);
}

function emailSection(account, { announce, rerender }) {
  const errors = errorBox();
  if (account.pendingEmail) {
    const form = h(
      'form',
      { method: 'post' },
      field('Code sent to the new address', h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', required: true }), `Sent to ${account.pendingEmail}.`),
      errors,
      h('button', { type: 'submit' }, 'Confirm new address'),
      ' ',
      h('button', {
        type: 'button',
        onclick: async () => {
          try {
            await gql('mutation ConsoleCancelEmailChange { cancelEmailChange }');
          } catch (error) {
            return errors.show(error);
          }
          announce('E-mail change cancelled.');
          await rerender();
        },
      }, 'Cancel the change'),
    );
    onSubmit(form, errors, async (data) => {
      const { confirmEmailChange } = await gql('mutation ConsoleConfirmEmailChange($code: String!) { confirmEmailChange(code: $code) { email } }', {
        code: String(data.get('code')).trim(),
      });
      announce(`Your e-mail address is now ${confirmEmailChange.email}.`);
      await rerender();
    });
    return card('email-title', 'E-mail address', h('p', {}, `Your address stays ${account.email} until you enter the code sent to ${account.pendingEmail}.`), form);
  }
  const form = h(
    'form',
    { method: 'post' },
    field('New e-mail address', h('input', { name: 'newEmail', type: 'email', autocomplete: 'email', required: true }), 'A code goes to the new address; your current one is told.'),
    errors,
    h('button', { type: 'submit' }, 'Change e-mail'),
  );
  onSubmit(form, errors, async (data) => {
    const newEmail = String(data.get('newEmail')).trim();
    await gql('mutation ConsoleChangeEmail($newEmail: EmailAddress!) { changeEmail(newEmail: $newEmail) }', { newEmail });
    announce(`A code is on its way to ${newEmail}.`);
    await rerender();
  });
  return card('email-title', 'E-mail address', form);
}

function passwordSection(account, { announce, rerender }) {
  const errors = errorBox();
  const newPassword = field('New password', h('input', { name: 'newPassword', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 }), 'At least 8 characters; not a common one.');
  if (!account.hasPassword) {
    const form = h('form', { method: 'post' }, newPassword, errors, h('button', { type: 'submit' }, 'Set password'));
    onSubmit(form, errors, async (data) => {
      await gql('mutation ConsoleSetPassword($newPassword: String!) { setPassword(newPassword: $newPassword) { hasPassword } }', { newPassword: String(data.get('newPassword')) });
      announce('Password set: you can also sign in with it now.');
      await rerender();
    });
    return card('password-title', 'Password', h('p', {}, 'You sign in with Google. Set a password to sign in without it too.'), form);
  }
  const form = h(
    'form',
    { method: 'post' },
    field('Current password', h('input', { name: 'currentPassword', type: 'password', autocomplete: 'current-password', required: true })),
    newPassword,
    errors,
    h('button', { type: 'submit' }, 'Change password'),
  );
  onSubmit(form, errors, async (data) => {
    await gql('mutation ConsoleChangePassword($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) }', {
      currentPassword: String(data.get('currentPassword')),
      newPassword: String(data.get('newPassword')),
    });
    form.reset();
    announce('Password changed; your other sessions are signed out.');
  });
  return card('password-title', 'Password', form);
}

function exportSection({ announce }) {
  const errors = errorBox();
  const download = async () => {
    errors.clear();
    try {
      const { exportAccount } = await gql('mutation ConsoleExport { exportAccount }');
      const link = h('a', {
        href: URL.createObjectURL(new Blob([JSON.stringify(exportAccount, null, 2)], { type: 'application/json' })),
        download: `authgraph-account-${new Date().toISOString().slice(0, 10)}.json`,
      });
      link.click();
      URL.revokeObjectURL(link.href);
      announce('Your data was downloaded.');
    } catch (error) {
      errors.show(error);
    }
  };
  return card(
    'export-title',
    'Your data',
    h('p', {}, 'Everything stored about your account as one JSON file: profile, sign-in methods, sessions, keys (without secrets) and activity.'),
    errors,
    h('button', { type: 'button', onclick: download }, 'Download my data'),
  );
}

function deletionSection(account, { announce, rerender, signedOut }) {
  const errors = errorBox();
  if (account.deletionDueAt) {
    const keep = async () => {
      try {
        await gql('mutation ConsoleCancelDeletion { cancelAccountDeletion { deletionDueAt } }');
      } catch (error) {
        return errors.show(error);
      }
      announce('Your account is kept.');
      await rerender();
    };
    return card(
      'delete-title',
      'Delete account',
      h('p', { class: 'warning' }, 'Your account is to be deleted on ', time(account.deletionDueAt), '.'),
      errors,
      h('button', { type: 'button', onclick: keep }, 'Keep my account'),
    );
  }
  const remove = async () => {
    if (!confirm(`Delete the account ${account.username}? Every session and API key ends at once, on every device.`)) return;
    let deletion;
    try {
      ({ deleteAccount: deletion } = await gql('mutation ConsoleDeleteAccount { deleteAccount { deleted dueAt } }'));
    } catch (error) {
      return errors.show(error);
    }
    signedOut(deletion.deleted ? 'Your account is deleted.' : `Your account will be deleted on ${new Date(deletion.dueAt).toLocaleString()}. Sign in before then to keep it.`);
  };
  return card(
    'delete-title',
    'Delete account',
    h('p', {}, 'Ends every session and API key at once, then removes your account and what is stored about you.'),
    errors,
    h('button', { type: 'button', class: 'danger', onclick: remove }, 'Delete my account'),
  );
}

/** The account page's forms, for `account` as ConsoleAccount loads it. */
export function selfServiceSections(account, context) {
  return [profileSection(account, context), emailSection(account, context), passwordSection(account, context), exportSection(context), deletionSection(account, context)];
}

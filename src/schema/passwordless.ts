import { signInNonceCookie } from '../passwordless/cookie.js';
import { requestSignInLink } from '../passwordless/request.js';
import { signInWithEmailCode } from '../passwordless/sign-in.js';
import { builder } from './builder.js';
import { signInAnswer, SignInResult } from './mfa.js';
import { ClientType } from './sessions.js';

const EmailCodeSignInInput = builder.inputType('EmailCodeSignInInput', {
  fields: (t) => ({
    email: t.field({ type: 'EmailAddress', required: true }),
    code: t.string({ required: true, description: 'The six digits from the sign-in mail.' }),
    clientType: t.field({ type: ClientType, defaultValue: 'API' }),
    rememberMe: t.boolean({ defaultValue: false }),
  }),
});

builder.mutationFields((t) => ({
  requestSignInLink: t.boolean({
    description:
      'Mails a six-digit sign-in code and a link. Always true, in the same time: says nothing about whether the address has an account. ' +
      'The answer sets an HttpOnly cookie: only this browser signs in with the link; elsewhere the link shows the code to type here.',
    args: {
      email: t.arg({ type: 'EmailAddress', required: true }),
      redirect: t.arg.string({
        description: 'Where the link sends the browser once signed in (default /console/): a path on this server, or an http(s) address REDIRECT_ALLOWLIST allows.',
      }),
    },
    resolve: (_root, { email, redirect }, { runtime, delivery }) => {
      const { nonce } = requestSignInLink(runtime, { email, redirect });
      delivery.setCookie(signInNonceCookie(runtime, nonce));
      return true;
    },
  }),
  signInWithEmailCode: t.field({
    type: SignInResult,
    description:
      'Signs in with the code from requestSignInLink: tokens (amr ["email"], aal1), or an MfaChallenge when the account has a second factor. ' +
      'Five wrong codes end it; an unknown address fails as a wrong code does (with PASSWORDLESS_SIGNUP, its code creates the account).',
    args: { input: t.arg({ type: EmailCodeSignInInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const options = { clientType: input.clientType ?? 'API', rememberMe: input.rememberMe ?? false };
      const result = await signInWithEmailCode(context.runtime, { email: input.email, code: input.code, ...options }, context.client);
      return signInAnswer(context, result);
    },
  }),
}));

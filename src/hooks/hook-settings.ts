/** A synchronous hook an operator points at their own service (README, "Hooks"). */
export type HookSettings = { url: string; timeoutMs: number; onFailure: 'open' | 'closed' };
export type HookName = 'before_user_created' | 'custom_access_token_claims';

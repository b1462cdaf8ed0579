export { createAuthClient, type AuthClient, type AuthClientOptions, type ApiKey, type Session, type SignInInput, type SignInResult, type User } from './client.js';
export { defaultCoordinator, inProcessCoordinator, tabCoordinator, type RefreshCoordinator } from './coordination.js';
export { AuthClientError, type FieldProblem } from './errors.js';
export { memoryStorage, webStorage, type MemoryStorage, type TokenStorage } from './storage.js';
export type { StoredTokens, TokenPayload } from './tokens.js';
export type { FetchLike, Operation } from './transport.js';
export * as documents from './generated/graphql.js';

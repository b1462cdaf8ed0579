import type { StoredTokens } from './tokens.js';

/** Where the client keeps its tokens: memory, localStorage, a file (`@authgraph/client/node`), or your own. */
export interface TokenStorage {
  load(): StoredTokens | null | Promise<StoredTokens | null>;
  /** Null forgets the tokens (signed out). */
  save(tokens: StoredTokens | null): void | Promise<void>;
}

/** A TokenStorage whose `load` answers at once. */
export interface MemoryStorage extends TokenStorage {
  load(): StoredTokens | null;
}

/** Tokens for as long as the page (or process) lives; the default. */
export function memoryStorage(): MemoryStorage {
  let tokens: StoredTokens | null = null;
  return {
    load: () => tokens,
    save: (next) => {
      tokens = next;
    },
  };
}

/**
 * Tokens in localStorage (or another Web Storage), shared by every tab of the origin and kept
 * across reloads. Anything script on the page runs can read them: prefer memory with
 * clientType BROWSER (the refresh token in an HttpOnly cookie) where the server is same-site.
 */
export function webStorage(key = 'authgraph.tokens', storage: Storage = globalThis.localStorage): TokenStorage {
  return {
    load: () => {
      const text = storage.getItem(key);
      return text ? (JSON.parse(text) as StoredTokens) : null;
    },
    save: (tokens) => (tokens ? storage.setItem(key, JSON.stringify(tokens)) : storage.removeItem(key)),
  };
}

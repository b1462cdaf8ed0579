import type { StoredTokens } from './tokens.js';

/** Makes one refresh at a time (across the tabs of a browser, or the calls of a process) and shares its result. */
export interface RefreshCoordinator {
  /** Runs `task` once no other one runs. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Tells the other tabs about new tokens, or null for signed out. */
  announce(tokens: StoredTokens | null): void;
  /** Calls `listener` with what other tabs announce. */
  subscribe(listener: (tokens: StoredTokens | null) => void): void;
}

/** One task at a time within this process; nothing to share with. */
export function inProcessCoordinator(): RefreshCoordinator {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    exclusive(task) {
      const run = tail.then(task, task);
      tail = run.catch(() => undefined);
      return run;
    },
    announce() {},
    subscribe() {},
  };
}

/**
 * Tabs of one origin: a Web Lock lets one tab refresh while the others wait for it, and a
 * BroadcastChannel hands them its tokens. A tab that still refreshes with the old token (its
 * message was late) is covered by the server's REFRESH_REUSE_GRACE, which answers it with the
 * same successor instead of treating the token as stolen.
 */
export function tabCoordinator(name = 'authgraph-refresh'): RefreshCoordinator {
  const channel = new BroadcastChannel(name);
  return {
    // The lock manager resolves with what the task resolves with; lib.dom types it one Promise deeper.
    exclusive: <T>(task: () => Promise<T>) => navigator.locks.request(name, task) as Promise<T>,
    announce: (tokens) => channel.postMessage(tokens),
    subscribe: (listener) => channel.addEventListener('message', (event: MessageEvent<StoredTokens | null>) => listener(event.data)),
  };
}

/** Tabs where the browser has Web Locks, else this process alone (Node 20 has none). */
export function defaultCoordinator(): RefreshCoordinator {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks && typeof BroadcastChannel === 'function' ? tabCoordinator() : inProcessCoordinator();
}

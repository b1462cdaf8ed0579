import type { StoredTokens } from './tokens.js';

/** Makes one refresh at a time (across the tabs of a browser, or the calls of a process) and shares its result. */
export interface RefreshCoordinator {
  /** Runs `task` once no other one runs. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Tells the other tabs about new tokens, or null for signed out. */
  announce(tokens: StoredTokens | null): void;
  /** Calls `listener` with what other tabs announce; a refresh waiting for them goes on once it settles. */
  subscribe(listener: (tokens: StoredTokens | null) => void | Promise<void>): void;
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

type TabMessage = { kind: 'refreshing' } | { kind: 'tokens'; tokens: StoredTokens | null };

/** How long a tab waits for another tab's announced tokens before refreshing itself. */
const announcementWaitMs = 3_000;

/**
 * Tabs of one origin: a Web Lock lets one tab refresh while the others wait for it, and a
 * BroadcastChannel hands them its tokens. A tab says it is refreshing when it takes the lock;
 * a tab that gets the lock next waits for that tab's tokens (they may arrive after the lock
 * does) before it decides whether to refresh at all. Should a message still come too late,
 * the server's REFRESH_REUSE_GRACE answers the old token with the same successor.
 */
export function tabCoordinator(name = 'authgraph-refresh'): RefreshCoordinator {
  const channel = new BroadcastChannel(name);
  const listeners: ((tokens: StoredTokens | null) => void | Promise<void>)[] = [];
  let othersTokens: { promise: Promise<void>; settle: () => void } | null = null;
  channel.addEventListener('message', (event: MessageEvent<TabMessage>) => {
    if (event.data.kind === 'refreshing') {
      let settle = () => {};
      const promise = new Promise<void>((resolve) => (settle = resolve));
      othersTokens = { promise, settle };
      return;
    }
    const waiting = othersTokens;
    othersTokens = null;
    // The waiting refresh goes on only once the tokens are stored: woken any earlier, it would
    // still find the old ones and refresh again.
    const { tokens } = event.data;
    void Promise.allSettled(listeners.map(async (listener) => listener(tokens))).then(() => waiting?.settle());
  });
  const post = (message: TabMessage) => channel.postMessage(message);
  return {
    // The lock manager resolves with what the task resolves with; lib.dom types it one Promise deeper.
    exclusive: <T>(task: () => Promise<T>) =>
      navigator.locks.request(name, async () => {
        const pending = othersTokens;
        if (pending) await Promise.race([pending.promise, new Promise((resolve) => setTimeout(resolve, announcementWaitMs))]);
        post({ kind: 'refreshing' });
        return task();
      }) as Promise<T>,
    announce: (tokens) => post({ kind: 'tokens', tokens }),
    subscribe: (listener) => {
      listeners.push(listener);
    },
  };
}

/** Tabs where the browser has Web Locks, else this process alone (Node 20 has none). */
export function defaultCoordinator(): RefreshCoordinator {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks && typeof BroadcastChannel === 'function' ? tabCoordinator() : inProcessCoordinator();
}

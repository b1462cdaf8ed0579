import { RequestCache } from '@pothos/plugin-scope-auth';
import type { Plugin } from 'graphql-yoga';

/**
 * Drops the request's scope-auth cache once execution is done. Pothos keeps it in a WeakMap
 * keyed by the context, and the cache holds the context: V8's young-generation collector
 * keeps such an entry (its value reaches its key), so every request's context and all it
 * reached was promoted and left for a full collection.
 */
export function useReleaseRequestCaches(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone({ args }) {
        releaseRequestCaches(args.contextValue);
      },
    }),
  };
}

export const releaseRequestCaches = (context: object) => RequestCache.clearForContext(context);

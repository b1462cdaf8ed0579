import type { Runtime } from '../runtime.js';
import { AppError } from '../errors.js';
import { requestScopeOf, type RequestScope } from './request-scope.js';

/**
 * Runs a request's work under REQUEST_TIMEOUT: after `ms` the client gets
 * `late()` while the work goes on (a database call cannot be cancelled). The
 * work learns that its answer was given through `assertStillAwaited`, so that
 * it does not commit what the client was told had failed. The request's scope
 * carries that (rather than an AsyncLocalStorage, whose promise hook would run
 * for every promise of every request: bench/README.md).
 */
export function withinDeadline<T>(work: () => Promise<T>, ms: number, late: () => Promise<T>, scope: RequestScope): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      scope.answeredLate = true;
      resolve(late());
    }, ms);
    work().then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Throws TIMEOUT once the request `runtime` serves has been answered: called last inside a
 * transaction, it rolls the transaction back. Outside a request (background work, the CLI) it never throws.
 */
export function assertStillAwaited(runtime: Runtime): void {
  if (requestScopeOf(runtime)?.answeredLate) throw new AppError('TIMEOUT');
}

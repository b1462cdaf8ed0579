import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '../errors.js';

const current = new AsyncLocalStorage<{ passed: boolean }>();

/**
 * Runs a request's work under REQUEST_TIMEOUT: after `ms` the client gets
 * `late()` while the work goes on (a database call cannot be cancelled). The
 * work learns that its answer was given through `assertStillAwaited`, so that
 * it does not commit what the client was told had failed.
 */
export function withinDeadline<T>(work: () => Promise<T>, ms: number, late: () => Promise<T>): Promise<T> {
  const deadline = { passed: false };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      deadline.passed = true;
      resolve(late());
    }, ms);
    current.run(deadline, work).then(
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

/** Throws TIMEOUT once the request has been answered: called last inside a transaction, it rolls the transaction back. */
export function assertStillAwaited(): void {
  if (current.getStore()?.passed) throw new AppError('TIMEOUT');
}

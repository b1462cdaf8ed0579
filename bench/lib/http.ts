export const userAgent = 'authgraph-bench/1.0';

/** An answer that carries a user object with its id (both servers put `id` in it). */
export const answerWithUser = /"user":\{[^}]*"id":"/;

/** POSTs a GraphQL document and returns `data`, throwing with the first error's code and message. */
export async function graphql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new Error(`${first?.extensions?.code ?? 'ERROR'}: ${first?.message}`);
  }
  return body.data as T;
}

/** Runs tasks with at most `limit` in flight (setup work, kept off the measured runs). */
export async function inParallel<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

let counter = 0;
/** A fresh, policy-abiding identity; `run` keeps names unique across runs on one database. */
export function newIdentity(run: string) {
  counter += 1;
  const username = `b${run}_${counter}`;
  return { username, email: `${username}@bench.example.com`, password: `bench pass phrase ${run} ${counter}` };
}

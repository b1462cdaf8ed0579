// Unknown user vs wrong password: the median login time of each over 200 tries (issue 8 asks
// for the figure here, not as a test assertion). `npm run bench:timing` starts its own
// authgraph on SQLite; `npm run bench` runs the same measurement against its instance.
import { fileURLToPath } from 'node:url';
import { graphql, inParallel, newIdentity, userAgent } from './lib/http.js';
import { percentile } from './lib/load.js';

const loginMutation = 'mutation L($input: LoginInput!) { login(input: $input) { accessToken } }';

async function timedLogin(url: string, username: string, password: string) {
  const startedAt = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ query: loginMutation, variables: { input: { username, password } } }),
  });
  const body = await response.text();
  const ms = performance.now() - startedAt;
  const code = /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? `HTTP ${response.status}`;
  return { ms, code };
}

export type TimingResult = {
  tries: number;
  unknownUserMedianMs: number;
  wrongPasswordMedianMs: number;
  differenceMs: number;
  codes: { unknownUser: string[]; wrongPassword: string[] };
};

/**
 * Each wrong-password try uses an account of its own, so per-account throttling (if any)
 * does not skew the figure; the two kinds alternate so that drift hits both alike.
 */
export async function measureUnknownUserTiming(url: string, run: string, tries = 200): Promise<TimingResult> {
  const accounts = await inParallel(tries, 2, async () => {
    const identity = newIdentity(`t${run}`);
    await graphql(url, 'mutation R($input: RegisterInput!) { register(input: $input) { id } }', { input: identity });
    return identity;
  });
  const unknown: number[] = [];
  const wrong: number[] = [];
  const codes = { unknownUser: new Set<string>(), wrongPassword: new Set<string>() };
  for (let index = 0; index < tries; index += 1) {
    const miss = await timedLogin(url, `nobody_${run}_${index}`, 'bench pass phrase unknown');
    unknown.push(miss.ms);
    codes.unknownUser.add(miss.code);
    const bad = await timedLogin(url, accounts[index]!.username, 'bench pass phrase wrong');
    wrong.push(bad.ms);
    codes.wrongPassword.add(bad.code);
  }
  const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 0.5);
  const unknownUserMedianMs = median(unknown);
  const wrongPasswordMedianMs = median(wrong);
  return {
    tries,
    unknownUserMedianMs,
    wrongPasswordMedianMs,
    differenceMs: unknownUserMedianMs - wrongPasswordMedianMs,
    codes: { unknownUser: [...codes.unknownUser], wrongPassword: [...codes.wrongPassword] },
  };
}

export function describeTiming(timing: TimingResult): string {
  return (
    `login timing over ${timing.tries} tries each: unknown user median ${timing.unknownUserMedianMs.toFixed(2)} ms, ` +
    `wrong password median ${timing.wrongPasswordMedianMs.toFixed(2)} ms, difference ${timing.differenceMs.toFixed(2)} ms ` +
    `(codes: ${timing.codes.unknownUser.join('/')} vs ${timing.codes.wrongPassword.join('/')})`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startAuthgraph } = await import('./lib/targets.js');
  const { cleanUp } = await import('./lib/processes.js');
  try {
    const server = await startAuthgraph('sqlite');
    console.log(describeTiming(await measureUnknownUserTiming(server.url, server.run, Number(process.env.BENCH_TIMING_TRIES ?? 200))));
  } finally {
    await cleanUp();
  }
}

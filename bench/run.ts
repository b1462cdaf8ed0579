// `npm run bench`: authgraph, its ceilings (bare node:http, bare graphql-yoga, argon2id) and its
// peer (Better Auth) started one after another on loopback, driven by autocannon, compared in
// one table. `npm run bench -- --quick` (or BENCH_QUICK=1) is a short run for trying it;
// BENCH_DURATION, BENCH_WARMUP and BENCH_LATENCY_DURATION (seconds) set a run's lengths.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { argon2Parameters, measureArgon2Ceiling } from './lib/argon2-ceiling.js';
import type { Scenario } from './lib/authgraph-scenarios.js';
import { authgraphScenarios } from './lib/authgraph-scenarios.js';
import { betterAuthScenarios } from './lib/better-auth-scenarios.js';
import { evaluateTargets } from './lib/targets-check.js';
import { runLoad, sendOnce, type BenchRequest } from './lib/load.js';
import { cleanUp, repoRoot } from './lib/processes.js';
import { ceilingLine, checkLines, columns, hashingScenarios, markdown, rows, textTable, type Measurement, type Report } from './lib/report.js';
import { startAuthgraph, startBareHttp, startBareYoga, startBetterAuth, type Target } from './lib/targets.js';
import { describeTiming, measureUnknownUserTiming } from './timing-unknown-user.js';

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const seconds = Number(process.env.BENCH_DURATION ?? (quick ? 3 : 10));
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? (quick ? 1 : 3));
const latencySeconds = Number(process.env.BENCH_LATENCY_DURATION ?? Math.min(seconds, 5));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const warmupRequests = 10_000;
// A hash costs tens of milliseconds of CPU: at 50 connections the peer, hashing on its event
// loop, completes next to nothing in a window, so both sides hash at fewer connections, longer.
const hashConnections = Number(process.env.BENCH_HASH_CONNECTIONS ?? 4);
const hashSeconds = Number(process.env.BENCH_HASH_DURATION ?? 2 * seconds);
const timingTries = Number(process.env.BENCH_TIMING_TRIES ?? (quick ? 0 : 200));
const ceilingSeconds = Math.max(2, Math.min(seconds, 5));
/** BENCH_ONLY=whoami-jwt,login runs just those scenarios (the ceilings always run). */
const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const selected = (scenario: { name: string }) => !only || only.includes(scenario.name);
const withPeer = process.env.BENCH_PEER !== '0';
const isDefaultRun =
  !quick && !process.env.BENCH_DURATION && !process.env.BENCH_WARMUP && !process.env.BENCH_LATENCY_DURATION && !process.env.BENCH_CONNECTIONS && !process.env.BENCH_HASH_CONNECTIONS && !process.env.BENCH_HASH_DURATION && !only;

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const measurements: Measurement[] = [];
const readyMs: Record<string, number> = {};

/** Warm-up, then the loaded pass (RSS sampled), then the 1-connection latency pass. */
async function measure(target: Target, scenario: Scenario) {
  // Requests abandoned when a pass ends (hashes queued on the thread pool) are drained before the next.
  const kinds = [...new Map(scenario.requests.map((request) => [request.kind, request])).values()];
  const drain = async () => {
    for (const request of kinds) await sendOnce(target.url, request).catch(() => null);
  };
  const pass = async (passConnections: number, passSeconds: number, measureServer: boolean) => {
    await scenario.before?.();
    return runLoad({ url: target.url, requests: scenario.requests, connections: passConnections, seconds: passSeconds, pid: measureServer ? target.child.pid : undefined });
  };
  const hashing = hashingScenarios.includes(scenario.name);
  log(`${target.name}: ${scenario.name}`);
  try {
    // One request first: a scenario the server cannot answer is reported, not measured.
    await scenario.before?.();
    const problem = await sendOnce(target.url, scenario.requests[0]!);
    if (problem) {
      measurements.push({ target: target.name, scenario: scenario.name, skipped: problem });
      log(`  skipped: ${problem}`);
      return;
    }
    // login and register are compared with a ceiling measured right before them: the
    // machine's speed drifts over a run, and the one measured first is minutes old by then.
    const ceiling = target.name.startsWith('authgraph') && hashing ? await measureArgon2Ceiling(ceilingSeconds) : undefined;
    if (ceiling) log(`  argon2id ceiling right before: ${ceiling.hashesPerSecond.toFixed(1)} hashes/s, ${ceiling.cpuMsPerHash.toFixed(1)} ms CPU each`);
    const loadedConnections = hashing ? hashConnections : connections;
    // JIT tiers come with numbers of calls, not seconds: on a busy machine one warm-up window
    // can end too early, and the first scenario after a start would pay for the compiling.
    let warmed = 0;
    for (let round = 0; warmupSeconds > 0 && round < (hashing ? 1 : 3) && warmed < warmupRequests; round += 1) {
      warmed += (await pass(loadedConnections, warmupSeconds, false)).requests;
    }
    // The loaded pass starts on a server that has finished what the warm-up left: a peer that
    // hashes on its event loop would otherwise spend the window on abandoned sign-ins.
    await drain();
    const loaded = await pass(loadedConnections, hashing ? hashSeconds : seconds, true);
    await drain();
    const latency = await pass(1, latencySeconds, false);
    await drain();
    measurements.push({ target: target.name, scenario: scenario.name, loaded, latency, argon2Ceiling: ceiling?.hashesPerSecond, argon2CeilingCpuMs: ceiling?.cpuMsPerHash });
    const errors = loaded.errors + latency.errors;
    const cpu = loaded.cpuMsPerRequest === undefined ? 'no completions' : `${(loaded.cpuMsPerRequest * 1000).toFixed(0)} µs CPU/req`;
    log(`  ${loaded.requestsPerSecond.toFixed(0)} req/s, ${cpu}, p99 ${loaded.p99.toFixed(2)} ms, 1c p99 ${latency.p99.toFixed(2)} ms${errors ? `, ${errors} errors, first: ${loaded.firstError ?? latency.firstError}` : ''}`);
  } catch (error) {
    measurements.push({ target: target.name, scenario: scenario.name, skipped: (error as Error).message });
  }
}

async function benchCeiling(start: () => Promise<Target>, request: BenchRequest) {
  const target = await start();
  try {
    await measure(target, { name: 'hello', requests: [request] });
  } finally {
    await target.stop();
  }
}

async function benchAuthgraph(database: 'sqlite' | 'postgresql') {
  const first = await startAuthgraph(database);
  readyMs[`authgraph ${database} first start`] = first.readyMs;
  let server = first;
  if (database === 'sqlite') {
    // The start that counts for the target is a restart: the database and keys already exist.
    await first.stop();
    server = await startAuthgraph(database, { run: first.run, dataDir: first.dataDir, databaseUrl: first.databaseUrl });
    readyMs[`authgraph ${database} restart`] = server.readyMs;
  }
  let timing: { result: Awaited<ReturnType<typeof measureUnknownUserTiming>>; line: string } | undefined;
  try {
    const { scenarios } = await authgraphScenarios(server.url, server.run, server.databaseUrl);
    const target = { ...server, name: `authgraph ${database}` };
    for (const scenario of scenarios) {
      if (!selected(scenario)) continue;
      if ('skipped' in scenario) {
        measurements.push({ target: target.name, scenario: scenario.name, skipped: scenario.skipped });
      } else await measure(target, scenario);
    }
    if (database === 'sqlite' && timingTries > 0) {
      log(`${target.name}: login timing, unknown user vs wrong password, ${timingTries} tries each`);
      const result = await measureUnknownUserTiming(server.url, server.run, timingTries);
      timing = { result, line: describeTiming(result) };
      log(`  ${timing.line}`);
    }
  } finally {
    await server.stop();
  }
  return timing;
}

async function benchPeer() {
  const target = await startBetterAuth();
  readyMs['Better Auth first start'] = target.readyMs;
  try {
    for (const scenario of (await betterAuthScenarios(target.url, target.run)).filter(selected)) await measure(target, scenario);
  } finally {
    await target.stop();
  }
}

async function main() {
  const date = new Date().toISOString().slice(0, 10);
  const loadBefore = loadavg()[0]!;
  log(`${connections} connections, ${seconds} s after ${warmupSeconds} s warm-up (${hashingScenarios.join(', ')}: ${hashConnections} connections, ${hashSeconds} s), 1 connection for ${latencySeconds} s`);
  log('argon2id ceiling');
  const argon2 = await measureArgon2Ceiling(ceilingSeconds);
  log(`  ${argon2.hashesPerSecond.toFixed(1)} hashes/s with ${argon2.inFlight} in flight, ${argon2.cpuMsPerHash.toFixed(1)} ms CPU each`);

  await benchCeiling(startBareHttp, { kind: 'hello', method: 'GET', path: '/', expect: /"hello":"world"/ });
  await benchCeiling(startBareYoga, {
    kind: 'hello',
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ hello }' }),
    expect: /"hello":"world"/,
  });
  const timing = await benchAuthgraph('sqlite');
  if (process.env.DATABASE_URL?.startsWith('postgres')) await benchAuthgraph('postgresql');
  if (withPeer) {
    try {
      await benchPeer();
    } catch (error) {
      log(`Better Auth could not be measured: ${(error as Error).message}`);
      measurements.push({ target: 'Better Auth', scenario: 'all', skipped: (error as Error).message });
    }
  }

  const report: Report = {
    date,
    command: `${process.env.DATABASE_URL?.startsWith('postgres') ? 'DATABASE_URL=… ' : ''}${isDefaultRun ? '' : `BENCH_DURATION=${seconds} BENCH_WARMUP=${warmupSeconds} BENCH_HASH_CONNECTIONS=${hashConnections} BENCH_HASH_DURATION=${hashSeconds} `}npm run bench`,
    machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.versions.node, loadAverage: [loadBefore, loadavg()[0]!] },
    settings: { connections, seconds, warmupSeconds, latencySeconds, hashConnections, hashSeconds },
    argon2: { ...argon2, parameters: `argon2id m=${argon2Parameters.memoryCost} t=${argon2Parameters.timeCost} p=${argon2Parameters.parallelism}` },
    readyMs,
    measurements,
    timing: timing?.result,
    timingLine: timing?.line,
    checks: [],
  };
  report.checks = evaluateTargets(report);

  console.log(`\n${textTable(columns, rows(report))}\n`);
  console.log(ceilingLine(report));
  console.log(`time to first 200: ${Object.entries(readyMs).map(([name, value]) => `${name} ${value.toFixed(0)} ms`).join(', ')}`);
  if (timing) console.log(timing.line);
  console.log(`\ntargets:\n${checkLines(report.checks).join('\n')}`);

  const directory = `${repoRoot}bench/results`;
  mkdirSync(directory, { recursive: true });
  // A day's later runs are kept beside its first: 2026-12-03.json, 2026-12-03-2.json, ...
  const base = isDefaultRun ? date : `${date}-quick`;
  let name = base;
  for (let run = 2; existsSync(`${directory}/${name}.json`); run += 1) name = `${base}-${run}`;
  for (const file of [name, 'latest']) {
    writeFileSync(`${directory}/${file}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${directory}/${file}.md`, markdown(report));
  }
  console.log(`\nwrote bench/results/${name}.json and .md (and latest.json, latest.md)`);
}

try {
  await main();
} finally {
  await cleanUp();
}

import type { LoadResult } from './load.js';

export type Measurement = {
  target: string;
  scenario: string;
  loaded?: LoadResult;
  latency?: LoadResult;
  /** login and register: the argon2id ceiling measured right before this scenario's passes. */
  argon2Ceiling?: number;
  /** The CPU one hash cost in that ceiling measurement, in ms. */
  argon2CeilingCpuMs?: number;
  skipped?: string;
};

export type Check = { target: string; met: boolean | null; detail: string };

export type Report = {
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; loadAverage?: number[] };
  settings: { connections: number; seconds: number; warmupSeconds: number; latencySeconds: number; hashConnections?: number; hashSeconds?: number };
  argon2: { hashesPerSecond: number; cpuMsPerHash?: number; inFlight: number; parameters: string };
  readyMs: Record<string, number>;
  measurements: Measurement[];
  timing?: unknown;
  timingLine?: string;
  checks: Check[];
};

/** The scenarios compared with the argon2id ceiling: each hashes a password per request. */
export const hashingScenarios = ['login', 'register'];

export const peerName = 'Better Auth';
export const yogaName = 'bare graphql-yoga';

/** A measurement with completions; a pass that completed nothing is a failed measurement, never a ratio's term. */
export const completed = (m: Measurement | undefined) => (m && !m.skipped && m.loaded && m.loaded.requests > 0 ? m : undefined);

export const find = (report: Report, target: string, scenario: string) => report.measurements.find((m) => m.target === target && m.scenario === scenario);

/** a / b when both were measured and are positive; otherwise there is no ratio to print. */
export function ratioOf(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined && a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b) ? a / b : undefined;
}

/** The ceiling a hashing scenario is compared with: its own when measured beside it, else the run's. */
export const ceilingFor = (report: Report, m: Measurement | undefined) => ({
  hashesPerSecond: m?.argon2Ceiling ?? report.argon2.hashesPerSecond,
  cpuMsPerHash: m?.argon2CeilingCpuMs ?? report.argon2.cpuMsPerHash,
});

/** CPU ms per request, RSS bytes and req/s of a completed measurement. */
export const cpuOf = (m: Measurement | undefined) => completed(m)?.loaded?.cpuMsPerRequest;
export const rssOf = (m: Measurement | undefined) => completed(m)?.loaded?.peakRssBytes || undefined;
export const rpsOf = (m: Measurement | undefined) => completed(m)?.loaded?.requestsPerSecond;

const ms = (value: number | null | undefined) => (value === undefined || value === null || Number.isNaN(value) ? '' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const fixed2 = (value: number | undefined) => (value === undefined ? '' : value.toFixed(2));
const mb = (bytes: number | undefined) => (bytes ? (bytes / 1024 / 1024).toFixed(0) : '');
const micros = (milliseconds: number | undefined) => (milliseconds === undefined ? '' : (milliseconds * 1000).toFixed(0));

export const columns = [
  'target',
  'scenario',
  'conns',
  'req/s',
  'CPU µs/req',
  'p50 ms',
  'p99 ms',
  'p50 1c',
  'p99 1c',
  'peak RSS MB',
  'CPU x yoga',
  'req/s x yoga',
  'CPU x peer',
  'req/s x peer',
  'RSS x peer',
  'x argon2 CPU',
  'x argon2 req/s',
  'errors',
];

/**
 * One row per measurement. CPU x ...: this side's CPU per request over the other's (lower is
 * cheaper); req/s x ...: this side's rate over the other's; x argon2 CPU: one hash's CPU in the
 * ceiling over this scenario's CPU per request (1.0: nothing but the hash).
 */
export function rows(report: Report): string[][] {
  const yoga = completed(find(report, yogaName, 'hello'));
  return report.measurements.map((m) => {
    const blank = columns.slice(3).map(() => '');
    if (m.skipped) return [m.target, m.scenario, '', `skipped: ${m.skipped.slice(0, 60)}`, ...blank.slice(1)];
    if (!completed(m)) {
      const errors = (m.loaded?.errors ?? 0) + (m.latency?.errors ?? 0);
      return [m.target, m.scenario, String(m.loaded?.connections ?? ''), `failed: no completions (${m.loaded?.firstError?.slice(0, 60) ?? 'no answer within the window'})`, ...blank.slice(1, -1), String(errors)];
    }
    const ours = m.target.startsWith('authgraph');
    const peer = ours ? completed(find(report, peerName, m.scenario)) : undefined;
    // The ceiling is argon2id's: Better Auth hashes with scrypt, so only authgraph's rows get the ratio.
    const ceiling = ours && hashingScenarios.includes(m.scenario) ? ceilingFor(report, m) : undefined;
    const mix = m.scenario === 'mix' ? m.loaded?.byKind.whoami : undefined;
    const againstYoga = !m.target.startsWith('bare') ? yoga : undefined;
    return [
      m.target,
      mix ? 'mix (whoami p50/p99)' : m.scenario,
      String(m.loaded!.connections),
      m.loaded!.requestsPerSecond.toFixed(0),
      micros(cpuOf(m)),
      ms(mix?.p50 ?? m.loaded?.p50),
      ms(mix?.p99 ?? m.loaded?.p99),
      ms(m.latency?.p50),
      ms(m.latency?.p99),
      mb(rssOf(m)),
      fixed2(ratioOf(cpuOf(m), cpuOf(againstYoga))),
      fixed2(ratioOf(rpsOf(m), rpsOf(againstYoga))),
      fixed2(ratioOf(cpuOf(m), cpuOf(peer))),
      fixed2(ratioOf(rpsOf(m), rpsOf(peer))),
      fixed2(ratioOf(rssOf(m), rssOf(peer))),
      fixed2(ceiling && ratioOf(ceiling.cpuMsPerHash, cpuOf(m))),
      fixed2(ceiling && ratioOf(rpsOf(m), ceiling.hashesPerSecond)),
      String((m.loaded?.errors ?? 0) + (m.latency?.errors ?? 0)),
    ];
  });
}

export function textTable(header: string[], body: string[][]): string {
  const widths = header.map((title, index) => Math.max(title.length, ...body.map((row) => (row[index] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, index) => (index < 2 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}

export function markdownTable(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, index) => (index < 2 ? '---' : '---:'))), ...body.map(line)].join('\n');
}

export function checkLines(checks: Check[]): string[] {
  return checks.map((check) => `- ${check.met === null ? 'n/a' : check.met ? 'met' : 'MISSED'}: ${check.target}: ${check.detail}`);
}

const describeCeiling = (hashesPerSecond: number, cpuMs: number | undefined) => `${hashesPerSecond.toFixed(1)} hashes/s${cpuMs === undefined ? '' : ` (${cpuMs.toFixed(1)} ms CPU each)`}`;

/** `argon2id ceiling: 85.1 hashes/s (...) at the start; right before authgraph sqlite login 96.1 ...`. */
export function ceilingLine(report: Report): string {
  const beside = report.measurements
    .filter((m) => m.argon2Ceiling !== undefined)
    .map((m) => `${m.target} ${m.scenario} ${describeCeiling(m.argon2Ceiling!, m.argon2CeilingCpuMs)}`);
  return (
    `argon2id ceiling (${report.argon2.parameters}, ${report.argon2.inFlight} in flight): ${describeCeiling(report.argon2.hashesPerSecond, report.argon2.cpuMsPerHash)} at the start` +
    (beside.length ? `; right before ${beside.join(', ')}` : '')
  );
}

export function settingsLine(report: Report): string {
  const { connections, seconds, warmupSeconds, latencySeconds, hashConnections, hashSeconds } = report.settings;
  return (
    `${connections} connections for ${seconds} s after ${warmupSeconds} s of warm-up` +
    (hashConnections ? ` (${hashingScenarios.join(' and ')}: ${hashConnections} connections for ${hashSeconds} s)` : '') +
    `, then 1 connection for ${latencySeconds} s (the "1c" columns)`
  );
}

export function markdown(report: Report): string {
  const readiness = Object.entries(report.readyMs)
    .map(([name, value]) => `${name} ${value.toFixed(0)} ms`)
    .join(', ');
  return [
    `# authgraph benchmark, ${report.date}`,
    '',
    `\`${report.command}\` on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}; ` +
      `${settingsLine(report)}. Everything on loopback, one server at a time, the load generator on the same cores` +
      (report.machine.loadAverage ? ` (1-minute load average ${report.machine.loadAverage.map((value) => value.toFixed(1)).join(' at the start, ')} at the end).` : '.') +
      ' CPU per request: the server process\'s user + system time (all threads, and children) over the loaded pass, divided by its completed requests (2xx answers holding what was asked for).',
    '',
    markdownTable(columns, rows(report)),
    '',
    `${ceilingLine(report)}. Time to first 200: ${readiness}.`,
    ...(report.timingLine ? ['', report.timingLine] : []),
    '',
    '## Targets',
    '',
    ...checkLines(report.checks),
    '',
  ].join('\n');
}

import type { LoadResult } from './load.js';

export type Measurement = {
  target: string;
  scenario: string;
  loaded?: LoadResult;
  latency?: LoadResult;
  /** login and register: the argon2id ceiling measured right before this scenario's passes. */
  argon2Ceiling?: number;
  skipped?: string;
};

export type Check = { target: string; met: boolean | null; detail: string };

export type Report = {
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; loadAverage?: number[] };
  settings: { connections: number; seconds: number; warmupSeconds: number; latencySeconds: number };
  argon2: { hashesPerSecond: number; inFlight: number; parameters: string };
  readyMs: Record<string, number>;
  measurements: Measurement[];
  timing?: unknown;
  timingLine?: string;
  checks: Check[];
};

const ms = (value: number | null | undefined) => (value === undefined || value === null || Number.isNaN(value) ? '' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const ratio = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '' : value === Infinity ? 'inf' : value.toFixed(2));
const mb = (bytes: number | undefined) => (bytes ? (bytes / 1024 / 1024).toFixed(0) : '');

/** The scenarios compared with the argon2id ceiling: each hashes a password per request. */
export const hashingScenarios = ['login', 'register'];

/** The ceiling a hashing scenario is compared with: its own when measured beside it, else the run's. */
export const ceilingFor = (report: Report, m: Measurement | undefined) => m?.argon2Ceiling ?? report.argon2.hashesPerSecond;

export const columns = ['target', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'p50 1c', 'p99 1c', 'peak RSS MB', 'x yoga', 'x peer', 'x argon2', 'errors'];

/** One row per measurement: 50-connection throughput and latency, 1-connection latency, ratios. */
export function rows(report: Report): string[][] {
  const find = (target: string, scenario: string) => report.measurements.find((m) => m.target === target && m.scenario === scenario);
  const yoga = find('bare graphql-yoga', 'hello')?.loaded?.requestsPerSecond;
  return report.measurements.map((m) => {
    if (m.skipped) return [m.target, m.scenario, `skipped: ${m.skipped.slice(0, 60)}`, '', '', '', '', '', '', '', '', ''];
    const rps = m.loaded?.requestsPerSecond;
    const peer = m.target.startsWith('authgraph') ? find('Better Auth', m.scenario)?.loaded?.requestsPerSecond : undefined;
    // The ceiling is argon2id's: Better Auth hashes with scrypt, so only authgraph's rows get the ratio.
    const hashing = m.target.startsWith('authgraph') && hashingScenarios.includes(m.scenario);
    const mix = m.scenario === 'mix' ? m.loaded?.byKind.whoami : undefined;
    return [
      m.target,
      mix ? 'mix (whoami p50/p99)' : m.scenario,
      rps === undefined ? '' : rps.toFixed(0),
      ms(mix?.p50 ?? m.loaded?.p50),
      ms(mix?.p99 ?? m.loaded?.p99),
      ms(m.latency?.p50),
      ms(m.latency?.p99),
      mb(m.loaded?.peakRssBytes),
      yoga && rps !== undefined && !m.target.startsWith('bare') ? ratio(rps / yoga) : '',
      peer !== undefined && rps !== undefined ? ratio(rps / peer) : '',
      hashing && rps !== undefined ? ratio(rps / ceilingFor(report, m)) : '',
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

/** `; right before authgraph sqlite login 96.1, ...`: the ceilings the x argon2 column used. */
export function besideScenarios(report: Report): string {
  const beside = report.measurements.filter((m) => m.argon2Ceiling !== undefined).map((m) => `${m.target} ${m.scenario} ${m.argon2Ceiling!.toFixed(1)}`);
  return beside.length ? `; right before ${beside.join(', ')}` : '';
}

export function markdown(report: Report): string {
  const readiness = Object.entries(report.readyMs)
    .map(([name, value]) => `${name} ${value.toFixed(0)} ms`)
    .join(', ');
  return [
    `# authgraph benchmark, ${report.date}`,
    '',
    `\`${report.command}\` on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}; ` +
      `${report.settings.connections} connections for ${report.settings.seconds} s after ${report.settings.warmupSeconds} s of warm-up, ` +
      `then 1 connection for ${report.settings.latencySeconds} s (the "1c" columns). Everything on loopback, one server at a time, the load generator on the same cores` +
      (report.machine.loadAverage ? ` (1-minute load average ${report.machine.loadAverage.map((value) => value.toFixed(1)).join(' at the start, ')} at the end).` : '.'),
    '',
    markdownTable(columns, rows(report)),
    '',
    `argon2id ceiling (m=19456, t=2, p=1, ${report.argon2.inFlight} in flight): ${report.argon2.hashesPerSecond.toFixed(1)} hashes/s at the start` +
      besideScenarios(report) +
      '. ' +
      `Time to first 200: ${readiness}.`,
    ...(report.timingLine ? ['', report.timingLine] : []),
    '',
    '## Targets',
    '',
    ...checkLines(report.checks),
    '',
  ].join('\n');
}

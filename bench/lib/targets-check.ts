import { ceilingFor, hashingScenarios, type Check, type Measurement, type Report } from './report.js';

const fixed = (value: number) => value.toFixed(2);

/** Issue 9's targets, each as a ratio from this run; a missing measurement is n/a, not met. */
export function evaluateTargets(report: Report): Check[] {
  const find = (target: string, scenario: string): Measurement | undefined =>
    report.measurements.find((m) => m.target === target && m.scenario === scenario && !m.skipped);
  const rps = (target: string, scenario: string) => find(target, scenario)?.loaded?.requestsPerSecond;
  const yoga = rps('bare graphql-yoga', 'hello');
  const checks: Check[] = [];
  const atLeast = (target: string, value: number | undefined, over: number | undefined, floor: number, detail: string) => {
    if (value === undefined || over === undefined) return checks.push({ target, met: null, detail: 'not measured' });
    const r = value / over;
    checks.push({ target, met: r >= floor, detail: `${fixed(r)} (${detail})` });
  };
  const databases = [...new Set(report.measurements.map((m) => m.target).filter((name) => name.startsWith('authgraph')))];
  for (const ours of databases) {
    atLeast(`${ours}: whoami with JWT >= 0.80 x bare yoga`, rps(ours, 'whoami-jwt'), yoga, 0.8, `${rps(ours, 'whoami-jwt')?.toFixed(0)} vs ${yoga?.toFixed(0)} req/s`);
    atLeast(`${ours}: whoami with API key >= 0.70 x bare yoga`, rps(ours, 'whoami-apikey'), yoga, 0.7, `${rps(ours, 'whoami-apikey')?.toFixed(0)} vs ${yoga?.toFixed(0)} req/s`);
    atLeast(`${ours}: REST whoami >= GraphQL whoami`, rps(ours, 'rest-whoami'), rps(ours, 'whoami-jwt'), 1, `${rps(ours, 'rest-whoami')?.toFixed(0)} vs ${rps(ours, 'whoami-jwt')?.toFixed(0)} req/s`);
    for (const flow of hashingScenarios) {
      const ceiling = ceilingFor(report, find(ours, flow));
      atLeast(`${ours}: ${flow} >= 0.85 x argon2id ceiling`, rps(ours, flow), ceiling, 0.85, `${rps(ours, flow)?.toFixed(1)} req/s vs ${ceiling.toFixed(1)} hashes/s`);
    }
    const mixWhoami = find(ours, 'mix')?.loaded?.byKind.whoami?.p99;
    const idle = find(ours, 'whoami-jwt')?.latency?.p99;
    const loadedWhoami = find(ours, 'whoami-jwt')?.loaded?.p99;
    if (mixWhoami === undefined || idle === undefined) checks.push({ target: `${ours}: mix whoami p99 <= 3 x idle p99`, met: null, detail: 'not measured' });
    else
      checks.push({
        target: `${ours}: mix whoami p99 <= 3 x idle p99`,
        met: mixWhoami <= 3 * idle,
        detail:
          `${fixed(mixWhoami / idle)} (${fixed(mixWhoami)} ms at ${report.settings.connections} connections vs ${fixed(idle)} ms at 1 connection)` +
          (loadedWhoami ? `; vs whoami alone at ${report.settings.connections} connections (${fixed(loadedWhoami)} ms): ${fixed(mixWhoami / loadedWhoami)}` : ''),
      });
    const shared = ['whoami-jwt', 'whoami-apikey', 'rest-whoami', 'login', 'register', 'mix'];
    for (const flow of shared) {
      atLeast(`${ours}: ahead of Better Auth on ${flow}`, rps(ours, flow), rps('Better Auth', flow), 1, `${rps(ours, flow)?.toFixed(0)} vs ${rps('Better Auth', flow)?.toFixed(0)} req/s`);
    }
    const peak = Math.max(0, ...report.measurements.filter((m) => m.target === ours).map((m) => m.loaded?.peakRssBytes ?? 0));
    checks.push({
      target: `${ours}: RSS < 200 MB at ${report.settings.connections} connections`,
      met: peak > 0 ? peak < 200 * 1024 * 1024 : null,
      detail: `peak ${(peak / 1024 / 1024).toFixed(0)} MB over every scenario`,
    });
  }
  const restart = report.readyMs['authgraph sqlite restart'];
  const first = report.readyMs['authgraph sqlite first start'];
  checks.push({
    target: 'authgraph sqlite: ready within 1 s of start',
    met: restart === undefined ? null : restart <= 1000,
    detail: `restart ${restart?.toFixed(0)} ms, first start (migrations, key generation) ${first?.toFixed(0)} ms, spawn to first 200 on /healthz`,
  });
  return checks;
}

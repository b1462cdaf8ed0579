import { ceilingFor, completed, cpuOf, find, hashingScenarios, peerName, ratioOf, rpsOf, rssOf, yogaName, type Check, type Measurement, type Report } from './report.js';

const fixed = (value: number) => value.toFixed(2);
const micros = (milliseconds: number | undefined) => `${((milliseconds ?? 0) * 1000).toFixed(0)} µs`;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Ours failed (no completions): the target is missed. The reference failed or was not run: n/a. */
function unmeasured(target: string, ours: Measurement | undefined, reference: Measurement | undefined): Check | null {
  if (!ours || ours.skipped) return { target, met: null, detail: `not measured${ours?.skipped ? `: ${ours.skipped}` : ''}` };
  if (!completed(ours)) return { target, met: false, detail: `failed measurement, no completions (${ours.loaded?.firstError ?? 'no answer'})` };
  if (!completed(reference)) return { target, met: null, detail: reference ? `${reference.target} ${reference.scenario} has no completions to compare with` : 'nothing to compare with was measured' };
  return null;
}

/** Issue 22's targets, on CPU per request (steadier than req/s on a shared machine), from this run. */
export function evaluateTargets(report: Report): Check[] {
  const checks: Check[] = [];
  const yoga = find(report, yogaName, 'hello');
  /** ours' CPU per request at most `limit` times the reference's. */
  const cpuAtMost = (target: string, ours: Measurement | undefined, reference: Measurement | undefined, limit: number) => {
    const failure = unmeasured(target, ours, reference);
    if (failure) return checks.push(failure);
    const cpuRatio = ratioOf(cpuOf(ours), cpuOf(reference))!;
    const rpsRatio = ratioOf(rpsOf(ours), rpsOf(reference))!;
    checks.push({
      target,
      met: cpuRatio <= limit,
      detail: `${fixed(cpuRatio)} (${micros(cpuOf(ours))} vs ${micros(cpuOf(reference))} CPU per request; req/s ratio ${fixed(rpsRatio)})`,
    });
  };
  const databases = [...new Set(report.measurements.map((m) => m.target).filter((name) => name.startsWith('authgraph')))];
  for (const ours of databases) {
    const mine = (scenario: string) => find(report, ours, scenario);
    cpuAtMost(`${ours}: whoami with a JWT <= 0.70 x bare yoga's CPU per request`, mine('whoami-jwt'), yoga, 0.7);
    const keyLimit = ours.endsWith('postgresql') ? 1 : 0.8;
    cpuAtMost(`${ours}: whoami with an API key <= ${keyLimit.toFixed(2)} x bare yoga's CPU per request`, mine('whoami-apikey'), yoga, keyLimit);
    cpuAtMost(`${ours}: REST whoami's CPU per request <= GraphQL whoami's`, mine('rest-whoami'), mine('whoami-jwt'), 1);
    for (const [scenario, door] of [['verify-apikey', 'verifyApiKey'], ['verify-apikey-rest', 'POST /v1/keys/verify']] as const) {
      cpuAtMost(`${ours}: key verification (${door}) <= 0.50 x bare yoga's CPU per request`, mine(scenario), yoga, 0.5);
      const target = `${ours}: key verification (${door}) p99 < 10 ms at ${report.settings.connections} connections`;
      const failure = unmeasured(target, mine(scenario), mine(scenario));
      if (failure) checks.push(failure);
      else {
        const p99 = completed(mine(scenario))!.loaded!.p99;
        checks.push({ target, met: p99 < 10, detail: `${fixed(p99)} ms` });
      }
    }

    for (const flow of hashingScenarios) {
      const target = `${ours}: ${flow} >= 0.85 x the argon2id ceiling (one hash's CPU over ${flow}'s CPU per request)`;
      const m = mine(flow);
      const failure = unmeasured(target, m, m);
      if (failure) {
        checks.push(failure);
        continue;
      }
      const ceiling = ceilingFor(report, m);
      const cpuRatio = ratioOf(ceiling.cpuMsPerHash, cpuOf(m));
      if (cpuRatio === undefined) {
        checks.push({ target, met: null, detail: 'no CPU per hash for the ceiling' });
        continue;
      }
      checks.push({
        target,
        met: cpuRatio >= 0.85,
        detail: `${fixed(cpuRatio)} (${ceiling.cpuMsPerHash!.toFixed(1)} ms per hash vs ${cpuOf(m)!.toFixed(1)} ms per ${flow}; req/s ${rpsOf(m)!.toFixed(1)} vs ${ceiling.hashesPerSecond.toFixed(1)} hashes/s, ${fixed(rpsOf(m)! / ceiling.hashesPerSecond)})`,
      });
    }

    const measured = report.measurements.filter((m) => m.target === ours && rssOf(m) !== undefined);
    const limit = 200 * 1024 * 1024;
    const over = measured.filter((m) => rssOf(m)! >= limit);
    const highest = measured.reduce<Measurement | undefined>((top, m) => (top && rssOf(top)! >= rssOf(m)! ? top : m), undefined);
    checks.push({
      target: `${ours}: peak RSS < 200 MB on every scenario`,
      met: highest ? over.length === 0 : null,
      detail: highest
        ? `highest ${megabytes(rssOf(highest)!)} (${highest.scenario})` + (over.length ? `; over: ${over.map((m) => `${m.scenario} ${megabytes(rssOf(m)!)}`).join(', ')}` : '')
        : 'not measured',
    });
    const shared = measured.filter((m) => rssOf(find(report, peerName, m.scenario)) !== undefined);
    const rssRatios = shared.map((m) => ({ scenario: m.scenario, ratio: ratioOf(rssOf(m), rssOf(find(report, peerName, m.scenario)))! }));
    checks.push({
      target: `${ours}: peak RSS below Better Auth's on every scenario both have`,
      met: rssRatios.length ? rssRatios.every(({ ratio }) => ratio < 1) : null,
      detail: rssRatios.length ? rssRatios.map(({ scenario, ratio }) => `${scenario} ${fixed(ratio)}`).join(', ') : 'no shared scenario measured',
    });

    const mixTarget = `${ours}: whoami p99 in the mix (logins and refreshes) <= 3 x whoami's p99 alone at the same connections`;
    const mixFailure = unmeasured(mixTarget, mine('mix'), mine('whoami-jwt'));
    if (mixFailure) checks.push(mixFailure);
    else {
      const mixP99 = completed(mine('mix'))!.loaded!.byKind.whoami?.p99 ?? Number.NaN;
      const aloneP99 = completed(mine('whoami-jwt'))!.loaded!.p99;
      checks.push({
        target: mixTarget,
        met: mixP99 <= 3 * aloneP99,
        detail: `${fixed(mixP99 / aloneP99)} (${fixed(mixP99)} ms vs ${fixed(aloneP99)} ms at ${report.settings.connections} connections)`,
      });
    }
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

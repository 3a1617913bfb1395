// Scenario start (set the lab aside, build the scenario's) and check (re-run the workload over
// the real endpoints, judge state and traces): p50/p95 over all scenarios, several rounds each,
// next to a plain IMDS token request to the same running lab in the same run.
import { createLab } from '../src/engine/operations/sampleLab';
import { startLabServer } from '../src/server/labServer';
import { SCENARIOS } from '../src/engine/scenarios';
import { ScenarioService } from '../src/host/scenarios';
import { labShell } from '../src/cli/labShell';
import { requestTokenAs } from '../src/host/appClient';
import { fmt, percentile, table } from './stats';

const ROUNDS = 4;
const TOKEN_REQUESTS = 200;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const row = (what: string, samples: number[], baseline: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  return {
    measured: what,
    samples: fmt(samples.length, 0),
    'p50 ms': fmt(p50, 2),
    'p95 ms': fmt(percentile(sorted, 95), 2),
    'p50 vs token': `${fmt(p50 / baseline, 1)}×`,
  };
};

export async function benchScenarios(): Promise<string> {
  const lab = await createLab();
  const server = await startLabServer(lab);
  const service = new ScenarioService({ lab, server: async () => server, shell: labShell });
  try {
    const vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    for (let i = 0; i < 20; i++) await requestTokenAs(lab, server, vm, 'https://vault.azure.net');
    const token: number[] = [];
    // One request per 60 ms keeps the token loop under IMDS's 20 per second (a 429 would not be a token request).
    for (let i = 0; i < TOKEN_REQUESTS; i++) {
      token.push(await timed(() => requestTokenAs(lab, server, vm, 'https://vault.azure.net')));
      await new Promise(r => setTimeout(r, 60));
    }
    const starts: number[] = [];
    const checks: number[] = [];
    const slowest = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of SCENARIOS) {
        starts.push(await timed(() => service.start(scenario.id)));
        const check = await timed(() => service.check());
        checks.push(check);
        slowest.set(scenario.id, Math.max(slowest.get(scenario.id) ?? 0, check));
      }
      await service.stop();
    }
    const baseline = percentile(
      [...token].sort((a, b) => a - b),
      50,
    );
    const [slowId, slowMs] = [...slowest.entries()].sort((a, b) => b[1] - a[1])[0]!;
    return [
      `Scenarios: start and check over all ${SCENARIOS.length} scenarios × ${ROUNDS} rounds, next to a plain IMDS token request (same lab, same run)`,
      table([
        row('token request (IMDS, cached token)', token, baseline),
        row('scenario start', starts, baseline),
        row('scenario check (re-runs the workload)', checks, baseline),
      ]),
      `Slowest check: ${slowId} (${fmt(slowMs, 1)} ms; its workload is ${SCENARIOS.find(s => s.id === slowId)!.workload.description})`,
    ].join('\n');
  } finally {
    await service.stop();
    await server.close();
  }
}

// The time-and-chain scenarios as data: each one's setup leaves it unsolved, its workload fails
// as the story says (over real HTTP), its reference solution solves it, and a broader grant than
// needed is "too-broad". Workloads here are requests a test makes; the SDK runs dac-slow-locally
// for real (test/sdk/yourMachine.test.ts), as the others run in test/sdk.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { SCENARIOS, scenarioById } from '../../../src/engine/scenarios';
import { TIME_AND_CHAIN_SCENARIOS } from '../../../src/engine/scenarios/timeAndChain';
import type { ScenarioDefinition, ScenarioWorkload } from '../../../src/engine/scenarios/types';
import { runShellLine } from '../../../src/az/replay';
import { runAz } from '../../../src/az';
import { changeClock, type ClockAction } from '../../../src/engine/operations/clock';
import { imdsToken, labHttps } from '../../support/labHttps';

/** Runs the solution's lines as the lab terminal would: az lines through the shell, `clock …` on the lab clock. */
async function runTerminal(lab: Lab, lines: readonly string[]): Promise<void> {
  const variables = new Map<string, string>();
  for (const line of lines) {
    if (line.startsWith('clock ')) {
      const [, action, duration] = line.split(/\s+/);
      changeClock(lab, action as ClockAction, duration);
      continue;
    }
    const result = await runShellLine(lab, line, variables);
    assert.equal(result.exitCode, 0, `${line}\n${result.stderr}`);
  }
}

/** The workload, done the way its app does it: a managed-identity token on the host, or your az token locally. */
class Workload {
  private held: string | undefined;
  constructor(
    private readonly lab: Lab,
    private readonly server: RunningLabServer,
    private readonly workload: ScenarioWorkload,
  ) {}

  private async token(): Promise<string> {
    if (this.workload.runsAs === 'local') {
      const result = await runAz(this.lab, [
        'account',
        'get-access-token',
        '--resource',
        'https://vault.azure.net',
        '--query',
        'accessToken',
        '-o',
        'tsv',
      ]);
      return result.stdout.trim();
    }
    const host = this.lab.arm.resources.find(r => r.name === this.workload.runsAs)!;
    return imdsToken(this.server, host.id, 'https://vault.azure.net');
  }

  async run(): Promise<number> {
    const action = this.workload.action;
    assert.equal(action.kind, 'readSecret');
    if (action.kind !== 'readSecret') return 0;
    const token = action.holdToken ? (this.held ??= await this.token()) : await this.token();
    const url = `https://${action.vault}.vault.azure.net:${this.server.port}/secrets/${action.secret}?api-version=7.4`;
    return (await labHttps(this.server, 'GET', url, { token })).status;
  }

  /** The app restarts: it gets a new token. */
  restart(): void {
    this.held = undefined;
  }
}

describe('engine: the time-and-chain scenarios', function () {
  this.timeout(60_000);
  let lab: Lab;
  let server: RunningLabServer | undefined;
  const start = async (id: string): Promise<{ scenario: ScenarioDefinition; workload: Workload }> => {
    await server?.close();
    lab = await createLab({ sample: false });
    const started = await startLabServer(lab);
    server = started;
    const scenario = scenarioById(id)!;
    await scenario.setup(lab);
    const workload = new Workload(lab, started, scenario.workload);
    if (scenario.workload.warmUp) await workload.run();
    await scenario.afterWarmUp?.(lab);
    return { scenario, workload };
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('are five, with the contract the catalogue expects, all in the catalogue', () => {
    for (const s of TIME_AND_CHAIN_SCENARIOS) assert.equal(scenarioById(s.id), s, s.id);
    assert.equal(new Set(SCENARIOS.map(s => s.id)).size, SCENARIOS.length, 'ids are unique');
    assert.deepEqual(
      TIME_AND_CHAIN_SCENARIOS.map(s => s.id),
      ['propagation-delay', 'group-membership-cached', 'token-expiry', 'local-token-fails', 'dac-slow-locally'],
    );
    for (const s of TIME_AND_CHAIN_SCENARIOS) {
      assert.ok(s.title && s.story && s.hints.length >= 2 && s.solution.note, s.id);
      assert.ok(s.solution.terminal.length || s.solution.environment, `${s.id} has a solution`);
    }
  });

  it('propagation-delay: 403 after the grant, solved once the lab clock has let it propagate; Key Vault Administrator at the group is too broad', async () => {
    const { scenario, workload } = await start('propagation-delay');
    assert.equal(scenario.check(lab).outcome, 'not-yet');
    assert.equal(await workload.run(), 403);
    const [, , grant, advance] = scenario.solution.terminal;
    await runTerminal(lab, scenario.solution.terminal.slice(0, 3));
    assert.equal(await workload.run(), 403, 'right after the grant: still propagating');
    const early = scenario.check(lab);
    assert.equal(early.outcome, 'not-yet');
    assert.deepEqual(
      early.goals.map(g => g.met),
      [true, false, false],
    );
    await runTerminal(lab, [advance!]);
    assert.equal(await workload.run(), 200);
    assert.equal(scenario.check(lab).outcome, 'solved', JSON.stringify(scenario.check(lab)));
    assert.ok(grant);

    await start('propagation-delay');
    await runTerminal(lab, [
      'PRINCIPAL=$(az vm identity show -g rg-scenario -n vm-orders --query principalId -o tsv)',
      'az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal --role "Key Vault Administrator" -g rg-scenario',
      'clock advance 10m',
    ]);
    const broad = scenarioById('propagation-delay')!.check(lab);
    assert.equal(broad.outcome, 'too-broad');
    assert.match(broad.message, /'Key Vault Administrator' at .*rg-scenario grants more than reading secrets of this vault/);
  });

  it('group-membership-cached: 403 with the token cached before the membership; solved by a direct assignment or a day later', async () => {
    const { scenario, workload } = await start('group-membership-cached');
    assert.equal(await workload.run(), 403);
    assert.equal(scenario.check(lab).outcome, 'not-yet');
    await runTerminal(lab, scenario.solution.terminal);
    assert.equal(await workload.run(), 200);
    assert.equal(scenario.check(lab).outcome, 'solved');

    const second = await start('group-membership-cached');
    assert.equal(await second.workload.run(), 403);
    await runTerminal(lab, ['clock advance 24h']);
    assert.equal(await second.workload.run(), 200, 'the cached token expired; the new one carries the group');
    assert.equal(second.scenario.check(lab).outcome, 'solved');
  });

  it('token-expiry: the held token is refused as expired; a new one works', async () => {
    const { scenario, workload } = await start('token-expiry');
    assert.equal(await workload.run(), 200);
    assert.equal(scenario.check(lab).outcome, 'not-yet');
    await runTerminal(lab, scenario.solution.terminal);
    assert.equal(await workload.run(), 401);
    assert.deepEqual(
      scenario.check(lab).goals.map(g => g.met),
      [true, false],
    );
    workload.restart();
    assert.equal(await workload.run(), 200);
    assert.equal(scenario.check(lab).outcome, 'solved');
  });

  it('local-token-fails: 403 as you until you hold a data role; Key Vault Secrets Officer is too broad', async () => {
    const { scenario, workload } = await start('local-token-fails');
    assert.equal(await workload.run(), 403);
    assert.equal(scenario.check(lab).outcome, 'not-yet');
    await runTerminal(lab, scenario.solution.terminal);
    assert.equal(await workload.run(), 200);
    assert.equal(scenario.check(lab).outcome, 'solved');

    await start('local-token-fails');
    await runTerminal(lab, [
      'LEARNER=$(az ad signed-in-user show --query id -o tsv)',
      'VAULT=$(az keyvault show -n kv-dev --query id -o tsv)',
      'az role assignment create --assignee-object-id "$LEARNER" --assignee-principal-type User --role "Key Vault Secrets Officer" --scope "$VAULT"',
    ]);
    assert.equal(scenarioById('local-token-fails')!.check(lab).outcome, 'too-broad');
  });

  it('dac-slow-locally: not solved until the lab has seen a chain without the probe', async () => {
    const { scenario } = await start('dac-slow-locally');
    const check = scenario.check(lab);
    assert.equal(check.outcome, 'not-yet');
    assert.deepEqual(scenario.solution.environment, { AZURE_TOKEN_CREDENTIALS: 'dev' });
  });
});

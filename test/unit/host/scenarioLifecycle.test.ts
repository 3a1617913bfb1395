// A scenario sets the learner's own lab aside and gives it back exactly (compared as saved JSON),
// whatever happened inside; progress (started, hints, checks, solved) is kept in the state file,
// survives a save and reload (also mid-scenario), and older files migrate to the current schema.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import type { Lab } from '../../../src/engine/lab/lab';
import { SCENARIOS } from '../../../src/engine/scenarios';
import { ScenarioService } from '../../../src/host/scenarios';
import { labShell } from '../../../src/cli/labShell';
import { runScenarioCommand } from '../../../src/host/scenarioCommand';
import { loadOrCreateLab } from '../../../src/host/labHost';
import { writeStateFile } from '../../../src/host/stateFile';
import { parseLabState } from '../../../src/engine/state/schema';
import { CURRENT_SCHEMA_VERSION } from '../../../src/engine/state/labState';
import { createRoleAssignment } from '../../../src/engine/operations/roleAssignments';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';

/** The learner's lab as saved, without the scenario record (which is meant to change). */
const learnersLab = (lab: Lab): string => {
  const { scenarios: _scenarios, ...rest } = lab.toState();
  return JSON.stringify(rest);
};

describe('scenarios: your own lab is set aside and comes back; progress is kept', function () {
  this.timeout(120_000);
  let lab: Lab;
  let server: RunningLabServer;
  let service: ScenarioService;
  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    service = new ScenarioService({ lab, server: async () => server, shell: labShell });
    // Something of the learner's own that no scenario has: a role assignment they made.
    const vm = lab.arm.resources.find(r => r.identity?.systemAssigned)!;
    createRoleAssignment(lab, LAB_CALLER, {
      scope: lab.arm.resources.find(r => r.type === 'Microsoft.KeyVault/vaults')!.id,
      role: 'Key Vault Secrets User',
      principalId: vm.identity!.systemAssigned!.principalId,
      principalType: 'ServicePrincipal',
    });
  });
  after(async () => {
    await service?.stop();
    await server?.close();
  });

  it('every scenario: start, check, solve, stop gives back the same lab, byte for byte', async () => {
    const before = learnersLab(lab);
    for (const scenario of SCENARIOS) {
      await service.start(scenario.id);
      assert.notEqual(learnersLab(lab), before, `${scenario.id}: the scenario's lab is in place`);
      await service.check();
      await service.solve();
      assert.equal(await service.stop(), scenario.id);
      assert.equal(learnersLab(lab), before, `${scenario.id}: the learner's lab came back as it was`);
    }
    assert.equal(await service.stop(), undefined, 'nothing runs after stop');
    assert.equal(learnersLab(lab), before);
  });

  it('switching scenarios without stopping still gives back the learner lab, not the first scenario', async () => {
    const before = learnersLab(lab);
    await service.start('forbidden-403');
    await service.solve();
    await service.start('storage-blob-data');
    await service.stop();
    assert.equal(learnersLab(lab), before);
  });

  it('a scenario that cannot be set up leaves nothing half-built', async () => {
    const before = learnersLab(lab);
    await assert.rejects(() => service.start('no-such-scenario'), /There is no scenario 'no-such-scenario'/);
    assert.equal(lab.scenarios.active, undefined);
    assert.equal(learnersLab(lab), before);
  });

  it('progress survives a save and reload, in the middle of a scenario too; stop after reload brings the lab back', async () => {
    const before = learnersLab(lab);
    await service.start('reader-is-not-data');
    service.hint();
    service.hint();
    await service.check();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-scenarios-'));
    try {
      await writeStateFile(dir, lab.toState());
      const saved = JSON.parse(fs.readFileSync(path.join(dir, 'lab.json'), 'utf8'));
      assert.equal(saved.schemaVersion, CURRENT_SCHEMA_VERSION);
      const { lab: reloaded } = await loadOrCreateLab(dir);
      assert.equal(reloaded.scenarios.active?.id, 'reader-is-not-data');
      assert.equal(reloaded.scenarios.progress['reader-is-not-data']?.hintsUsed, 2);
      assert.equal(reloaded.scenarios.progress['reader-is-not-data']?.lastOutcome, 'not-yet');
      assert.ok(reloaded.scenarios.progress['forbidden-403']?.solvedAt !== undefined, 'solved earlier, still solved');
      const list = await runScenarioCommand(new ScenarioService({ lab: reloaded, server: async () => server, shell: labShell }), [
        'list',
        '--json',
      ]);
      const listed = JSON.parse(list.stdout) as Array<{ id: string; state: string; active: boolean }>;
      assert.equal(listed.find(s => s.id === 'forbidden-403')?.state, 'solved');
      // Solved in the first test; a later not-yet check does not take that away.
      assert.deepEqual(
        listed.filter(s => s.active).map(s => [s.id, s.state]),
        [['reader-is-not-data', 'solved']],
      );
      const reloadedService = new ScenarioService({ lab: reloaded, server: async () => server, shell: labShell });
      await reloadedService.stop();
      assert.equal(learnersLab(reloaded), before, 'the set-aside lab was saved and comes back after a reload');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await service.stop();
    }
  });

  it('undo inside a scenario does not undo progress', async () => {
    await service.start('forbidden-403');
    const checks = lab.scenarios.progress['forbidden-403']!.checks;
    await service.solve();
    lab.undo();
    assert.equal(lab.scenarios.progress['forbidden-403']!.checks, checks + 1);
    await service.stop();
  });

  it('migrates a version-1 file (no scenarios) and a set-aside lab saved by version 1', async () => {
    const v1 = JSON.parse(JSON.stringify((await createLab()).toState()));
    v1.schemaVersion = 1;
    delete v1.scenarios;
    const parsed = parseLabState(v1);
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    assert.equal(parsed.migratedFrom, 1);
    assert.equal(parsed.state.schemaVersion, CURRENT_SCHEMA_VERSION);

    const holding = JSON.parse(JSON.stringify(lab.toState()));
    holding.scenarios = { progress: {}, active: { id: 'forbidden-403', startedAt: 0, environment: {}, setAside: v1 } };
    const nested = parseLabState(holding);
    assert.ok(nested.ok, JSON.stringify(!nested.ok && nested.problems));
    assert.equal(nested.state.scenarios?.active?.setAside.schemaVersion, CURRENT_SCHEMA_VERSION);
  });

  it('refuses a set-aside lab that holds scenarios of its own, and progress that is not progress', async () => {
    const state = JSON.parse(JSON.stringify(lab.toState()));
    const inner = JSON.parse(JSON.stringify(state));
    inner.scenarios = { progress: {} };
    state.scenarios = { progress: {}, active: { id: 'x', startedAt: 0, environment: {}, setAside: inner } };
    const refused = parseLabState(state);
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.problems.some(p => p.path === 'scenarios.active.setAside.scenarios'), JSON.stringify(refused));
    state.scenarios = { progress: { 'forbidden-403': { startedAt: 0, hintsUsed: 'two', checks: 0 } } };
    const bad = parseLabState(state);
    assert.ok(!bad.ok && bad.problems.some(p => p.path.startsWith('scenarios.progress')), JSON.stringify(bad));
  });
});

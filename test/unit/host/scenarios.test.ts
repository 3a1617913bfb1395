// Every scenario, over the lab's real endpoints (HTTP on loopback): it starts unsolved; each fix a
// learner might wrongly try leaves it unsolved (or "too broad") with a message that says why; its
// reference solution, run as the lab terminal runs it, solves it. The workload a check runs is
// traced, so each check's requests can be drawn.
import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import type { Lab } from '../../../src/engine/lab/lab';
import { SCENARIOS, scenarioById } from '../../../src/engine/scenarios';
import type { WrongFix } from '../../../src/engine/scenarios/types';
import { ScenarioService } from '../../../src/host/scenarios';
import { labShell } from '../../../src/cli/labShell';

/** The scenario ids are a contract (DESIGN.md, issue 11): tools and the walkthrough start them by id. */
const CONTRACT_IDS = [
  'forbidden-403',
  'mi-unavailable',
  'system-assigned-lifecycle',
  'user-assigned-shared',
  'multiple-user-assigned',
  'wrong-client-id',
  'reader-is-not-data',
  'access-policy-vault',
  'wrong-audience',
  'storage-blob-data',
  'sql-contained-user',
  'app-service-endpoint',
  'imds-throttling',
  'aadsts700024',
  'federated-subject-mismatch',
];

/** The time-and-chain scenarios whose app runs on a lab host: the check runs them like the others. */
const ON_LAB_HOSTS = ['propagation-delay', 'group-membership-cached', 'token-expiry'];
/** Their app runs on your machine (milab env --as local): a check reads what the lab saw of it (test/sdk runs it). */
const ON_YOUR_MACHINE = ['local-token-fails', 'dac-slow-locally'];

describe('scenarios: start, wrong fixes, the reference solution (over the real endpoints)', function () {
  this.timeout(120_000);
  let lab: Lab;
  let server: RunningLabServer;
  let service: ScenarioService;
  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    service = new ScenarioService({ lab, server: async () => server, shell: labShell });
  });
  after(async () => {
    await service?.stop();
    await server?.close();
  });

  async function apply(fix: Pick<WrongFix, 'terminal' | 'environment'>): Promise<void> {
    const variables = new Map<string, string>();
    for (const line of fix.terminal) {
      const result = await service.runLine(line, variables);
      assert.equal(result.exitCode, 0, `${line}\n${result.stderr}`);
    }
    for (const [name, value] of Object.entries(fix.environment ?? {})) service.setEnvironment(name, value);
  }

  it('has every scenario of the contract, each with a story from the seeds, hints and a solution', () => {
    for (const id of CONTRACT_IDS) assert.ok(scenarioById(id), `scenario ${id}`);
    assert.deepEqual(SCENARIOS.map(s => s.id).sort(), [...CONTRACT_IDS, ...ON_LAB_HOSTS, ...ON_YOUR_MACHINE].sort());
    for (const s of SCENARIOS) {
      assert.ok(s.title && s.story && s.seed?.file && s.seed.section, `${s.id}: title, story, seed`);
      assert.ok(s.hints.length >= 3, `${s.id}: progressive hints`);
      assert.ok(s.solution.terminal.length || s.solution.environment, `${s.id}: a solution`);
      assert.ok((s.wrongFixes ?? []).length >= 1, `${s.id}: at least one wrong fix is tried`);
    }
  });

  for (const scenario of SCENARIOS.filter(s => [...CONTRACT_IDS, ...ON_LAB_HOSTS].includes(s.id))) {
    it(`${scenario.id}: not solved at the start, nor after a wrong fix; solved by its reference solution`, async () => {
      await service.start(scenario.id);
      const first = await service.check();
      assert.equal(first.check.outcome, 'not-yet', first.check.message);
      assert.ok(
        first.check.goals.some(g => !g.met),
        'a goal is not met',
      );
      assert.ok(first.run.steps.length > 0 && first.run.steps.every(s => s.traceId), 'the re-run went through the endpoints (traced)');
      assert.match(first.check.message, /^Not yet: .+ — .{20,}/, 'says which goal fails, and why');

      for (const wrong of scenario.wrongFixes ?? []) {
        await service.start(scenario.id);
        await apply(wrong);
        const after = await service.check();
        assert.equal(after.check.outcome, wrong.outcome, `${wrong.tried}: ${after.check.message}`);
        assert.match(after.check.message, new RegExp(wrong.says, 's'), `${wrong.tried}: ${after.check.message}`);
      }

      await service.start(scenario.id);
      const solved = await service.solve();
      for (const line of solved.lines) assert.equal(line.exitCode, 0, `${line.line}\n${line.stderr}`);
      assert.equal(solved.report.check.outcome, 'solved', solved.report.check.message);
      assert.ok(solved.report.check.goals.every(g => g.met));
      assert.equal(service.list().find(s => s.id === scenario.id)?.state, 'solved');
    });
  }

  for (const scenario of SCENARIOS.filter(s => ON_YOUR_MACHINE.includes(s.id))) {
    it(`${scenario.id}: checkable from the lab (the app runs on your machine); each wrong fix judged as listed`, async () => {
      await service.start(scenario.id);
      const first = await service.check();
      assert.equal(first.check.outcome, 'not-yet', first.check.message);
      assert.match(first.notRunHere ?? '', /milab env --as local/);
      assert.match(first.check.message, /^Not yet: .+ — .{20,}/, 'says which goal fails, and why');
      for (const wrong of scenario.wrongFixes ?? []) {
        await service.start(scenario.id);
        await apply(wrong);
        const after = await service.check();
        assert.equal(after.check.outcome, wrong.outcome, `${wrong.tried}: ${after.check.message}`);
        assert.match(after.check.message, new RegExp(wrong.says, 's'), `${wrong.tried}: ${after.check.message}`);
      }
    });
  }
});

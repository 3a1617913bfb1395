// The walkthrough's steps complete from the lab's state only: a fresh lab has done nothing but the
// introduction (the sample's VM has its identity on); a token, Key Vault's 403, the role and the
// solved scenario each complete their step; done steps are kept in the state. The manifest's
// walkthrough lists exactly the engine's steps, each completing on its context key.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { startLabServer } from '../../../src/server/labServer';
import { ScenarioService } from '../../../src/host/scenarios';
import { labShell } from '../../../src/cli/labShell';
import { walkthroughDoneNow, WALKTHROUGH_STEPS } from '../../../src/engine/scenarios/walkthrough';
import { recordWalkthroughSteps } from '../../../src/engine/operations/scenarioProgress';
import { parseLabState } from '../../../src/engine/state/schema';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));

describe('walkthrough: steps done from the lab state', function () {
  this.timeout(60_000);

  it('the manifest walkthrough has the engine steps, each completing on its context key, with its media', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.title, 'Managed identities, hands-on');
    assert.deepEqual(
      walkthrough.steps.map((s: { id: string }) => s.id),
      WALKTHROUGH_STEPS.map(s => s.id),
    );
    for (const step of walkthrough.steps) {
      assert.deepEqual(step.completionEvents, [`onContext:managedIdentityLab.walkthrough.${step.id}`]);
      assert.ok(fs.existsSync(path.resolve(__dirname, '../../../..', step.media.markdown)), step.media.markdown);
    }
    const commands = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
    for (const name of ['scenarioStart', 'scenarioCheck', 'scenarioHint', 'scenarioShowSolution', 'scenarioStop', 'openWalkthrough']) {
      assert.ok(commands.has(`managedIdentityLab.${name}`), name);
    }
  });

  it('completes the 403 → fix steps as the lab sees them happen, and keeps them through save and load', async () => {
    const lab = await createLab();
    const server = await startLabServer(lab);
    const service = new ScenarioService({ lab, server: async () => server, shell: labShell });
    try {
      assert.deepEqual([...walkthroughDoneNow(lab)].sort(), ['turnOnAnIdentity', 'whatIsAManagedIdentity']);
      await service.start('forbidden-403');
      await service.check();
      const afterFirst = walkthroughDoneNow(lab);
      assert.ok(afterFirst.has('requestAToken') && afterFirst.has('meetThe403'));
      assert.ok(!afterFirst.has('assignTheLeastRole') && !afterFirst.has('readTheSecret'));
      recordWalkthroughSteps(lab, afterFirst);
      await service.solve();
      const done = recordWalkthroughSteps(lab, walkthroughDoneNow(lab));
      for (const id of ['assignTheLeastRole', 'readTheSecret', 'rowForbidden403']) assert.ok(done.includes(id), id);
      assert.ok(!done.includes('shareAUserAssignedIdentity'));
      await service.stop();
      const reloaded = parseLabState(JSON.parse(JSON.stringify(lab.toState())));
      assert.ok(reloaded.ok);
      assert.deepEqual(reloaded.state.scenarios?.walkthrough, done);
    } finally {
      await server.close();
    }
  });
});

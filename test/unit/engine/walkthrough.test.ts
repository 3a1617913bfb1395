// The walkthrough's steps complete from the lab's state only: a fresh lab has done nothing but the
// introduction (the sample's VM has its identity on); a token, Key Vault's 403, the role and the
// solved scenario each complete their step; in the learner's own lab, the VM that met the 403 reading
// the secret once it has the role completes "Succeed"; done steps are kept in the state. The manifest's
// walkthrough lists exactly the engine's steps, each completing on its context key.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import { createRoleAssignment, deleteRoleAssignment } from '../../../src/engine/operations/roleAssignments';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { labServiceUrls } from '../../../src/engine/azure/serviceDomains';
import { readSecretAs } from '../../../src/host/appClient';
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

  it('in the learner’s own lab: the 403, the role, then the same VM reading the secret completes “Succeed” (no scenario)', async () => {
    const lab = await createLab();
    const server = await startLabServer(lab);
    lab.serviceUrls = labServiceUrls(server.httpsUrl);
    try {
      const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
      const vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
      // Key Vault's data role first, with nothing refused yet: the read succeeds, but no 403 was met and fixed.
      const early = await createLab();
      const earlyServer = await startLabServer(early);
      early.serviceUrls = labServiceUrls(earlyServer.httpsUrl);
      try {
        const earlyVm = early.arm.resources.find(r => r.name === SAMPLE.vm)!;
        const earlyVault = early.arm.resources.find(r => r.name === SAMPLE.vault)!;
        createRoleAssignment(early, LAB_CALLER, {
          scope: earlyVault.id,
          role: 'Key Vault Secrets User',
          principalId: earlyVm.identity!.systemAssigned!.principalId,
          principalType: 'ServicePrincipal',
        });
        assert.equal((await readSecretAs(early, earlyServer, earlyVm, SAMPLE.vault, SAMPLE.secret)).status, 200);
        assert.ok(!walkthroughDoneNow(early).has('readTheSecret'), 'a read that never met the 403 is not the fix');
      } finally {
        await earlyServer.close();
      }

      assert.equal((await readSecretAs(lab, server, vm, SAMPLE.vault, SAMPLE.secret)).status, 403);
      assert.ok(walkthroughDoneNow(lab).has('meetThe403'));
      assert.ok(!walkthroughDoneNow(lab).has('readTheSecret'), 'the 403 alone is not success');
      const principalId = vm.identity!.systemAssigned!.principalId;
      // A data role for someone else, and a broader role for the VM, are not the least-privileged fix.
      createRoleAssignment(lab, LAB_CALLER, { scope: vault.id, role: 'Key Vault Secrets User', principalId: lab.directory.user.objectId });
      assert.ok(!walkthroughDoneNow(lab).has('assignTheLeastRole'), 'a role for another principal does not fix the refused one');
      const officer = createRoleAssignment(lab, LAB_CALLER, {
        scope: vault.id,
        role: 'Key Vault Secrets Officer',
        principalId,
        principalType: 'ServicePrincipal',
      });
      assert.ok(!walkthroughDoneNow(lab).has('assignTheLeastRole'), 'Secrets Officer reads the secret, but is more than it needs');
      deleteRoleAssignment(lab, LAB_CALLER, officer.name);
      createRoleAssignment(lab, LAB_CALLER, {
        scope: vault.id,
        role: 'Key Vault Secrets User',
        principalId: vm.identity!.systemAssigned!.principalId,
        principalType: 'ServicePrincipal',
      });
      const done = walkthroughDoneNow(lab);
      assert.ok(done.has('assignTheLeastRole') && !done.has('readTheSecret'), 'the role alone is not the read');
      assert.equal((await readSecretAs(lab, server, vm, SAMPLE.vault, SAMPLE.secret)).status, 200);
      assert.ok(walkthroughDoneNow(lab).has('readTheSecret'));
      assert.ok(!walkthroughDoneNow(lab).has('rowForbidden403'), 'the scenario’s own row needs the scenario solved');
    } finally {
      await server.close();
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

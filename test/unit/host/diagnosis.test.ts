// Diagnosis end to end, over the lab's real endpoints (HTTP on loopback): a pasted error that
// names lab objects gets a fix with the lab's ids, and running it makes the same request succeed;
// "Why did this fail?" classifies each failure the lab can produce from its facts; Reproduce
// builds a situation that fails the same way, and Undo takes it back; least privilege from
// what a principal actually did.
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { RunningLabServer } from '../../../src/server/labServer';
import { reproduce, reproducible } from '../../../src/engine/diagnosis/reproduce';
import { CATEGORY_IDS, type Category } from '../../../src/engine/diagnosis/categories';
import { diagnoseText, diagnoseTrace } from '../../../src/engine/diagnosis/diagnose';
import { leastPrivilege } from '../../../src/engine/diagnosis/leastPrivilege';
import { carryOutFix, runWorkload } from '../../../src/host/workload';
import { createRoleAssignment } from '../../../src/engine/operations/roleAssignments';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import type { Lab } from '../../../src/engine/lab/lab';
import type { Workload } from '../../../src/engine/diagnosis/model';
import { startLiveLab } from './liveLab';

/**
 * What a person would paste: the request line as azure-core's logging prints it (with the
 * service's host name) and the service's own answer, exactly as the lab sent it.
 */
function pasted(lab: Lab, traceId: string, workload: Workload): string {
  const trace = lab.traces.byId(traceId)!;
  const last = [...trace.messages].reverse().find(m => m.kind === 'response' && m.http)!;
  const host = workload.kind === 'readBlob' ? `https://${workload.account}.blob.core.windows.net` : '';
  return `Request URL: '${host}${last.http!.url}'\nRequest method: '${last.http!.method}'\nStatus: ${last.status}\nContent: ${last.http!.responseBody}`;
}

describe('diagnosis over the real endpoints', function () {
  this.timeout(60_000);
  let lab: Lab;
  let server: RunningLabServer;
  before(async () => ({ lab, server } = await startLiveLab()));
  after(() => server.close());

  const fromText: Array<[Category, RegExp]> = [
    ['rbac-forbidden-keyvault', /^vm-repro-\w+'s system-assigned identity may not getSecret on kv-repro-\w+ \(Key Vault 403\)$/],
    ['rbac-forbidden-storage', /^vm-repro-\w+'s system-assigned identity may not blobs\/read on strepro\w+ \(Storage 403\)$/],
    ['rbac-forbidden-arm', /^vm-repro-\w+'s system-assigned identity may not resourceGroups\/read \(Azure Resource Manager 403\)$/],
    ['multiple-user-assigned-no-selection', /^vm-repro-\w+ has 2 user-assigned identities and the request named none$/],
  ];
  for (const [category, title] of fromText) {
    it(`${category}: the pasted error gets a fix with the lab's ids; running it makes the same request succeed`, async () => {
      const { workload } = await reproduce(lab, category);
      const failed = await runWorkload(lab, server, workload);
      assert.equal(failed.ok, false);
      const finding = diagnoseText(pasted(lab, failed.traceId!, workload), { lab }).findings[0]!;
      assert.equal(finding.category, category);
      assert.match(finding.title, title);
      const fix = finding.fixes.find(f => f.runnable && f.action);
      assert.ok(fix, `a runnable fix among ${finding.fixes.map(f => f.title).join(' / ')}`);
      const done = await carryOutFix(lab, server, fix.action!, lab.learner);
      // A rerun fix is the changed request itself; any other fix is followed by the same request again.
      const again = done.result ?? (await runWorkload(lab, server, workload));
      assert.equal(again.ok, true, `${fix.title}: ${again.status} ${again.errorCode ?? ''}`);
    });
  }

  const simulated = CATEGORY_IDS.filter(reproducible);
  it('the lab can reproduce every contract category it simulates', () => {
    assert.deepEqual(
      CATEGORY_IDS.filter(c => !reproducible(c)),
      ['default-credential-chain-all-failed', 'local-dev-no-credential', 'access-token-expired', 'unknown'],
      'only the client-side chains, expiry (needs the clock) and unknown are not reproduced',
    );
  });

  for (const category of simulated) {
    it(`${category}: Reproduce fails the same way, "Why did this fail?" reads it from the trace's facts, Undo takes it back`, async () => {
      const before = JSON.stringify(lab.toState());
      const reproduction = await reproduce(lab, category);
      assert.ok(reproduction.built.length > 0);
      const result = await runWorkload(lab, server, reproduction.workload);
      assert.equal(result.ok, false, `the request fails (${result.status})`);
      const trace = lab.traces.byId(result.traceId!)!;
      assert.equal(trace.outcome, 'failure');
      assert.ok(trace.refusal, 'the trace carries its refusal facts');
      // From the facts, not the text: blank every label and body, the diagnosis must not change.
      const blind = {
        ...trace,
        messages: trace.messages.map(m => ({ ...m, label: '', notes: [], http: m.http && { ...m.http, responseBody: '' } })),
      };
      const finding = diagnoseTrace(lab, blind).findings[0]!;
      assert.equal(finding.category, category, finding.title);
      assert.equal(finding.source, 'trace');
      assert.equal(lab.undo(), reproduction.undoLabel);
      assert.equal(JSON.stringify(lab.toState()), before, 'Undo restores the lab as it was');
    });
  }

  it('"Why did this fail?" offers the fix and running it makes the request succeed (Key Vault, from the trace alone)', async () => {
    const { workload } = await reproduce(lab, 'rbac-forbidden-keyvault');
    const failed = await runWorkload(lab, server, workload);
    const finding = diagnoseTrace(lab, lab.traces.byId(failed.traceId!)!).findings[0]!;
    const fix = finding.fixes.find(f => f.runnable)!;
    assert.equal(fix.action?.kind, 'createRoleAssignment');
    await carryOutFix(lab, server, fix.action!, lab.learner);
    assert.equal((await runWorkload(lab, server, workload as Workload)).ok, true);
  });
});

describe('least privilege from what happened', function () {
  this.timeout(60_000);
  it('Key Vault Administrator and Owner at the subscription, one secret read: propose Key Vault Secrets User at the vault, remove both; the workload keeps working', async () => {
    const { lab, server } = await startLiveLab();
    try {
      const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
      const vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
      const principalId = vm.identity!.systemAssigned!.principalId;
      const subscription = `/subscriptions/${lab.defaultSubscriptionId}`;
      createRoleAssignment(lab, LAB_CALLER, { principalId, role: 'Key Vault Administrator', scope: subscription });
      createRoleAssignment(lab, LAB_CALLER, { principalId, role: 'Owner', scope: subscription });
      const workload: Workload = { kind: 'readSecret', hostId: vm.id, vault: SAMPLE.vault, secret: SAMPLE.secret };
      for (let i = 0; i < 3; i++) assert.equal((await runWorkload(lab, server, workload)).ok, true);

      const report = leastPrivilege(lab, principalId);
      assert.deepEqual(
        report.propose.map(p => [p.roleName, p.scope, p.held]),
        [['Key Vault Secrets User', vault.id, false]],
      );
      assert.deepEqual(report.remove.map(r => r.roleName).sort(), ['Key Vault Administrator', 'Owner']);
      assert.match(report.remove.find(r => r.roleName === 'Owner')!.reason, /never made a control-plane call/);
      assert.match(report.summary, /Key Vault Secrets User at kv-lab/);
      assert.match(report.summary, /Narrower still: the same role at the one item it used \(.*\/secrets\/db-password\)/);
      assert.equal(report.verified, true);

      for (const fix of report.fixes) await carryOutFix(lab, server, fix.action!, lab.learner);
      assert.deepEqual(
        lab.assignments.forPrincipal(principalId).map(a => [lab.roles.get(a.state.roleDefinitionId)?.roleName, a.state.scope]),
        [['Key Vault Secrets User', vault.id]],
      );
      assert.equal((await runWorkload(lab, server, workload)).ok, true, 'the workload still works');
    } finally {
      await server.close();
    }
  });

  it('proposes nothing (and removes nothing) for a principal the lab saw do nothing', async () => {
    const lab = await createLab();
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    const report = leastPrivilege(lab, vm.identity!.systemAssigned!.principalId);
    assert.deepEqual([report.propose, report.remove, report.fixes], [[], [], []]);
    assert.match(report.summary, /no requests/);
  });
});

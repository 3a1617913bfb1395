// Learning mode's rule: on in a scenario unless the person chose, and what it keeps back — the
// role a fix would assign and the sentences naming it as the answer — never the rest of the diagnosis.
import * as assert from 'node:assert/strict';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import { enterScenario, leaveScenario } from '../../../src/engine/operations/scenarioProgress';
import { diagnoseDecision } from '../../../src/engine/diagnosis/diagnose';
import {
  hasAnswer,
  hintSentence,
  learningModeNow,
  WITHHELD,
  withholdFromFinding,
  withholdFromText,
  withholdsAnswer,
} from '../../../src/engine/scenarios/learning';

const GET_SECRET = 'Microsoft.KeyVault/vaults/secrets/getSecret/action';

async function denied() {
  const lab = await createLab();
  const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
  const vault = lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
  const principalId = vm.identity!.systemAssigned!.principalId;
  const decision = lab.access.decide({ principalId, action: GET_SECRET, scope: vault.id, plane: 'data' });
  return { lab, decision, finding: diagnoseDecision(lab, decision).findings[0]! };
}

describe('engine: learning mode', () => {
  it('is practitioner by default, learning while a scenario runs, and what the person chose either way', async () => {
    const { lab } = await denied();
    assert.equal(learningModeNow(lab, undefined), 'practitioner');
    enterScenario(lab, 'keyVaultAccess');
    assert.equal(learningModeNow(lab, undefined), 'learning');
    assert.equal(learningModeNow(lab, 'practitioner'), 'practitioner', 'an explicit choice wins over the scenario');
    leaveScenario(lab);
    assert.equal(learningModeNow(lab, 'learning'), 'learning');
    assert.equal(withholdsAnswer('learning', false), true);
    assert.equal(withholdsAnswer('learning', true), false, 'a hint asked for reveals it');
    assert.equal(withholdsAnswer('practitioner', false), false);
  });

  it('keeps back the role-assigning fix, its evidence and the sentence naming it, and keeps the rest', async () => {
    const { finding } = await denied();
    assert.ok(hasAnswer([finding]));
    assert.match(finding.explanation, /'Key Vault Secrets User' .* least-privileged/);
    const learner = withholdFromFinding(finding);
    assert.doesNotMatch(learner.explanation, /Key Vault Secrets User/);
    assert.ok(learner.explanation.endsWith(WITHHELD));
    assert.match(
      learner.explanation,
      /may not getSecret at kv-lab\. It has no role assignments at all\./,
      'what was denied, and why, is still said',
    );
    assert.match(learner.explanation, /none of them grants data actions/, 'and why the usual roles do not help');
    assert.ok(!learner.fixes.some(f => f.action?.kind === 'createRoleAssignment'));
    assert.ok(!learner.evidence.some(e => e.label === 'would grant'));
    assert.deepEqual(
      learner.evidence,
      finding.evidence.filter(e => e.label !== 'would grant'),
      'the rest of the evidence stays: the learner needs it',
    );
    assert.ok(learner.evidence.length > 0);
    assert.ok(!hasAnswer([learner]));
  });

  it("keeps back Check Access's suggestion sentence; leaves a text without one as it was", async () => {
    const { decision } = await denied();
    const role = decision.suggestion!.roleName;
    assert.match(decision.summary, new RegExp(role));
    const learner = withholdFromText(decision.summary, [role]);
    assert.doesNotMatch(learner, new RegExp(role));
    assert.match(learner, /^Denied: the principal has no role assignments\./);
    assert.equal(withholdFromText('Denied: nothing else here.', [role]), 'Denied: nothing else here.');
    assert.equal(withholdFromText(decision.summary, []), decision.summary);
  });

  it('gives the answer in the hint', () => {
    assert.equal(
      hintSentence('Key Vault Secrets User', GET_SECRET, 'kv-lab'),
      `Hint: 'Key Vault Secrets User' at kv-lab is the least-privileged built-in role that grants ${GET_SECRET}.`,
    );
  });
});

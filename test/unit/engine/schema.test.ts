import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { Lab } from '../../../src/engine/lab/lab';
import { parseLabState } from '../../../src/engine/state/schema';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { isLabError } from '../../../src/engine/base/errors';
import { CURRENT_SCHEMA_VERSION } from '../../../src/engine/state/labState';

describe('engine: lab state schema', () => {
  it('round-trips: save, validate, load, save again gives the same JSON', async () => {
    const lab = await createLab();
    const json = JSON.parse(JSON.stringify(lab.toState()));
    const parsed = parseLabState(json);
    assert.ok(parsed.ok, !parsed.ok ? JSON.stringify(parsed.problems) : '');
    assert.equal(JSON.stringify(new Lab(parsed.state).toState()), JSON.stringify(lab.toState()));
  });

  const edits: Array<[string, (s: any) => void, string, RegExp]> = [
    [
      'a principal id that is not a GUID',
      s => (s.resources[0].identity.systemAssigned.principalId = 'not-a-guid'),
      'resources[0].identity.systemAssigned.principalId',
      /expected a GUID/,
    ],
    [
      'a wrong type',
      s => (s.settings.tokenLifetimeSeconds = '86400'),
      'settings.tokenLifetimeSeconds',
      /must be a whole number of seconds from 360 to 86400, found a string/,
    ],
    [
      'a token lifetime its setter refuses (one rule for both)',
      s => (s.settings.tokenLifetimeSeconds = 10),
      'settings.tokenLifetimeSeconds',
      /must be a whole number of seconds from 360 to 86400, found 10/,
    ],
    [
      'a latency its setter refuses (one rule for both)',
      s => (s.faults = { vm: { throttle: true, latencyMs: 1e15 } }),
      'faults["vm"].latencyMs',
      /must be a whole number of milliseconds from 0 to 120000, found 1000000000000000/,
    ],
    [
      '100,000-deep nesting (which would overflow the stack of whatever walks it next)',
      s => {
        let deep: unknown = 'bottom';
        for (let i = 0; i < 100_000; i++) deep = [deep];
        s.resources[0].properties.deep = deep;
      },
      'resources[0].properties.deep[0][0][0][0][0]…',
      /nests more than 64 levels deep/,
    ],
    ['a missing field', s => delete s.tenant.tenantId, 'tenant.tenantId', /is missing/],
    [
      'a malformed resource id',
      s => (s.roleAssignments[0].scope = '/subscription/x'),
      'roleAssignments[0].scope',
      /must start with '\/subscriptions\/'/,
    ],
    [
      'a resource in a group that does not exist',
      s => (s.resourceGroups = []),
      'resources[0].id',
      /resource group 'rg-lab' is not in this lab/,
    ],
    [
      'an identity whose principal is gone',
      s => (s.servicePrincipals = []),
      'resources[0].identity.systemAssigned.principalId',
      /no service principal/,
    ],
    [
      'an unknown role definition',
      s =>
        (s.roleAssignments[0].roleDefinitionId = s.roleAssignments[0].roleDefinitionId.replace(
          /[0-9a-f-]{36}$/,
          '00000000-0000-0000-0000-000000000000',
        )),
      'roleAssignments[0].roleDefinitionId',
      /no role definition/,
    ],
    [
      'an unknown resource type',
      s => (s.resources[1].type = 'Microsoft.Nope/things'),
      'resources[1].type',
      /does not match the type in its id/,
    ],
    ['a broken signing key', s => delete s.signingKeys[0].privateJwk.d, 'signingKeys[0]', /not a valid signing key/],
  ];
  for (const [what, edit, path, message] of edits) {
    it(`reports ${what} at its exact path`, async () => {
      const state = JSON.parse(JSON.stringify((await createLab()).toState()));
      edit(state);
      const parsed = parseLabState(state);
      assert.equal(parsed.ok, false);
      const problem = !parsed.ok && parsed.problems.find(p => p.path === path);
      assert.ok(problem, `no problem at ${path}: ${JSON.stringify(!parsed.ok && parsed.problems)}`);
      assert.match(problem.message, message);
    });
  }

  it('an operation refuses properties nested deeper than a state file may hold (ARM: 400 InvalidRequestContent)', async () => {
    const lab = await createLab();
    let deep: unknown = {};
    for (let i = 0; i < 1_000; i++) deep = { deep };
    assert.throws(
      () => createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'storage', name: 'stdeep', properties: { deep } }),
      (error: Error) =>
        isLabError(error) &&
        error.code === 'InvalidRequestContent' &&
        /'properties\.deep\.deep.*' nests more than 64 levels deep/.test(error.message),
    );
    assert.equal(
      lab.arm.resources.some(r => r.name === 'stdeep'),
      false,
    );
  });

  it('migrates a version 1 file: real time, no groups, instant propagation', async () => {
    const v1 = JSON.parse(JSON.stringify((await createLab()).toState()));
    v1.schemaVersion = 1;
    delete v1.clock;
    delete v1.groups;
    delete v1.removedRoleAssignments;
    delete v1.settings.rbacPropagation;
    const parsed = parseLabState(v1);
    assert.ok(parsed.ok, !parsed.ok ? JSON.stringify(parsed.problems) : '');
    assert.equal(parsed.migratedFrom, 1);
    assert.deepEqual(parsed.state.clock, { offsetMs: 0 });
    assert.deepEqual(parsed.state.groups, []);
    assert.deepEqual(parsed.state.removedRoleAssignments, []);
    assert.deepEqual(parsed.state.settings.rbacPropagation, { mode: 'instant', delaySeconds: 600 });
  });

  it('migrates a version 2 file to 3: nothing to fill in (scenarios are optional), the version says a newer lab wrote it', async () => {
    const v2 = JSON.parse(JSON.stringify((await createLab()).toState()));
    v2.schemaVersion = 2;
    const parsed = parseLabState(v2);
    assert.ok(parsed.ok, !parsed.ok ? JSON.stringify(parsed.problems) : '');
    assert.equal(parsed.migratedFrom, 2);
    assert.equal(parsed.state.schemaVersion, 3);
    assert.equal(parsed.state.scenarios, undefined);
    assert.deepEqual(parsed.state.clock, v2.clock);
  });

  it('checks the new fields with the same rules the operations use', async () => {
    const state = JSON.parse(JSON.stringify((await createLab()).toState()));
    state.settings.rbacPropagation = { mode: 'eventually', delaySeconds: 0 };
    state.clock = { offsetMs: 'soon' };
    state.groups = [{ objectId: 'x', displayName: '', mailNickname: 'm', createdAt: 1, members: [{ objectId: 'y' }] }];
    const parsed = parseLabState(state);
    assert.equal(parsed.ok, false);
    const problems = !parsed.ok ? parsed.problems.map(p => `${p.path}: ${p.message}`) : [];
    assert.ok(
      problems.includes("settings.rbacPropagation.mode: expected one of instant, realistic, found 'eventually'"),
      problems.join('\n'),
    );
    assert.ok(
      problems.includes('settings.rbacPropagation.delaySeconds: must be a whole number of seconds from 1 to 86400'),
      problems.join('\n'),
    );
    assert.ok(problems.includes('clock.offsetMs: expected a number, found a string'));
    assert.ok(problems.includes("groups[0].objectId: expected a GUID, found 'x'"));
    assert.ok(problems.includes('groups[0].displayName: must be 1-256 characters'));
    assert.ok(problems.includes('groups[0].members[0].addedAt: is missing'));
  });

  it('refuses a file from a newer version and says how to recover', async () => {
    const state = JSON.parse(JSON.stringify((await createLab()).toState()));
    state.schemaVersion = 99;
    const parsed = parseLabState(state);
    assert.equal(parsed.ok, false);
    assert.match(
      !parsed.ok ? parsed.problems[0]!.message : '',
      new RegExp(`written by a newer version of Managed Identity Lab; this version reads up to ${CURRENT_SCHEMA_VERSION}\\.`),
    );
  });

  it('refuses things that are not lab state at all', () => {
    for (const junk of [null, 42, 'x', [], {}, { schemaVersion: 'one' }]) assert.equal(parseLabState(junk).ok, false, JSON.stringify(junk));
  });
});

import * as assert from 'node:assert/strict';
import { createLab } from '../../../src/engine/operations/sampleLab';
import { Lab } from '../../../src/engine/lab/lab';
import { parseLabState } from '../../../src/engine/state/schema';
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
      /expected a number, found a string/,
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

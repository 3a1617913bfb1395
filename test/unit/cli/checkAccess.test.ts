import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CURRENT_SCHEMA_VERSION } from '../../../src/engine/state/labState';

const cli = path.resolve(__dirname, '../../../../dist/cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('cli: milab check-access', () => {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-cli-'));
  let vault: string;
  before(() => {
    run('check-access', '--state', state, '--assignee', 'vm-web', '--action', 'x', '--scope', '/');
    vault = JSON.parse(fs.readFileSync(path.join(state, 'lab.json'), 'utf8')).resources.find(
      (r: { name: string }) => r.name === 'kv-lab',
    ).id;
  });

  it('explains a denial and prints the az command that would fix it (exit 1)', () => {
    const result = run(
      'check-access',
      '--state',
      state,
      '--assignee',
      'vm-web',
      '--action',
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      '--scope',
      `${vault}/secrets/db-password`,
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^Denied: the principal has no role assignments\./);
    assert.match(result.stdout, /\(data action\)/);
    assert.match(
      result.stdout,
      new RegExp(
        `az role assignment create --assignee-object-id [0-9a-f-]{36} --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" --scope "${vault.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`,
      ),
    );
  });

  it('prints the decision as JSON with --json (exit 0 when allowed)', () => {
    const result = run(
      'check-access',
      '--state',
      state,
      '--assignee',
      'learner@contosolab.onmicrosoft.com',
      '--action',
      'Microsoft.KeyVault/vaults/write',
      '--scope',
      vault,
      '--json',
    );
    assert.equal(result.status, 0, result.stderr);
    const decision = JSON.parse(result.stdout);
    assert.equal(decision.allowed, true);
    assert.equal(decision.grants[0].roleName, 'Owner');
    assert.equal(decision.grants[0].inherited, true);
    assert.equal(decision.principal.type, 'User');
  });

  it('answers bad input with a clear message and the right exit code', () => {
    const usage = run('check-access', '--state', state, '--assignee', 'vm-web');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /the following arguments are required: --action, --scope/);
    const unknown = run('check-access', '--state', state, '--assignee', 'nobody', '--action', 'a', '--scope', vault);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no principal 'nobody'/);
    const badScope = run('check-access', '--state', state, '--assignee', 'vm-web', '--action', 'a', '--scope', '/subscriptions/x');
    assert.equal(badScope.status, 1);
    assert.match(badScope.stderr, /'x' is not a subscription id/);
    assert.doesNotMatch(badScope.stderr, /at .*\.js:\d+/, 'no stack trace');
  });
});

describe('cli: milab reset', () => {
  it('starts over, keeping the unusable state file beside the new one', () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-reset-'));
    fs.writeFileSync(path.join(state, 'lab.json'), '{ broken');
    const refused = run('check-access', '--state', state, '--assignee', 'x', '--action', 'a', '--scope', '/');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /cannot be read: lab\.json is not valid JSON/);
    assert.match(refused.stderr, /milab reset --state/);
    const result = run('reset', '--state', state);
    assert.equal(result.status, 0, result.stderr);
    const kept = fs.readdirSync(state).find(f => f.startsWith('lab.json.unusable-'));
    assert.ok(kept, result.stdout);
    assert.equal(fs.readFileSync(path.join(state, kept), 'utf8'), '{ broken');
    assert.equal(JSON.parse(fs.readFileSync(path.join(state, 'lab.json'), 'utf8')).schemaVersion, CURRENT_SCHEMA_VERSION);
  });
});

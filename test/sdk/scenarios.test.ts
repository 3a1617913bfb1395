// Three scenarios solved the learner's way, not with `solve`: the real `milab` CLI starts the
// scenario in a running lab, the learner's own app (the real @azure/identity with
// @azure/keyvault-secrets or @azure/storage-blob, in the environment `milab env` prints) fails as
// the story says, the learner fixes it with `milab az`, the app works, and `milab scenario check`
// agrees (exit 0, the JSON contract). Each check also re-runs the workload, drawn in Token Flow.
import * as assert from 'node:assert/strict';
import { labEnv, milab, runApp, startLab } from './harness';
import type { LabHost } from '../../src/host/labHost';

interface CheckJson {
  id: string;
  outcome: 'solved' | 'not-yet' | 'too-broad';
  goals: Array<{ text: string; met: boolean }>;
  message: string;
}

describe('sdk: scenarios solved with milab az, milab env and the real Azure SDK', function () {
  this.timeout(180_000);
  let host: LabHost;
  let stateDir: string;
  before(async () => ({ host, stateDir } = await startLab({ scenarios: true })));
  after(async () => {
    await milab(stateDir, 'scenario', 'stop');
    await host.close();
  });

  const az = async (...args: string[]): Promise<string> => {
    const result = await milab(stateDir, 'az', ...args);
    assert.equal(result.code, 0, `az ${args.join(' ')}\n${result.stderr}`);
    return result.stdout.trim();
  };
  const check = async (): Promise<{ code: number; json: CheckJson }> => {
    const result = await milab(stateDir, 'scenario', 'check', '--json');
    const json = JSON.parse(result.stdout) as CheckJson;
    assert.deepEqual(Object.keys(json), ['id', 'outcome', 'goals', 'message'], 'the check --json contract');
    return { code: result.code, json };
  };
  const start = async (id: string): Promise<void> => {
    const started = await milab(stateDir, 'scenario', 'start', id);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, new RegExp(`Started ${id}`));
  };
  /** The course's fix for a managed identity's principal: az role assignment create. */
  const assignRole = (principal: string, role: string, scope: string) =>
    az(
      'role',
      'assignment',
      'create',
      '--assignee-object-id',
      principal,
      '--assignee-principal-type',
      'ServicePrincipal',
      '--role',
      role,
      '--scope',
      scope,
    );
  const vaultUrl = (name: string) => host.lab.serviceUrls.vault(name);

  it('forbidden-403: the app gets 403; Reader does not help; Key Vault Secrets User on the vault does', async () => {
    const learnersBefore = JSON.stringify(host.lab.arm.resources.map(r => r.id));
    await start('forbidden-403');
    const read = async () =>
      runApp('readSecret.mjs', await labEnv(stateDir, 'vm-web'), { vaultUrl: vaultUrl('kv-web'), name: 'db-password' });
    const refused = (await read()) as { ok: boolean; statusCode?: number; innerCode?: string };
    assert.equal(refused.ok, false);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.innerCode, 'ForbiddenByRbac');
    const first = await check();
    assert.equal(first.code, 1);
    assert.equal(first.json.outcome, 'not-yet');

    const principal = await az('vm', 'identity', 'show', '-g', 'rg-scenario', '-n', 'vm-web', '--query', 'principalId', '-o', 'tsv');
    const vault = await az('keyvault', 'show', '-n', 'kv-web', '--query', 'id', '-o', 'tsv');
    const assign = (role: string) => assignRole(principal, role, vault);
    await assign('Reader');
    assert.equal(((await read()) as { statusCode?: number }).statusCode, 403, 'Reader has no data actions');
    const stillNot = await check();
    assert.equal(stillNot.code, 1);
    assert.match(stillNot.json.message, /Reader has no dataActions/);

    await az('role', 'assignment', 'delete', '--assignee', principal, '--role', 'Reader', '--scope', vault);
    await assign('Key Vault Secrets User');
    const worked = (await read()) as { ok: boolean; value?: string };
    assert.equal(worked.ok, true, JSON.stringify(worked));
    assert.equal(worked.value, 'P@ssw0rd-from-the-scenario');
    const solved = await check();
    assert.equal(solved.code, 0, solved.json.message);
    assert.equal(solved.json.outcome, 'solved');
    assert.ok(solved.json.goals.every(g => g.met));

    const stopped = await milab(stateDir, 'scenario', 'stop');
    assert.equal(stopped.code, 0);
    assert.equal(JSON.stringify(host.lab.arm.resources.map(r => r.id)), learnersBefore, 'the learner’s own lab is back');
    const listed = JSON.parse((await milab(stateDir, 'scenario', 'list', '--json')).stdout) as Array<{ id: string; state: string }>;
    assert.equal(listed.find(s => s.id === 'forbidden-403')?.state, 'solved');
  });

  it('mi-unavailable: no identity, then a new principal that still needs its role', async () => {
    await start('mi-unavailable');
    const read = async () =>
      (await runApp('readSecret.mjs', await labEnv(stateDir, 'vm-reports'), { vaultUrl: vaultUrl('kv-reports'), name: 'report-key' })) as {
        ok: boolean;
        name?: string;
        statusCode?: number;
        message?: string;
      };
    const unavailable = await read();
    assert.equal(unavailable.ok, false);
    assert.match(`${unavailable.name} ${unavailable.message}`, /CredentialUnavailableError|AggregateAuthenticationError|unavailable/i);
    assert.equal((await check()).code, 1);

    await az('vm', 'identity', 'assign', '-g', 'rg-scenario', '-n', 'vm-reports');
    const noRole = await read();
    assert.equal(noRole.statusCode, 403, 'the new principal has no role yet');
    const halfway = await check();
    assert.equal(halfway.json.outcome, 'not-yet');
    assert.match(halfway.json.message, /new principal [0-9a-f-]{36} has no role on kv-reports yet/);

    const principal = await az('vm', 'identity', 'show', '-g', 'rg-scenario', '-n', 'vm-reports', '--query', 'principalId', '-o', 'tsv');
    const vault = await az('keyvault', 'show', '-n', 'kv-reports', '--query', 'id', '-o', 'tsv');
    await assignRole(principal, 'Key Vault Secrets User', vault);
    assert.equal((await read()).ok, true);
    const solved = await check();
    assert.equal(solved.code, 0, solved.json.message);
  });

  it('storage-blob-data: Owner of the account is refused; Storage Blob Data Contributor reads and writes', async () => {
    await start('storage-blob-data');
    const accountUrl = host.lab.serviceUrls.blob('stscenarioetl');
    const blobs = async (args: Record<string, unknown>) =>
      (await runApp('blobs.mjs', await labEnv(stateDir, 'vm-etl'), { accountUrl, container: 'reports', ...args })) as {
        ok: boolean;
        statusCode?: number;
        code?: string;
      };
    const principal = await az('vm', 'identity', 'show', '-g', 'rg-scenario', '-n', 'vm-etl', '--query', 'principalId', '-o', 'tsv');
    const account = await az('storage', 'account', 'show', '-n', 'stscenarioetl', '--query', 'id', '-o', 'tsv');
    const assign = (role: string) => assignRole(principal, role, account);
    await assign('Owner');
    const owner = await blobs({ blob: 'input.csv' });
    assert.equal(owner.statusCode, 403);
    assert.equal(owner.code, 'AuthorizationPermissionMismatch');
    const refused = await check();
    assert.equal(refused.code, 1);
    assert.match(refused.json.message, /Owner has no dataActions/);

    await az('role', 'assignment', 'delete', '--assignee', principal, '--role', 'Owner', '--scope', account);
    await assign('Storage Blob Data Contributor');
    assert.equal((await blobs({ blob: 'input.csv' })).ok, true);
    assert.equal((await blobs({ blob: 'summary.txt', upload: 'total,59\n' })).ok, true);
    const solved = await check();
    assert.equal(solved.code, 0, solved.json.message);
    assert.equal(solved.json.outcome, 'solved');
  });
});

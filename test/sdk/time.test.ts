// The real SDK on the lab clock: a role assignment under realistic propagation, and a group a
// VM's identity joined while the managed-identity endpoint held its token — the 403 the SDK
// sees, in Key Vault's words, and the 200 once the lab clock has moved on. Each run is its own process.
import * as assert from 'node:assert/strict';
import { labEnv, runApp, startLab } from './harness';
import type { LabHost } from '../../src/host/labHost';
import { runAz } from '../../src/az';
import { SAMPLE } from '../../src/engine/operations/sampleLab';
import { advanceClock, useRealTime } from '../../src/engine/operations/clock';
import { setRbacPropagation } from '../../src/engine/operations/settings';
import { createOrUpdateResource } from '../../src/engine/operations/resources';
import { LAB_CALLER } from '../../src/engine/lab/authorization';

describe('sdk: the SDK against the lab clock (propagation, cached group claims)', function () {
  this.timeout(180_000);
  let host: LabHost;
  let stateDir: string;
  let vaultUrl: string;
  let vaultId: string;
  const az = async (...argv: string[]) => {
    const result = await runAz(host.lab, argv);
    assert.equal(result.exitCode, 0, result.stderr);
    return result.stdout.trim();
  };
  const vm = (name: string) => {
    const created = createOrUpdateResource(host.lab, LAB_CALLER, {
      resourceGroup: SAMPLE.resourceGroup,
      type: 'vm',
      name,
      identity: { systemAssigned: true },
    });
    return { name, principal: created.identity!.systemAssigned!.principalId };
  };

  before(async () => {
    ({ host, stateDir } = await startLab());
    vaultUrl = host.lab.serviceUrls.vault(SAMPLE.vault);
    vaultId = host.lab.arm.resources.find(r => r.name === SAMPLE.vault)!.id;
  });
  /** The course's fix: az role assignment create, Key Vault Secrets User on the vault. */
  const grantSecretsUser = (principal: string) =>
    az(
      'role',
      'assignment',
      'create',
      '--assignee-object-id',
      principal,
      '--assignee-principal-type',
      'ServicePrincipal',
      '--role',
      'Key Vault Secrets User',
      '--scope',
      vaultId,
    );
  afterEach(() => {
    useRealTime(host.lab);
    setRbacPropagation(host.lab, 'instant');
  });
  after(() => host.close());

  it('realistic propagation: 403 with "please observe propagation time" right after the assignment, 200 ten lab minutes later', async () => {
    setRbacPropagation(host.lab, 'realistic');
    const app = vm('vm-sdk-propagation');
    await grantSecretsUser(app.principal);
    const env = await labEnv(stateDir, app.name);
    const early = await runApp('readSecret.mjs', env, { vaultUrl, name: SAMPLE.secret });
    assert.equal(early.ok, false);
    assert.equal((early as any).statusCode, 403);
    assert.equal((early as any).innerCode, 'ForbiddenByRbac');
    assert.match(
      early.message!,
      /If role assignments, deny assignments or role definitions were changed recently, please observe propagation time\./,
    );
    advanceClock(host.lab, '10m');
    const later = await runApp('readSecret.mjs', env, { vaultUrl, name: SAMPLE.secret });
    assert.ok(later.ok, later.message);
  });

  it('instant propagation: the same steps succeed at once', async () => {
    const app = vm('vm-sdk-instant');
    await grantSecretsUser(app.principal);
    const result = await runApp('readSecret.mjs', await labEnv(stateDir, app.name), { vaultUrl, name: SAMPLE.secret });
    assert.ok(result.ok, result.message);
  });

  it('a group joined after the endpoint cached the token: 403 until the cached token has expired, then 200', async () => {
    await az('ad', 'group', 'create', '--display-name', 'sdk-readers', '--mail-nickname', 'sdk-readers', '-o', 'none');
    await az('role', 'assignment', 'create', '--assignee', 'sdk-readers', '--role', 'Key Vault Secrets User', '--scope', vaultId);
    const app = vm('vm-sdk-group');
    const env = await labEnv(stateDir, app.name);
    assert.equal((await runApp('readSecret.mjs', env, { vaultUrl, name: SAMPLE.secret })).ok, false, 'not in the group yet');
    await az('ad', 'group', 'member', 'add', '--group', 'sdk-readers', '--member-id', app.principal);
    const cached = await runApp('readSecret.mjs', env, { vaultUrl, name: SAMPLE.secret });
    assert.equal(cached.ok, false, 'a new process, but the endpoint serves the token it cached before the membership');
    assert.equal((cached as any).statusCode, 403);
    advanceClock(host.lab, '24h');
    const fresh = await runApp('readSecret.mjs', env, { vaultUrl, name: SAMPLE.secret });
    assert.ok(fresh.ok, fresh.message);
  });
});

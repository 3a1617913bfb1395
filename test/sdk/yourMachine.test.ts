// The real @azure/identity DefaultAzureCredential on "your machine" (`milab env --as local`):
// its IMDS probe meets the lab's absent IMDS and waits out its 1 s, then AzureCliCredential runs
// the lab's az from PATH and gets a token as the learner; Key Vault answers 403 as the learner
// until the learner has a data role, then 200. AZURE_TOKEN_CREDENTIALS=dev leaves the probe out.
// Each run is its own process; a test guard (loaded before the lab's preload) refuses any
// connection that would still go to 169.254.169.254, so none can leave the machine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { labEnv, ROOT, runApp, startLab } from './harness';
import type { LabHost } from '../../src/host/labHost';
import { runAz } from '../../src/az';
import type { Trace } from '../../src/engine/trace/model';
import { SAMPLE } from '../../src/engine/operations/sampleLab';
import { dacSlowLocally } from '../../src/engine/scenarios/timeAndChain';

describe('sdk: DefaultAzureCredential on your machine (milab env --as local)', function () {
  this.timeout(180_000);
  let host: LabHost;
  let stateDir: string;
  let env: Record<string, string>;
  let vaultUrl: string;
  let guardLog: string;

  before(async () => {
    ({ host, stateDir } = await startLab());
    const local = await labEnv(stateDir, 'local');
    guardLog = path.join(stateDir, 'imds-guard.log');
    env = {
      ...local,
      NODE_OPTIONS: `--require ${JSON.stringify(path.join(ROOT, 'test', 'sdk', 'apps', 'imdsGuard.cjs'))} ${local['NODE_OPTIONS']}`,
      MILAB_TEST_IMDS_GUARD_LOG: guardLog,
    };
    vaultUrl = host.lab.serviceUrls.vault(SAMPLE.vault);
  });
  afterEach(() => assert.equal(fs.existsSync(guardLog), false, 'no connection to 169.254.169.254 got past the lab'));
  after(() => host.close());

  const chainTraces = () => host.lab.traces.all.filter((t: Trace) => t.yourMachine);

  it('gives no managed-identity variables, the lab’s az first on PATH, and no AZURE_TOKEN_CREDENTIALS', () => {
    assert.equal(env['AZURE_POD_IDENTITY_AUTHORITY_HOST'], undefined);
    assert.equal(env['AZURE_TOKEN_CREDENTIALS'], undefined);
    assert.match(env['MILAB_ABSENT_IMDS']!, /^127\.0\.0\.1:\d+$/);
    const bin = env['PATH']!.split(path.delimiter)[0]!;
    assert.equal(bin, path.join(stateDir, 'bin'));
    assert.equal(
      fs.statSync(path.join(bin, 'az')).mode & 0o111,
      0o111,
      'az is an executable file (AzureCliCredential runs it without a shell)',
    );
  });

  it('walks the chain to AzureCliCredential: 403 as the learner, then 200 once the learner has a data role', async () => {
    const before = chainTraces().length;
    const denied = await runApp('defaultChain.mjs', env, { vaultUrl, name: SAMPLE.secret });
    assert.equal(denied.ok, false, JSON.stringify(denied));
    assert.equal((denied as any).statusCode, 403);
    assert.match(denied.message!, new RegExp(`Caller: appid=04b07795-8ddb-461a-bbee-02f9e1bf7b46;oid=${host.lab.directory.user.objectId}`));
    // The lab saw one chain: the probe nobody answered, then az.
    const chain = chainTraces().slice(before);
    assert.equal(chain.length, 1, chain.map(t => t.title).join(', '));
    const attempts = chain[0]!.chainAttempts!;
    assert.deepEqual(
      attempts.map(a => `${a.credential}:${a.outcome}`),
      ['ManagedIdentityCredential:unavailable', 'AzureCliCredential:answered'],
    );
    assert.ok(attempts[0]!.durationMs >= 900, `the probe waited out its 1 s timeout (${attempts[0]!.durationMs} ms)`);
    const cli = chain[0]!.participants.find(p => p.kind === 'cli')!.id;
    const app = chain[0]!.participants.find(p => p.kind === 'app')!.id;
    assert.match(chain[0]!.messages.find(m => m.from === cli && m.to === app)!.label, /^exit 0: accessToken as learner@/);
    console.log(
      `      full chain: the SDK took ${(denied as any).elapsedMs} ms; the lab saw the probe wait ${attempts[0]!.durationMs} ms and az answer in ${attempts[1]!.durationMs} ms`,
    );

    const vault = host.lab.arm.resources.find(r => r.name === SAMPLE.vault)!;
    const grant = await runAz(host.lab, [
      'role',
      'assignment',
      'create',
      '--assignee',
      host.lab.directory.user.userPrincipalName,
      '--role',
      'Key Vault Secrets User',
      '--scope',
      vault.id,
    ]);
    assert.equal(grant.exitCode, 0, grant.stderr);
    const allowed = await runApp('defaultChain.mjs', env, { vaultUrl, name: SAMPLE.secret });
    assert.ok(allowed.ok, allowed.message);
    assert.equal((allowed as any).value, 'P@ssw0rd-from-the-lab');
  });

  it('gets a learner token (a user token issued to Azure CLI) through the lab’s az', async () => {
    const result = await runApp('defaultChain.mjs', env, { scope: 'https://vault.azure.net/.default' });
    assert.ok(result.ok, result.message);
    assert.equal(result.claims!['oid'], host.lab.directory.user.objectId);
    assert.equal(result.claims!['upn'], host.lab.directory.user.userPrincipalName);
    assert.equal(result.claims!['appid'], '04b07795-8ddb-461a-bbee-02f9e1bf7b46');
    assert.equal(result.claims!['aud'], 'https://vault.azure.net');
  });

  it('the dac-slow-locally scenario: not solved with the full chain, solved with its fix (AZURE_TOKEN_CREDENTIALS=dev), measured by the lab', async () => {
    await dacSlowLocally.setup(host.lab);
    const workload = dacSlowLocally.workload;
    assert.equal(workload.runsAs, 'local');
    const scope = workload.action.kind === 'getToken' ? workload.action.scope : '';
    assert.ok((await runApp('defaultChain.mjs', env, { scope })).ok);
    assert.equal(dacSlowLocally.check(host.lab).outcome, 'not-yet');
    const fixed = await runApp('defaultChain.mjs', { ...env, ...dacSlowLocally.solution.environment }, { scope });
    assert.ok(fixed.ok, fixed.message);
    const check = dacSlowLocally.check(host.lab);
    assert.equal(check.outcome, 'solved', JSON.stringify(check));
  });

  it('with AZURE_TOKEN_CREDENTIALS=dev the managed-identity attempt disappears from the trace, and the chain is quicker', async () => {
    const before = chainTraces().length;
    const full = await runApp('defaultChain.mjs', env, { scope: 'https://vault.azure.net/.default' });
    const fullTrace = chainTraces().slice(before)[0]!;
    const dev = await runApp('defaultChain.mjs', { ...env, AZURE_TOKEN_CREDENTIALS: 'dev' }, { scope: 'https://vault.azure.net/.default' });
    assert.ok(full.ok && dev.ok, `${full.message} ${dev.message}`);
    const devTrace = chainTraces().slice(before)[1]!;
    assert.ok(fullTrace.chainAttempts!.some(a => a.credential === 'ManagedIdentityCredential'));
    assert.deepEqual(
      devTrace.chainAttempts!.map(a => a.credential),
      ['AzureCliCredential'],
    );
    assert.equal(
      devTrace.participants.some(p => p.kind === 'imds'),
      false,
      'no IMDS in the dev trace',
    );
    console.log(
      `      elapsed: full chain ${(full as any).elapsedMs} ms (trace ${fullTrace.durationMs} ms); AZURE_TOKEN_CREDENTIALS=dev ${(dev as any).elapsedMs} ms (trace ${devTrace.durationMs} ms)`,
    );
  });
});

// `milab run` itself: the course material's curl lines exactly as written, isolation (inside,
// every address but the lab's fails at once, and no packet can leave), the program's exit status,
// and the errors a person meets (unknown resource, no namespaces, no lab).
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { execFile } from 'node:child_process';
import { cleanEnv, milabRun, requireClients, ROOT, startLab } from './harness';
import type { LabHost } from '../../src/host/labHost';
import { LAB_CALLER } from '../../src/engine/lab/authorization';
import { createOrUpdateResource } from '../../src/engine/operations/resources';
import { createRoleAssignment } from '../../src/engine/operations/roleAssignments';
import { assignUserIdentities } from '../../src/engine/operations/identities';
import { newGuid } from '../../src/engine/base/ids';
import type { ReadonlyResource } from '../../src/engine/state/labState';

/** The course material's "Bash (Direct Token Request)" block, character for character (seeds/001, §3.6). */
const SEED_BASH = `# Request token from IMDS endpoint (run ON the Azure VM/App Service)
TOKEN=$(curl -s 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net' \\
  -H 'Metadata: true' | jq -r '.access_token')

# Use token to access Key Vault
curl -s "https://mykeyvault.vault.azure.net/secrets/my-secret?api-version=7.4" \\
  -H "Authorization: Bearer $TOKEN"`;

/** Tries every kind of way out of the namespace; prints one JSON line: what each attempt got, and how fast. */
const ESCAPE_ATTEMPTS = `
const net = require('node:net'), dns = require('node:dns'), dgram = require('node:dgram');
const [labPort, ownAddress] = process.argv.slice(1);
const tcp = (host, port) => new Promise(done => {
  const started = Date.now();
  const socket = net.connect({ host, port, timeout: 5000 });
  socket.on('connect', () => { socket.destroy(); done({ to: host + ':' + port, ok: true, ms: Date.now() - started }); });
  socket.on('timeout', () => { socket.destroy(); done({ to: host + ':' + port, error: 'TIMEOUT', ms: Date.now() - started }); });
  socket.on('error', e => done({ to: host + ':' + port, error: e.code, ms: Date.now() - started }));
});
const lookup = name => new Promise(done => {
  const started = Date.now();
  dns.lookup(name, (e, address) => done({ to: 'dns ' + name, ...(e ? { error: e.code } : { ok: true, address }), ms: Date.now() - started }));
});
const udp = (host, port) => new Promise(done => {
  const started = Date.now();
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.send(Buffer.from('x'), port, host, e => { socket.close(); done({ to: 'udp ' + host + ':' + port, ...(e ? { error: e.code } : { ok: true }), ms: Date.now() - started }); });
});
(async () => {
  const results = [
    await tcp('1.1.1.1', 443), await tcp('8.8.8.8', 53), await tcp('10.255.255.1', 80), await tcp('192.168.0.1', 80),
    await tcp('2606:4700:4700::1111', 443), await tcp(ownAddress, 22), await tcp('127.0.0.1', Number(labPort)),
    await tcp('169.254.169.254', 443), await tcp('127.0.0.1', 8080),
    await udp('8.8.8.8', 53), await udp('2001:4860:4860::8888', 53),
    await lookup('example.com'), await lookup('login.live.com'), await lookup('nosuchvault.vault.azure.net'),
  ];
  const reached = [await tcp('169.254.169.254', 80), await tcp('management.azure.com', 443), await lookup('kv-lab.vault.azure.net')];
  console.log(JSON.stringify({ results, reached }));
})();
`;

function ownAddress(): string {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '203.0.113.7';
}

describe('clients: milab run', function () {
  let host: LabHost;
  let stateDir: string;
  let vm: ReadonlyResource;

  before(async () => {
    requireClients();
    ({ host, stateDir } = await startLab());
    const lab = host.lab;
    vm = lab.arm.resources.find(r => r.name === 'vm-web')!;
    const vault = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'keyvault', name: 'mykeyvault' });
    const now = lab.clock.now();
    lab.dataFor(vault.id).secrets = [
      {
        name: 'my-secret',
        versions: [{ version: newGuid().replace(/-/g, ''), value: 's3cret', enabled: true, created: now, updated: now, tags: {} }],
      },
    ];
    createRoleAssignment(lab, LAB_CALLER, {
      scope: vault.id,
      role: 'Key Vault Secrets User',
      principalId: vm.identity!.systemAssigned!.principalId,
    });
    await host.save();
  });
  after(() => host?.close());

  it("runs the course material's curl to 169.254.169.254 exactly as written, then its Key Vault call by the vault's real name", async () => {
    const before = host.lab.traces.all.length;
    const ran = await milabRun(stateDir, 'vm-web', ['bash', '-c', SEED_BASH]);
    assert.equal(ran.status, 0, ran.stderr);
    const secret = JSON.parse(ran.stdout) as { value?: string; id?: string };
    assert.equal(secret.value, 's3cret');
    assert.match(String(secret.id), /^https:\/\/mykeyvault\.vault\.azure\.net\/secrets\/my-secret\//);
    const traces = host.lab.traces.all.slice(before);
    assert.ok(traces.length >= 2);
    assert.ok(
      traces.every(t => t.hostResourceId === vm.id),
      'both requests are traced as vm-web’s',
    );
  });

  it("answers the seeds' token curl for ARM, `-H Metadata:true` and all, as the VM", async () => {
    const ran = await milabRun(stateDir, 'vm-web', [
      'sh',
      '-c',
      "curl 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/' -H Metadata:true",
    ]);
    assert.equal(ran.status, 0, ran.stderr);
    const body = JSON.parse(ran.stdout) as Record<string, string>;
    assert.equal(body['resource'], 'https://management.azure.com/');
    const claims = JSON.parse(Buffer.from(body['access_token']!.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, string>;
    assert.equal(claims['oid'], vm.identity!.systemAssigned!.principalId);
  });

  it('isolates: inside, every address but the lab’s fails at once (TCP, UDP, IPv6, DNS), and only loopback exists', async () => {
    const labPort = String(host.server.port);
    const ran = await milabRun(stateDir, 'vm-web', [process.execPath, '-e', ESCAPE_ATTEMPTS, labPort, ownAddress()]);
    assert.equal(ran.status, 0, ran.stderr);
    const { results, reached } = JSON.parse(ran.stdout) as {
      results: Array<{ to: string; ok?: boolean; error?: string; ms: number }>;
      reached: Array<{ to: string; ok?: boolean; address?: string }>;
    };
    for (const attempt of results) {
      assert.ok(!attempt.ok, `${attempt.to} must not be reachable`);
      assert.notEqual(attempt.error, 'TIMEOUT', `${attempt.to} must fail at once, not time out`);
      assert.ok(attempt.ms < 1000, `${attempt.to} failed after ${attempt.ms} ms`);
    }
    assert.ok(
      reached.every(r => r.ok),
      `the lab is reachable: ${JSON.stringify(reached)}`,
    );
    const addresses = await milabRun(stateDir, 'vm-web', ['ip', '-o', 'addr', 'show']);
    const lines = addresses.stdout.trim().split('\n');
    assert.ok(lines.length > 0 && lines.every(l => /^\d+: lo\s/.test(l)), `only loopback: ${addresses.stdout}`);
    assert.match(addresses.stdout, /inet 169\.254\.169\.254\/32/);
  });

  it('exits with the program’s status, and leaves the program’s environment its own plus the lab’s CA (and AZURE_CLIENT_ID with --identity)', async () => {
    assert.equal((await milabRun(stateDir, 'vm-web', ['sh', '-c', 'exit 7'])).status, 7);
    const uami = createOrUpdateResource(host.lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'identity', name: 'id-run' });
    assignUserIdentities(host.lab, LAB_CALLER, vm.id, [uami.id]);
    await host.save();
    const chosen = await milabRun(stateDir, 'vm-web', ['sh', '-c', 'echo "$AZURE_CLIENT_ID"'], { identity: uami.id });
    assert.equal(chosen.stdout.trim(), uami.managedIdentity!.clientId);
    const env = await milabRun(
      stateDir,
      'vm-web',
      ['sh', '-c', 'echo "$SSL_CERT_FILE|$REQUESTS_CA_BUNDLE|$CURL_CA_BUNDLE|$KEEP_ME|$AZURE_POD_IDENTITY_AUTHORITY_HOST"'],
      {
        env: { KEEP_ME: 'kept', AZURE_POD_IDENTITY_AUTHORITY_HOST: 'http://127.0.0.1:1/hosts/x' },
      },
    );
    const [ssl, requests, curl, kept, pod] = env.stdout.trim().split('|');
    assert.equal(ssl, path.join(stateDir, 'ca-bundle.pem'));
    assert.equal(requests, ssl);
    assert.equal(curl, ssl);
    assert.equal(kept, 'kept');
    assert.equal(pod, '', 'a previous milab env endpoint (unreachable inside) is dropped');
    assert.match(fs.readFileSync(ssl!, 'utf8'), /BEGIN CERTIFICATE/);
  });

  it('says what is wrong: an unknown resource, a resource no code runs on, no command, a missing program', async () => {
    const unknown = await milabRun(stateDir, 'vm-nope', ['true']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /No compute resource 'vm-nope' in this lab\. Compute resources: vm-web/);
    const vault = await milabRun(stateDir, 'kv-lab', ['true']);
    assert.equal(vault.status, 1);
    assert.match(vault.stderr, /is a Key Vault, not a compute resource/);
    const noCommand = await milabRun(stateDir, 'vm-web', []);
    assert.equal(noCommand.status, 2);
    assert.match(noCommand.stderr, /a command to run is required after --/);
    const missing = await milabRun(stateDir, 'vm-web', ['no-such-program-anywhere']);
    assert.equal(missing.status, 127);
    assert.match(missing.stderr, /no-such-program-anywhere: command not found/);
  });

  it('where namespaces are unavailable, says so in one sentence and shows the milab env way', async () => {
    // Without util-linux's unshare on PATH, this machine cannot make a namespace.
    const ran = await new Promise<{ status: number; stderr: string }>(resolve =>
      execFile(
        process.execPath,
        [path.join(ROOT, 'dist', 'cli.js'), 'run', '--state', stateDir, '--as', 'vm-web', '--', 'python3', 'app.py'],
        { env: cleanEnv({ PATH: fs.mkdtempSync(path.join(os.tmpdir(), 'milab-empty-path-')) }), encoding: 'utf8' },
        (error, _stdout, stderr) => resolve({ status: error ? Number(error.code) : 0, stderr }),
      ),
    );
    assert.equal(ran.status, 1);
    const lines = ran.stderr.trim().split('\n');
    assert.match(
      lines[0]!,
      /^milab run: this machine cannot give a program a network of its own \(the 'unshare' command \(util-linux\) is not installed\); run it against/,
    );
    assert.equal(lines[1], `  eval "$(milab env --state ${stateDir} --as vm-web)"`);
    assert.equal(lines[2], '  python3 app.py');
  });

  it('needs a running lab, and says how to start one', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-none-'));
    const ran = await milabRun(empty, 'vm-web', ['true']);
    assert.equal(ran.status, 1);
    assert.match(ran.stderr, /no lab is running for .*Start one with 'milab serve --state /);
  });
});

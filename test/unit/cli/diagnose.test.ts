// `milab diagnose` as a real process: the error text on stdin, the readable report or the JSON
// contract on stdout, exit 0 found / 1 nothing matched / 2 usage; --state binds to a lab.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const cli = path.resolve(__dirname, '../../../../dist/cli.js');
const run = (input: string | Buffer, ...args: string[]) =>
  spawnSync(process.execPath, [cli, 'diagnose', ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

const IMDS_MULTIPLE =
  '{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}';

describe('cli: milab diagnose', () => {
  it('prints exactly the JSON contract with --json, best first, az where a fix has a command (exit 0)', () => {
    const text = `ERROR: {"code": "AuthorizationFailed", "message": "The client 'ci' with object id '63df65da-6df8-43f2-b687-c4762e099d86' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/read' over scope '/subscriptions/6c47cf9a-aa56-4de6-ac1f-4e89c9f50151/resourceGroups/rg1' or the scope is invalid."}`;
    const result = run(text, '--json');
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(json), ['findings']);
    const [best] = json.findings;
    assert.deepEqual(Object.keys(best), ['category', 'title', 'explanation', 'evidence', 'fixes']);
    assert.equal(best.category, 'rbac-forbidden-arm');
    assert.ok(Array.isArray(best.evidence) && best.evidence.length > 0);
    assert.deepEqual(best.fixes, [
      {
        title: 'Assign Reader at resource group rg1',
        az: 'az role assignment create --assignee-object-id 63df65da-6df8-43f2-b687-c4762e099d86 --assignee-principal-type ServicePrincipal --role Reader --scope /subscriptions/6c47cf9a-aa56-4de6-ac1f-4e89c9f50151/resourceGroups/rg1',
      },
    ]);
    for (const f of json.findings) {
      for (const fix of f.fixes) {
        assert.deepEqual(
          Object.keys(fix).filter(k => k !== 'az'),
          ['title'],
        );
      }
    }
  });

  it('prints a readable report without --json', () => {
    const result = run(IMDS_MULTIPLE);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^multiple-user-assigned-no-selection — Several user-assigned identities, and the request named none\n/);
    assert.match(result.stdout, /\n {2}Evidence:\n/);
    assert.match(result.stdout, /\n {2}Fix:\n {4}1\. Name the identity/);
  });

  it('exits 1 with one unknown finding that says what was looked for when nothing matches', () => {
    const result = run('all good here\n', '--json');
    assert.equal(result.status, 1);
    const { findings } = JSON.parse(result.stdout);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].category, 'unknown');
    assert.match(findings[0].explanation, /^Looked for AADSTS codes/);
    assert.equal(run('').status, 1, 'empty input');
  });

  it("with --state, speaks the lab's words: the VM that has two user-assigned identities, and a fix naming one", () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-diagnose-'));
    const az = (...args: string[]) => spawnSync(process.execPath, [cli, 'az', '--state', state, ...args], { encoding: 'utf8' });
    assert.equal(az('identity', 'create', '-g', 'rg-lab', '-n', 'id-one').status, 0);
    assert.equal(az('identity', 'create', '-g', 'rg-lab', '-n', 'id-two').status, 0);
    assert.equal(
      az(
        'vm',
        'create',
        '-g',
        'rg-lab',
        '-n',
        'vm-two',
        '--image',
        'Ubuntu2404',
        '--generate-ssh-keys',
        '--assign-identity',
        'id-one',
        'id-two',
      ).status,
      0,
    );
    const result = run(IMDS_MULTIPLE, '--state', state, '--json');
    assert.equal(result.status, 0, result.stderr);
    const [best] = JSON.parse(result.stdout).findings;
    assert.equal(best.title, 'vm-two has 2 user-assigned identities and the request named none');
    assert.match(best.fixes[0].title, /^Name the identity in the request: client_id=[0-9a-f-]{36}/);
    const missing = run(IMDS_MULTIPLE, '--state', path.join(state, 'nope'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /there is no lab in/);
  });

  it('answers --help, refuses stray arguments (exit 2), and survives binary input without a stack trace', () => {
    const help = run('', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: milab diagnose \[--state DIR\] \[--json\]/);
    const usage = run('', 'extra');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /unrecognized arguments: extra \(the error text goes on stdin\)/);
    const binary = run(Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256)), '--json');
    assert.ok(binary.status === 0 || binary.status === 1, binary.stderr);
    assert.doesNotMatch(binary.stderr, /at .*\.js:\d+/);
    JSON.parse(binary.stdout);
  });
});

// Every milab subcommand answers --help; `milab env` prints the CA variables other runtimes read
// and hosts lines to paste; `milab run` refuses bad arguments before touching anything.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LabHost } from '../../../src/host/labHost';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';

const cli = path.resolve(__dirname, '../../../../dist/cli.js');
// In a scratch directory: a command that falls back to ./.milab must not leave one in the repository.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-cwd-'));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: scratch });

describe('cli: every subcommand, --help, milab env for other runtimes', () => {
  for (const command of ['serve', 'env', 'run', 'az', 'check-access', 'reset']) {
    it(`milab ${command} --help prints its usage and exits 0`, () => {
      const result = run(command, '--help');
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, command === 'az' ? /az|Group/i : new RegExp(`^Usage: milab ${command}\\b`));
    });
  }

  it('milab --help lists run', () => {
    assert.match(run('--help').stdout, /\n {2}run --as RESOURCE/);
  });

  it('milab run refuses a missing --as or command with a usage error (exit 2)', () => {
    assert.equal(run('run', '--', 'true').status, 2);
    const noCommand = run('run', '--as', 'vm-web');
    assert.equal(noCommand.status, 2);
    assert.match(noCommand.stderr, /a command to run is required after --/);
  });

  it('milab env prints REQUESTS_CA_BUNDLE, SSL_CERT_FILE, CURL_CA_BUNDLE and hosts lines for the lab’s services', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-env-'));
    const host = await LabHost.start({ stateDir, saveDelayMs: 1 });
    try {
      createOrUpdateResource(host.lab, LAB_CALLER, { resourceGroup: 'rg-lab', type: 'storage', name: 'stenvdocs' });
      await host.save();
      const result = spawnSync(process.execPath, [cli, 'env', '--state', stateDir, '--as', 'vm-web'], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      const bundle = path.join(stateDir, 'ca-bundle.pem');
      for (const name of ['REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE', 'CURL_CA_BUNDLE']) {
        assert.match(result.stdout, new RegExp(`^export ${name}='${bundle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'$`, 'm'));
      }
      for (const name of [
        'management.azure.com',
        'login.microsoftonline.com',
        'kv-lab.vault.azure.net',
        'stenvdocs.blob.core.windows.net',
      ]) {
        assert.match(result.stdout, new RegExp(`^#   127\\.0\\.0\\.1 ${name.replace(/\./g, '\\.')}$`, 'm'));
      }
      const pem = fs.readFileSync(bundle, 'utf8');
      assert.ok(pem.startsWith(fs.readFileSync(path.join(stateDir, 'ca.pem'), 'utf8').trimEnd()), 'the bundle starts with the lab CA');
    } finally {
      await host.close();
    }
  });
});

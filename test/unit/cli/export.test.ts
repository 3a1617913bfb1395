// `milab export`: the lab as an az script from the command line, from the saved state or from
// the running lab (which may hold what the file does not yet show), with --help and az's
// usage errors.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { LabHost, loadOrCreateLab } from '../../../src/host/labHost';
import { exportAzScript } from '../../../src/az/export';
import { createOrUpdateResourceGroup } from '../../../src/engine/operations/resources';

const cli = path.resolve(__dirname, '../../../../dist/cli.js');
const run = async (...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { status: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
};
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'milab-export-cli-'));

describe('cli: milab export', function () {
  this.timeout(60_000);

  it('prints the saved lab as the az script, without changing the state', async () => {
    const dir = tempDir();
    const { lab } = await loadOrCreateLab(dir);
    const before = fs.readFileSync(path.join(dir, 'lab.json'));
    const result = await run('export', '--state', dir, '--format', 'az');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, exportAzScript(lab));
    assert.match(result.stdout, /^#!\/usr\/bin\/env bash\n/);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'lab.json')), before);
  });

  it('asks the running lab when there is one', async () => {
    const dir = tempDir();
    const host = await LabHost.start({ stateDir: dir });
    try {
      createOrUpdateResourceGroup(host.lab, host.lab.learner, { name: 'rg-only-in-the-running-lab', location: 'westeurope' });
      const result = await run('export', '--state', dir);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /az group create --name rg-only-in-the-running-lab --location westeurope/);
    } finally {
      await host.close();
    }
  });

  it('answers --help, refuses other formats and says when there is no lab', async () => {
    const help = await run('export', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: milab export \[--state DIR\] \[--format az\]/);
    const format = await run('export', '--format', 'json', '--state', tempDir());
    assert.equal(format.status, 2);
    assert.match(format.stderr, /argument --format: invalid choice: 'json' \(choose from 'az'\)/);
    const empty = tempDir();
    const none = await run('export', '--state', empty);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /there is no lab in .* yet/);
    assert.deepEqual(fs.readdirSync(empty), [], 'exporting creates nothing');
    const top = await run('--help');
    assert.match(top.stdout, /export \[--state DIR\] \[--format az\]/);
  });
});

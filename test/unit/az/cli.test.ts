// `milab az`: against the saved state when no lab runs (saving only what succeeded), and
// against a running `milab serve` over real loopback HTTP through its control route.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDiscovery } from '../../../src/host/discovery';

const cli = path.resolve(__dirname, '../../../../dist/cli.js');
const milab = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'milab-az-'));
const stateFile = (dir: string) => path.join(dir, 'lab.json');

describe('milab az', function () {
  this.timeout(60_000);

  it('without a running lab: runs on the saved state and saves only a command that succeeded', () => {
    const dir = tempDir();
    const created = milab('az', '--state', dir, 'group', 'create', '-n', 'cli-rg', '-l', 'westeurope', '--query', 'name', '-o', 'tsv');
    assert.equal(created.status, 0, created.stderr);
    assert.equal(created.stdout, 'cli-rg\n');
    const saved = fs.readFileSync(stateFile(dir), 'utf8');
    assert.ok(JSON.parse(saved).resourceGroups.some((g: { name: string }) => g.name === 'cli-rg'));

    const usage = milab('az', '--state', dir, 'group', 'create', '-n', 'other');
    assert.equal(usage.status, 2);
    assert.equal(usage.stderr, 'ERROR: the following arguments are required: --location/-l\n');
    const failed = milab('az', 'identity', 'create', '-g', 'missing-rg', '-n', 'x', '--state', dir);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /^ERROR: \(ResourceGroupNotFound\)/);
    assert.equal(fs.readFileSync(stateFile(dir), 'utf8'), saved, 'failed commands leave the file alone');
    const read = milab('az', '--state', dir, 'group', 'list', '--query', '[].name', '-o', 'tsv');
    assert.equal(read.stdout, 'rg-lab\ncli-rg\n');
    assert.equal(fs.readFileSync(stateFile(dir), 'utf8'), saved, 'a read does not rewrite the file');
  });

  it("reads and writes --file paths (from the shell's working directory) when it runs on the saved state", () => {
    const dir = tempDir();
    const upload = path.join(dir, 'upload.txt');
    fs.writeFileSync(upload, 'file content\n');
    const learner = milab('az', '--state', dir, 'ad', 'signed-in-user', 'show', '--query', 'id', '-o', 'tsv').stdout.trim();
    for (const args of [
      ['storage', 'account', 'create', '-g', 'rg-lab', '-n', 'clistore1'],
      [
        'role',
        'assignment',
        'create',
        '--assignee-object-id',
        learner,
        '--assignee-principal-type',
        'User',
        '--role',
        'Storage Blob Data Contributor',
        '-g',
        'rg-lab',
      ],
      ['storage', 'container', 'create', '--account-name', 'clistore1', '-n', 'files', '--auth-mode', 'login'],
      ['storage', 'blob', 'upload', '--account-name', 'clistore1', '-c', 'files', '-f', upload, '--auth-mode', 'login'],
      [
        'storage',
        'blob',
        'download',
        '--account-name',
        'clistore1',
        '-c',
        'files',
        '-n',
        'upload.txt',
        '-f',
        path.join(dir, 'download.txt'),
        '--auth-mode',
        'login',
      ],
    ]) {
      const result = milab('az', '--state', dir, ...args);
      assert.equal(result.status, 0, `${args.join(' ')}\n${result.stderr}`);
    }
    assert.equal(fs.readFileSync(path.join(dir, 'download.txt'), 'utf8'), 'file content\n');
  });

  describe('with a running lab (milab serve)', () => {
    let dir: string;
    let server: ChildProcess;
    let url: string;

    before(async () => {
      dir = tempDir();
      server = spawn(process.execPath, [cli, 'serve', '--state', dir, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout!.on('data', chunk => {
          out += chunk;
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!).url);
        });
        server.once('exit', code => reject(new Error(`milab serve exited with ${code}`)));
      });
    });

    after(async () => {
      const exited = new Promise(resolve => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    });

    it('sends the command to the running lab, which applies it (and saves it) itself', async () => {
      const created = milab(
        'az',
        '--state',
        dir,
        'identity',
        'create',
        '-g',
        'rg-lab',
        '-n',
        'via-server',
        '--query',
        'principalId',
        '-o',
        'tsv',
      );
      assert.equal(created.status, 0, created.stderr);
      assert.match(created.stdout, /^[0-9a-f-]{36}\n$/);
      const shown = milab(
        'az',
        '--state',
        dir,
        'identity',
        'show',
        '-g',
        'rg-lab',
        '-n',
        'via-server',
        '--query',
        'principalId',
        '-o',
        'tsv',
      );
      assert.equal(shown.stdout, created.stdout, 'the second process sees what the first one did: one lab');
      const failed = milab('az', '--state', dir, 'role', 'assignment', 'delete', '--assignee', created.stdout.trim(), '--role', 'Reader');
      assert.equal(failed.status, 1);
      assert.equal(failed.stderr, 'ERROR: No matched assignments were found to delete\n');
      const deadline = Date.now() + 10_000;
      while (!fs.readFileSync(stateFile(dir), 'utf8').includes('via-server')) {
        assert.ok(Date.now() < deadline, 'the running lab saved the change');
        await new Promise(r => setTimeout(r, 100));
      }
    });

    it('the control route wants the token, POST and a small JSON body; it answers Azure-shaped errors', async () => {
      const { controlToken } = (await readDiscovery(dir))!;
      const post = (headers: Record<string, string>, body: string, method = 'POST') =>
        fetch(`${url}/_milab/az`, {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          ...(method === 'POST' ? { body } : {}),
        });
      const body = JSON.stringify({ argv: ['group', 'show', '-n', 'rg-lab', '--query', 'name', '-o', 'tsv'] });

      const missing = await post({}, body);
      assert.equal(missing.status, 401);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'Unauthorized');
      assert.equal((await post({ 'x-milab-control': `${controlToken}x` }, body)).status, 401);
      assert.equal((await post({ 'x-milab-control': controlToken.slice(0, 10) }, body)).status, 401);
      const get = await post({ 'x-milab-control': controlToken }, '', 'GET');
      assert.equal(get.status, 405);
      assert.equal(get.headers.get('allow'), 'POST');
      assert.equal((await post({ 'x-milab-control': controlToken }, '{"argv": "group list"}')).status, 400);
      assert.equal((await post({ 'x-milab-control': controlToken }, 'not json')).status, 400);
      const huge = await post({ 'x-milab-control': controlToken }, JSON.stringify({ argv: ['x'.repeat(300 * 1024)] }));
      assert.equal(huge.status, 413, 'a huge body is refused');
      const ok = await post({ 'x-milab-control': controlToken }, body);
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { exitCode: 0, stdout: 'rg-lab\n', stderr: '' });
    });
  });
});

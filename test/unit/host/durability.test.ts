// Nothing acknowledged is ever lost, and one process writes a state directory at a time: the
// real `milab serve` and `milab az` as child processes, killed with SIGKILL right after a change
// was acknowledged, four offline writers at once, a second server on the same directory, and
// SIGHUP (a closed terminal).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LabHost, loadOrCreateLab } from '../../../src/host/labHost';
import { runAz } from '../../../src/az';
import { labHttps } from '../../support/labHttps';
import { readStateFile, STATE_FILE } from '../../../src/host/stateFile';
import { runMilab, startServe } from '../../support/labProcess';
import { runCli } from '../../../src/cli/cli';
import { PassThrough } from 'node:stream';

/** `milab az …` through the CLI's own code in this process: the test sees the exit code the moment the command ends. */
async function azHere(args: string[]): Promise<{ status: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stdout.resume();
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const status = await runCli(['az', ...args], { stdout, stderr, stdin: process.stdin });
  return { status, stderr: err };
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'milab-durable-'));

function savedNames(dir: string, type: string): Set<string> {
  const state = JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE), 'utf8')) as { resources: Array<{ name: string; type: string }> };
  return new Set(state.resources.filter(r => r.type === type).map(r => r.name));
}
const IDENTITY = 'Microsoft.ManagedIdentity/userAssignedIdentities';

describe('host: acknowledged means durable, one writer per directory', function () {
  this.timeout(240_000);

  it('kill -9 right after each of 50 acknowledged milab az changes: none is lost', async () => {
    const dir = tempDir();
    await loadOrCreateLab(dir);
    const acknowledged: string[] = [];
    for (let i = 0; i < 50; i++) {
      const serve = await startServe(dir);
      const name = `id-killed-${i}`;
      const result = await azHere(['--state', dir, 'identity', 'create', '-g', 'rg-lab', '-n', name, '-o', 'none']);
      serve.child.kill('SIGKILL');
      await serve.exited;
      assert.equal(result.status, 0, result.stderr);
      acknowledged.push(name);
    }
    const saved = savedNames(dir, IDENTITY);
    const lost = acknowledged.filter(n => !saved.has(n));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged changes lost`);
  });

  it('4 offline writers × 50 changes at once: every acknowledged change is in the file', async () => {
    const dir = tempDir();
    await loadOrCreateLab(dir);
    const writer = path.resolve(__dirname, '../../fixtures/offlineWriter.js');
    const outputs = await Promise.all(
      [0, 1, 2, 3].map(
        p =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, [writer, dir, `w${p}`, '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
            let out = '';
            let err = '';
            child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
            child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
            child.once('exit', code => (code === 0 ? resolve(out) : reject(new Error(`writer ${p} exited ${code}: ${err}`))));
          }),
      ),
    );
    const acknowledged = outputs.flatMap(o => o.split('\n').filter(Boolean));
    const saved = savedNames(dir, IDENTITY);
    const lost = acknowledged.filter(n => !saved.has(n));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged changes lost`);
    assert.equal(acknowledged.length, 200, 'every writer got its turn (none gave up waiting for the lock)');
    assert.deepEqual(
      fs.readdirSync(dir).filter(f => f.endsWith('.tmp') || f.startsWith('lab.lock')),
      [],
      'no temporary files or locks left behind',
    );
  });

  it('a second milab serve on the same directory refuses, naming the first one’s pid and port; a killed one’s lock never blocks', async () => {
    const dir = tempDir();
    const first = await startServe(dir);
    try {
      const second = await runMilab(['serve', '--state', dir, '--json'], { timeoutMs: 30_000 });
      assert.equal(second.status, 1, `the second server must refuse: ${second.stderr}`);
      assert.match(second.stderr, new RegExp(`process ${first.child.pid}\\b`));
      assert.match(second.stderr, new RegExp(`port ${first.port}\\b`));
      assert.equal(second.stdout, '', 'it never said it was listening');
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    assert.ok(fs.existsSync(path.join(dir, 'lab.lock')), 'the killed server left its lock');
    const third = await startServe(dir);
    third.child.kill('SIGTERM');
    assert.equal(await third.exited, 0);
  });

  it('SIGHUP (the terminal closed) saves and stops like SIGTERM', async () => {
    const dir = tempDir();
    const serve = await startServe(dir);
    const change = await runMilab(['az', '--state', dir, 'group', 'create', '-n', 'rg-before-hangup', '-l', 'westeurope', '-o', 'none']);
    assert.equal(change.status, 0, change.stderr);
    serve.child.kill('SIGHUP');
    assert.equal(await serve.exited, 0, serve.stderr());
    assert.deepEqual(
      fs.readdirSync(dir).filter(f => f === 'server.json' || f === 'lab.lock'),
      [],
      'stopped cleanly: no discovery file, no lock',
    );
    const read = await readStateFile(dir);
    assert.ok(read.kind === 'ok' && JSON.stringify(read.json).includes('rg-before-hangup'));
  });
});

describe('host: every kind of change is on disk before it is acknowledged', function () {
  this.timeout(60_000);

  it('an ARM PUT is answered only once the state file holds it', async () => {
    const dir = tempDir();
    const host = await LabHost.start({ stateDir: dir });
    try {
      const token = JSON.parse(
        (await runAz(host.lab, ['account', 'get-access-token', '--resource', 'https://management.azure.com/'])).stdout,
      ) as { accessToken: string; subscription: string };
      for (let i = 0; i < 20; i++) {
        const name = `rg-put-${i}`;
        const answer = await labHttps(
          host.server,
          'PUT',
          `${host.server.httpsUrl}/subscriptions/${token.subscription}/resourcegroups/${name}?api-version=2021-04-01`,
          { token: token.accessToken, body: { location: 'westeurope' } },
        );
        assert.equal(answer.status, 201, answer.text);
        // Read at the very moment the answer arrived: nothing else ran in between.
        assert.match(
          fs.readFileSync(path.join(dir, STATE_FILE), 'utf8'),
          new RegExp(`"${name}"`),
          `${name} was acknowledged before it was saved`,
        );
      }
    } finally {
      await host.close();
    }
  });

  it('concurrent changes share saves (group commit): 64 at once, all acknowledged, all on disk', async () => {
    const dir = tempDir();
    const host = await LabHost.start({ stateDir: dir });
    try {
      let writes = 0;
      const watcher = fs.watch(dir, (_event, file) => {
        if (file === STATE_FILE) writes++;
      });
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, i) =>
          fetch(`${host.server.url}/_milab/az`, {
            method: 'POST',
            headers: { 'x-milab-control': host.controlToken, 'content-type': 'application/json' },
            body: JSON.stringify({ argv: ['group', 'create', '-n', `rg-batch-${i}`, '-l', 'westeurope', '-o', 'none'] }),
          }).then(r => r.json() as Promise<{ exitCode: number }>),
        ),
      );
      watcher.close();
      assert.deepEqual(
        results.map(r => r.exitCode),
        new Array(64).fill(0),
      );
      const saved = fs.readFileSync(path.join(dir, STATE_FILE), 'utf8');
      for (let i = 0; i < 64; i++) assert.match(saved, new RegExp(`"rg-batch-${i}"`));
      console.log(`      64 concurrent changes acknowledged after ${writes} renames of lab.json`);
    } finally {
      await host.close();
    }
  });
});

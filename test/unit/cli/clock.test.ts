// `milab clock` on saved state (written back) and against a running lab (through the control
// endpoint), and `milab env --as local`'s shell output: the lab's az first on PATH, nothing of
// a managed identity.
import * as assert from 'node:assert/strict';
import { spawnSync, execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { LabHost } from '../../../src/host/labHost';

const cli = path.resolve(__dirname, '../../../../dist/cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const runAsync = promisify(execFile);

describe('cli: milab clock and milab env --as local', () => {
  it('advances, pauses and resets the clock of a saved lab, and refuses what it cannot use', () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-clock-'));
    assert.match(run('clock', 'show', '--state', state).stdout, /^Lab time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(real time\)\n$/);
    const advanced = run('clock', 'advance', '1h30m', '--state', state);
    assert.equal(advanced.status, 0, advanced.stderr);
    assert.match(advanced.stdout, /\(real time \+ 1 h 30 min, running\)/);
    const saved = JSON.parse(fs.readFileSync(path.join(state, 'lab.json'), 'utf8'));
    assert.ok(saved.clock.offsetMs >= 5_400_000 - 1000, 'written back');
    const view = JSON.parse(run('clock', 'pause', '--state', state, '--json').stdout);
    assert.equal(view.mode, 'paused');
    assert.equal(run('clock', 'real', '--state', state).status, 0);
    assert.equal(JSON.parse(fs.readFileSync(path.join(state, 'lab.json'), 'utf8')).clock.offsetMs, 0);
    const bad = run('clock', 'advance', 'soon', '--state', state);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /'soon' is not a duration the clock can advance by/);
    assert.equal(run('clock', 'rewind', '--state', state).status, 2);
    assert.equal(run('clock', 'advance', '--state', state).status, 2);
  });

  it('moves the clock of the running lab through its control endpoint', async () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-clock-'));
    const host = await LabHost.start({ stateDir: state });
    try {
      const { stdout } = await runAsync(process.execPath, [cli, 'clock', 'advance', '24h', '--state', state], { encoding: 'utf8' });
      assert.match(stdout, /real time \+ 1 d/);
      assert.ok(host.lab.clock.now() - Date.now() > 86_000_000, 'the running lab moved');
      const env = await runAsync(process.execPath, [cli, 'env', '--as', 'local', '--state', state], { encoding: 'utf8' });
      assert.match(
        env.stdout,
        /^unset AZURE_POD_IDENTITY_AUTHORITY_HOST IDENTITY_ENDPOINT IDENTITY_HEADER .*AZURE_TOKEN_CREDENTIALS AZURE_CLIENT_ID/m,
      );
      assert.match(
        env.stdout,
        new RegExp(`^export PATH='${path.join(state, 'bin').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'":\\$PATH"$`, 'm'),
      );
      assert.match(env.stdout, /^export MILAB_ABSENT_IMDS='127\.0\.0\.1:\d+'$/m);
      assert.doesNotMatch(env.stdout, /^export AZURE_/m);
      const shim = fs.readFileSync(path.join(state, 'bin', 'az'), 'utf8');
      assert.match(shim, /^#!\/bin\/sh\n/);
      const az = await runAsync(
        path.join(state, 'bin', 'az'),
        ['account', 'get-access-token', '--output', 'json', '--resource', 'https://vault.azure.net'],
        {
          encoding: 'utf8',
          cwd: '/bin',
        },
      );
      const token = JSON.parse(az.stdout);
      assert.equal(typeof token.accessToken, 'string');
      assert.equal(typeof token.expires_on, 'number');
      assert.ok(token.expires_on * 1000 - Date.now() > 86_000_000, 'issued on the lab clock, a day ahead');
      const wrong = spawnSync(process.execPath, [cli, 'env', '--as', 'local', '--identity', 'x', '--state', state], { encoding: 'utf8' });
      assert.equal(wrong.status, 2);
      assert.match(wrong.stderr, /your machine has none/);
    } finally {
      await host.close();
    }
  });
});

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LabBusyError, LabHost, LabStateError, loadOrCreateLab, resetLabState } from '../../../src/host/labHost';
import * as net from 'node:net';
import { readStateFile, STATE_FILE } from '../../../src/host/stateFile';
import { parseLabState } from '../../../src/engine/state/schema';
import { createOrUpdateResourceGroup } from '../../../src/engine/operations/resources';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'milab-host-test-'));

describe('host: lab state on disk', () => {
  it('creates a lab on first start, saves changes, and loads them back', async () => {
    const dir = tempDir();
    const host = await LabHost.start({ stateDir: dir });
    createOrUpdateResourceGroup(host.lab, host.lab.learner, { name: 'rg-saved', location: 'westeurope' });
    await host.close();
    const { lab, created } = await loadOrCreateLab(dir);
    assert.equal(created, false);
    assert.ok(lab.arm.group(lab.defaultSubscriptionId, 'rg-saved'));
    assert.equal((fs.statSync(path.join(dir, STATE_FILE)).mode & 0o777).toString(8), '600', 'state holds private keys: owner-only');
  });

  it('never overwrites a corrupt file: it is kept byte for byte, and the error says how to recover', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, STATE_FILE), '{"schemaVersion": 1, "tenant": ');
    const before = fs.readFileSync(path.join(dir, STATE_FILE));
    await assert.rejects(
      LabHost.start({ stateDir: dir }),
      (error: Error) => error instanceof LabStateError && /not valid JSON/.test(error.message) && /Reset Lab/.test(error.message),
    );
    assert.deepEqual(fs.readFileSync(path.join(dir, STATE_FILE)), before);
  });

  it('names the bad field of a hand-edited file and leaves it alone', async () => {
    const dir = tempDir();
    const { lab } = await loadOrCreateLab(dir);
    const state = JSON.parse(JSON.stringify(lab.toState()));
    state.resources[0].location = 42;
    fs.writeFileSync(path.join(dir, STATE_FILE), JSON.stringify(state));
    const before = fs.readFileSync(path.join(dir, STATE_FILE));
    await assert.rejects(loadOrCreateLab(dir), /resources\[0\]\.location: expected a string, found a number/);
    assert.deepEqual(fs.readFileSync(path.join(dir, STATE_FILE)), before);
  });

  it('reset keeps a copy of the unusable file beside the new one', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, STATE_FILE), 'garbage');
    const { kept } = await resetLabState(dir);
    assert.ok(kept && fs.readFileSync(kept, 'utf8') === 'garbage');
    const read = await readStateFile(dir);
    assert.ok(read.kind === 'ok' && parseLabState(read.json).ok);
  });

  it('survives being killed mid-save: the file is always the old state or the new one, never half', async function () {
    this.timeout(120_000);
    const dir = tempDir();
    await loadOrCreateLab(dir);
    const writer = path.resolve(__dirname, '../../fixtures/saveForever.js');
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, [writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Wait until it has saved at least once, then kill it at a random point of a later save.
      await new Promise<void>(resolve => child.stdout!.once('data', () => resolve()));
      await new Promise(r => setTimeout(r, 20 + Math.random() * 200));
      child.kill('SIGKILL');
      await new Promise(r => child.once('exit', r));
      const read = await readStateFile(dir);
      assert.equal(read.kind, 'ok', `round ${round}: ${read.kind === 'unreadable' ? read.message : ''}`);
      const parsed = parseLabState(read.kind === 'ok' ? read.json : undefined);
      assert.ok(parsed.ok, `round ${round}: ${!parsed.ok ? JSON.stringify(parsed.problems.slice(0, 2)) : ''}`);
    }
  });
});

const freePort = () =>
  new Promise<number>(resolve => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
const answers = (port: number) =>
  new Promise<boolean>(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('host: starting is all or nothing, and one lab per directory', () => {
  it('a start that cannot write ca.pem stops its listener, writes no discovery file and lets go of the directory', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'ca.pem'));
    const port = await freePort();
    await assert.rejects(LabHost.start({ stateDir: dir, port }));
    assert.equal(await answers(port), false, 'the listener of a failed start keeps answering');
    assert.equal(fs.existsSync(path.join(dir, 'server.json')), false);
    assert.equal(fs.existsSync(path.join(dir, 'lab.lock')), false, 'the lock was not released');
    assert.deepEqual(
      fs.readdirSync(dir).filter(f => f.endsWith('.tmp')),
      [],
    );
    fs.rmdirSync(path.join(dir, 'ca.pem'));
    const host = await LabHost.start({ stateDir: dir, port });
    await host.close();
    assert.ok(fs.statSync(path.join(dir, 'ca.pem')).size > 0);
  });

  it('refuses a directory a live lab runs on (by its server.json), and ignores a dead one’s', async () => {
    const dir = tempDir();
    const first = await LabHost.start({ stateDir: dir, owner: 'first' });
    try {
      await assert.rejects(LabHost.start({ stateDir: dir }), (error: Error) => {
        assert.ok(error instanceof LabBusyError, String(error));
        assert.match(error.message, new RegExp(`process ${process.pid}\\b.*port ${first.server.port}\\b`));
        return true;
      });
    } finally {
      await first.close();
    }
    // A discovery file left by a process that is gone does not count.
    fs.writeFileSync(
      path.join(dir, 'server.json'),
      JSON.stringify({ pid: 2 ** 22 + 7, url: 'http://127.0.0.1:1', port: 1, controlToken: 'x', startedAt: '' }),
    );
    const again = await LabHost.start({ stateDir: dir });
    await again.close();
  });
});

describe('host: the state file as people leave it', () => {
  it('follows a symlinked lab.json: reads the target, and saves to it (the link stays a link)', async () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    await loadOrCreateLab(elsewhere);
    fs.symlinkSync(path.join(elsewhere, STATE_FILE), path.join(dir, STATE_FILE));
    const host = await LabHost.start({ stateDir: dir });
    createOrUpdateResourceGroup(host.lab, host.lab.learner, { name: 'rg-through-the-link', location: 'westeurope' });
    await host.close();
    assert.ok(fs.lstatSync(path.join(dir, STATE_FILE)).isSymbolicLink(), 'the link was replaced by a file');
    assert.match(fs.readFileSync(path.join(elsewhere, STATE_FILE), 'utf8'), /rg-through-the-link/, 'the target was not updated');
  });

  it('refuses a symlink to nothing, clearly, instead of starting a new lab in its place', async () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, 'gone', STATE_FILE), path.join(dir, STATE_FILE));
    await assert.rejects(LabHost.start({ stateDir: dir }), /lab\.json is a symbolic link to .*gone\/lab\.json, which does not exist/);
    assert.ok(fs.lstatSync(path.join(dir, STATE_FILE)).isSymbolicLink());
    const { kept } = await resetLabState(dir);
    assert.ok(kept && fs.lstatSync(kept).isSymbolicLink(), 'reset keeps the link itself aside');
    assert.ok(fs.lstatSync(path.join(dir, STATE_FILE)).isFile());
  });

  it('names the file and the field of bad TLS material, and of 100,000-deep nesting', async () => {
    const dir = tempDir();
    const { lab } = await loadOrCreateLab(dir);
    await lab.tlsMaterial();
    const state = JSON.parse(JSON.stringify(lab.toState()));
    state.tls.serverCertificate = Buffer.from('not a certificate').toString('base64');
    fs.writeFileSync(path.join(dir, STATE_FILE), JSON.stringify(state));
    await assert.rejects(LabHost.start({ stateDir: dir }), (error: Error) => {
      assert.ok(error instanceof LabStateError);
      assert.match(
        error.message,
        new RegExp(
          `${path.join(dir, STATE_FILE).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} has errors:\ntls\\.serverCertificate: is not a valid X\\.509 certificate`,
        ),
      );
      return true;
    });
    assert.equal(fs.existsSync(path.join(dir, 'lab.lock')), false);
    delete state.tls;
    let deep = '[]';
    for (let i = 0; i < 100_000; i++) deep = `[${deep}]`;
    fs.writeFileSync(path.join(dir, STATE_FILE), JSON.stringify(state).replace('"properties":{', `"properties":{"deep":${deep},`));
    await assert.rejects(
      loadOrCreateLab(dir),
      /lab\.json has errors:\nresources\[0\]\.properties\.deep\[0\].*: nests more than 64 levels deep/,
    );
  });

  it('accepts a UTF-8 byte order mark (as Windows editors save)', async () => {
    const dir = tempDir();
    const { lab } = await loadOrCreateLab(dir);
    fs.writeFileSync(path.join(dir, STATE_FILE), '\uFEFF' + JSON.stringify(lab.toState()));
    const loaded = await loadOrCreateLab(dir);
    assert.equal(loaded.created, false);
    assert.equal(loaded.lab.tenantId, lab.tenantId);
  });
});

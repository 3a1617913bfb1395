import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LabHost, LabStateError, loadOrCreateLab, resetLabState } from '../../../src/host/labHost';
import { readStateFile, STATE_FILE } from '../../../src/host/stateFile';
import { parseLabState } from '../../../src/engine/state/schema';
import { createOrUpdateResourceGroup } from '../../../src/engine/operations/resources';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'milab-host-test-'));

describe('host: lab state on disk', () => {
  it('creates a lab on first start, saves changes, and loads them back', async () => {
    const dir = tempDir();
    const host = await LabHost.start({ stateDir: dir, saveDelayMs: 1 });
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

// A change made from VS Code is reported as done only once it is saved, and a save that fails is
// the command's failure, shown as an error: the state file is read the moment a command returns.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activateLab, ok, resetLab, run } from './helpers';

describe('saving: what VS Code reports done is on disk', () => {
  before(resetLab);

  it('a command returns success only after its change is in the state file', async () => {
    const api = await activateLab();
    await api.ready();
    const file = path.join(api.stateDirectory, 'lab.json');
    for (const name of ['id-saved-1', 'id-saved-2', 'id-saved-3']) {
      await ok('createResource', { type: 'identity', resourceGroup: 'rg-lab', name });
      assert.match(fs.readFileSync(file, 'utf8'), new RegExp(`"${name}"`), `${name} was reported done before it was saved`);
    }
  });

  it('a failed save is the command’s failure, shown as an error; the change is saved with the next one that succeeds', async () => {
    const api = await activateLab();
    await api.ready();
    const file = path.join(api.stateDirectory, 'lab.json');
    const moved = `${file}.moved-by-test`;
    // A folder where the file should be: every save fails (rename cannot replace a folder), even as root.
    fs.renameSync(file, moved);
    fs.mkdirSync(file);
    try {
      const outcome = await run('createResource', { type: 'identity', resourceGroup: 'rg-lab', name: 'id-not-saved-yet' });
      assert.ok(outcome && !outcome.ok, 'the command reported success although nothing was saved');
      assert.match(outcome.error, /could not be saved to .*lab\.json/);
      assert.deepEqual(api.shownMessages.at(-1), { severity: 'error', text: outcome.error });
    } finally {
      fs.rmdirSync(file);
      fs.renameSync(moved, file);
    }
    await ok('createResource', { type: 'identity', resourceGroup: 'rg-lab', name: 'id-after-the-failure' });
    const saved = fs.readFileSync(file, 'utf8');
    assert.match(saved, /"id-after-the-failure"/);
    assert.match(saved, /"id-not-saved-yet"/, 'the change whose save failed is kept and saved with the next');
    assert.deepEqual(
      fs.readdirSync(api.stateDirectory).filter(f => f.endsWith('.tmp')),
      [],
      'no temporary files left behind',
    );
  });
});

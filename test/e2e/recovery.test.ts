// A lab whose state file was broken by hand: the lab does not start, says why, overwrites
// nothing, and offers "Reset Lab", which keeps the broken file beside a fresh sample lab.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { notification, openLabView, openWorkbench, treeLabels, treeRow, type Workbench } from './workbench';

const BROKEN = '{"schemaVersion": 1, "tenant": ';

describe('e2e: a state file the lab cannot load', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await openWorkbench(stateDir => fs.writeFileSync(path.join(stateDir, 'lab.json'), BROKEN));
  });
  after(async () => {
    await workbench?.close();
  });

  it('says why the lab could not start, and leaves the file as it was', async () => {
    const { page } = workbench;
    await openLabView(page);
    const text = await notification(page, /could not start: its state file .*lab\.json has errors/);
    assert.match(text, /Reset Lab…/);
    await treeRow(page, 'Resources', 'The lab could not start').waitFor({ timeout: 30_000 });
    assert.equal(fs.readFileSync(path.join(workbench.stateDir, 'lab.json'), 'utf8'), BROKEN);
    await workbench.screenshot('recovery-01-broken');
  });

  it('"Reset Lab…" keeps the broken file and starts a sample lab', async () => {
    const { page } = workbench;
    const toast = page
      .locator('.notifications-toasts .notification-toast')
      .filter({ hasText: /could not start/ })
      .last();
    await toast.locator('a.monaco-button', { hasText: 'Reset Lab…' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /The lab could not start from its state file/);
    await dialog.locator('a.monaco-button', { hasText: /^Reset$/ }).click();
    await notification(page, /Started a fresh sample lab: .*The old state file is kept as .*lab\.json\.unusable-/);
    await treeRow(page, 'Resources', 'vm-web').waitFor({ timeout: 30_000 });
    assert.ok((await treeLabels(page, 'Resources')).some(l => l.startsWith('kv-lab')));
    const kept = fs.readdirSync(workbench.stateDir).filter(f => f.startsWith('lab.json.unusable-'));
    assert.equal(kept.length, 1);
    assert.equal(fs.readFileSync(path.join(workbench.stateDir, kept[0]!), 'utf8'), BROKEN);
    await workbench.screenshot('recovery-02-reset');
  });
});

// As a person would: open the lab's view, read the tree, request a token from the
// palette and find the sequence diagram drawn in the Token Flow webview.
import * as assert from 'node:assert/strict';
import { openLabView, openWorkbench, pickQuickItem, runCommand, treeLabels, treeRow, webviewFrame, type Workbench } from './workbench';

describe('e2e: the lab in a real VS Code in a real browser', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench?.close();
  });

  it('shows the Resources tree from the activity bar', async () => {
    const { page } = workbench;
    await openLabView(page);
    await treeRow(page, 'Resources', 'vm-web').waitFor({ timeout: 60_000 });
    const labels = await treeLabels(page, 'Resources');
    await workbench.screenshot('01-resources-tree');
    assert.ok(
      labels.some(l => l.startsWith('rg-lab')),
      `tree: ${labels.join(' | ')}`,
    );
    assert.ok(
      labels.some(l => l.startsWith('vm-web')),
      `tree: ${labels.join(' | ')}`,
    );
    assert.ok(
      labels.some(l => l.startsWith('kv-lab')),
      `tree: ${labels.join(' | ')}`,
    );
    assert.ok(
      labels.some(l => l.startsWith('System-assigned identity: On')),
      `tree: ${labels.join(' | ')}`,
    );
  });

  it('requests a token from the command palette and draws the flow as an SVG sequence diagram', async () => {
    const { page } = workbench;
    await runCommand(page, 'Managed Identity Lab: Request Token…');
    await pickQuickItem(page, 'vm-web');
    await pickQuickItem(page, 'https://vault.azure.net');
    const frame = await webviewFrame(page, '#diagram svg');
    // Participant names wrap over several lines inside their boxes: read each box's words.
    const participants = await frame
      .locator('#diagram svg rect.actor-top')
      .evaluateAll(boxes =>
        boxes.map(box => Array.from(box.parentElement?.querySelectorAll('text.actor') ?? [], t => t.textContent?.trim()).join(' ')),
      );
    await workbench.screenshot('02-token-flow');
    assert.ok(
      participants.some(p => p.includes('App on vm-web')),
      `participants: ${participants.join(', ')}`,
    );
    assert.ok(
      participants.some(p => p.includes('IMDS')),
      `participants: ${participants.join(', ')}`,
    );
    assert.ok(
      participants.some(p => p.includes('Microsoft Entra ID')),
      `participants: ${participants.join(', ')}`,
    );
    assert.equal(await frame.locator('#status').innerText(), 'Succeeded');
  });
});

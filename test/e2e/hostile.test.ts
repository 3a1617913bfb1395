// Names that are Mermaid or HTML syntax: a resource group "(x)", a VM "end", and an audience
// "<img src=x onerror=alert(1)>$$x^2$$" (markup, then Mermaid's KaTeX delimiters) typed into
// Request Token. They must show as typed in the trees and the diagram, and nothing may run.
import * as assert from 'node:assert/strict';
import {
  contextMenu,
  diagramWords,
  openLabView,
  openWorkbench,
  pickQuickItem,
  runCommand,
  treeLabels,
  treeRow,
  typeAndEnter,
  webviewFrame,
  type Workbench,
} from './workbench';

const HOSTILE = '<img src=x onerror=alert(1)>$$x^2$$';

describe('e2e: hostile names render literally and inject nothing', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench?.close();
  });

  it('creates resource group "(x)" with a VM named "end" and shows both as typed', async () => {
    const { page } = workbench;
    await openLabView(page);
    await treeRow(page, 'Resources', 'vm-web').waitFor({ timeout: 60_000 });
    await runCommand(page, 'Managed Identity Lab: Create Resource…');
    await pickQuickItem(page, 'Virtual Machine');
    await pickQuickItem(page, 'New resource group');
    await typeAndEnter(page, '(x)');
    await pickQuickItem(page, 'eastus');
    await typeAndEnter(page, 'end');
    await pickQuickItem(page, 'System-assigned identity');
    await treeRow(page, 'Resources', 'end').waitFor();
    const labels = await treeLabels(page, 'Resources');
    assert.ok(
      labels.some(l => l.startsWith('(x) eastus')),
      labels.join(' | '),
    );
    assert.ok(
      labels.some(l => l.startsWith('end Virtual Machine')),
      labels.join(' | '),
    );
  });

  it('requests a token for the audience "<img src=x onerror=alert(1)>": shown as text everywhere, nothing runs', async () => {
    const { page } = workbench;
    await contextMenu(page, treeRow(page, 'Resources', 'end'), 'Request Token…');
    const input = page.locator('.quick-input-widget input.input');
    await input.fill(HOSTILE);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'use this audience' }).waitFor();
    await page.keyboard.press('Enter');

    const flow = await webviewFrame(page, '#diagram svg');
    await flow.locator('#title', { hasText: HOSTILE }).waitFor({ timeout: 30_000 });
    assert.equal(await flow.locator('#title').innerText(), `Token for ${HOSTILE} as end`);
    assert.match(await flow.locator('#status').innerText(), /^Failed: 400 invalid_resource$/);
    const words = await diagramWords(flow);
    assert.ok(words.includes(`resource=${HOSTILE}`), words);
    assert.ok(words.includes('App on end'), words);
    assert.equal(await flow.locator('img, [onerror]').count(), 0, 'no <img> and no event-handler attribute in the webview');
    assert.equal(await flow.locator('.katex, math').count(), 0, 'no maths drawn from $$…$$');
    await flow.locator('#message-list button').first().click();
    assert.ok(
      (await flow.locator('#message-detail').innerText()).includes('resource=%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E%24%24x%5E2%24%24'),
      'the request URL, as sent',
    );

    const activity = await treeLabels(page, 'Activity');
    assert.ok(activity[0]?.startsWith(`Token for ${HOSTILE} as end`), activity.join(' | '));
    assert.equal(await page.locator('img[src="x"], [onerror]').count(), 0, 'no <img src=x> or event-handler attribute in the workbench');
    await workbench.screenshot('hostile-01-literal');
  });
});

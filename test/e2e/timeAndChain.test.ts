// The lab clock and the Credential Chain as a person uses them, in a real VS Code in a real
// browser: the clock's status-bar item and its menu (advance, pause, back to real time), and
// the Credential Chain drawn in Token Flow — for your machine from the palette, then for a
// failed request from the Activity view. Screenshots go to test-results/e2e/.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import {
  clearNotifications,
  contextMenu,
  diagramWords,
  notification,
  openSampleLab,
  pickQuickItem,
  quickPickItems,
  runCommand,
  treeRow,
  typeAndEnter,
  webviewFrame,
  type Workbench,
} from './workbench';

const clockItem = (page: Page) =>
  page
    .locator('.statusbar-item')
    .filter({ hasText: /Lab (time|\+|paused)/ })
    .first();

async function waitForText(read: () => Promise<string>, expected: RegExp): Promise<string> {
  let text = '';
  for (let i = 0; i < 150; i++) {
    text = await read();
    if (expected.test(text)) return text;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  return text;
}

describe('e2e: the lab clock and the Credential Chain, in a real VS Code in a real browser', () => {
  let workbench: Workbench;
  let flow: Frame;
  before(async () => {
    workbench = await openSampleLab();
  });
  after(async () => {
    await workbench?.close();
  });

  it('shows the lab clock in the status bar, and its menu advances it by 24 hours', async () => {
    const { page } = workbench;
    const item = clockItem(page);
    assert.match(await waitForText(() => item.innerText(), /Lab time/), /Lab time/);
    await item.click();
    const items = await quickPickItems(page);
    assert.ok(
      items.some(i => /Advance 24 hours/.test(i)),
      items.join('\n'),
    );
    assert.ok(items.some(i => /Pause/.test(i)));
    await workbench.screenshot('clock-01-menu');
    await pickQuickItem(page, 'Advance 24 hours');
    assert.match(await notification(page, /Advanced the lab clock by 24h/), /real time \+ 1 d/);
    assert.match(await waitForText(() => item.innerText(), /Lab \+1 d/), /Lab \+1 d/);
    await workbench.screenshot('clock-02-advanced');
  });

  it('pauses the clock from the palette, and returns it to real time', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await runCommand(page, 'Managed Identity Lab: Pause Lab Clock');
    const item = clockItem(page);
    assert.match(await waitForText(() => item.innerText(), /Lab paused/), /Lab paused/);
    await workbench.screenshot('clock-03-paused');
    await runCommand(page, 'Managed Identity Lab: Return Lab Clock to Real Time');
    assert.match(await waitForText(() => item.innerText(), /Lab time/), /Lab time/);
  });

  it('draws the Credential Chain for your machine: the probe’s 1 s, then AzureCliCredential answers', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await runCommand(page, 'Managed Identity Lab: Show Credential Chain…');
    await pickQuickItem(page, 'Your machine');
    await pickQuickItem(page, 'JavaScript');
    await pickQuickItem(page, 'not set');
    assert.match(await notification(page, /AzureCliCredential answers after/), /your machine/);
    flow = await webviewFrame(page, '#diagram svg');
    const words = await waitForText(() => diagramWords(flow), /AzureCliCredential answered/);
    for (const expected of ['EnvironmentCredential', 'ManagedIdentityCredential', 'probe', 'AzureCliCredential answered']) {
      assert.ok(words.includes(expected), `the diagram shows ${expected}: ${words.slice(0, 400)}`);
    }
    assert.match(await flow.locator('#status').innerText(), /Credential Chain/);
    await workbench.screenshot('chain-01-your-machine');
  });

  it('with AZURE_TOKEN_CREDENTIALS=dev the managed-identity step is left out', async () => {
    const { page } = workbench;
    await runCommand(page, 'Managed Identity Lab: Show Credential Chain…');
    await pickQuickItem(page, 'Your machine');
    await pickQuickItem(page, 'JavaScript');
    await pickQuickItem(page, 'dev');
    const words = await waitForText(() => diagramWords(flow), /left out: EnvironmentCredential/);
    assert.match(words, /left out: EnvironmentCredential, WorkloadIdentityCredential, ManagedIdentityCredential/);
    await workbench.screenshot('chain-02-dev');
  });

  it('draws the chain behind a failed request from the Activity view', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    // A token request for an identity the VM does not have: Identity not found.
    await runCommand(page, 'Managed Identity Lab: Create Resource…');
    await pickQuickItem(page, 'Virtual Machine');
    await pickQuickItem(page, 'rg-lab');
    await typeAndEnter(page, 'vm-noid');
    await pickQuickItem(page, 'No managed identity yet');
    await notification(page, /Created Virtual Machine vm-noid/);
    await treeRow(page, 'Resources', 'vm-noid').waitFor();
    await contextMenu(page, treeRow(page, 'Resources', 'vm-noid'), 'Request Token…');
    await pickQuickItem(page, 'https://vault.azure.net');
    await treeRow(page, 'Activity', 'Token for').waitFor({ timeout: 30_000 });
    await contextMenu(page, treeRow(page, 'Activity', 'Token for'), 'Show Credential Chain');
    const words = await waitForText(() => diagramWords(flow), /no credential answered/);
    assert.match(words, /vm-noid has no managed identity/);
    assert.match(words, /no credential answered/);
    await workbench.screenshot('chain-03-from-failed-request');
  });
});

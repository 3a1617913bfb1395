// The seeds' main story, as a person walks it in the UI: create a VM (palette), turn on its
// identity (tree), get a token for Key Vault, read a secret and see the 403 drawn as a
// failure, assign "Key Vault Secrets User" from the tree — the role the lab puts first —,
// read again and see it succeed. A screenshot of each step goes to test-results/e2e/.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import {
  acceptFirst,
  diagramWords,
  clearNotifications,
  contextMenu,
  notification,
  openLabView,
  openWorkbench,
  pickQuickItem,
  quickPickItems,
  runCommand,
  treeLabels,
  treeRow,
  typeAndEnter,
  viewPane,
  webviewFrame,
  type Workbench,
} from './workbench';

async function flowStatus(frame: Frame, expected: RegExp): Promise<string> {
  const status = frame.locator('#status');
  for (let i = 0; i < 150; i++) {
    const text = await status.innerText();
    if (expected.test(text)) return text;
    await frame.page().waitForTimeout(200);
  }
  return status.innerText();
}

describe('e2e: the seeds’ story, in a real VS Code in a real browser', () => {
  let workbench: Workbench;
  let flow: Frame;
  before(async () => {
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench?.close();
  });

  it('1. opens the lab: Resources, Identities & Access and Activity', async () => {
    const { page } = workbench;
    await openLabView(page);
    await treeRow(page, 'Resources', 'vm-web').waitFor({ timeout: 60_000 });
    for (const title of ['Resources', 'Identities & Access', 'Activity']) {
      assert.equal(await viewPane(page, title).count(), 1, `${title} view`);
    }
    assert.match(await page.locator('.statusbar').innerText(), /Lab 127\.0\.0\.1:\d+/);
    await workbench.screenshot('story-01-lab');
  });

  it('2. creates a VM from the command palette', async () => {
    const { page } = workbench;
    await runCommand(page, 'Managed Identity Lab: Create Resource…');
    await pickQuickItem(page, 'Virtual Machine');
    await pickQuickItem(page, 'rg-lab');
    await typeAndEnter(page, 'vm-story');
    await pickQuickItem(page, 'No managed identity yet');
    assert.match(await notification(page, /Created Virtual Machine vm-story/), /Copy az Command/);
    await treeRow(page, 'Resources', 'vm-story').waitFor();
    await workbench.screenshot('story-02-vm-created');
  });

  it('3. turns on its system-assigned identity from the tree', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-story'), 'Enable System-Assigned Identity');
    assert.match(
      await notification(
        page,
        /Turned on the system-assigned identity of vm-story: principal \(object\) id [0-9a-f-]{36}, client id [0-9a-f-]{36}/,
      ),
      /Copy az Command/,
    );
    await treeRow(page, 'Identities & Access', 'vm-story').waitFor();
    const row = treeRow(page, 'Resources', 'vm-story');
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'System-assigned identity: On' }).nth(1).waitFor();
    await workbench.screenshot('story-03-identity-on');
  });

  it('4. requests a token for Key Vault as the VM: drawn in Token Flow', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-story'), 'Request Token…');
    await pickQuickItem(page, 'https://vault.azure.net');
    flow = await webviewFrame(page, '#diagram svg');
    assert.equal(await flowStatus(flow, /^Succeeded$/), 'Succeeded');
    assert.equal(await flow.locator('#title').innerText(), 'Token for https://vault.azure.net as vm-story');
    const words = await diagramWords(flow);
    assert.match(words, /App on vm-story/);
    assert.match(words, /IMDS \(169\.254\.169\.254\)/);
    assert.match(words, /Microsoft Entra ID/);
    assert.ok((await flow.locator('#diagram svg .activation0').count()) > 0, 'activation bars');
    await workbench.screenshot('story-04-token');
  });

  it('5. reads the secret as the VM: 403 ForbiddenByRbac, drawn as a failure, the fix named', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-story'), 'Call a Service (Read a Secret)…');
    await pickQuickItem(page, 'kv-lab');
    await pickQuickItem(page, 'db-password');
    assert.equal(await flowStatus(flow, /403/), 'Failed: 403 ForbiddenByRbac');
    assert.match(
      await notification(page, /vm-story could not read db-password from kv-lab: 403 ForbiddenByRbac/),
      /It needs Key Vault Secrets User/,
    );
    const svg = flow.locator('#diagram svg');
    assert.deepEqual(await svg.locator('.labelText').allTextContents(), ['break'], 'one break block: the failure that ended the flow');
    assert.match(await diagramWords(flow), /403 ForbiddenByRbac/);
    assert.match(
      await treeLabels(page, 'Activity').then(l => l[0] ?? ''),
      /Key Vault kv-lab: GET secrets\/db-password failed 403 ForbiddenByRbac/,
    );
    await workbench.screenshot('story-05-forbidden');
  });

  it('6. clicks the 403 in the diagram: its HTTP exchange and the access decision', async () => {
    const label = flow.locator('#diagram svg text.messageText', { hasText: '403' }).first();
    await label.click();
    const detail = flow.locator('#message-detail');
    await detail.locator('h4', { hasText: 'Access decision: denied' }).waitFor();
    const text = await detail.innerText();
    assert.match(text, /Action: Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action/);
    assert.match(text, /HTTP response: 403/);
    assert.match(text, /Authorization: Bearer|authorization: Bearer/);
    assert.match(text, /\[signature redacted\]/);
    assert.doesNotMatch(text, /P@ssw0rd/);
    await flow.locator('#message-list button', { hasText: 'access_token' }).first().click();
    await flow.locator('#message-detail h4', { hasText: 'HTTP response: 200' }).waitFor();
    await workbench.screenshot('story-06-details');
  });

  it('7. assigns "Key Vault Secrets User" from the tree: the least-privileged role comes first, at the vault', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    const identity = treeRow(page, 'Identities & Access', 'vm-story');
    await contextMenu(page, identity, 'Assign Role…');
    const roles = await quickPickItems(page);
    assert.match(roles[0]!, /^Key Vault Secrets User least privilege for what was denied/);
    await workbench.screenshot('story-07a-role-pick');
    await acceptFirst(page);
    const scopes = await quickPickItems(page);
    assert.match(scopes[0]!, /^kv-lab \(Key Vault\) narrowest: where the denied request went/);
    assert.match(scopes[1]!, /^resource group \S+ broader: everything inside inherits it/);
    assert.match(scopes[2]!, /^subscription .* broader still: everything inside inherits it/);
    await acceptFirst(page);
    assert.match(await notification(page, /Assigned Key Vault Secrets User to vm-story at kv-lab \(Key Vault\)/), /Copy az Command/);
    await treeRow(page, 'Identities & Access', 'Key Vault Secrets User').waitFor();
    await workbench.screenshot('story-07-role-assigned');
  });

  it('8. reads again: the secret comes back, drawn as a success', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-story'), 'Call a Service (Read a Secret)…');
    await pickQuickItem(page, 'kv-lab');
    await pickQuickItem(page, 'db-password');
    assert.equal(await flowStatus(flow, /^Succeeded$/), 'Succeeded');
    await notification(page, /vm-story read secret db-password from kv-lab \(the value is not shown\)/);
    assert.equal(await flow.locator('#diagram svg .labelText').count(), 0, 'no failure drawn');
    assert.match(await diagramWords(flow), /200 secret db-password \(value returned\)/);
    await workbench.screenshot('story-08-success');
  });

  it('9. steps back to the 403 with Previous, and forward again', async () => {
    await flow.locator('#previous').click();
    assert.equal(await flowStatus(flow, /403/), 'Failed: 403 ForbiddenByRbac');
    await workbench.screenshot('story-09-history');
    await flow.locator('#latest').click();
    assert.equal(await flowStatus(flow, /^Succeeded$/), 'Succeeded');
  });

  it('10. keeps the diagram across a window reload, marked as from before it, then follows new requests', async () => {
    const { page } = workbench;
    const navigated = page.waitForEvent('framenavigated', { predicate: frame => frame === page.mainFrame(), timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await navigated;
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    flow = await webviewFrame(page, '#diagram svg');
    // The restarted lab keeps its resources but not the old traces: the diagram stays, not exportable.
    assert.equal(await flowStatus(flow, /reload/), 'Succeeded (from before the reload)');
    assert.match(await flow.locator('#title').innerText(), /^Key Vault kv-lab: GET secrets\/db-password$/);
    assert.equal(await flow.locator('#export-svg').isDisabled(), true);
    await workbench.screenshot('story-10-restored');

    await openLabView(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-story'), 'Call a Service (Read a Secret)…');
    await pickQuickItem(page, 'kv-lab');
    await pickQuickItem(page, 'db-password');
    assert.equal(await flowStatus(flow, /^Succeeded$/), 'Succeeded', 'the role assignment survived the reload');
    assert.equal(await flow.locator('#export-svg').isDisabled(), false);
  });
});

// A learner walks the chapter's exercises 1–6 in a real VS Code in a real browser (issue 15):
// create identities and a VM (offered the user-assigned ones), a failed token request whose
// notification offers its fix and names what the SDKs report, the four-party diagram (readable
// text, the pane's width), a cached token, the 403 and a role that cannot read data warned about,
// Check Access kept in the Diagnosis panel, a token for ARM sent to Key Vault and its right-audience
// fix clicked, several resources attached at once, the Resources filter, delete and Undo; in a
// scenario, learning mode keeping the least-privileged role back until Show Hint.
// Each named state is saved as a screenshot in test-results/e2e/walk-*.png.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import {
  acceptFirst,
  clearNotifications,
  contextMenu,
  diagramWords,
  notification,
  openLabView,
  openSampleLab,
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

/** Clicks a button of the newest notification that matches. */
async function clickNotificationButton(page: Page, text: RegExp, button: string): Promise<void> {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).last();
  await toast.waitFor({ timeout: 30_000 });
  await toast.locator('.monaco-button', { hasText: button }).first().click();
}

async function flowTitle(frame: Frame, expected: RegExp): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (expected.test(await frame.locator('#title').innerText())) return;
    await frame.page().waitForTimeout(200);
  }
  assert.match(await frame.locator('#title').innerText(), expected);
}

/** Waits for the diagram to show `words` (Mermaid renders after the title changes). */
async function diagramShows(frame: Frame, words: RegExp): Promise<string> {
  let text = '';
  for (let i = 0; i < 100; i++) {
    text = await diagramWords(frame).catch(() => '');
    if (words.test(text)) return text;
    await frame.page().waitForTimeout(200);
  }
  assert.match(text, words);
  return text;
}

/** Ticks the rows of a multi-select quick pick whose text matches, then accepts with Enter. */
async function tickAndAccept(page: Page, labels: string[]): Promise<void> {
  for (const label of labels) {
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first().click();
  }
  await page.locator('.quick-input-widget .quick-input-action .monaco-button', { hasText: 'OK' }).first().click();
}

describe('e2e: a learner walks exercises 1–6 of the chapter', () => {
  let workbench: Workbench;
  let flow: Frame;
  before(async () => {
    workbench = await openSampleLab();
  });
  after(async () => {
    await workbench?.close();
  });

  it('exercise 1: two user-assigned identities, then a VM whose creation offers attaching them (as az vm create --assign-identity)', async () => {
    const { page } = workbench;
    for (const name of ['id-walk-a', 'id-walk-b']) {
      await runCommand(page, 'Managed Identity Lab: Create User-Assigned Identity…');
      await pickQuickItem(page, 'rg-lab');
      await typeAndEnter(page, name);
      await notification(page, new RegExp(`Created User-assigned managed identity ${name}`));
    }
    await clearNotifications(page);
    await runCommand(page, 'Managed Identity Lab: Create Resource…');
    await pickQuickItem(page, 'Virtual Machine');
    await pickQuickItem(page, 'rg-lab');
    await typeAndEnter(page, 'vm-walk');
    await pickQuickItem(page, 'No managed identity yet');
    const offered = await quickPickItems(page);
    assert.ok(offered.some(i => /^id-walk-a /.test(i)) && offered.some(i => /^id-walk-b /.test(i)), offered.join(' / '));
    assert.match(
      (await page.locator('.quick-input-widget input.input').getAttribute('placeholder')) ?? '',
      /Attach existing user-assigned identities/,
    );
    await workbench.screenshot('walk-01-create-offers-user-assigned');
    // None ticked: the VM starts with no identity at all, for exercise 4's "Identity not found".
    await tickAndAccept(page, []);
    assert.match(await notification(page, /Created Virtual Machine vm-walk in rg-lab\./), /Copy az Command/);
  });

  it('exercise 4: a token request with no identity fails; the notification names the SDKs’ words and offers Enable System-Assigned Identity', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-walk'), 'Request Token…');
    await pickQuickItem(page, 'https://vault.azure.net');
    const text = await notification(page, /Token request as vm-walk failed: 400/);
    assert.match(text, /Identity not found/);
    assert.match(text, /The SDKs report this as: JavaScript \(@azure\/identity\) CredentialUnavailableError/);
    assert.match(text, /a new principal with no roles: it then needs the role/);
    assert.match(text, /Enable System-Assigned Identity/);
    assert.match(text, /Why Did This Fail\?/);
    flow = await webviewFrame(page, '#diagram svg');
    await flowTitle(flow, /as vm-walk/);
    assert.match(await diagramShows(flow, /In the SDKs/), /In the SDKs: CredentialUnavailableError \(JavaScript, Python\)/);
    await workbench.screenshot('walk-02-failure-offers-fix');
    await clickNotificationButton(page, /Token request as vm-walk failed/, 'Enable System-Assigned Identity');
    const enabled = await notification(page, /Turned on the system-assigned identity of vm-walk/);
    assert.match(enabled, /principal \(object\) id [0-9a-f-]{36}, client id [0-9a-f-]{36}/, 'both ids, labelled');
    assert.match(enabled, /Give it a role/);
    await workbench.screenshot('walk-03-labelled-ids');
  });

  it('exercise 2: the first token shows four parties in the course’s order, readable and as wide as the pane; the cached one keeps Entra’s place', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-walk'), 'Request Token…');
    await pickQuickItem(page, 'https://vault.azure.net');
    const issued = await notification(page, /Token issued to vm-walk/);
    assert.match(issued, /client id [0-9a-f-]{36}, expires_on \d{10} = \d{4}-\d\d-\d\d \d\d:\d\d UTC, in 24 h/);
    await diagramShows(flow, /\(the audience\)/);
    const order = await flow.locator('#diagram svg').evaluate(svg => {
      const boxes = Array.from(svg.querySelectorAll('rect.actor-top'), box => ({
        x: box.getBoundingClientRect().x,
        name: Array.from(box.parentElement?.querySelectorAll('text.actor') ?? [], t => t.textContent ?? '').join(' '),
      }));
      return boxes.sort((a, b) => a.x - b.x).map(b => b.name.replace(/\s+/g, ' ').trim());
    });
    assert.equal(order.length, 4, order.join(' | '));
    assert.match(order[0]!, /^App on vm-walk/);
    assert.match(order[1]!, /^IMDS/);
    assert.match(order[2]!, /^Microsoft Entra ID$/);
    assert.match(order[3]!, /^Azure Key Vault \(the audience\)/);
    const sizes = await flow.locator('#diagram').evaluate(pane => {
      const svg = pane.querySelector('svg')!;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const texts = Array.from(svg.querySelectorAll('text.messageText, text.noteText, text.actor'));
      const smallest = Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale));
      return {
        smallest,
        editor: parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-font-size')),
        svgWidth: svg.getBoundingClientRect().width,
        paneWidth: pane.clientWidth,
      };
    });
    assert.ok(sizes.editor > 0, 'the webview knows the editor font size');
    assert.ok(sizes.smallest >= sizes.editor - 0.01, `diagram text ${sizes.smallest}px against the editor's ${sizes.editor}px`);
    assert.ok(sizes.svgWidth >= sizes.paneWidth * 0.98, `diagram ${sizes.svgWidth}px wide in a ${sizes.paneWidth}px pane`);
    await workbench.screenshot('walk-04-four-party-diagram');

    await contextMenu(page, treeRow(page, 'Resources', 'vm-walk'), 'Request Token…');
    await pickQuickItem(page, 'https://vault.azure.net');
    await diagramShows(flow, /Microsoft Entra ID \(not asked\)/);
    const faded = await flow.locator('#diagram svg .absent-party').evaluateAll(all => all.map(g => getComputedStyle(g).opacity));
    assert.ok(faded.length >= 1 && faded.every(o => Number(o) < 1), `faded notes: ${faded.join(', ')}`);
    assert.doesNotMatch(await diagramWords(flow), /\b\d{10}\b(?! \()/, 'no bare epoch in the diagram');
    await workbench.screenshot('walk-05-cached-token');

    // The diagram and the Activity view stay in step: stepping back in Token Flow selects that request in Activity.
    const selected = () =>
      page.locator('.part.sidebar .monaco-list-row.selected').filter({ hasText: 'Token for https://vault.azure.net as vm-walk' });
    await flow.locator('#previous').click();
    await diagramShows(flow, /Microsoft Entra ID(?! \(not asked\))/);
    // The newest row may still be the selected one for a moment: wait for the selection to move to row 1.
    const moved = await selected()
      .and(page.locator('[data-index="1"]'))
      .first()
      .waitFor({ timeout: 15_000 })
      .then(() => true)
      .catch(() => false);
    const index = await selected().first().getAttribute('data-index');
    assert.ok(moved, `the second-newest request (the first token) is selected in Activity (selected row: ${index})`);
  });

  it('exercise 3: the 403; the scopes narrowest first; Key Vault Reader warned about (control plane and metadata only), the fitting role assigned instead', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-walk'), 'Call a Service (Read a Secret)…');
    await pickQuickItem(page, 'kv-lab');
    await pickQuickItem(page, 'db-password');
    await notification(page, /vm-walk could not read db-password from kv-lab: 403 ForbiddenByRbac/);
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Identities & Access', 'vm-walk'), 'Assign Role…');
    const roles = await quickPickItems(page);
    assert.match(roles[0]!, /^Key Vault Secrets User least privilege for what was denied/);
    await page.locator('.quick-input-widget input.input').fill('Key Vault Reader');
    const reader = page.locator('.quick-input-list .monaco-list-row', { hasText: /^Key Vault Reader/ }).first();
    await reader.waitFor();
    assert.match((await reader.innerText()).replace(/\s+/g, ' '), /cannot do it: no data action for it/);
    await workbench.screenshot('walk-06-role-picker-says-cannot');
    assert.match(await acceptFirst(page), /^Key Vault Reader cannot do it/);
    const scopes = await quickPickItems(page);
    assert.match(scopes[0]!, /^kv-lab \(Key Vault\) narrowest: where the denied request went/);
    assert.match(scopes[1]!, /^resource group rg-lab broader: everything inside inherits it/);
    assert.match(scopes[2]!, /broader still: everything inside inherits it/);
    await workbench.screenshot('walk-07-scopes-narrowest-first');
    await acceptFirst(page);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const warning = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(warning, /Key Vault Reader cannot do what was denied: it covers the control plane .* and the data plane/);
    assert.match(warning, /none of its data actions match Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action/);
    assert.match(warning, /Key Vault Secrets User is the least-privileged role that grants it/);
    await workbench.screenshot('walk-08-warning-role-cannot-read-data');
    await dialog.locator('.monaco-button', { hasText: 'Assign Key Vault Secrets User Instead' }).click();
    await notification(page, /Assigned Key Vault Secrets User to vm-walk at kv-lab \(Key Vault\)\./);
  });

  it('exercise 4: Check Access keeps its decision, with reasons, in the Diagnosis panel', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Identities & Access', 'vm-walk'), 'Check Access…');
    await pickQuickItem(page, 'getSecret');
    const scopes = await quickPickItems(page);
    assert.match(scopes[0]!, /^kv-lab \(Key Vault\) narrowest/);
    await acceptFirst(page);
    const panel = await webviewFrame(page, '#findings');
    const words = async () => ((await panel.locator('body').textContent()) ?? '').replace(/\s+/g, ' ');
    for (let i = 0; i < 100 && !/Allowed: Key Vault Secrets User grants/.test(await words()); i++) await page.waitForTimeout(200);
    const text = await words();
    assert.match(text, /Diagnosis of Check Access: Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action/);
    assert.match(text, /Allowed: Key Vault Secrets User grants/);
    assert.match(text, /granted by ?Key Vault Secrets User at \/subscriptions\/.*kv-lab/i, 'the reason, kept in the evidence');
    await workbench.screenshot('walk-09-check-access-kept');
  });

  it('exercise 4: a token for ARM sent to Key Vault is AKV10022; the notification offers the right audience, and its button reads the secret', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-walk'), 'Call a Service with a Token for Another API…');
    await pickQuickItem(page, 'kv-lab');
    await pickQuickItem(page, 'db-password');
    await pickQuickItem(page, 'https://management.azure.com/');
    const refused = await notification(page, /vm-walk could not read db-password from kv-lab: 401/);
    assert.match(refused, /AKV10022/);
    assert.match(
      refused,
      /Request the token for https:\/\/vault\.azure\.net \(scope https:\/\/vault\.azure\.net\/\.default\) and call again/,
    );
    // The Diagnosis panel (Check Access) took the Token Flow's place: find its frame again.
    const drawn = await webviewFrame(page, '#diagram svg');
    await flowTitle(drawn, /^Key Vault kv-lab: GET secrets\/db-password$/);
    assert.match(await diagramShows(drawn, /AKV10022/), /401/);
    await workbench.screenshot('walk-09b-wrong-audience-offers-right-one');
    await clickNotificationButton(
      page,
      /vm-walk could not read db-password from kv-lab: 401/,
      'Request the token for https://vault.azure.net',
    );
    const works = await notification(page, /vm-walk reads secret db-password from kv-lab: 200/);
    assert.match(works, /it works/);
    assert.doesNotMatch(works, /management\.azure\.com/, 'the request ran again with the token for Key Vault');
    await workbench.screenshot('walk-09c-right-audience-works');
  });

  it('exercise 1: attach one identity to several resources at once; those that have it are not offered', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Identities & Access', 'id-walk-a'), 'Attach');
    const before = await quickPickItems(page);
    assert.ok(before.some(i => /^vm-walk /.test(i)) && before.some(i => /^vm-web /.test(i)), before.join(' / '));
    await workbench.screenshot('walk-10-multi-attach');
    await tickAndAccept(page, ['vm-walk', 'vm-web']);
    const attached = await notification(page, /Attached id-walk-a to/);
    assert.match(attached, /Attached id-walk-a to vm-walk\./);
    assert.match(attached, /Attached id-walk-a to vm-web\./);
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Identities & Access', 'id-walk-a'), 'Attach');
    // Every VM in the lab has it now: nothing is offered, and the lab says why.
    assert.match(await notification(page, /Every resource that can use it already has id-walk-a/), /id-walk-a/);
  });

  it('exercise 1, many VMs: Filter Resources… on the view’s title keeps the matches and says so; Clear Filter brings the rest back', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    const pane = viewPane(page, 'Resources');
    const action = (label: string) => pane.locator(`.pane-header .action-label[aria-label="${label}"]`);
    await pane.locator('.pane-header').hover();
    await action('Filter Resources…').click();
    await typeAndEnter(page, 'vm-w');
    await pane.locator('.pane-header', { hasText: 'filter: vm-w' }).waitFor({ timeout: 15_000 });
    await pane.getByText(/^Showing 2 of \d+ resources matching "vm-w"\.$/).waitFor({ timeout: 15_000 });
    const rows = await treeLabels(page, 'Resources');
    assert.ok(rows.some(r => /^vm-walk /.test(r)) && rows.some(r => /^vm-web /.test(r)), `the two VMs are shown: ${rows.join(' / ')}`);
    assert.ok(!rows.some(r => /^(kv-lab|id-walk-a) /.test(r)), `the rest is not: ${rows.join(' / ')}`);
    await workbench.screenshot('walk-10b-resources-filtered');
    await pane.locator('.pane-header').hover();
    await action('Clear Filter').click();
    await treeRow(page, 'Resources', 'kv-lab').waitFor({ timeout: 15_000 });
    assert.equal(await pane.locator('.pane-header', { hasText: 'filter:' }).count(), 0, 'the filter is gone from the title');
  });

  it('exercise 5: deleting the VM says Undo and carries the button; Undo says what it undid', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-walk'), 'Delete Resource');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    await dialog
      .locator('.monaco-button', { hasText: /^Delete/ })
      .first()
      .click();
    const deleted = await notification(page, /Deleted vm-walk\./);
    assert.match(deleted, /Run "Undo" to bring it back\./);
    await workbench.screenshot('walk-11-undo-button');
    await clickNotificationButton(page, /Deleted vm-walk\./, 'Undo');
    assert.match(await notification(page, /^Undid: |Undid: /), /The lab is back as it was before it/);
    await treeRow(page, 'Resources', 'vm-walk').waitFor();
    await workbench.screenshot('walk-12-undone');
  });

  it('exercise 6: Open Lab Terminal twice is one lab terminal, focused', async () => {
    const { page } = workbench;
    await runCommand(page, 'Managed Identity Lab: Open Lab Terminal');
    await page.locator('.terminal-wrapper').first().waitFor({ timeout: 30_000 });
    // The new terminal takes focus a moment after it appears (it would close a palette opened meanwhile).
    await page
      .locator('.xterm-helper-textarea:focus')
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => undefined);
    await page.waitForTimeout(1000);
    await runCommand(page, 'Managed Identity Lab: Open Lab Terminal');
    await page.waitForTimeout(1000);
    const tabs = await page.locator('.terminal-tabs-entry, .single-terminal-tab').allInnerTexts();
    const lab = tabs.filter(t => /Managed Identity Lab/.test(t));
    assert.ok(lab.length <= 1, `one lab terminal: ${tabs.join(' | ')}`);
    assert.equal(await page.locator('.terminal-wrapper.active, .terminal-wrapper').count(), 1);
    await workbench.screenshot('walk-13-one-lab-terminal');
  });

  it('in a scenario, learning mode keeps the least-privileged role back: the 403 offers Show Hint, the role picker too, and the hint marks the role', async () => {
    const { page } = workbench;
    await clearNotifications(page);
    await runCommand(page, 'Managed Identity Lab: Start Scenario…');
    await pickQuickItem(page, 'A VM reads a secret and gets 403');
    await notification(page, /Started forbidden-403/);
    await openLabView(page);
    await treeRow(page, 'Resources', 'kv-web').waitFor({ timeout: 30_000 });
    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Resources', 'vm-web'), 'Call a Service (Read a Secret)…');
    await pickQuickItem(page, 'kv-web');
    await pickQuickItem(page, 'db-password');
    const refused = await notification(page, /vm-web could not read db-password from kv-web: 403 ForbiddenByRbac/);
    assert.doesNotMatch(refused, /Key Vault Secrets User/, 'the role is kept back');
    assert.match(refused, /Learning mode keeps back which role would fix it/);
    assert.match(refused, /Show Hint/);
    await workbench.screenshot('walk-14-learning-keeps-role-back');

    await clearNotifications(page);
    await contextMenu(page, treeRow(page, 'Identities & Access', 'vm-web'), 'Assign Role…');
    const before = await quickPickItems(page);
    assert.match(before[0]!, /^Show Hint the least-privileged role for what was denied/);
    assert.ok(!before.some(i => /least privilege for what was denied:/.test(i)), 'no role is marked');
    assert.match((await page.locator('.quick-input-widget input.input').getAttribute('placeholder')) ?? '', /Learning mode/);
    await acceptFirst(page);
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: /least privilege for what was denied:/ })
      .first()
      .waitFor();
    const after = await quickPickItems(page);
    assert.match(after[0]!, /^Key Vault Secrets User least privilege for what was denied/);
    await workbench.screenshot('walk-15-hint-marks-the-role');
    await page.keyboard.press('Escape');
    await runCommand(page, 'Managed Identity Lab: Stop Scenario');
    await notification(page, /Stopped forbidden-403/);
  });
});

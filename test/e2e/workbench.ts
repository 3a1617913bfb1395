// Drives the real VS Code workbench (code-server) in Chromium as a person would.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { ROOT, startCodeServer, workbenchUrl, type RunningCodeServer } from '../../tools/codeServer';
import { launchChromium } from '../../tools/browser';

export const ARTIFACTS = path.join(ROOT, 'test-results', 'e2e');

export interface Workbench {
  page: Page;
  stateDir: string;
  close(): Promise<void>;
  screenshot(name: string): Promise<string>;
}

/** Opens VS Code with the lab; `prepareState` may put files in the lab's state folder first. */
export async function openWorkbench(prepareState?: (stateDir: string) => void): Promise<Workbench> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-e2e-'));
  const workspace = path.join(scratch, 'workspace');
  const stateDir = path.join(scratch, 'lab');
  fs.mkdirSync(workspace);
  if (prepareState) {
    fs.mkdirSync(stateDir);
    prepareState(stateDir);
  }
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer({ workspace, env: { MILAB_STATE_DIR: stateDir } });
    browser = await launchChromium();
    // A person's browser asks once for the clipboard; Diagnose Error… reads it when it holds an error.
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(workbenchUrl(server, workspace, ROOT));
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const opened = { server, browser };
    return {
      page,
      stateDir,
      screenshot: async name => {
        const file = path.join(ARTIFACTS, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      close: async () => {
        await opened.browser.close();
        await opened.server.stop();
        fs.rmSync(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await server?.stop();
    throw error;
  }
}

/** Opens VS Code on the lab with its container showing, once the Resources tree lists the sample's VM. */
export async function openSampleLab(prepareState?: (stateDir: string) => void): Promise<Workbench> {
  const workbench = await openWorkbench(prepareState);
  try {
    await openLabView(workbench.page);
    await treeRow(workbench.page, 'Resources', 'vm-web').waitFor({ timeout: 60_000 });
    return workbench;
  } catch (error) {
    await workbench.close();
    throw error;
  }
}

export async function openLabView(page: Page): Promise<void> {
  const title = page
    .locator('.part.sidebar .title-label')
    .filter({ hasText: /Managed Identity Lab/i })
    .first();
  // The activity bar's tab toggles the side bar: click it only when the lab's container is not showing.
  if (!(await title.isVisible())) {
    await page
      .locator('.activitybar li.action-item[role="tab"]')
      .filter({ has: page.locator('a[aria-label^="Managed Identity Lab"]') })
      .first()
      .click();
  }
  await title.waitFor({ timeout: 30_000 });
}

/** Each visible row as "label description". */
export async function treeLabels(page: Page, view?: string): Promise<string[]> {
  const rows = (view ? viewPane(page, view) : page.locator('.part.sidebar')).locator('.monaco-list-row');
  return rows.evaluateAll(all =>
    all.map(row =>
      `${row.querySelector('.label-name')?.textContent ?? ''} ${row.querySelector('.label-description')?.textContent ?? ''}`
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

/** The words a webview's diagram shows, one line of a wrapped label after another. */
export async function diagramWords(frame: Frame): Promise<string> {
  return frame.locator('#diagram svg').evaluate(svg =>
    Array.from(svg.querySelectorAll('text'), text => {
      const spans = Array.from(text.querySelectorAll('tspan'), span => span.textContent ?? '');
      return spans.length ? spans.join(' ') : (text.textContent ?? '');
    })
      .join(' ')
      .replace(/\s+/g, ' '),
  );
}

/** One view of the lab's container, by its title ("Resources", "Identities & Access", "Activity"). */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .split-view-view').filter({
    has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\&]/g, '\\$&')}$`, 'i') }),
  });
}

/** A row of a view's tree whose label starts with `label`, the `nth` such row. */
export function treeRow(page: Page, view: string, label: string, nth = 0): Locator {
  return viewPane(page, view)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: label }) })
    .nth(nth);
}

/** Right-clicks a tree row and chooses an item of its context menu. */
export async function contextMenu(page: Page, row: Locator, item: string): Promise<void> {
  await row.click({ button: 'right' });
  const entry = page.locator('.context-view .monaco-menu .action-item').filter({ hasText: item }).first();
  await entry.waitFor({ timeout: 15_000 });
  // The workbench's menu ignores a click that comes right after it opened; hover, then choose with Enter.
  await entry.hover();
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
  await entry.waitFor({ state: 'detached', timeout: 15_000 });
}

/** The quick pick's visible items in order, each as "label description detail". */
export async function quickPickItems(page: Page): Promise<string[]> {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor();
  return rows.evaluateAll(all =>
    all.map(row =>
      Array.from(row.querySelectorAll('.label-name, .label-description, .quick-input-list-label-meta'), part => part.textContent ?? '')
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

/** What identifies the step the quick input shows: its title (with "n/m"), placeholder and prompt. */
function quickInputStep(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const widget = document.querySelector<HTMLElement>('.quick-input-widget');
    if (!widget || widget.style.display === 'none' || !widget.offsetParent) return undefined;
    const input = widget.querySelector<HTMLInputElement>('input.input');
    return [
      widget.querySelector('.quick-input-title')?.textContent,
      input?.placeholder,
      widget.querySelector('.quick-input-message')?.textContent,
    ].join('|');
  });
}

/**
 * Presses Enter and waits until the quick input has moved on (another step, or closed), so
 * the next keystrokes cannot land in the step that was just answered.
 */
async function acceptAndAdvance(page: Page): Promise<void> {
  const before = await quickInputStep(page);
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    // A command that reloads the window destroys the page the quick input lived in: that is moving on too.
    const now = await quickInputStep(page).catch((error: Error) =>
      /context was destroyed|navigat/i.test(error.message) ? 'navigated' : Promise.reject(error),
    );
    if (now !== before) return;
    await page.waitForTimeout(50);
  }
  const message = await page
    .locator('.quick-input-widget .quick-input-message')
    .innerText()
    .catch(() => '');
  throw new Error(`the quick input did not move on after Enter (${before}); it says: ${message}`);
}

/** Waits until a quick input is showing and accepts input (not busy between steps). */
async function quickInputReady(page: Page): Promise<Locator> {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  for (let i = 0; await input.isDisabled(); i++) {
    if (i === 200) throw new Error('the quick input stayed disabled for 10 s');
    await page.waitForTimeout(50);
  }
  return input;
}

/** Types into the open input box and presses Enter. */
export async function typeAndEnter(page: Page, text: string): Promise<void> {
  const input = await quickInputReady(page);
  await input.fill(text);
  await acceptAndAdvance(page);
}

/** Waits for a notification whose text matches, and returns its text. */
export async function notification(page: Page, text: RegExp): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).last();
  await toast.waitFor({ timeout: 30_000 });
  return (await toast.innerText()).replace(/\s+/g, ' ');
}

export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = await quickInputReady(page);
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor();
  await acceptAndAdvance(page);
}

export async function pickQuickItem(page: Page, text: string): Promise<void> {
  const input = await quickInputReady(page);
  await input.fill(text);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: text }).first().waitFor();
  await acceptAndAdvance(page);
}

/** Accepts the quick pick's first item as it is (no filtering). */
export async function acceptFirst(page: Page): Promise<string> {
  await quickInputReady(page);
  const [first] = await quickPickItems(page);
  await acceptAndAdvance(page);
  return first ?? '';
}

/** The frame of a webview whose document contains `selector` (webviews are nested iframes). */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // frames come and go while the workbench loads
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame contains ${selector}`);
}

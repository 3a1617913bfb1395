// Drives the real VS Code workbench (code-server) in Chromium as a person would.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { ROOT, startCodeServer, workbenchUrl, type RunningCodeServer } from '../../tools/codeServer';
import { launchChromium } from '../../tools/browser';

export const ARTIFACTS = path.join(ROOT, 'test-results', 'e2e');

export interface Workbench {
  page: Page;
  stateDir: string;
  close(): Promise<void>;
  screenshot(name: string): Promise<string>;
}

export async function openWorkbench(): Promise<Workbench> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-e2e-'));
  const workspace = path.join(scratch, 'workspace');
  const stateDir = path.join(scratch, 'lab');
  fs.mkdirSync(workspace);
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer({ workspace, env: { MILAB_STATE_DIR: stateDir } });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
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

export async function openLabView(page: Page): Promise<void> {
  const tab = page.locator('.activitybar li.action-item[role="tab"]').filter({ has: page.locator('a[aria-label^="Managed Identity Lab"]') });
  await tab.first().click();
  await page.locator('.part.sidebar .title-label').filter({ hasText: /Managed Identity Lab/i }).first().waitFor({ timeout: 30_000 });
}

export async function treeLabels(page: Page): Promise<string[]> {
  const rows = page.locator('.part.sidebar .monaco-list-row');
  return (await rows.allInnerTexts()).map(t => t.replace(/\s+/g, ' ').trim());
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

export async function pickQuickItem(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: text }).first().waitFor();
  await page.keyboard.press('Enter');
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

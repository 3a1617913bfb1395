// Runs the integration suites (mocha inside a real VS Code extension host). Where a
// desktop VS Code can be had — VSCODE_EXECUTABLE_PATH, or MILAB_TEST_VSCODE=desktop to let
// @vscode/test-electron download one — it uses @vscode/test-electron; otherwise code-server
// (the same VS Code 1.100.3, from npm) driven by Chromium. It says which it used.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, startCodeServer, workbenchUrl } from '../../tools/codeServer';
import { launchChromium } from '../../tools/browser';

const extensionPath = ROOT;
const testsPath = path.join(ROOT, 'out', 'test', 'integration', 'index.js');
const TIMEOUT_MS = 10 * 60_000;

async function runDesktop(executable: string | undefined, env: NodeJS.ProcessEnv): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  console.log(`Integration tests: desktop VS Code via @vscode/test-electron (${executable ?? 'downloaded'})`);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-ws-'));
  try {
    return await runTests({
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: testsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: env,
      ...(executable ? { vscodeExecutablePath: executable } : {}),
    });
  } catch (error) {
    console.error(error);
    return 1;
  }
}

async function runCodeServer(env: NodeJS.ProcessEnv): Promise<number> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-ws-'));
  const server = await startCodeServer({
    workspace,
    env,
    onOutput: text => process.env['MILAB_DEBUG'] && process.stdout.write(`[code-server] ${text}`),
  });
  console.log(
    `Integration tests: code-server ${JSON.parse(fs.readFileSync(path.join(ROOT, '.vscode-test', 'code-server-4.100.3', 'node_modules', 'code-server', 'package.json'), 'utf8')).version} (VS Code 1.100.3, Node extension host) on ${server.url}, driven by Chromium`,
  );
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const exitCode = new Promise<number>(resolve => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    page.on('console', message => {
      const text = message.text();
      // The extension host's console is relayed to the page; keep mocha's lines, drop workbench noise.
      if (process.env['MILAB_DEBUG'] || /^\[Extension Host\]/.test(text)) console.log(text.replace(/^\[Extension Host\] ?/, ''));
    });
    await page.goto(workbenchUrl(server, workspace, extensionPath, testsPath));
    const timeout = new Promise<number>(resolve =>
      setTimeout(() => {
        console.error(`Integration tests did not finish within ${TIMEOUT_MS / 1000} s`);
        resolve(1);
      }, TIMEOUT_MS).unref(),
    );
    return await Promise.race([exitCode, timeout]);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-state-'));
  const logFile = path.join(stateDir, 'mocha.log');
  fs.writeFileSync(logFile, '');
  const env = {
    MILAB_STATE_DIR: path.join(stateDir, 'lab'),
    MILAB_TEST: '1',
    MILAB_TEST_LOG: logFile,
    ...(process.env['MILAB_TEST_GREP'] ? { MILAB_TEST_GREP: process.env['MILAB_TEST_GREP'] } : {}),
  };
  let printed = 0;
  const tail = setInterval(() => {
    const text = fs.readFileSync(logFile, 'utf8');
    process.stdout.write(text.slice(printed));
    printed = text.length;
  }, 250);
  const executable = process.env['VSCODE_EXECUTABLE_PATH'];
  const code = executable || process.env['MILAB_TEST_VSCODE'] === 'desktop' ? await runDesktop(executable, env) : await runCodeServer(env);
  clearInterval(tail);
  process.stdout.write(fs.readFileSync(logFile, 'utf8').slice(printed));
  fs.rmSync(stateDir, { recursive: true, force: true });
  console.log(code === 0 ? 'Integration tests passed.' : `Integration tests failed (exit code ${code}).`);
  process.exit(code);
}

void main();

// `npm run lab`: opens the lab in a browser-based VS Code (code-server on 127.0.0.1) with
// this extension installed, so no VS Code install is needed. Prints the URL; Ctrl+C stops.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, ensureCodeServer, freePort, startCodeServer } from './codeServer';

async function portOrFree(preferred: number): Promise<number> {
  const net = await import('node:net');
  return new Promise(resolve => {
    const probe = net.createServer();
    probe.once('error', () => void freePort().then(resolve));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

async function main(): Promise<void> {
  ensureCodeServer(line => console.log(line));
  const home = path.join(ROOT, '.vscode-test', 'lab');
  const extensionsDir = path.join(home, 'extensions');
  const workspace = path.join(ROOT, 'samples');
  fs.mkdirSync(extensionsDir, { recursive: true });
  // Install this checkout as an extension by linking it: VS Code loads it like any installed one.
  const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  for (const entry of fs.readdirSync(extensionsDir)) {
    if (entry.startsWith(`${publisher}.${name}-`)) fs.rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
  }
  fs.rmSync(path.join(extensionsDir, 'extensions.json'), { force: true });
  fs.symlinkSync(ROOT, path.join(extensionsDir, `${publisher}.${name}-${version}`), 'dir');

  const port = await portOrFree(Number(process.env['MILAB_LAB_PORT'] ?? 8090));
  const server = await startCodeServer({ workspace, port, userDataDir: path.join(home, 'user-data'), extensionsDir });
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(
    `\nManaged Identity Lab is open in VS Code at:\n\n    ${url}\n\nOpen it in a browser on this machine. Press Ctrl+C to stop.\n`,
  );
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  server.process.once('exit', code => {
    console.error(`code-server exited (${code ?? 'signal'})`);
    process.exit(1);
  });
}

main().catch(error => {
  console.error(`npm run lab: ${(error as Error).message}`);
  process.exit(1);
});

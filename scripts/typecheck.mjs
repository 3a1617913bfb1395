// Type-checks each part of the code base with its own settings, so an import that crosses
// an architectural line (vscode or sockets in the engine, Node in the webview) fails here.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const projects = ['src/engine', 'src/az', 'src/server', 'src/host', 'src/cli', 'src/preload', 'src/extension', 'src/webview', 'test'];

function check(project) {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [tsc, '-p', project, '--pretty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    child.on('close', code => resolve({ project, code, output }));
  });
}

const queue = [...projects];
const results = [];
const workers = Array.from({ length: 2 }, async () => {
  for (let project = queue.shift(); project; project = queue.shift()) results.push(await check(project));
});
await Promise.all(workers);
let failed = false;
for (const { project, code, output } of results.sort((a, b) => projects.indexOf(a.project) - projects.indexOf(b.project))) {
  if (code !== 0) {
    failed = true;
    process.stdout.write(`\n✖ ${project}\n${output}`);
  } else {
    process.stdout.write(`✔ ${project}\n`);
  }
}
process.exit(failed ? 1 : 0);

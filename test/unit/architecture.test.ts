// The compiler enforces where code runs: these tests put a probe file under each part's
// compiler settings and check that a forbidden import fails to compile while the same
// import compiles where it is allowed (so the test cannot pass for the wrong reason).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });

function compiles(part: string, source: string): { ok: boolean; output: string } {
  const dir = fs.mkdtempSync(path.join(root, 'out', 'arch-probe-'));
  try {
    fs.writeFileSync(path.join(dir, 'probe.ts'), source);
    const include = [path.join(dir, 'probe.ts')];
    if (part === 'src/engine' || part === 'src/az') include.push(path.join(root, 'src/engine/base/platform.d.ts'));
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: path.join(root, part, 'tsconfig.json'), include, compilerOptions: { noUnusedLocals: false } }),
    );
    const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    return { ok: result.status === 0, output: result.stdout + result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('architecture: the compiler enforces where code runs', function () {
  this.timeout(60_000);

  const cases: Array<{ part: string; source: string; allowedIn: string }> = [
    { part: 'src/engine', source: "import * as vscode from 'vscode';\nexport const x = vscode.version;\n", allowedIn: 'src/extension' },
    { part: 'src/engine', source: "import * as http from 'node:http';\nexport const x = http.STATUS_CODES;\n", allowedIn: 'src/server' },
    { part: 'src/engine', source: 'export const x = document.title;\n', allowedIn: 'src/webview' },
    { part: 'src/webview', source: "import * as vscode from 'vscode';\nexport const x = vscode.version;\n", allowedIn: 'src/extension' },
    { part: 'src/webview', source: "import * as fs from 'node:fs';\nexport const x = fs.existsSync;\n", allowedIn: 'src/host' },
    { part: 'src/server', source: "import * as vscode from 'vscode';\nexport const x = vscode.version;\n", allowedIn: 'src/extension' },
    { part: 'src/az', source: "import * as fs from 'node:fs';\nexport const x = fs.existsSync;\n", allowedIn: 'src/host' },
    { part: 'src/az', source: "import * as vscode from 'vscode';\nexport const x = vscode.version;\n", allowedIn: 'src/extension' },
  ];
  for (const { part, source, allowedIn } of cases) {
    const what = source.split('\n')[0];
    it(`${part} rejects: ${what}`, () => {
      const forbidden = compiles(part, source);
      assert.equal(forbidden.ok, false, `${part} should not compile:\n${source}`);
      const allowed = compiles(allowedIn, source);
      assert.equal(allowed.ok, true, `control: ${allowedIn} should compile it:\n${allowed.output}`);
    });
  }
});

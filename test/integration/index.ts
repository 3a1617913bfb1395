// Entry point VS Code calls inside the extension host: runs every integration suite with
// mocha and rejects if any test fails (the @vscode/test-electron contract).
import * as path from 'node:path';
import * as fs from 'node:fs';
import Mocha from 'mocha';
import { FileReporter } from './reporter';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: FileReporter });
  const dir = __dirname;
  const only = process.env['MILAB_TEST_GREP'];
  if (only) mocha.grep(only);
  for (const file of fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(dir, file));
  }
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run(failures => {
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else if (runner.total === 0) reject(new Error(`no integration test ran${only ? ` (MILAB_TEST_GREP=${only} matched none)` : ''}`));
      else resolve();
    });
  });
}

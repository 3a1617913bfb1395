// A lesson's multi-line az command pasted into the lab terminal: every `--` line is "command not
// found", and the hint why is printed once for the paste, not once per line.
import * as assert from 'node:assert/strict';
import { StrayOptionLines } from '../../../src/extension/terminal/strayOptions';

/** The first word of each pasted line, as the lab terminal runs them, and what it prints for each. */
function paste(text: string, lines = new StrayOptionLines()): Array<ReturnType<StrayOptionLines['report']>> {
  return text.split('\n').map(line => lines.report(line.trim().split(/\s+/)[0] ?? ''));
}

describe('lab terminal: a multi-line paste without backslashes', () => {
  it('prints "command not found" for each option line and the hint once per paste', () => {
    const printed = paste(
      [
        'az role assignment create',
        '  --assignee <principal-id>',
        '  --role "Key Vault Secrets User"',
        '  --scope /subscriptions/{sub}/resourceGroups/myRG',
      ].join('\n'),
    );
    assert.equal(printed[0], undefined);
    assert.deepEqual(
      printed.slice(1).map(p => p?.notFound),
      ['--assignee: command not found', '--role: command not found', '--scope: command not found'],
    );
    assert.equal(printed.filter(p => p?.hint).length, 1);
    assert.match(printed[1]!.hint!, /without a trailing backslash/);
  });

  it('hints again for the next command pasted the same way, once', () => {
    const lines = new StrayOptionLines();
    paste('az identity create\n--name a\n--resource-group b', lines);
    const next = paste('az identity show\n--name a\n--resource-group b', lines);
    assert.equal(next.filter(p => p?.hint).length, 1);
  });
});

// The shell subset the lab terminal and script replay understand, checked against bash itself.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { shellQuote, shellWords } from '../../../src/az';
import { logicalLines } from '../../../src/az/replay';

function bash(line: string, env: Record<string, string>): string[] {
  const assignments = Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join('; ');
  const result = spawnSync(
    'bash',
    ['-c', `set -f; ${assignments ? `${assignments}; ` : ''}words() { printf '%s\\0' "$@"; }; words ${line}`],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\0').slice(0, -1);
}

describe('az shell words', () => {
  const variables = new Map([
    ['ID', '/subscriptions/x/resourcegroups/rg'],
    ['TWO', 'a  b'],
    ['EMPTY', ''],
  ]);
  const cases = [
    `plain words  here`,
    `--role "Key Vault Secrets User" --scope '/a b/c'`,
    `--value 'it'\\''s' "say \\"hi\\" \\$HOME" back\\ slash`,
    `--scope "$ID/providers/x" --ids $ID`,
    `unquoted $TWO and "quoted $TWO" and \${ID}x`,
    `empty $EMPTY "$EMPTY" end # a comment`,
    `--query "{ResourceID:id, ClientID:clientId}" [system]`,
  ];
  for (const line of cases) {
    it(`splits like bash: ${line}`, async () => {
      assert.deepEqual(await shellWords(line, { variables }), bash(line, Object.fromEntries(variables)));
    });
  }

  it('runs $(…) through the given substitution, trimming trailing newlines', async () => {
    const inner = 'az vm identity show --query principalId -o tsv';
    const words = await shellWords(`--assignee-object-id "$(${inner})" $(echo two words)`, {
      variables,
      substitute: async text => (text === inner ? 'the-id\n\n' : 'two  words\n'),
    });
    assert.deepEqual(words, ['--assignee-object-id', 'the-id', 'two', 'words'], 'quoted: one word; unquoted: split on spaces');
  });

  it('quotes words so bash reads them back unchanged', async () => {
    for (const word of ['simple', 'with space', "it's", 'dollar $HOME', 'back\\slash', '', '[system]', 'a"b', 'x!y']) {
      assert.deepEqual(bash(shellQuote(word), {}), [word], word);
      assert.deepEqual(await shellWords(shellQuote(word), { variables: new Map() }), [word], word);
    }
  });

  it('joins continued lines and drops comments and blank lines', () => {
    assert.deepEqual(logicalLines('#!/bin/bash\n# comment\naz group create \\\n  -n rg \\\n  -l eastus\n\nX=1\n'), [
      'az group create    -n rg    -l eastus',
      'X=1',
    ]);
  });
});

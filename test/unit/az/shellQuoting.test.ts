// Property test of the one quoting function every twin, export and `milab env` line uses:
// 10,000 random values (any Unicode, quotes, `$`, backquotes, `!`, newlines, leading dashes,
// planted commands) quoted, then read back by a real bash — with history expansion on, as in an
// interactive shell someone pastes a twin into — and by the lab's own shell reader. Every value
// must come back exactly, and no planted command may run.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellQuote, shellQuoteParts, UnquotableWordError } from '../../../src/engine/base/shellQuote';
import { shellWords } from '../../../src/az';
import { hostileValue, plantedCommands, prng } from '../../support/hostileValues';

const COUNT = 10_000;
const SEED = Number(process.env['MILAB_QUOTE_SEED'] ?? 20260516);

/** Runs `lines` as a bash script file (history expansion on); returns what `printf '%s\0'` printed. */
function bashReads(lines: readonly string[], dir: string, prelude: readonly string[] = []): { values: string[]; stderr: string } {
  const script = path.join(dir, 'words.sh');
  fs.writeFileSync(script, ['set -o history -o histexpand', ...prelude, ...lines.map(l => `printf '%s\\0' ${l}`)].join('\n') + '\n');
  const result = spawnSync('bash', ['--noprofile', '--norc', script], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(result.error, undefined, String(result.error));
  return { values: result.stdout.split('\0').slice(0, -1), stderr: result.stderr };
}

describe('shell quoting: bash reads back exactly the value, and runs nothing', function () {
  this.timeout(120_000);

  it(`${COUNT} random values round-trip through real bash and the lab's shell reader (seed ${SEED})`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-quote-'));
    // Files named like glob matches: an unquoted `[a]` or `*` would expand to them.
    for (const name of ['a', 's', 'x', 'touched']) fs.writeFileSync(path.join(dir, name), '');
    const marker = path.join(dir, 'PWNED');
    const random = prng(SEED);
    const values = Array.from({ length: COUNT }, () => hostileValue(random, plantedCommands(marker)));
    const quoted = values.map(shellQuote);
    assert.ok(
      quoted.every(q => !q.includes('\n')),
      'every quoted word stays on one line (the replayer reads a script line by line)',
    );

    const { values: read, stderr } = bashReads(quoted, dir);
    assert.equal(stderr, '', 'bash complained (history expansion, syntax)');
    assert.equal(read.length, values.length, 'bash read one word per value');
    const diverged = values.findIndex((v, i) => read[i] !== v);
    assert.equal(
      diverged,
      -1,
      diverged === -1
        ? ''
        : `value ${diverged} came back changed: ${JSON.stringify(values[diverged])} → ${JSON.stringify(read[diverged])} (quoted ${quoted[diverged]})`,
    );

    for (let i = 0; i < values.length; i++) {
      assert.deepEqual(await shellWords(quoted[i]!, { variables: new Map() }), [values[i]], `the lab reads ${quoted[i]} back`);
    }
    assert.equal(fs.existsSync(marker), false, 'a planted command ran');
    assert.ok(values.filter(v => v.includes('touch')).length > 1000, 'the payloads were planted');
  });

  it('keeps script variables live and nothing else, even beside hostile text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milab-quote-'));
    const marker = path.join(dir, 'PWNED');
    const random = prng(SEED + 1);
    const cases = Array.from(
      { length: 500 },
      () => [hostileValue(random, plantedCommands(marker)), hostileValue(random, plantedCommands(marker))] as const,
    );
    const lines = cases.map(([a, b]) => shellQuoteParts([a, { variable: 'SUBSCRIPTION' }, b]));
    const { values, stderr } = bashReads(lines, dir, ['SUBSCRIPTION=the-sub']);
    assert.equal(stderr, '');
    const expected = cases.map(([a, b]) => `${a}the-sub${b}`);
    assert.deepEqual(values, expected);
    for (let i = 0; i < cases.length; i++) {
      assert.deepEqual(await shellWords(lines[i]!, { variables: new Map([['SUBSCRIPTION', 'the-sub']]) }), [expected[i]]);
    }
    assert.equal(fs.existsSync(marker), false, 'a planted command ran');
    assert.equal(
      shellQuoteParts(['/subscriptions/', { variable: 'SUBSCRIPTION' }, '/resourceGroups/rg']),
      '"/subscriptions/$SUBSCRIPTION/resourceGroups/rg"',
    );
  });

  it('refuses what no bash word can hold (NUL, a lone surrogate) instead of writing something else', () => {
    assert.throws(() => shellQuote('a\0b'), UnquotableWordError);
    assert.throws(() => shellQuote('a\ud800b'), UnquotableWordError);
    assert.equal(shellQuote('\u{1F600}'), '"\u{1F600}"', 'astral characters are fine');
  });

  it('reads as it runs: control and bidi characters are escapes, and words that need no quotes get none', () => {
    assert.equal(shellQuote('vm-web'), 'vm-web');
    assert.equal(shellQuote('Key Vault Secrets User'), '"Key Vault Secrets User"');
    assert.equal(shellQuote('[system]'), '"[system]"', 'a bare [system] is a glob: it would match a file named s, y, t, e or m');
    assert.equal(shellQuote('a\u202eb'), `"a"$'\\xe2\\x80\\xae'"b"`);
    assert.equal(shellQuote('x!y'), `'x!y'`);
  });
});

// Hostile input for diagnosis: 10,000 random and crafted texts (huge, binary, nested JSON,
// pathological repeats of every anchor the reader looks for). None may throw, hang or change the
// lab; each must finish under a bound linear in its length, and the time of the worst patterns
// must grow linearly (1 MB against 100 KB), not quadratically. Prints what it measured.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnoseText } from '../../../src/engine/diagnosis/diagnose';
import { CATEGORY_IDS } from '../../../src/engine/diagnosis/categories';
import { createLab } from '../../../src/engine/operations/sampleLab';

/** A bound linear in the length: fixed overhead plus a few microseconds a character (measured: ~0.2–0.8 µs). */
const boundMs = (chars: number) => 50 + chars * 0.002;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

const ANCHORS = [
  'AADSTS700024 ',
  'identity not found ',
  'Status: 403 forbidden keyvault ',
  '/subscriptions/',
  '\\',
  '\\r\\n\\"',
  '&amp;',
  '[](',
  '\x1b[',
  '│ ',
  '{"error":',
  '- EnvironmentCredential authentication unavailable\n',
  'CredentialUnavailableError: x\n',
  "does not have authorization to perform action '",
  "The client '",
  "'",
  'Caller is not authorized to perform action on resource ',
  'on the linked scope(s) ',
  'https://x.vault.azure.net/ ',
  'resource=',
  'DefaultAzureCredential failed to retrieve a token from the included credentials\n',
  'Multiple user assigned identities exist ',
  "No matches in graph database for '",
  '0f0f0f0f-1111-2222-3333-444444444444 ',
];

const repeat = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
const corpus: Array<{ text: string }> = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/diagnosis/corpus.json'), 'utf8'),
);

function texts(): string[] {
  const rand = random(17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const out: string[] = [];
  for (const anchor of ANCHORS) for (const size of [1024, 100 * 1024]) out.push(repeat(anchor, size));
  for (const anchor of ANCHORS.slice(0, 8)) out.push(repeat(anchor, 1024 * 1024));
  out.push(repeat('{"error":{"code":"x","innererror":', 200_000) + '}'.repeat(1000));
  while (out.length < 10_000) {
    const kind = rand();
    const length = Math.floor(rand() * 4096);
    if (kind < 0.3) {
      out.push(String.fromCharCode(...Array.from({ length: Math.min(length, 2048) }, () => Math.floor(rand() * 65_536) & 0xd7ff)));
    } else if (kind < 0.5) {
      out.push(String.fromCharCode(...Array.from({ length: Math.min(length, 2048) }, () => Math.floor(rand() * 256))));
    } else if (kind < 0.8) {
      // Fragments of real texts, cut and shuffled: plausible pastes with broken structure.
      let text = '';
      while (text.length < length) {
        const source = pick(corpus).text;
        const at = Math.floor(rand() * source.length);
        text += source.slice(at, at + 20 + Math.floor(rand() * 300));
      }
      out.push(text);
    } else {
      out.push(Array.from({ length: 1 + Math.floor(rand() * 40) }, () => pick(ANCHORS)).join(pick(['', ' ', '\n', '"', "'"])));
    }
  }
  return out;
}

describe('diagnosis: hostile input', function () {
  this.timeout(600_000);

  it('10,000 random and crafted texts: no throw, a valid finding each, each under its linear bound; the lab is unchanged', async () => {
    const lab = await createLab();
    const before = JSON.stringify(lab.toState());
    const all = texts();
    const perKb: number[] = [];
    let worst = { ratio: 0, ms: 0, chars: 0 };
    let total = 0;
    for (const text of all) {
      let started = performance.now();
      const diagnosis = diagnoseText(text, { lab });
      let ms = performance.now() - started;
      // A GC pause or a busy machine does not repeat; a text that is slow to read does: time it twice more, keep the best.
      for (let retry = 0; retry < 2 && ms > boundMs(text.length); retry++) {
        started = performance.now();
        diagnoseText(text, { lab });
        ms = Math.min(ms, performance.now() - started);
      }
      total += ms;
      assert.ok(diagnosis.findings.length > 0);
      for (const f of diagnosis.findings) assert.ok((CATEGORY_IDS as readonly string[]).includes(f.category));
      JSON.stringify(diagnosis);
      const ratio = ms / boundMs(text.length);
      if (ratio > worst.ratio) worst = { ratio, ms, chars: text.length };
      assert.ok(
        ms <= boundMs(text.length),
        `${text.length} characters took ${ms.toFixed(0)} ms (bound ${boundMs(text.length).toFixed(0)} ms): ${JSON.stringify(text.slice(0, 60))}`,
      );
      perKb.push((ms / Math.max(text.length, 1)) * 1024);
    }
    perKb.sort((a, b) => a - b);
    console.log(
      `      ${all.length} texts in ${(total / 1000).toFixed(1)} s; p99 ${perKb[Math.floor(perKb.length * 0.99)]!.toFixed(3)} ms/KB; worst ${worst.ms.toFixed(0)} ms for ${worst.chars.toLocaleString('en-US')} characters = ${(worst.ratio * 100).toFixed(0)}% of its bound`,
    );
    assert.equal(JSON.stringify(lab.toState()), before, 'diagnosis changes nothing');
  });

  it('grows linearly: each pathological pattern at 1 MB takes at most 30× its 100 KB time (quadratic would be ~100×)', () => {
    const time = (text: string) => {
      const started = performance.now();
      diagnoseText(text);
      return performance.now() - started;
    };
    const ratios: string[] = [];
    for (const anchor of ANCHORS) {
      // The best of five: a shared machine's pauses (GC, other processes) only ever add time.
      const best = (text: string) => Math.min(...Array.from({ length: 5 }, () => time(text)));
      const small = best(repeat(anchor, 100 * 1024));
      const large = best(repeat(anchor, 1024 * 1024));
      const ratio = large / Math.max(small, 1);
      ratios.push(`${JSON.stringify(anchor.slice(0, 12))} ${ratio.toFixed(1)}×`);
      assert.ok(ratio <= 30, `${JSON.stringify(anchor)}: 1 MB took ${large.toFixed(0)} ms, 100 KB ${small.toFixed(0)} ms`);
    }
    console.log(`      1 MB / 100 KB: ${ratios.join(', ')}`);
  });
});

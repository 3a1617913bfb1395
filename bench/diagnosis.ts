// Diagnosing pasted error texts of 1 KB, 100 KB and 1 MB (built from the corpus of real texts),
// against two baselines on the same bytes in the same run: JSON.parse of the text as a JSON
// string (a linear pass that also builds a string), and one lower-casing scan (indexOf).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnoseText } from '../src/engine/diagnosis/diagnose';
import { fmt, table, timeEach } from './stats';

const corpus: Array<{ text: string }> = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../test/fixtures/diagnosis/corpus.json'), 'utf8'),
);

/** `count` different texts of `size` characters, each real pastes one after another (a long log). */
function inputs(size: number, count: number): string[] {
  return Array.from({ length: count }, (_, n) => {
    let text = '';
    for (let i = n; text.length < size; i++) text += `${corpus[i % corpus.length]!.text}\n`;
    return text.slice(0, size);
  });
}

export async function benchDiagnosis(): Promise<string> {
  const rows: Array<Record<string, string>> = [];
  for (const [label, size, count] of [
    ['1 KB', 1024, 2000],
    ['100 KB', 100 * 1024, 200],
    ['1 MB', 1024 * 1024, 20],
  ] as const) {
    const texts = inputs(size, count);
    const json = texts.map(t => JSON.stringify(t));
    for (const t of texts.slice(0, 5)) diagnoseText(t);
    const diagnosis = timeEach(texts, t => diagnoseText(t));
    const parse = timeEach(json, j => JSON.parse(j));
    const scan = timeEach(texts, t => t.toLowerCase().indexOf('\u0000'));
    rows.push({
      input: label,
      texts: fmt(count, 0),
      'texts/s': fmt(diagnosis.perSecond, 0),
      'p99 ms': fmt(diagnosis.p99us / 1000, 2),
      'MB/s': fmt((diagnosis.perSecond * size) / 1024 / 1024, 1),
      'JSON.parse p99 ms': fmt(parse.p99us / 1000, 2),
      'vs JSON.parse': `${fmt(diagnosis.p99us / parse.p99us, 0)}×`,
      'scan p99 ms': fmt(scan.p99us / 1000, 2),
      'vs scan': `${fmt(diagnosis.p99us / scan.p99us, 0)}×`,
    });
  }
  return [
    'Diagnosis of pasted error texts (real texts from the corpus, concatenated to size); p99 per text, and how many times the baseline',
    table(rows),
  ].join('\n');
}

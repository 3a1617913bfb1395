// `milab diagnose [--state DIR] [--json]`: reads an error text on stdin and prints what is
// wrong, why, and how to fix it (with each fix's az line). With --state, ids and names in the
// text are matched against that lab. Exit code 0 when something was found, 1 when nothing
// matched (one `unknown` finding says what was looked for), 2 for usage errors.
import * as path from 'node:path';
import { readStateFile } from '../host/stateFile';
import { loadOrCreateLab } from '../host/labHost';
import { diagnoseText } from '../engine/diagnosis/diagnose';
import { MAX_TEXT_CHARS } from '../engine/diagnosis/normalize';
import { diagnosisJson, formatDiagnosis } from '../az/diagnosisReport';
import type { Lab } from '../engine/lab/lab';
import type { CliIo } from './cli';
import { parseOptions, UsageError } from './args';

export const DIAGNOSE_USAGE = `Usage: milab diagnose [--state DIR] [--json] < error.txt

Reads an error text on stdin (a stack trace, a log, a JSON body, a Terraform box, an az error)
and prints its root cause, the evidence read, and the fixes with their az commands.

  --state DIR   match ids and names in the text against the lab in DIR
  --json        print {"findings":[{"category","title","explanation","evidence","fixes":[{"title","az"}]}]}

Exit code: 0 a cause was found, 1 nothing matched (category "unknown"), 2 usage error.
`;

/** Reads stdin to its end, keeping at most `limit` characters (the rest is drained, not kept). */
function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: string[] = [];
    let size = 0;
    stream.setEncoding?.('utf8');
    stream.on('data', (chunk: string | Buffer) => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (size >= limit) return;
      chunks.push(text.slice(0, limit - size));
      size += text.length;
    });
    stream.on('end', () => resolve(chunks.join('')));
    stream.on('error', reject);
  });
}

export async function diagnose(argv: string[], io: CliIo): Promise<number> {
  let options: Map<string, string | true>;
  try {
    const parsed = parseOptions(argv, [
      { name: 'state', value: true },
      { name: 'json', value: false },
      { name: 'help', short: 'h', value: false },
    ]);
    options = parsed.options;
    if (options.has('help')) {
      io.stdout.write(DIAGNOSE_USAGE);
      return 0;
    }
    if (parsed.positional.length) {
      throw new UsageError(`unrecognized arguments: ${parsed.positional.join(' ')} (the error text goes on stdin)`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`milab diagnose: error: ${error.message}\n${DIAGNOSE_USAGE}`);
    return 2;
  }
  let lab: Lab | undefined;
  if (options.has('state')) {
    const dir = path.resolve(String(options.get('state')));
    if ((await readStateFile(dir)).kind === 'missing') {
      io.stderr.write(`milab diagnose: there is no lab in ${dir} (no lab.json); leave out --state to diagnose without one.\n`);
      return 1;
    }
    lab = (await loadOrCreateLab(dir)).lab;
  }
  const text = await readAll(io.stdin, MAX_TEXT_CHARS + 1);
  const diagnosis = diagnoseText(text, lab ? { lab } : {});
  if (options.has('json')) io.stdout.write(JSON.stringify(diagnosisJson(diagnosis, lab), null, 2) + '\n');
  else io.stdout.write(formatDiagnosis(diagnosis, lab));
  return diagnosis.findings[0]?.category === 'unknown' ? 1 : 0;
}

// Runs a bash script of az commands against a lab, line by line, the way `bash -e` would run
// the scripts exportAzScript writes: comments, line continuations, `set …`, `NAME=value` and
// `NAME=$(az …)` assignments, `$NAME`/`"$NAME"` expansion, and az commands. It stops at the
// first command that fails. Anything else a shell could do is refused, not guessed at.
import type { Lab } from '../engine/lab/lab';
import { runAz, type AzResult } from './run';
import { shellWords, ShellSyntaxError } from './shell/words';
import { runSqlCommand } from './sqlCommand';

/** A command of the lab's own beside az (the lab terminal's `scenario …`): the words after its name. */
export type LabCommand = (words: string[]) => Promise<AzResult>;

export interface ShellOptions {
  columns?: number;
  color?: boolean;
  /** More commands than az and `sql`, by name. */
  commands?: Readonly<Record<string, LabCommand>>;
}

export interface ReplayStep {
  /** The logical line (continuations joined). */
  line: string;
  result: AzResult;
}

export interface ReplayResult {
  ok: boolean;
  steps: ReplayStep[];
  variables: Map<string, string>;
  /** The line that stopped the script, if one did. */
  failed?: ReplayStep;
}

/** Joins `\`-continued lines, dropping blank lines and whole-line comments. */
export function logicalLines(script: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of script.split(/\r?\n/)) {
    const continued = /(^|[^\\])(\\\\)*\\$/.test(raw);
    pending += continued ? `${raw.slice(0, -1)} ` : raw;
    if (continued) continue;
    if (pending.trim() && !pending.trim().startsWith('#')) lines.push(pending.trim());
    pending = '';
  }
  if (pending.trim() && !pending.trim().startsWith('#')) lines.push(pending.trim());
  return lines;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** One logical line, as the lab terminal and the replayer run it. */
export async function runShellLine(lab: Lab, line: string, variables: Map<string, string>, options: ShellOptions = {}): Promise<AzResult> {
  const failed: AzResult[] = [];
  const substitute = async (inner: string): Promise<string> => {
    const result = await runAzLine(lab, inner, variables, { ...options, columns: options.columns ?? 100, color: false });
    if (result.exitCode !== 0) failed.push(result);
    return result.stdout;
  };
  try {
    const assignment = ASSIGNMENT.exec(line);
    if (assignment) {
      const words = await shellWords(assignment[2]!, { variables, substitute });
      if (failed.length) return failed[0]!;
      variables.set(assignment[1]!, words.join(' '));
      return { exitCode: 0, stdout: '', stderr: '' };
    }
    if (/^set\s+-[euxo\s\w]*$/.test(line)) return { exitCode: 0, stdout: '', stderr: '' };
    const words = await shellWords(line, { variables, substitute });
    if (failed.length) return failed[0]!;
    if (words.length === 0) return { exitCode: 0, stdout: '', stderr: '' };
    const command = options.commands?.[words[0]!];
    if (command) return command(words.slice(1));
    if (words[0] === 'sql') return runSqlCommand(lab, words.slice(1));
    if (words[0] !== 'az') {
      const more = ['sql', ...Object.keys(options.commands ?? {})].join(', ');
      return { exitCode: 1, stdout: '', stderr: `${words[0]}: the lab runs az commands, ${more} and NAME=value assignments only.\n` };
    }
    return runAz(lab, words, {
      ...(options.columns !== undefined ? { columns: options.columns } : {}),
      ...(options.color !== undefined ? { color: options.color } : {}),
    });
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { exitCode: 2, stdout: '', stderr: `syntax error: ${error.message}\n` };
    throw error;
  }
}

async function runAzLine(lab: Lab, line: string, variables: Map<string, string>, options: ShellOptions): Promise<AzResult> {
  return runShellLine(lab, line.trim(), variables, options);
}

export async function replayAzScript(lab: Lab, script: string, variables = new Map<string, string>()): Promise<ReplayResult> {
  const steps: ReplayStep[] = [];
  for (const line of logicalLines(script)) {
    const step = { line, result: await runShellLine(lab, line, variables) };
    steps.push(step);
    if (step.result.exitCode !== 0) return { ok: false, steps, variables, failed: step };
  }
  return { ok: true, steps, variables };
}

// Runs one az command line against a lab, as the signed-in learner, and returns what az would
// print and its exit code. Nothing here writes anywhere: callers show or send the result.
import type { Lab } from '../engine/lab/lab';
import { isLabError } from '../engine/base/errors';
import { parseLabState } from '../engine/state/schema';
import { COMMAND_TABLE } from './commands';
import { AzCliError, AzServiceError, AzUsageError, fromLabError, odataMessage } from './cli/errors';
import { commandHelp, groupHelp } from './cli/help';
import { optionsOf, parseAz } from './cli/parse';
import type { ArgValue, AzFiles, CommandContext, CommandSpec, OptionSpec, Args } from './cli/spec';
import { RawOutput } from './output/raw';
import { applyQuery, checkQuerySyntax } from './output/query';
import { formatResult } from './output/format';
import { rejectPlaceholders } from './placeholders';
import { resolveSubscriptionArgument } from './commands/account';
import { resourceGroupTransform } from './commands/azOutput';

export interface AzResult {
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

export interface AzRunOptions {
  /** Terminal width for help text (az wraps help at 100 columns). */
  columns?: number;
  /** Colour errors and warnings (and jsonc) with ANSI codes, as az does on a terminal. */
  color?: boolean;
  /** Lets `--file` arguments read and write files (the lab itself has no file system). */
  files?: AzFiles;
}

/** knack's console log format: a level prefix without colour; with colour, the colour alone (knack/log.py). */
function logLine(level: 'ERROR' | 'WARNING', message: string, color: boolean): string {
  if (!color) return `${level}: ${message}\n`;
  // azure-cli's dark theme: bright red errors, bright yellow warnings (core/style.py THEME_DARK).
  return `${level === 'ERROR' ? '\x1b[91m' : '\x1b[93m'}${message}\x1b[0m\n`;
}

function argumentPairs(command: CommandSpec, args: Args): Array<[OptionSpec, ArgValue]> {
  const options = optionsOf(command);
  return args.entries().flatMap(([dest, value]) => {
    const option = options.find(o => o.dest === dest);
    return option ? [[option, value] as [OptionSpec, ArgValue]] : [];
  });
}

/**
 * `<RESOURCE GROUP>` pasted from a lesson reaches az as two words, `<RESOURCE` and `GROUP>`
 * (a shell would not even get that far). Put such placeholders back together, so that they
 * are answered as placeholders rather than as stray arguments.
 */
function rejoinPlaceholders(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    let end = -1;
    if (/^<[A-Za-z][\w-]*$/.test(word)) {
      for (let j = i + 1; j < argv.length && end === -1; j++) {
        if (/^[\w-]*>$/.test(argv[j]!)) end = j;
        else if (!/^[\w-]+$/.test(argv[j]!)) break;
      }
    }
    out.push(end === -1 ? word : argv.slice(i, end + 1).join(' '));
    if (end !== -1) i = end;
  }
  return out;
}

export async function runAz(lab: Lab, argv: string[], options: AzRunOptions = {}): Promise<AzResult> {
  const color = options.color ?? false;
  const width = Math.max(40, Math.min(options.columns ?? 100, 100));
  const warnings: string[] = [];
  let onlyShowErrors = false;
  try {
    const parsed = parseAz(rejoinPlaceholders(argv), COMMAND_TABLE);
    if (parsed.kind === 'groupHelp') return { exitCode: 0, stdout: groupHelp(COMMAND_TABLE, parsed.path, width), stderr: '' };
    if (parsed.kind === 'commandHelp') return { exitCode: 0, stdout: commandHelp(parsed.command, width), stderr: '' };
    const { command, args, global } = parsed;
    onlyShowErrors = global.onlyShowErrors;
    if (global.query !== undefined) checkQuerySyntax(global.query);
    rejectPlaceholders(lab, argumentPairs(command, args));
    const subscriptionId =
      global.subscription !== undefined ? resolveSubscriptionArgument(lab, global.subscription) : lab.defaultSubscriptionId;
    const ctx: CommandContext = {
      lab,
      caller: lab.learner,
      subscriptionId,
      warn: message => warnings.push(message),
      ...(options.files ? { files: options.files } : {}),
    };
    const result = await runAtomically(lab, command, () => command.run(ctx, args));
    if (result instanceof RawOutput) return { exitCode: 0, stdout: result.text, stderr: warningText(warnings, onlyShowErrors, color) };
    resourceGroupTransform(result);
    const query = global.query !== undefined ? applyQuery(result, global.query) : undefined;
    const stdout = formatResult(result, {
      format: global.output,
      color,
      ...(query ? { query } : {}),
      ...(command.tableTransformer ? { tableTransformer: command.tableTransformer } : {}),
    });
    return { exitCode: 0, stdout, stderr: warningText(warnings, onlyShowErrors, color) };
  } catch (error) {
    const failed = failure(error, color);
    return { ...failed, stderr: warningText(warnings, onlyShowErrors, color) + failed.stderr };
  }
}

function warningText(warnings: readonly string[], suppressed: boolean, color: boolean): string {
  return suppressed ? '' : warnings.map(w => logLine('WARNING', w, color)).join('');
}

/**
 * A command that changes the lab either completes or leaves the lab exactly as it was. The
 * commands check everything before they change anything; should one fail half-way anyway,
 * the state it started from is put back (as an undoable step, so nothing is ever lost).
 */
async function runAtomically(lab: Lab, command: CommandSpec, run: () => unknown): Promise<unknown> {
  if (!command.mutates) return run();
  const before = JSON.stringify(lab.toState());
  try {
    return await run();
  } catch (error) {
    if (JSON.stringify(lab.toState()) !== before) {
      const parsed = parseLabState(JSON.parse(before));
      if (parsed.ok) lab.replaceState(parsed.state, `Roll back the failed 'az ${command.name}'`);
    }
    throw error;
  }
}

function failure(error: unknown, color: boolean): Omit<AzResult, 'stdout'> & { stdout: string } {
  const extra = (lines: readonly string[]) => lines.map(l => `${l}\n`).join('');
  if (error instanceof AzUsageError) {
    return { exitCode: 2, stdout: '', stderr: logLine('ERROR', error.message, color) + extra(error.recommendations) };
  }
  if (error instanceof AzCliError) {
    return { exitCode: 1, stdout: '', stderr: logLine('ERROR', error.message, color) + extra(error.recommendations) };
  }
  const service = error instanceof AzServiceError ? error : isLabError(error) ? fromLabError(error) : undefined;
  if (service) {
    return { exitCode: 1, stdout: '', stderr: logLine('ERROR', odataMessage(service.code, service.message, service.innerError), color) };
  }
  // A bug in the lab: say so plainly, never with a stack trace.
  return {
    exitCode: 1,
    stdout: '',
    stderr: logLine(
      'ERROR',
      `The command failed with an unexpected error in the lab: ${(error as Error)?.message ?? String(error)}`,
      color,
    ),
  };
}

// Tab completion in the lab terminal: command groups and commands after `az`, then the
// command's options (its own and the global ones), from the same command table az runs on.
import { COMMAND_TABLE } from '../../az/commands';
import { optionsOf } from '../../az/cli/parse';

export const BUILTINS = ['az', 'clear', 'clock', 'diagnose', 'exit', 'help', 'scenario', 'sql'];

/** What `clock` (or `milab clock`) takes in the lab terminal. */
export const CLOCK_ACTIONS = ['show', 'advance', 'pause', 'resume', 'real'];

export interface Completion {
  /** Text to insert at the cursor (what all candidates share beyond the typed word). */
  insert: string;
  /** Every candidate, when more than one remains. */
  candidates: string[];
}

function commonPrefix(words: string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0]!;
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

function complete(word: string, options: string[]): Completion {
  const matches = [...new Set(options.filter(o => o.startsWith(word)))].sort();
  if (matches.length === 1) return { insert: `${matches[0]!.slice(word.length)} `, candidates: [] };
  return { insert: commonPrefix(matches).slice(word.length), candidates: matches.length > 1 ? matches : [] };
}

/** Completes the last word of `before` (the line up to the cursor). */
export function completeLine(before: string): Completion {
  const words = before.split(/\s+/).filter(Boolean);
  const current = /\s$/.test(before) || before === '' ? '' : words.pop()!;
  if (words.length === 0) return complete(current, BUILTINS);
  if (words[0] === 'clock' && words.length === 1) return complete(current, CLOCK_ACTIONS);
  if (words[0] !== 'az') return { insert: '', candidates: [] };
  let path = '';
  let commandName: string | undefined;
  for (const word of words.slice(1)) {
    if (word.startsWith('-')) break;
    const next = path ? `${path} ${word.toLowerCase()}` : word.toLowerCase();
    if (COMMAND_TABLE.commands.has(next)) {
      commandName = next;
      break;
    }
    if (!COMMAND_TABLE.groups.has(next)) return { insert: '', candidates: [] };
    path = next;
  }
  const command = commandName ? COMMAND_TABLE.commands.get(commandName) : undefined;
  if (!command) {
    if (current.startsWith('-')) return complete(current, ['--help']);
    return complete(current, COMMAND_TABLE.childWords(path));
  }
  if (current.startsWith('-') || current === '') {
    return complete(
      current,
      optionsOf(command).flatMap(o => o.names.filter(n => n.startsWith('--'))),
    );
  }
  return { insert: '', candidates: [] };
}

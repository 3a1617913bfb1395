// Reads an az command line the way azure-cli's argparse-based parser does: command words
// (case-insensitive), then `--long value`, `--long=value`, `-s value`, `-svalue`, flags,
// lists (`--identities a b c`), unique prefixes of long options (argparse allow_abbrev), and
// its error texts: "the following arguments are required: …", "unrecognized arguments: …",
// "argument --x/-x: expected one argument", "'{word}' is misspelled or not recognized by the
// system.", "{prog}: '{v}' is not a valid value for '{opt}'. Allowed values: …" (azure-cli
// core/parser.py; CPython argparse).
import { AzCliError, AzUsageError } from './errors';
import type { CommandTable } from './registry';
import type { ArgValue, CommandSpec, OptionSpec } from './spec';
import { Args, displayNames } from './spec';
import { GLOBAL_OPTIONS, SUBSCRIPTION_OPTION } from './globals';
import { closeMatches } from './similar';
import type { OutputFormat } from '../output/format';

export interface GlobalArgs {
  output: OutputFormat;
  query?: string;
  subscription?: string;
  onlyShowErrors: boolean;
}

export type Parsed =
  | { kind: 'groupHelp'; path: string }
  | { kind: 'commandHelp'; command: CommandSpec }
  | { kind: 'command'; command: CommandSpec; args: Args; global: GlobalArgs };

export function optionsOf(command: CommandSpec): OptionSpec[] {
  return [...command.options, ...GLOBAL_OPTIONS, ...(command.noSubscription ? [] : [SUBSCRIPTION_OPTION])];
}

/** A token argparse takes for an option rather than a value (it has no negative-number options). */
const looksLikeOption = (token: string): boolean => token.startsWith('-') && token.length > 1 && !/^-\d+$|^-\d*\.\d+$/.test(token);

export function parseAz(argv: readonly string[], table: CommandTable): Parsed {
  const words = argv[0]?.toLowerCase() === 'az' ? argv.slice(1) : [...argv];
  let path = '';
  let index = 0;
  let command: CommandSpec | undefined;
  while (index < words.length && !looksLikeOption(words[index]!)) {
    const word = words[index]!.toLowerCase();
    const candidate = path ? `${path} ${word}` : word;
    index++;
    const found = table.commands.get(candidate);
    if (found) {
      command = found;
      break;
    }
    if (table.groups.has(candidate)) {
      path = candidate;
      continue;
    }
    const notSimulated = [...table.notSimulated.values()].find(n => candidate === n.name || candidate.startsWith(`${n.name} `));
    if (notSimulated) {
      throw new AzCliError(`'az ${candidate}' is an Azure CLI command the Managed Identity Lab does not simulate: ${notSimulated.why}`);
    }
    const suggestions = closeMatches(word, table.childWords(path));
    throw new AzUsageError(
      `'${words[index - 1]}' is misspelled or not recognized by the system.`,
      suggestions.length ? [`Did you mean '${suggestions[0]}' ?`] : [],
    );
  }
  const rest = words.slice(index);
  if (!command) {
    if (rest.length === 0 || rest.some(t => t === '-h' || t === '--help')) return { kind: 'groupHelp', path };
    throw new AzUsageError('the following arguments are required: _subcommand');
  }
  return parseArguments(command, rest);
}

function parseArguments(command: CommandSpec, tokens: readonly string[]): Parsed {
  const options = optionsOf(command);
  if (tokens.some(t => t === '-h' || t === '--help')) return { kind: 'commandHelp', command };
  const prog = `az ${command.name}`;
  const values = new Map<string, ArgValue>();
  const unrecognized: string[] = [];
  const longNames = options.flatMap(o => o.names.filter(n => n.startsWith('--')).map(n => ({ name: n, option: o })));

  const findLong = (name: string): OptionSpec | undefined => {
    const exact = longNames.find(l => l.name === name);
    if (exact) return exact.option;
    const prefixed = longNames.filter(l => l.name.startsWith(name));
    const distinct = [...new Set(prefixed.map(p => p.option))];
    if (distinct.length > 1) throw new AzUsageError(`ambiguous option: ${name} could match ${prefixed.map(p => p.name).join(', ')}`);
    return distinct[0];
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') {
      unrecognized.push(...tokens.slice(i + 1));
      break;
    }
    if (!looksLikeOption(token)) {
      unrecognized.push(token);
      continue;
    }
    let option: OptionSpec | undefined;
    let inline: string | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      const name = eq === -1 ? token : token.slice(0, eq);
      inline = eq === -1 ? undefined : token.slice(eq + 1);
      option = findLong(name);
    } else {
      option = options.find(o => o.names.includes(token));
      if (!option && token.length > 2) {
        // `-otsv`: a short option with its value attached.
        const short = options.find(o => o.names.includes(token.slice(0, 2)) && (o.kind ?? 'value') !== 'flag');
        if (short) {
          option = short;
          inline = token.slice(2);
        }
      }
    }
    if (!option) {
      unrecognized.push(token);
      if (i + 1 < tokens.length && !looksLikeOption(tokens[i + 1]!)) unrecognized.push(tokens[++i]!);
      continue;
    }
    const kind = option.kind ?? 'value';
    if (kind === 'flag') {
      if (inline !== undefined) throw new AzUsageError(`argument ${displayNames(option)}: ignored explicit argument '${inline}'`);
      values.set(option.dest, true);
      continue;
    }
    if (kind === 'value') {
      const value = inline ?? (i + 1 < tokens.length && !looksLikeOption(tokens[i + 1]!) ? tokens[++i] : undefined);
      if (value === undefined) throw new AzUsageError(`argument ${displayNames(option)}: expected one argument`);
      values.set(option.dest, checkChoice(prog, option, value));
      continue;
    }
    const list: string[] = inline !== undefined ? [inline] : [];
    while (inline === undefined && i + 1 < tokens.length && !looksLikeOption(tokens[i + 1]!)) list.push(tokens[++i]!);
    if (list.length === 0 && !option.optionalValues) {
      throw new AzUsageError(`argument ${displayNames(option)}: expected at least one argument`);
    }
    values.set(
      option.dest,
      list.map(v => checkChoice(prog, option, v)),
    );
  }

  const missing = options.filter(o => o.required && !values.has(o.dest));
  if (missing.length) throw new AzUsageError(`the following arguments are required: ${missing.map(displayNames).join(', ')}`);
  if (unrecognized.length) throw new AzUsageError(`unrecognized arguments: ${unrecognized.join(' ')}`);

  const output = (values.get('_output') as OutputFormat | undefined) ?? 'json';
  const query = values.get('_query') as string | undefined;
  const subscription = values.get('_subscription') as string | undefined;
  const global: GlobalArgs = {
    output,
    onlyShowErrors: values.has('_only_show_errors'),
    ...(query !== undefined ? { query } : {}),
    ...(subscription !== undefined ? { subscription } : {}),
  };
  return { kind: 'command', command, args: new Args(values), global };
}

/** azure-cli lower-cases enum values (get_enum_type is case-insensitive) and names the allowed ones. */
function checkChoice(prog: string, option: OptionSpec, value: string): string {
  if (!option.choices) return value;
  const match = option.choices.find(c => c.toLowerCase() === value.toLowerCase());
  if (match !== undefined) return match;
  throw new AzUsageError(
    `${prog}: '${value}' is not a valid value for '${option.names[0]}'. Allowed values: ${option.choices.join(', ')}.`,
  );
}

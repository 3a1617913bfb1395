// How the lab describes an az command: its name, its arguments (argparse-style, with the
// CLI's long and short spellings), its help, and what it does.
import type { Lab } from '../../engine/lab/lab';
import type { Caller } from '../../engine/lab/authorization';

export type OptionKind =
  /** `--name VALUE` */
  | 'value'
  /** `--all` (argparse store_true) */
  | 'flag'
  /** `--identities A B C` (argparse nargs='+', or '*' with `optionalValues`) */
  | 'list';

export interface OptionSpec {
  /** The Python parameter name, which is also where the value is kept. */
  dest: string;
  /** Every spelling, as az registers them (order matters: errors print them joined with '/'). */
  names: readonly string[];
  kind?: OptionKind;
  required?: boolean;
  choices?: readonly string[];
  help: string;
  /** Shown in help as "Default: …". */
  default?: string;
  /** For lists: zero values is allowed (nargs='*'). */
  optionalValues?: boolean;
  /** A value people write freely (tags, secret values): never taken for a pasted placeholder. */
  freeText?: boolean;
  /** Help section, e.g. 'Managed Service Identity Arguments'. */
  group?: string;
}

export interface Example {
  name: string;
  text: string;
}

/** Files a command may read or write (`--file`), when the surface running it has any. */
export interface AzFiles {
  read(path: string): Promise<Uint8Array<ArrayBuffer>>;
  write(path: string, data: Uint8Array): Promise<void>;
}

export interface CommandContext {
  lab: Lab;
  /** Everything runs as the signed-in learner. */
  caller: Caller;
  /** `--subscription`, resolved, or the lab's default subscription. */
  subscriptionId: string;
  /** A warning on stderr (suppressed by --only-show-errors). */
  warn(message: string): void;
  files?: AzFiles;
}

export type ArgValue = string | string[] | boolean;

export class Args {
  constructor(private readonly values: ReadonlyMap<string, ArgValue>) {}

  has(dest: string): boolean {
    return this.values.has(dest);
  }
  str(dest: string): string | undefined {
    const v = this.values.get(dest);
    return typeof v === 'string' ? v : undefined;
  }
  /** A required value (the parser has already checked that it is there). */
  req(dest: string): string {
    return this.str(dest) ?? '';
  }
  flag(dest: string): boolean {
    return this.values.get(dest) === true;
  }
  list(dest: string): string[] | undefined {
    const v = this.values.get(dest);
    return Array.isArray(v) ? v : undefined;
  }
  entries(): Array<[string, ArgValue]> {
    return [...this.values];
  }
}

export interface CommandSpec {
  /** Space-separated words after `az`, e.g. `vm identity assign`. */
  name: string;
  summary: string;
  longSummary?: string;
  options: readonly OptionSpec[];
  examples?: readonly Example[];
  /** Changes the lab (so a failure must leave it as it was). */
  mutates?: boolean;
  /** az's table_transformer for `--output table` (knack uses it only without --query). */
  tableTransformer?: (result: unknown) => unknown;
  /** Commands outside ARM (`az ad …`) have no --subscription argument. */
  noSubscription?: boolean;
  run(ctx: CommandContext, args: Args): unknown;
}

export interface GroupSpec {
  name: string;
  summary: string;
}

/** A command the real CLI has and the lab does not simulate. */
export interface NotSimulated {
  name: string;
  why: string;
}

export const displayNames = (option: OptionSpec): string => option.names.join('/');

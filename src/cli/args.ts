// A small, strict option parser: unknown options and missing values are usage errors.
export class UsageError extends Error {}

export interface OptionSpec {
  /** Long name without dashes, e.g. `state`. */
  name: string;
  short?: string;
  /** Takes a value (`--port 8080`) or is a flag (`--json`). */
  value: boolean;
}

export function parseOptions(
  argv: readonly string[],
  specs: readonly OptionSpec[],
): { options: Map<string, string | true>; positional: string[] } {
  const options = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.startsWith('--')
      ? arg.includes('=')
        ? [arg.slice(2, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg.slice(2), undefined]
      : [arg.slice(1), undefined];
    const spec = specs.find(s => s.name === flag || s.short === flag);
    if (!spec) throw new UsageError(`unrecognized arguments: ${arg}`);
    if (!spec.value) {
      options.set(spec.name, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`argument --${spec.name}: expected one argument`);
    options.set(spec.name, value);
  }
  return { options, positional };
}

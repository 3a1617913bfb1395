// `--help` for groups and commands, laid out as knack's CLIHelp prints it (knack/help.py): a
// "Group"/"Command" header with `az <name> : <summary>`, then sub-groups and commands (or the
// arguments, required ones first within each argument group, "Global Arguments" last) in
// aligned columns with a hanging indent, then examples; wrapped like Python's textwrap.
import type { CommandTable } from './registry';
import type { CommandSpec, OptionSpec } from './spec';
import { optionsOf } from './parse';

const SEPARATOR = ' : ';
const REQUIRED = '[Required]';

export function groupHelp(table: CommandTable, path: string, width = 100): string {
  const out: string[] = [''];
  const group = table.groups.get(path);
  out.push('Group');
  out.push(...wrap(`az${path ? ` ${path}` : ''}${group?.summary ? `${SEPARATOR}${group.summary}` : ''}`, width, '    ', '    '));
  out.push('');
  const { groups, commands } = table.childrenOf(path);
  const items = (list: Array<{ name: string; summary: string }>) =>
    list.map(x => ({ name: x.name.split(' ').pop()!, summary: x.summary, tags: '' }));
  if (groups.length) out.push('Subgroups:', ...columns(items(groups), width), '');
  if (commands.length) out.push('Commands:', ...columns(items(commands), width), '');
  return `${out.join('\n')}\n`;
}

export function commandHelp(command: CommandSpec, width = 100): string {
  const out: string[] = ['', 'Command'];
  out.push(...wrap(`az ${command.name}${SEPARATOR}${command.summary}`, width, '    ', '    '));
  if (command.longSummary) out.push(...command.longSummary.split('\n').flatMap(p => wrap(p, width, '        ', '        ')));
  out.push('', 'Arguments');
  const groupOrder = (o: OptionSpec) => (o.group === undefined ? 0 : o.group === 'Global Arguments' ? 1000 : 2);
  const sorted = optionsOf(command).sort(
    (a, b) =>
      groupOrder(a) - groupOrder(b) ||
      (a.group ?? '').localeCompare(b.group ?? '') ||
      Number(!a.required) - Number(!b.required) ||
      helpName(a).localeCompare(helpName(b)),
  );
  const rows = sorted.map(o => ({ name: helpName(o), summary: argumentSummary(o), tags: o.required ? REQUIRED : '', group: o.group }));
  const maxLen = Math.max(...rows.map(lineLength));
  let lastGroup: string | undefined;
  for (const row of rows) {
    if (row.group !== lastGroup) {
      if (row.group) out.push('', row.group);
      lastGroup = row.group;
    }
    out.push(...itemLines(row, maxLen, width));
  }
  out.push('');
  if (command.examples?.length) {
    out.push('Examples');
    for (const e of command.examples) {
      out.push(...wrap(e.name, width, '    ', '    '));
      out.push(...wrap(e.text, width, '        ', '        '), '');
    }
  }
  return `${out.join('\n')}\n`;
}

const helpName = (o: OptionSpec): string => o.names.join(' ');

function argumentSummary(o: OptionSpec): string {
  const choices = o.choices ? `  Allowed values: ${[...o.choices].sort().join(', ')}.` : '';
  const dflt = o.default ? `  Default: ${o.default}.` : '';
  return `${o.help}${choices}${dflt}`.trim();
}

interface Item {
  name: string;
  summary: string;
  tags: string;
}

/** knack's _get_line_len: the name, the tags, and the spaces around them. */
const lineLength = (item: Item): number => item.name.length + item.tags.length + (item.tags ? 2 : 1);

function itemLines(item: Item, maxLen: number, width: number): string[] {
  const padding = ' '.repeat(Math.max(0, item.tags ? maxLen - lineLength(item) + 1 : maxLen - lineLength(item)));
  const text = `${item.name}${padding}${item.tags}${item.summary ? SEPARATOR : ''}${item.summary}`;
  const hanging = maxLen + 4 + SEPARATOR.length - 1;
  return wrap(text, width, '    ', ' '.repeat(hanging));
}

function columns(items: Item[], width: number): string[] {
  const sorted = [...items].sort((a, b) => a.name.localeCompare(b.name));
  const maxLen = Math.max(...sorted.map(lineLength));
  return sorted.flatMap(i => itemLines(i, maxLen, width));
}

/**
 * Python's textwrap.fill(replace_whitespace=False): greedy over words and the runs of spaces
 * between them (which are kept, so aligned columns stay aligned), spaces dropped at line
 * breaks, words longer than a line broken.
 */
export function wrap(text: string, width: number, initial: string, subsequent: string): string[] {
  const chunks = text.split(/( +)/).filter(c => c !== '');
  const lines: string[] = [];
  let line = initial;
  let hasText = false;
  for (let chunk of chunks) {
    const isSpace = chunk.startsWith(' ');
    if (isSpace && !hasText && lines.length > 0) continue;
    if (!isSpace && hasText && line.length + chunk.length > width) {
      lines.push(line.trimEnd());
      line = subsequent;
      hasText = false;
    }
    while (!isSpace && line.length + chunk.length > width && width - line.length > 0) {
      lines.push(line + chunk.slice(0, width - line.length));
      chunk = chunk.slice(width - line.length);
      line = subsequent;
    }
    line += chunk;
    if (!isSpace) hasText = true;
  }
  lines.push(line.trimEnd());
  return lines;
}

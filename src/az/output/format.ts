// Turns a command's result into what az prints on stdout for each `--output` format.
// knack prints nothing at all when a command returns nothing (None) — whatever the format.
import { toJson } from './json';
import { toColoredJson } from './jsonc';
import { toTsv } from './tsv';
import { toTable } from './table';
import { toYaml } from './yaml';
import type { QueryResult } from './query';

/** knack's OutputProducer formats, in its own order (the order az lists them in errors). */
export const OUTPUT_FORMATS = ['json', 'jsonc', 'yaml', 'yamlc', 'table', 'tsv', 'none'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface FormatOptions {
  format: OutputFormat;
  color: boolean;
  /** Set when --query was given: its result and which objects it built. */
  query?: QueryResult;
  /** The command's own table layout, used only without --query (knack's format_table). */
  tableTransformer?: (result: unknown) => unknown;
}

export function formatResult(result: unknown, options: FormatOptions): string {
  const value = options.query ? options.query.value : result;
  if (value === undefined || value === null) return '';
  const isOrdered = options.query ? options.query.isOrdered : () => false;
  switch (options.format) {
    case 'json':
      return toJson(value);
    case 'jsonc':
      return options.color ? toColoredJson(value) : toJson(value);
    case 'yaml':
    case 'yamlc':
      return toYaml(value);
    case 'tsv':
      return toTsv(value, isOrdered);
    case 'table': {
      const transformer = !options.query && options.tableTransformer;
      const rows = transformer ? transformer(value) : value;
      return toTable(rows, { sortKeys: !options.query && !transformer, isOrdered: transformer ? () => true : isOrdered });
    }
    case 'none':
      return '';
  }
}

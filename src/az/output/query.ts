// `--query`: JMESPath, through the same library semantics knack uses (knack/query.py). knack
// searches with `Options(OrderedDict)`, so objects a query builds (`{a: x, b: y}`) keep the
// query's key order in tsv and table output, while the command's own objects are sorted.
// The lab tells the two apart by identity: whatever object the search returns that was not in
// the input was built by the query.
import { search } from 'jmespath';
import { AzCliError, AzUsageError } from '../cli/errors';

const QUERY_REFERENCE = "To learn more about --query, please visit: 'https://docs.microsoft.com/cli/azure/query-azure-cli'";

/** Checks a query's syntax as argparse's `type=jmespath_type` does, before anything runs. */
export function checkQuerySyntax(query: string): void {
  try {
    search(null, query);
  } catch (error) {
    const name = (error as Error).name.toLowerCase();
    if (name === 'lexererror' || name === 'parsererror') {
      throw new AzUsageError(`argument --query: invalid jmespath_type value: '${query}'`, [QUERY_REFERENCE]);
    }
  }
}

export interface QueryResult {
  value: unknown;
  /** True for objects the query built (knack's OrderedDict). */
  isOrdered(o: object): boolean;
}

export function applyQuery(value: unknown, query: string): QueryResult {
  const original = new WeakSet<object>();
  collect(value, original);
  let result: unknown;
  try {
    result = search(value, query);
  } catch (error) {
    // azure-cli's handle_exception for JMESPathError (core/util.py).
    throw new AzCliError(`Invalid jmespath query supplied for \`--query\`: ${(error as Error).message}`, [QUERY_REFERENCE]);
  }
  return { value: result, isOrdered: o => !original.has(o) };
}

function collect(value: unknown, into: WeakSet<object>): void {
  if (value === null || typeof value !== 'object' || into.has(value)) return;
  into.add(value);
  for (const v of Array.isArray(value) ? value : Object.values(value)) collect(v, into);
}

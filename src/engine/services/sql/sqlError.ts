// A SQL Server error as a client sees it: the number, severity class and state of the ERROR
// token (MS-TDS 2.2.7.10) and its text. Both doors (TDS and the JSON endpoint) render it.
import type { AuthorizationNote, RefusalRule } from '../../trace/model';

export class SqlError extends Error {
  constructor(
    readonly number: number,
    readonly severity: number,
    message: string,
    readonly state = 1,
    /** Why, in the lab's words, for the trace (a login decision). */
    readonly authorization?: AuthorizationNote,
    /** Which rule refused, when it was not SQL's own login or permission check (a rejected token). */
    readonly rule?: RefusalRule,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

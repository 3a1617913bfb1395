// A SQL Server error as a client sees it: the number, severity class and state of the ERROR
// token (MS-TDS 2.2.7.10) and its text. Both doors (TDS and the JSON endpoint) render it.
import type { AuthorizationNote } from '../../trace/model';

export class SqlError extends Error {
  constructor(
    readonly number: number,
    readonly severity: number,
    message: string,
    readonly state = 1,
    /** Why, in the lab's words, for the trace (a login decision). */
    readonly authorization?: AuthorizationNote,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

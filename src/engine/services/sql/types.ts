// What a SQL session is and what its statements return: typed columns (the TDS door needs
// the types for COLMETADATA; the JSON door shows names and values).
import type { Lab } from '../../lab/lab';
import type { ReadonlyResource, SqlColumnState } from '../../state/labState';

/** A column of a table or of a result set ('' names an unnamed expression, as in `SELECT 1`). */
export type SqlColumn = SqlColumnState;
export type SqlType = SqlColumnState['type'];

export type SqlValue = string | number | null;

/** What one statement produced, in the order SQL Server reports it. */
export interface StatementResult {
  /** For DONE's CurCmd and the trace: what kind of statement ran. */
  command: 'select' | 'insert' | 'ddl' | 'set' | 'waitfor';
  /** Present when the statement returns a result set. */
  columns?: SqlColumn[];
  rows?: SqlValue[][];
  /** Rows selected or inserted (DONE_COUNT); absent for statements without a count. */
  rowCount?: number;
  /** WAITFOR DELAY: how long the door waits before going on. */
  delayMs?: number;
}

/** A logged-in session: who the token (or the admin) is in one database. */
export interface SqlSession {
  readonly lab: Lab;
  readonly server: ReadonlyResource;
  /** The database's ARM id (master has none of its own: `{server}/databases/master`). */
  readonly databaseId: string;
  readonly databaseName: string;
  /** The server's Entra admin logs in as dbo with every permission. */
  readonly isAdmin: boolean;
  /** The database user (`USER_NAME()`): dbo for the admin, else the contained user's name. */
  readonly userName: string;
  /** The login (`SUSER_SNAME()`): a person's UPN, or `{client id}@{tenant id}` for an application. */
  readonly loginName: string;
  /** The contained user's object id, to find its roles as they are now. */
  readonly userObjectId?: string;
}

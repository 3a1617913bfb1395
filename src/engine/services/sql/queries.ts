// The statements that touch tables or return rows: SELECT (from a table, or of expressions
// such as 1, SUSER_SNAME()), INSERT … VALUES and CREATE TABLE. Database roles decide:
// db_datareader reads, db_datawriter writes, db_ddladmin creates; db_owner and the admin do all.
import { SqlError } from './sqlError';
import { LAB_ERROR_NUMBER, LAB_MSG, MSG } from './messages';
import type { SqlColumn, SqlSession, SqlValue, StatementResult } from './types';
import { columnsOf, convert, parseColumn, tableName, tablesOf, unbracket } from './tables';
import { parseLiteral, parseValueRows, splitTopLevel, topLevelKeyword } from './syntax';
import { hasRole } from './roles';
import type { SqlTableState } from '../../state/labState';

const MAX_TABLES = 100;
const MAX_ROWS = 10_000;
/** SQL Server's own limit on the rows of one VALUES clause (Msg 10738). */
const MAX_VALUES_ROWS = 1000;

function requireTable(session: SqlSession, name: string, permission: 'SELECT' | 'INSERT'): SqlTableState {
  const allowed = permission === 'SELECT' ? hasRole(session, 'db_datareader') : hasRole(session, 'db_datawriter');
  // SQL checks the permission before it tells whether the object exists.
  if (!allowed) throw new SqlError(229, 14, MSG.permissionDenied(permission, name, session.databaseName), 5);
  const table = tablesOf(session.lab, session.databaseId).find(t => t.name.toLowerCase() === name.toLowerCase());
  if (!table) throw new SqlError(208, 16, MSG.invalidObject(name));
  return table;
}

/** An expression without FROM: a literal or one of the functions that say who and where you are. */
function expression(session: SqlSession, text: string): { value: SqlValue; column: SqlColumn } {
  const literal = parseLiteral(text);
  if (literal) {
    const v = literal.value;
    if (typeof v === 'number') {
      return { value: v, column: { name: '', type: Math.abs(v) < 2 ** 31 ? 'int' : 'bigint', nullable: false } };
    }
    if (v === null) return { value: null, column: { name: '', type: 'int', nullable: true } };
    return { value: v, column: { name: '', type: 'nvarchar', nullable: false, length: Math.max(1, v.length) } };
  }
  const word = text.trim().replace(/\s+/g, '').toLowerCase();
  const name = (value: string, nullable = true) => ({ value, column: { name: '', type: 'nvarchar' as const, nullable, length: 128 } });
  switch (word) {
    case 'suser_sname()':
    case 'suser_name()':
    case 'system_user':
    case 'original_login()':
      return name(session.loginName);
    case 'user_name()':
      return name(session.userName);
    case 'current_user':
    case 'session_user':
    case 'user':
      return name(session.userName, false);
    case 'db_name()':
      return name(session.databaseName);
  }
  const call = /^([A-Za-z_][\w]*)\s*\(/.exec(text.trim());
  if (call) throw new SqlError(195, 15, MSG.notBuiltIn(call[1]!));
  if (/^@@?\w+$/.test(text.trim())) throw new SqlError(LAB_ERROR_NUMBER, 16, LAB_MSG.unsupported(text.trim().slice(0, 60)));
  if (/^[A-Za-z_][\w]*$/.test(text.trim()) || /^\[.*\]$/.test(text.trim())) throw new SqlError(207, 16, MSG.invalidColumn(unbracket(text)));
  throw new SqlError(102, 15, MSG.incorrectSyntax(text.trim().split(/\s+/)[0]!.slice(0, 60)));
}

/** `expr`, `expr AS alias`, `expr alias` or `alias = expr`. */
function aliased(item: string): { expr: string; alias: string } {
  const assign = /^(\[[^\]]+\]|[A-Za-z_]\w*)\s*=\s*(.+)$/s.exec(item);
  if (assign && !/^'/.test(item)) return { expr: assign[2]!, alias: unbracket(assign[1]!) };
  const as = /^(.+?)\s+(?:as\s+)?(\[[^\]]+\]|'[^']*'|[A-Za-z_]\w*)$/is.exec(item);
  if (as && !/^(n?'.*'|\d+)$/is.test(item.trim()) && !/^(current_user|session_user|system_user)$/i.test(item.trim())) {
    return { expr: as[1]!, alias: unbracket(as[2]!.replace(/^'(.*)'$/s, '$1')) };
  }
  return { expr: item, alias: '' };
}

function selectExpressions(session: SqlSession, list: string): StatementResult {
  const items = splitTopLevel(list).map(aliased);
  const evaluated = items.map(({ expr, alias }) => {
    const { value, column } = expression(session, expr);
    return { value, column: { ...column, name: alias } };
  });
  return { command: 'select', columns: evaluated.map(e => e.column), rows: [evaluated.map(e => e.value)], rowCount: 1 };
}

function selectFrom(session: SqlSession, list: string, rest: string): StatementResult {
  const match = /^(\S+(?:\s*\.\s*\S+)?)(?:\s+where\s+(.+))?$/is.exec(rest.trim());
  if (!match) throw new SqlError(102, 15, MSG.incorrectSyntax(rest.trim().split(/\s+/)[1]?.slice(0, 60) ?? ''));
  const name = tableName(match[1]!);
  const table = requireTable(session, name, 'SELECT');
  const columns = columnsOf(table);
  const find = (wanted: string) => {
    const column = columns.find(c => c.name.toLowerCase() === wanted.toLowerCase());
    if (!column) throw new SqlError(207, 16, MSG.invalidColumn(wanted));
    return column;
  };
  let rows = table.rows;
  if (match[2]) {
    const condition = /^(\[[^\]]+\]|[A-Za-z_]\w*)\s*=\s*(.+)$/s.exec(match[2].trim());
    const literal = condition && parseLiteral(condition[2]!);
    if (!condition || !literal) throw new SqlError(LAB_ERROR_NUMBER, 16, LAB_MSG.unsupported(`WHERE ${match[2].slice(0, 60)}`));
    const column = find(unbracket(condition[1]!));
    const wanted = literal.value === null ? null : convert(literal.value, { ...column, nullable: true }, table.name, session.databaseName);
    // `= NULL` matches nothing (ANSI_NULLS ON, tedious's default).
    rows = rows.filter(r => wanted !== null && (r[column.name] ?? null) === wanted);
  }
  let top: number | undefined;
  const topMatch = /^top\s*(?:\(\s*(\d+)\s*\)|(\d+))\s+(.+)$/is.exec(list);
  if (topMatch) {
    top = Number(topMatch[1] ?? topMatch[2]);
    list = topMatch[3]!;
  }
  if (top !== undefined) rows = rows.slice(0, top);
  if (/^count\s*\(\s*\*\s*\)(?:\s+(?:as\s+)?(\[[^\]]+\]|[A-Za-z_]\w*))?$/i.test(list.trim())) {
    const alias = /\s+(?:as\s+)?(\[[^\]]+\]|[A-Za-z_]\w*)$/i.exec(list.trim());
    return {
      command: 'select',
      columns: [{ name: alias ? unbracket(alias[1]!) : '', type: 'int', nullable: true }],
      rows: [[rows.length]],
      rowCount: 1,
    };
  }
  const wanted = list.trim() === '*' ? columns : splitTopLevel(list).map(c => find(unbracket(c)));
  return {
    command: 'select',
    columns: wanted.map(c => ({ ...c })),
    rows: rows.map(r => wanted.map(c => r[c.name] ?? null)),
    rowCount: rows.length,
  };
}

export function select(session: SqlSession, body: string): StatementResult {
  const from = topLevelKeyword(body, 'from');
  if (from === -1) return selectExpressions(session, body);
  return selectFrom(session, body.slice(0, from).trim(), body.slice(from + 4));
}

export function insert(session: SqlSession, name: string, columnList: string | undefined, values: string): StatementResult {
  const table = requireTable(session, tableName(name), 'INSERT');
  const columns = columnsOf(table);
  const named =
    columnList === undefined
      ? columns
      : splitTopLevel(columnList).map(c => {
          const column = table.columns
            ? columns.find(k => k.name.toLowerCase() === unbracket(c).toLowerCase())
            : columns.find(k => k.name === unbracket(c));
          if (column) return column;
          if (table.columns) throw new SqlError(207, 16, MSG.invalidColumn(unbracket(c)));
          return { name: unbracket(c), type: 'nvarchar' as const, nullable: true, length: 4000 };
        });
  const rows = parseValueRows(values);
  if (rows.length > MAX_VALUES_ROWS) {
    throw new SqlError(
      10738,
      15,
      `The number of row value expressions in the INSERT statement exceeds the maximum allowed number of ${MAX_VALUES_ROWS} row values.`,
    );
  }
  if (table.rows.length + rows.length > MAX_ROWS) {
    throw new SqlError(LAB_ERROR_NUMBER, 16, `The lab keeps at most ${MAX_ROWS} rows per table.`);
  }
  const converted = rows.map(values => {
    // Without a column list the values must match the table's columns (Msg 213).
    if (columnList === undefined && values.length !== named.length) throw new SqlError(213, 16, MSG.suppliedValues);
    if (values.length > named.length) throw new SqlError(110, 15, MSG.fewerColumns);
    if (values.length < named.length) throw new SqlError(109, 15, MSG.moreColumns);
    const row: Record<string, SqlValue> = {};
    named.forEach((column, i) => (row[column.name] = convert(values[i]!, column, table.name, session.databaseName)));
    // Declared columns left out of the list get NULL, which NOT NULL columns refuse.
    for (const column of table.columns ?? []) {
      if (!(column.name in row)) row[column.name] = convert(null, column, table.name, session.databaseName);
    }
    return row;
  });
  table.rows.push(...converted);
  session.lab.notify('dataPlane');
  return { command: 'insert', rowCount: converted.length };
}

export function createTable(session: SqlSession, name: string, definitions: string): StatementResult {
  if (!hasRole(session, 'db_ddladmin')) throw new SqlError(262, 14, MSG.createTableDenied(session.databaseName));
  const table = tableName(name);
  const tables = tablesOf(session.lab, session.databaseId);
  if (tables.some(t => t.name.toLowerCase() === table.toLowerCase())) throw new SqlError(2714, 16, MSG.objectExists(table), 6);
  if (tables.length >= MAX_TABLES) throw new SqlError(LAB_ERROR_NUMBER, 16, `The lab keeps at most ${MAX_TABLES} tables per database.`);
  const columns = splitTopLevel(definitions).map((d, i) => parseColumn(d, i + 1));
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name.toLowerCase())) {
      throw new SqlError(
        2705,
        16,
        `Column names in each table must be unique. Column name '${c.name}' in table '${table}' is specified more than once.`,
        4,
      );
    }
    seen.add(c.name.toLowerCase());
  }
  tables.push({ name: table, columns, rows: [] });
  session.lab.notify('dataPlane');
  return { command: 'ddl' };
}

// The tables the lab keeps per database: the sample table every database starts with, and
// those CREATE TABLE adds. Columns have SQL types; values are converted the way SQL Server
// converts a literal into a column's type.
import type { Lab } from '../../lab/lab';
import type { SqlTableState } from '../../state/labState';
import { SqlError } from './sqlError';
import { LAB_ERROR_NUMBER, LAB_MSG, MSG } from './messages';
import type { SqlColumn, SqlType, SqlValue } from './types';

/** Every database starts with this table (dbo.Products), so SELECT and INSERT have something to act on. */
export const sampleTable = (): SqlTableState => ({
  name: 'Products',
  columns: [
    { name: 'ProductID', type: 'int', nullable: false },
    { name: 'Name', type: 'nvarchar', nullable: false, length: 50 },
    { name: 'InStock', type: 'bit', nullable: false },
  ],
  rows: [
    { ProductID: 1, Name: 'Coffee', InStock: 1 },
    { ProductID: 2, Name: 'Tea', InStock: 1 },
    { ProductID: 3, Name: 'Cocoa', InStock: 0 },
  ],
});

const isMaster = (databaseId: string) => /\/databases\/master$/i.test(databaseId);

/** The database's tables; a user database not yet touched gets the sample table. */
export function tablesOf(lab: Lab, databaseId: string): SqlTableState[] {
  const data = lab.dataFor(databaseId);
  data.sqlTables ??= isMaster(databaseId) ? [] : [sampleTable()];
  return data.sqlTables;
}

/** `dbo.orders`, `[dbo].[orders]` or `orders` → `orders` (the lab has one schema, dbo). */
export function tableName(name: string): string {
  const parts = name.split('.').map(unbracket);
  return parts.length === 2 && parts[0]!.toLowerCase() === 'dbo' ? parts[1]! : parts.join('.');
}

export const unbracket = (name: string): string =>
  name
    .trim()
    .replace(/^\[(.*)\]$/s, (_all, inner: string) => inner.replace(/\]\]/g, ']'))
    .replace(/^"(.*)"$/s, (_all, inner: string) => inner.replace(/""/g, '"'));

const TYPES: Record<string, SqlType> = {
  int: 'int',
  smallint: 'int',
  tinyint: 'int',
  bigint: 'bigint',
  bit: 'bit',
  nvarchar: 'nvarchar',
  varchar: 'nvarchar',
  nchar: 'nvarchar',
  char: 'nvarchar',
  sysname: 'nvarchar',
};
/** Real SQL types the lab's tables do not hold (a CREATE TABLE using one gets the lab's message, not "Cannot find data type"). */
const KNOWN_ELSEWHERE = new Set([
  ...['date', 'datetime', 'datetime2', 'datetimeoffset', 'smalldatetime', 'time', 'decimal', 'numeric', 'float', 'real', 'money'],
  ...['smallmoney', 'uniqueidentifier', 'varbinary', 'binary', 'image', 'text', 'ntext', 'xml', 'geography', 'geometry'],
  ...['hierarchyid', 'sql_variant', 'rowversion', 'timestamp', 'json', 'vector'],
]);

/** One column definition of CREATE TABLE: `name type[(n|max)] [NULL | NOT NULL] [PRIMARY KEY | UNIQUE]`. */
export function parseColumn(definition: string, index: number): SqlColumn {
  const match =
    /^(\[(?:[^\]]|\]\])+\]|"[^"]+"|[A-Za-z_][\w@$#]*)\s+([A-Za-z_]\w*)\s*(?:\(\s*(\d+|max)\s*\))?((?:\s+(?:not\s+null|null|primary\s+key|unique))*)\s*$/is.exec(
      definition.trim(),
    );
  if (!match) {
    const word = definition.trim().split(/\s+/)[1] ?? definition.trim();
    if (/^identity/i.test(definition.trim().split(/\s+/)[2] ?? '')) {
      throw new SqlError(LAB_ERROR_NUMBER, 16, LAB_MSG.unsupportedType('IDENTITY'));
    }
    throw new SqlError(102, 15, MSG.incorrectSyntax(word.slice(0, 60)));
  }
  const [, rawName, rawType, size, constraints] = match;
  const typeName = rawType!.toLowerCase();
  const type = TYPES[typeName];
  if (!type) {
    if (KNOWN_ELSEWHERE.has(typeName)) throw new SqlError(LAB_ERROR_NUMBER, 16, LAB_MSG.unsupportedType(typeName));
    throw new SqlError(2715, 16, MSG.unknownType(index, rawType!), 6);
  }
  const words = (constraints ?? '').toLowerCase();
  const nullable = !/not\s+null|primary\s+key/.test(words);
  const column: SqlColumn = { name: unbracket(rawName!), type, nullable };
  if (type === 'nvarchar') column.length = size && size.toLowerCase() !== 'max' ? Math.min(4000, Number(size)) : size ? 4000 : 1;
  return column;
}

/** A table's columns: declared ones, or (a table from before columns were kept) what its values look like. */
export function columnsOf(table: SqlTableState): SqlColumn[] {
  if (table.columns) return table.columns;
  const names = [...new Set(table.rows.flatMap(r => Object.keys(r)))];
  return names.map(name => {
    const values = table.rows.map(r => r[name]).filter(v => v !== null && v !== undefined);
    const integers = values.length > 0 && values.every(v => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2 ** 31);
    return integers ? { name, type: 'int', nullable: true } : { name, type: 'nvarchar', nullable: true, length: 4000 };
  });
}

/** A literal converted to a column's type, as SQL Server converts on INSERT. */
export function convert(value: SqlValue, column: SqlColumn, table: string, database: string): SqlValue {
  if (value === null) {
    if (!column.nullable) throw new SqlError(515, 16, MSG.cannotInsertNull(column.name, `${database}.dbo.${table}`), 2);
    return null;
  }
  switch (column.type) {
    case 'nvarchar': {
      const text = String(value);
      if (column.length !== undefined && text.length > column.length) {
        throw new SqlError(2628, 16, MSG.truncated(`${database}.dbo.${table}`, column.name, text.slice(0, column.length)));
      }
      return text;
    }
    case 'bit':
      if (typeof value === 'number') return value === 0 ? 0 : 1;
      if (/^\s*(true|1)\s*$/i.test(value)) return 1;
      if (/^\s*(false|0)\s*$/i.test(value)) return 0;
      throw new SqlError(245, 16, MSG.conversionFailed(value, 'bit'));
    default: {
      const number = typeof value === 'number' ? value : /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
      const limit = column.type === 'int' ? 2 ** 31 : 2 ** 63;
      if (!Number.isInteger(number) || number < -limit || number >= limit) {
        if (typeof value === 'string') throw new SqlError(245, 16, MSG.conversionFailed(value, column.type));
        throw new SqlError(8115, 16, `Arithmetic overflow error converting expression to data type ${column.type}.`);
      }
      return number;
    }
  }
}

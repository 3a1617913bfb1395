// Azure SQL with Microsoft Entra token login. Azure RBAC decides nothing here: a token logs
// in only as the server's Entra admin or as a contained database user created
// `FROM EXTERNAL PROVIDER`, and database roles (db_datareader, db_datawriter, db_ddladmin,
// db_owner) decide reads and writes. So "SQL DB Contributor" — a management role — grants no
// data access at all. A small T-SQL subset, with SQL Server's error numbers and messages.
import type { Lab } from '../lab/lab';
import type { ReadonlyResource, SqlUserState } from '../state/labState';
import { resourceTypeOf } from '../azure/resourceTypes';
import { sqlAdminOf, type SqlAdmin } from '../state/resourceProperties';
import type { DataCaller } from './dataCaller';
import type { AuthorizationNote } from '../trace/model';
import { SQL_INSERT_FEWER_COLUMNS } from './messages';
import type { Caller } from '../lab/authorization';
import { authorize } from '../lab/authorization';
import { LabError } from '../base/errors';
import { mutable } from '../lab/mutable';
import { resolvePrincipal } from '../lab/resolvePrincipal';

/** A SQL error: number, severity class and state as SQL Server reports them. */
export class SqlError extends Error {
  constructor(
    readonly number: number,
    readonly severity: number,
    message: string,
    readonly authorization?: AuthorizationNote,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

export interface QueryResult {
  columns: string[];
  rows: Array<Array<string | number | null>>;
  rowsAffected: number;
  messages: string[];
}

const DATABASE_ROLES = ['db_owner', 'db_datareader', 'db_datawriter', 'db_ddladmin', 'db_accessadmin', 'db_securityadmin'];

export function findSqlServerByName(lab: Lab, name: string): ReadonlyResource | undefined {
  return lab.arm.resources.find(r => resourceTypeOf(r.type)?.key === 'sqlserver' && r.name.toLowerCase() === name.toLowerCase());
}

/** `az sql server ad-admin create`: the server's Microsoft Entra admin (authorized as ARM would). */
export function setSqlEntraAdmin(lab: Lab, caller: Caller, serverId: string, principal: string): SqlAdmin {
  const server = lab.arm.resource(serverId);
  if (!server || resourceTypeOf(server.type)?.key !== 'sqlserver') {
    throw new LabError('ResourceNotFound', `The SQL server '${serverId}' was not found.`, 404);
  }
  const resolution = resolvePrincipal(lab, principal);
  if (resolution.kind !== 'found') {
    throw new LabError('PrincipalNotFound', `No principal '${principal}' in the directory.`, 400, 'principal');
  }
  authorize(lab, caller, 'Microsoft.Sql/servers/administrators/write', server.id);
  const p = resolution.principal;
  const admin: SqlAdmin = {
    login: p.kind === 'User' ? p.userPrincipalName : p.displayName,
    sid: p.objectId,
    principalType: p.kind === 'User' ? 'User' : 'Application',
  };
  mutable(lab).arm.resource(server.id)!.properties['administrators'] = {
    administratorType: 'ActiveDirectory',
    principalType: admin.principalType,
    login: admin.login,
    sid: admin.sid,
    tenantId: lab.tenantId,
    azureADOnlyAuthentication: true,
  };
  lab.notify('resources');
  return admin;
}

interface Session {
  lab: Lab;
  server: ReadonlyResource;
  database: ReadonlyResource;
  /** The contained user the token mapped to, or undefined for the server admin (dbo). */
  user?: SqlUserState;
  isAdmin: boolean;
  name: string;
}

const LOGIN_FAILED = "Login failed for user '<token-identified principal>'.";

/** Logs a token holder in to a database: the server's Entra admin, or a contained user for that object id. */
export function login(
  lab: Lab,
  caller: DataCaller,
  serverName: string,
  databaseName: string,
): { session: Session; note: AuthorizationNote } {
  const server = findSqlServerByName(lab, serverName);
  const database = server && lab.arm.resource(`${server.id}/databases/${databaseName}`);
  if (!server || !database) {
    throw new SqlError(4060, 11, `Cannot open database "${databaseName.slice(0, 128)}" requested by the login. The login failed.`);
  }
  const admin = sqlAdminOf(server);
  const scope = database.id;
  const note = (allowed: boolean, reasons: string[]): AuthorizationNote => ({
    allowed,
    action: 'SQL login (Microsoft Entra token)',
    scope,
    reasons,
  });
  if (!admin) {
    throw new SqlError(
      18456,
      14,
      `${LOGIN_FAILED} The server is not currently configured to accept this token.`,
      note(false, ['The server has no Microsoft Entra admin, so it accepts no Entra tokens at all.']),
    );
  }
  if (admin.sid.toLowerCase() === caller.objectId.toLowerCase()) {
    return {
      session: { lab, server, database, isAdmin: true, name: 'dbo' },
      note: note(true, [`${admin.login} is the server's Microsoft Entra admin (logs in as dbo).`]),
    };
  }
  const user = usersOf(lab, database).find(u => u.objectId.toLowerCase() === caller.objectId.toLowerCase());
  if (!user) {
    throw new SqlError(
      18456,
      14,
      LOGIN_FAILED,
      note(false, [
        `No contained user in ${databaseName} maps to object id ${caller.objectId}. ` +
          `Azure RBAC roles (even "SQL DB Contributor") grant no data access: create one with CREATE USER [${caller.displayName}] FROM EXTERNAL PROVIDER.`,
      ]),
    );
  }
  return {
    session: { lab, server, database, user, isAdmin: false, name: user.name },
    note: note(true, [`Contained user [${user.name}] (roles: ${user.roles.join(', ') || 'none'})`]),
  };
}

const usersOf = (lab: Lab, database: ReadonlyResource): SqlUserState[] => (lab.dataFor(database.id).sqlUsers ??= []);
const tablesOf = (lab: Lab, database: ReadonlyResource) => (lab.dataFor(database.id).sqlTables ??= []);

function hasRole(session: Session, ...roles: string[]): boolean {
  return session.isAdmin || session.user!.roles.some(r => r === 'db_owner' || roles.includes(r));
}

const unbracket = (name: string) => name.replace(/^\[(.*)\]$/s, '$1').replace(/\]\]/g, ']');
const NAME = String.raw`(\[(?:[^\]]|\]\])+\]|[A-Za-z_][\w@$#.-]*)`;

const STATEMENTS: Array<[RegExp, (session: Session, m: RegExpExecArray) => QueryResult]> = [
  [
    new RegExp(String.raw`^create\s+user\s+${NAME}\s+from\s+external\s+provider(?:\s+with\s+object_id\s*=\s*'([0-9a-f-]{36})')?$`, 'i'),
    createUser,
  ],
  [new RegExp(String.raw`^alter\s+role\s+${NAME}\s+(add|drop)\s+member\s+${NAME}$`, 'i'), alterRole],
  [new RegExp(String.raw`^drop\s+user\s+${NAME}$`, 'i'), dropUser],
  [new RegExp(String.raw`^create\s+table\s+${NAME}\s*\((.+)\)$`, 'is'), createTable],
  [new RegExp(String.raw`^insert\s+into\s+${NAME}\s*\(([^)]*)\)\s*values\s*\((.*)\)$`, 'is'), insert],
  [/^select\s+(current_user|user_name\(\)|suser_sname\(\))$/i, whoAmI],
  // The column list starts and ends with a non-space, so `\s+from` cannot backtrack across every
  // run of spaces (`(.+?)\s+from` did: quadratic on a long statement).
  [new RegExp(String.raw`^select\s+(\S(?:.*?\S)?)\s+from\s+${NAME}$`, 'is'), select],
];

/**
 * The longest statement the lab reads. SQL Server itself takes far longer batches; the lab's
 * statement patterns look for a table name after every `from`, so their cost grows with the
 * square of the length: a cap keeps a hostile statement cheap.
 */
export const MAX_STATEMENT_LENGTH = 4000;

/** Runs one batch (statements separated by `;`), stopping at the first error, as SQL Server does. */
export function runBatch(session: Session, batch: string): QueryResult {
  const statements = batch
    .split(';')
    .map(s => s.trim())
    .filter(Boolean);
  if (statements.length === 0) throw new SqlError(102, 15, "Incorrect syntax near ''.");
  let last: QueryResult = { columns: [], rows: [], rowsAffected: 0, messages: [] };
  const messages: string[] = [];
  for (const statement of statements) {
    if (statement.length > MAX_STATEMENT_LENGTH) {
      // The lab's own limit, in the shape of SQL's syntax error (SQL Server has no such message).
      throw new SqlError(
        102,
        15,
        `Incorrect syntax near '${statement.slice(0, 30)}': ` +
          `the lab reads statements of at most ${MAX_STATEMENT_LENGTH} characters (this one has ${statement.length}).`,
      );
    }
    const handler = STATEMENTS.find(([pattern]) => pattern.test(statement));
    if (!handler) throw new SqlError(102, 15, `Incorrect syntax near '${statement.split(/\s+/).slice(0, 2).join(' ').slice(0, 60)}'.`);
    last = handler[1](session, handler[0].exec(statement)!);
    messages.push(...last.messages);
  }
  return { ...last, messages };
}

const done = (message: string, rowsAffected = 0): QueryResult => ({ columns: [], rows: [], rowsAffected, messages: [message] });

function createUser(session: Session, m: RegExpExecArray): QueryResult {
  if (!hasRole(session, 'db_accessadmin')) throw new SqlError(15247, 16, 'User does not have permission to perform this action.');
  const name = unbracket(m[1]!);
  const users = usersOf(session.lab, session.database);
  if (users.some(u => u.name.toLowerCase() === name.toLowerCase())) {
    throw new SqlError(15023, 16, `User, group, or role '${name}' already exists in the current database.`);
  }
  const objectId = m[2] ?? resolveEntraName(session.lab, name);
  if (!objectId) throw new SqlError(33130, 16, `Principal '${name}' could not be found or this principal type is not supported.`);
  users.push({ name, objectId, roles: [] });
  session.lab.notify('dataPlane');
  return done('Commands completed successfully.');
}

/** An Entra principal by the name SQL is given: a user's UPN, or a service principal's (managed identity's) display name. */
function resolveEntraName(lab: Lab, name: string): string | undefined {
  const resolution = resolvePrincipal(lab, name);
  return resolution.kind === 'found' && resolution.matchedBy !== 'objectId' && resolution.matchedBy !== 'clientId'
    ? resolution.principal.objectId
    : undefined;
}

function alterRole(session: Session, m: RegExpExecArray): QueryResult {
  const role = unbracket(m[1]!).toLowerCase();
  const member = unbracket(m[3]!);
  if (!DATABASE_ROLES.includes(role)) {
    throw new SqlError(15151, 16, `Cannot alter the role '${role}', because it does not exist or you do not have permission.`);
  }
  if (!hasRole(session, 'db_securityadmin')) {
    throw new SqlError(15151, 16, `Cannot alter the role '${role}', because it does not exist or you do not have permission.`);
  }
  const user = usersOf(session.lab, session.database).find(u => u.name.toLowerCase() === member.toLowerCase());
  if (!user) {
    throw new SqlError(15151, 16, `Cannot add the principal '${member}', because it does not exist or you do not have permission.`);
  }
  user.roles = m[2]!.toLowerCase() === 'add' ? [...new Set([...user.roles, role])] : user.roles.filter(r => r !== role);
  session.lab.notify('dataPlane');
  return done('Commands completed successfully.');
}

function dropUser(session: Session, m: RegExpExecArray): QueryResult {
  if (!hasRole(session, 'db_accessadmin')) {
    throw new SqlError(15151, 16, `Cannot drop the user '${unbracket(m[1]!)}', because it does not exist or you do not have permission.`);
  }
  const name = unbracket(m[1]!);
  const users = usersOf(session.lab, session.database);
  const index = users.findIndex(u => u.name.toLowerCase() === name.toLowerCase());
  if (index === -1) {
    throw new SqlError(15151, 16, `Cannot drop the user '${name}', because it does not exist or you do not have permission.`);
  }
  users.splice(index, 1);
  session.lab.notify('dataPlane');
  return done('Commands completed successfully.');
}

const databaseName = (session: Session) => session.database.name.split('/').pop()!;

function createTable(session: Session, m: RegExpExecArray): QueryResult {
  if (!hasRole(session, 'db_ddladmin')) {
    throw new SqlError(262, 14, `CREATE TABLE permission denied in database '${databaseName(session)}'.`);
  }
  const name = unbracket(m[1]!);
  const tables = tablesOf(session.lab, session.database);
  if (tables.some(t => t.name.toLowerCase() === name.toLowerCase())) {
    throw new SqlError(2714, 16, `There is already an object named '${name}' in the database.`);
  }
  tables.push({ name, rows: [] });
  session.lab.notify('dataPlane');
  return done('Commands completed successfully.');
}

function requireTable(session: Session, name: string, permission: 'SELECT' | 'INSERT') {
  const table = tablesOf(session.lab, session.database).find(t => t.name.toLowerCase() === name.toLowerCase());
  const allowed = permission === 'SELECT' ? hasRole(session, 'db_datareader') : hasRole(session, 'db_datawriter');
  // SQL checks permission before revealing whether the object exists.
  if (!allowed) {
    throw new SqlError(
      229,
      14,
      `The ${permission} permission was denied on the object '${name}', database '${databaseName(session)}', schema 'dbo'.`,
    );
  }
  if (!table) throw new SqlError(208, 16, `Invalid object name '${name}'.`);
  return table;
}

function parseValues(text: string): Array<string | number | null> {
  const values: Array<string | number | null> = [];
  const pattern = /\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|(null))\s*(?:,|$)/giy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while (consumed < text.length && (match = pattern.exec(text))) {
    values.push(match[1] !== undefined ? match[1].replace(/''/g, "'") : match[2] !== undefined ? Number(match[2]) : null);
    consumed = pattern.lastIndex;
  }
  if (consumed < text.trim().length) throw new SqlError(102, 15, `Incorrect syntax near '${text.slice(consumed, consumed + 20)}'.`);
  return values;
}

function insert(session: Session, m: RegExpExecArray): QueryResult {
  const table = requireTable(session, unbracket(m[1]!), 'INSERT');
  const columns = m[2]!
    .split(',')
    .map(c => unbracket(c.trim()))
    .filter(Boolean);
  const values = parseValues(m[3]!);
  if (columns.length !== values.length) {
    throw new SqlError(110, 15, SQL_INSERT_FEWER_COLUMNS);
  }
  table.rows.push(Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null])));
  session.lab.notify('dataPlane');
  return done('(1 row affected)', 1);
}

function select(session: Session, m: RegExpExecArray): QueryResult {
  const table = requireTable(session, unbracket(m[2]!), 'SELECT');
  const wanted =
    m[1]!.trim() === '*' ? [...new Set(table.rows.flatMap(r => Object.keys(r)))] : m[1]!.split(',').map(c => unbracket(c.trim()));
  return {
    columns: wanted,
    rows: table.rows.map(r => wanted.map(c => r[c] ?? null)),
    rowsAffected: table.rows.length,
    messages: [`(${table.rows.length} row${table.rows.length === 1 ? '' : 's'} affected)`],
  };
}

function whoAmI(session: Session): QueryResult {
  return { columns: [''], rows: [[session.name]], rowsAffected: 1, messages: ['(1 row affected)'] };
}

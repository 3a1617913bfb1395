// One T-SQL statement, run in a session: the subset the lab speaks, with SQL Server's errors
// for the rest — a syntax error for what is not T-SQL, and the lab's own 50000 message for
// real T-SQL it does not run (never a hang or a dropped connection).
import { SqlError } from './sqlError';
import { LAB_ERROR_NUMBER, LAB_MSG, MSG } from './messages';
import type { SqlSession, StatementResult } from './types';
import { NAME, TABLE } from './syntax';
import { unbracket } from './tables';
import { createTable, insert, select } from './queries';
import { DATABASE_ROLES, hasRole } from './roles';
import { sqlUsersOf } from './login';
import { resolvePrincipal } from '../../lab/resolvePrincipal';

/** The longest WAITFOR DELAY the lab waits (SQL Server waits up to 24 hours). */
export const MAX_WAIT_SECONDS = 60;

const T_SQL_KEYWORDS =
  /^(select|insert|update|delete|create|alter|drop|exec|execute|declare|print|begin|commit|rollback|save|grant|revoke|deny|truncate|merge|with|if|while|return|raiserror|throw|waitfor|dbcc|backup|restore|bulk|open|close|fetch|deallocate|kill|reconfigure|checkpoint|readtext|writetext|updatetext|go)\b/i;

const GUID = String.raw`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`;

const done = (command: StatementResult['command']): StatementResult => ({ command });

function createUser(session: SqlSession, rawName: string, objectId: string | undefined): StatementResult {
  if (!hasRole(session, 'db_accessadmin')) throw new SqlError(15247, 16, MSG.noPermission);
  const name = unbracket(rawName);
  const users = sqlUsersOf(session.lab, session.databaseId);
  if (users.some(u => u.name.toLowerCase() === name.toLowerCase()) || name.toLowerCase() === 'dbo') {
    throw new SqlError(15023, 16, MSG.alreadyExists(name));
  }
  let id = objectId?.toLowerCase();
  if (!id) {
    // FROM EXTERNAL PROVIDER finds the principal by name: a person's UPN, or an application's
    // (a managed identity's) display name — not by an id.
    const resolution = resolvePrincipal(session.lab, name);
    if (resolution.kind === 'ambiguous') {
      throw new SqlError(
        33131,
        16,
        `Principal '${name}' has a duplicate display name. Make the display name unique in Azure Active Directory and execute this statement again.`,
      );
    }
    if (
      resolution.kind !== 'found' ||
      resolution.matchedBy === 'objectId' ||
      resolution.matchedBy === 'clientId' ||
      resolution.matchedBy === 'resourceId'
    ) {
      throw new SqlError(33130, 16, MSG.principalNotFound(name));
    }
    id = resolution.principal.objectId;
  }
  users.push({ name, objectId: id, roles: [] });
  session.lab.notify('dataPlane');
  return done('ddl');
}

function alterRole(session: SqlSession, rawRole: string, action: string, rawMember: string): StatementResult {
  const role = unbracket(rawRole).toLowerCase();
  const member = unbracket(rawMember);
  if (!(DATABASE_ROLES as readonly string[]).includes(role) || !hasRole(session, 'db_securityadmin')) {
    throw new SqlError(15151, 16, MSG.cannotAlterRole(role));
  }
  const user = sqlUsersOf(session.lab, session.databaseId).find(u => u.name.toLowerCase() === member.toLowerCase());
  if (!user) throw new SqlError(15151, 16, MSG.cannotAddPrincipal(member));
  user.roles = action.toLowerCase() === 'add' ? [...new Set([...user.roles, role])] : user.roles.filter(r => r !== role);
  session.lab.notify('dataPlane');
  return done('ddl');
}

function dropUser(session: SqlSession, rawName: string): StatementResult {
  const name = unbracket(rawName);
  const users = sqlUsersOf(session.lab, session.databaseId);
  const index = users.findIndex(u => u.name.toLowerCase() === name.toLowerCase());
  if (!hasRole(session, 'db_accessadmin') || index === -1) throw new SqlError(15151, 16, MSG.cannotDropUser(name));
  users.splice(index, 1);
  session.lab.notify('dataPlane');
  return done('ddl');
}

function waitFor(delay: string): StatementResult {
  const match = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,3}))?)?$/.exec(delay.trim());
  if (!match) throw new SqlError(148, 15, 'Incorrect time syntax in time string used with WAITFOR.');
  const ms = ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3] ?? 0)) * 1000 + Number((match[4] ?? '0').padEnd(3, '0'));
  if (ms > MAX_WAIT_SECONDS * 1000) throw new SqlError(LAB_ERROR_NUMBER, 16, LAB_MSG.waitTooLong(MAX_WAIT_SECONDS));
  return { command: 'waitfor', delayMs: ms };
}

type Handler = (session: SqlSession, m: RegExpExecArray) => StatementResult;

const STATEMENTS: Array<[RegExp, Handler]> = [
  [/^set\s+(?!@)[a-z_]+\b/i, () => done('set')],
  [/^select\s+(\S.*)$/is, (s, m) => select(s, m[1]!)],
  [
    new RegExp(String.raw`^insert\s+(?:into\s+)?(${TABLE})\s*(?:\(([^)]*)\))?\s*values\s*(\(.*)$`, 'is'),
    (s, m) => insert(s, m[1]!, m[2], m[3]!),
  ],
  [new RegExp(String.raw`^create\s+table\s+(${TABLE})\s*\((.+)\)$`, 'is'), (s, m) => createTable(s, m[1]!, m[2]!)],
  [
    new RegExp(String.raw`^create\s+user\s+(${NAME})\s+from\s+external\s+provider(?:\s+with\s+object_id\s*=\s*'(${GUID})')?$`, 'i'),
    (s, m) => createUser(s, m[1]!, m[2]),
  ],
  [new RegExp(String.raw`^alter\s+role\s+(${NAME})\s+(add|drop)\s+member\s+(${NAME})$`, 'i'), (s, m) => alterRole(s, m[1]!, m[2]!, m[3]!)],
  [new RegExp(String.raw`^drop\s+user\s+(?:if\s+exists\s+)?(${NAME})$`, 'i'), (s, m) => dropUser(s, m[1]!)],
  [/^waitfor\s+delay\s+'([^']*)'$/i, (_s, m) => waitFor(m[1]!)],
  [
    /^use\s+\S+$/i,
    () => {
      // Azure SQL Database has no USE: each connection stays in the database it logged in to.
      throw new SqlError(
        40508,
        16,
        'USE statement is not supported to switch between databases. Use a new connection to connect to a different database.',
      );
    },
  ],
];

export function runStatement(session: SqlSession, statement: string): StatementResult {
  for (const [pattern, handler] of STATEMENTS) {
    const match = pattern.exec(statement);
    if (match) return handler(session, match);
  }
  const short = statement.replace(/\s+/g, ' ').slice(0, 60);
  if (T_SQL_KEYWORDS.test(statement) || /^set\s/i.test(statement)) throw new SqlError(LAB_ERROR_NUMBER, 16, LAB_MSG.unsupported(short));
  throw new SqlError(102, 15, MSG.incorrectSyntax(statement.split(/\s+/)[0]!.slice(0, 60)));
}

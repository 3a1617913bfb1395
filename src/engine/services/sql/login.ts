// Logging in to Azure SQL. Azure RBAC decides nothing here: a Microsoft Entra token logs in
// only as the server's Entra admin or as a contained database user created `FROM EXTERNAL
// PROVIDER`, so "SQL DB Contributor" — a management role — gives no login at all. The order
// of the checks is Azure's as far as errors show it: the server, the token, the database,
// then who the token is. Every refusal is 18456 to the client; the trace says why.
import type { Lab } from '../../lab/lab';
import type { AuthorizationNote, RefusalRule } from '../../trace/model';
import type { ReadonlyResource, SqlUserState } from '../../state/labState';
import { findResourceApp } from '../../azure/resourceApps';
import { sqlAdminOf } from '../../state/resourceProperties';
import { refusalRuleOf, verifyAccessToken, type RejectedToken } from '../verifyToken';
import { callerFromClaims, type DataCaller } from '../dataCaller';
import { SqlError } from './sqlError';
import { MSG, TOKEN_PRINCIPAL, WHY } from './messages';
import { isEntraAdmin, sqlServerForHostName } from './servers';
import { SQL_AUDIENCES } from '../../azure/audiences';
import type { SqlSession } from './types';

const SQL_APP = findResourceApp('https://database.windows.net/')!;
/** Audiences Azure SQL accepts (engine/azure/audiences.ts says why). */
export const SQL_TOKEN_AUDIENCES: readonly string[] = SQL_AUDIENCES;
/** The resource a driver is told to get a token for (FEDAUTHINFO's SPN). */
export const SQL_RESOURCE = SQL_APP.identifierUris[0]!;

export interface SqlTarget {
  /** The host name the client connected to (`sql-lab.database.windows.net`) or the server's name. */
  server: string;
  /** The database the client asked for; empty means master. */
  database: string;
}

export type SqlLogin =
  | { ok: true; session: SqlSession; note: AuthorizationNote; claims: Record<string, unknown> }
  | { ok: false; error: SqlError; claims?: Record<string, unknown> };

const usersOf = (lab: Lab, databaseId: string): SqlUserState[] => (lab.dataFor(databaseId).sqlUsers ??= []);

/** The contained users of a database (CREATE USER … FROM EXTERNAL PROVIDER). */
export const sqlUsersOf = usersOf;

const note = (allowed: boolean, scope: string, reasons: string[]): AuthorizationNote => ({
  decidedBy: 'Azure SQL (not RBAC)',
  allowed,
  action: 'SQL login (Microsoft Entra token)',
  scope,
  reasons,
});

function refused(
  number: number,
  severity: number,
  message: string,
  scope: string,
  reasons: string[],
  state = 1,
  rule?: RefusalRule,
): SqlError {
  return new SqlError(number, severity, message, state, note(false, scope, reasons), rule);
}

function openServer(lab: Lab, target: SqlTarget): ReadonlyResource | SqlError {
  const server = sqlServerForHostName(lab, target.server);
  if (!server) {
    // Azure's gateway answers a server name it does not know with 40532 (class 20: the connection ends).
    return refused(40532, 20, MSG.cannotOpenServer(target.server.slice(0, 128)), '', [
      `No SQL server in the lab answers to '${target.server.slice(0, 128)}'. Connect to {server}.database.windows.net on the lab's SQL port.`,
    ]);
  }
  return server;
}

function databaseOf(lab: Lab, server: ReadonlyResource, name: string): { id: string; name: string } | undefined {
  if (name === '' || name.toLowerCase() === 'master') return { id: `${server.id}/databases/master`, name: 'master' };
  const database = lab.arm.resource(`${server.id}/databases/${name}`);
  return database ? { id: database.id, name: database.name.split('/').pop()! } : undefined;
}

function rejection(token: RejectedToken, scope: string): SqlError {
  const detail = `Token refused: ${token.detail}.`;
  const rule = refusalRuleOf(token.reason);
  switch (token.reason) {
    case 'expired':
      return refused(
        18456,
        14,
        MSG.tokenExpired,
        scope,
        [`${detail} Get a new token (the SDKs refresh them before they expire).`],
        233,
        rule,
      );
    case 'audience':
      return refused(
        18456,
        14,
        MSG.tokenInvalid,
        scope,
        [
          `${detail} Azure SQL accepts tokens for https://database.windows.net/ only (resource https://database.windows.net/, scope https://database.windows.net//.default).`,
        ],
        1,
        rule,
      );
    case 'malformed':
    case 'missing':
    case 'issuer':
      return refused(18456, 14, MSG.tokenNotAccepted, scope, [detail], 1, rule);
    default:
      return refused(18456, 14, MSG.tokenInvalid, scope, [detail], 1, rule);
  }
}

/** A login with a Microsoft Entra access token (LOGIN7's FEDAUTH, or the JSON door's bearer token). */
export async function loginWithAccessToken(lab: Lab, token: string, target: SqlTarget): Promise<SqlLogin> {
  const server = openServer(lab, target);
  if (server instanceof SqlError) return { ok: false, error: server };
  const verified = await verifyAccessToken(lab, token, { audiences: SQL_TOKEN_AUDIENCES });
  if (!verified.ok) {
    const claims = verified.unverifiedClaims;
    return claims ? { ok: false, error: rejection(verified, server.id), claims } : { ok: false, error: rejection(verified, server.id) };
  }
  const claims = verified.claims as Record<string, unknown>;
  return loginAs(lab, server, target, callerFromClaims(lab, claims), claims);
}

/**
 * The same login for a principal the lab already knows (the learner running T-SQL from the lab's
 * own tools, as the portal's query editor does): the same admin, database and contained-user rules.
 */
export function loginAsPrincipal(lab: Lab, caller: DataCaller, target: SqlTarget): SqlLogin {
  const server = openServer(lab, target);
  if (server instanceof SqlError) return { ok: false, error: server };
  return loginAs(lab, server, target, caller, { oid: caller.objectId, appid: caller.appId, tid: caller.tenantId });
}

function loginAs(lab: Lab, server: ReadonlyResource, target: SqlTarget, caller: DataCaller, claims: Record<string, unknown>): SqlLogin {
  const fail = (error: SqlError): SqlLogin => ({ ok: false, error, claims });
  const database = databaseOf(lab, server, target.database);
  if (!database) {
    return fail(
      refused(4060, 11, MSG.cannotOpenDatabase(target.database.slice(0, 128)), server.id, [
        `${server.name} has no database '${target.database.slice(0, 128)}'.`,
      ]),
    );
  }
  const admin = sqlAdminOf(server);
  if (!admin) {
    return fail(
      refused(18456, 14, MSG.tokenNotAccepted, database.id, [
        `${server.name} has no Microsoft Entra admin, so it accepts no Entra tokens at all. Set one: az sql server ad-admin create.`,
      ]),
    );
  }
  const isUser = typeof claims['upn'] === 'string' || claims['idtyp'] === 'user';
  const loginName = isUser ? String(claims['upn'] ?? claims['unique_name'] ?? caller.displayName) : `${caller.appId}@${caller.tenantId}`;
  if (isEntraAdmin(admin, caller.objectId, caller.appId)) {
    return {
      ok: true,
      session: { lab, server, databaseId: database.id, databaseName: database.name, isAdmin: true, userName: 'dbo', loginName },
      note: note(true, database.id, [`${admin.login} is the server's Microsoft Entra admin (logs in as dbo).`]),
      claims,
    };
  }
  const user = usersOf(lab, database.id).find(u => u.objectId.toLowerCase() === caller.objectId.toLowerCase());
  if (!user) {
    const where = database.name === 'master' ? `master (no database was named: contained users live in their own database)` : database.name;
    return fail(
      refused(18456, 14, MSG.loginFailed(TOKEN_PRINCIPAL), database.id, [WHY.noContainedUser(where, caller.objectId, caller.displayName)]),
    );
  }
  return {
    ok: true,
    session: {
      lab,
      server,
      databaseId: database.id,
      databaseName: database.name,
      isAdmin: false,
      userName: user.name,
      loginName,
      userObjectId: user.objectId,
    },
    note: note(true, database.id, [`Contained user [${user.name}] (roles: ${user.roles.join(', ') || 'none'})`]),
    claims,
  };
}

/**
 * A login with a user name and password (SQL authentication). The lab keeps no SQL logins or
 * passwords: an Entra-only server answers as Azure does, and any other refuses the password.
 */
export function loginWithPassword(lab: Lab, target: SqlTarget, userName: string): SqlLogin {
  const server = openServer(lab, target);
  if (server instanceof SqlError) return { ok: false, error: server };
  const user = userName.slice(0, 128);
  const admin = sqlAdminOf(server);
  if (admin?.azureADOnlyAuthentication) {
    return {
      ok: false,
      error: refused(18456, 14, MSG.entraOnly(user), server.id, [WHY.entraOnly(server.name)]),
    };
  }
  return {
    ok: false,
    error: refused(18456, 14, MSG.loginFailed(user), server.id, [
      'The lab keeps no SQL logins or passwords (SQL authentication): sign in with a Microsoft Entra token.',
    ]),
  };
}

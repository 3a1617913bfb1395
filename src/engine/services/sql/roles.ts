// Database roles as a session has them now (ALTER ROLE takes effect at once, as in SQL Server).
import type { SqlSession } from './types';
import { sqlUsersOf } from './login';

export const DATABASE_ROLES = ['db_owner', 'db_datareader', 'db_datawriter', 'db_ddladmin', 'db_accessadmin', 'db_securityadmin'] as const;

/** The admin (dbo) and db_owner may do everything; anyone else needs one of `roles`. */
export function hasRole(session: SqlSession, ...roles: string[]): boolean {
  if (session.isAdmin) return true;
  const user = sqlUsersOf(session.lab, session.databaseId).find(u => u.objectId.toLowerCase() === session.userObjectId?.toLowerCase());
  return !!user && user.roles.some(r => r === 'db_owner' || roles.includes(r));
}

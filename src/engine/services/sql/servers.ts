// Azure SQL logical servers and their Microsoft Entra admin (`az sql server ad-admin create`),
// and which server a client means by the name it connected to.
import type { Lab } from '../../lab/lab';
import type { ReadonlyResource } from '../../state/labState';
import { resourceTypeOf } from '../../azure/resourceTypes';
import { SERVICE_DOMAINS } from '../../azure/serviceDomains';
import { sqlAdminOf, type SqlAdmin } from '../../state/resourceProperties';
import type { Caller } from '../../lab/authorization';
import { authorize } from '../../lab/authorization';
import { LabError } from '../../base/errors';
import { mutable } from '../../lab/mutable';
import { resolvePrincipal } from '../../lab/resolvePrincipal';

export const isSqlServer = (r: ReadonlyResource): boolean => resourceTypeOf(r.type)?.key === 'sqlserver';

export function findSqlServerByName(lab: Lab, name: string): ReadonlyResource | undefined {
  return lab.arm.resources.find(r => isSqlServer(r) && r.name.toLowerCase() === name.toLowerCase());
}

/**
 * The server a client names when it connects: `{server}.database.windows.net` (what drivers
 * send in LOGIN7 and SNI), a bare server name, or — for a client pointed at an address, which
 * on Azure would reach a gateway that cannot tell — the lab's only server.
 */
export function sqlServerForHostName(lab: Lab, hostName: string): ReadonlyResource | undefined {
  const host = hostName
    .trim()
    .replace(/^tcp:/i, '')
    .replace(/[,:]\d+$/, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const suffix = `.${SERVICE_DOMAINS.sql}`;
  const named = findSqlServerByName(lab, host.endsWith(suffix) ? host.slice(0, -suffix.length) : host);
  if (named) return named;
  const isAddress = host === '' || host === 'localhost' || /^[\d.]+$/.test(host) || host.includes(':');
  const servers = lab.arm.resources.filter(isSqlServer);
  return isAddress && servers.length === 1 ? servers[0] : undefined;
}

/** Whether a token's subject is the server's admin: the admin's SID is an object id (users, groups) or a client id (applications). */
export function isEntraAdmin(admin: SqlAdmin, objectId: string, appId: string): boolean {
  const sid = admin.sid.toLowerCase();
  return sid === objectId.toLowerCase() || (admin.principalType !== 'User' && sid === appId.toLowerCase());
}

/**
 * `PUT …/servers/{s}/administrators/ActiveDirectory` (`az sql server ad-admin create`): the
 * server's Microsoft Entra admin, authorized as ARM would. `principal` names the admin by
 * object id, client id, UPN or display name; `login`, when given, must be that principal's
 * name, as SQL's resource provider checks it.
 */
export function setSqlEntraAdmin(
  lab: Lab,
  caller: Caller,
  serverId: string,
  principal: string,
  options: { login?: string; azureADOnlyAuthentication?: boolean } = {},
): SqlAdmin {
  const login = options.login;
  const server = lab.arm.resource(serverId);
  if (!server || !isSqlServer(server)) {
    throw new LabError('ResourceNotFound', `The SQL server '${serverId}' was not found.`, 404);
  }
  const resolution = resolvePrincipal(lab, principal);
  if (resolution.kind !== 'found') {
    throw new LabError('PrincipalNotFound', `No principal '${principal}' in the directory.`, 400, 'principal');
  }
  authorize(lab, caller, 'Microsoft.Sql/servers/administrators/write', server.id);
  const p = resolution.principal;
  const name = p.kind === 'User' ? p.userPrincipalName : p.displayName;
  if (login !== undefined && login.toLowerCase() !== name.toLowerCase() && login.toLowerCase() !== p.displayName.toLowerCase()) {
    // SQL's resource provider checks the login against the directory object (seen in real deployments; wording of the second sentence unverified).
    throw new LabError('InvalidParameterValue', 'Invalid value given for parameter Login. Specify a valid parameter value.', 400, 'login');
  }
  const admin: SqlAdmin = {
    login: login ?? name,
    // The SID as given (object id or client id), as ARM stores it.
    sid: resolution.matchedBy === 'clientId' ? principal.trim().toLowerCase() : p.objectId,
    principalType: p.kind === 'User' ? 'User' : 'Application',
    azureADOnlyAuthentication:
      options.azureADOnlyAuthentication ?? sqlAdminOf(server)?.azureADOnlyAuthentication ?? !server.properties['administratorLogin'],
  };
  mutable(lab).arm.resource(server.id)!.properties['administrators'] = {
    administratorType: 'ActiveDirectory',
    principalType: admin.principalType,
    login: admin.login,
    sid: admin.sid,
    tenantId: lab.tenantId,
    azureADOnlyAuthentication: admin.azureADOnlyAuthentication,
  };
  lab.notify('resources');
  return admin;
}

// How an app reaches the lab's Azure SQL databases: the host name it would use on Azure
// ({server}.database.windows.net, resolved to the lab by the DNS preload or a hosts file), the
// lab's TDS port, and the settings Service Connector gives an app for a managed identity —
// AZURE_SQL_SERVER, AZURE_SQL_PORT, AZURE_SQL_DATABASE, AZURE_SQL_AUTHENTICATIONTYPE
// (Node's mssql/tedious), AZURE_SQL_CONNECTIONSTRING (.NET's SqlClient) and, for a user-assigned
// identity, AZURE_SQL_CLIENTID (learn.microsoft.com/azure/service-connector/how-to-integrate-sql-database).
import type { Lab } from '../engine/lab/lab';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import { SERVICE_DOMAINS } from '../engine/azure/serviceDomains';

export interface SqlDatabaseAddress {
  server: string;
  database: string;
  /** `{server}.database.windows.net`. */
  host: string;
  port: number;
}

/** Every database of the lab's SQL servers, by server then name. */
export function sqlDatabases(lab: Lab, port: number): SqlDatabaseAddress[] {
  return lab.arm.resources
    .filter(r => resourceTypeOf(r.type)?.key === 'sqldb')
    .map(r => {
      const [server, database] = r.name.split('/') as [string, string];
      return { server, database, host: `${server.toLowerCase()}.${SERVICE_DOMAINS.sql}`, port };
    })
    .sort((a, b) => `${a.server}/${a.database}`.localeCompare(`${b.server}/${b.database}`));
}

/** SqlClient's connection string for a managed identity (a user-assigned one is named by its client id in User Id). */
export function sqlConnectionString(address: SqlDatabaseAddress, clientId?: string): string {
  return [
    `Server=tcp:${address.host},${address.port}`,
    `Database=${address.database}`,
    'Authentication=Active Directory Managed Identity',
    ...(clientId ? [`User Id=${clientId}`] : []),
    'Encrypt=True',
    '',
  ].join(';');
}

/** The variables Service Connector sets for Azure SQL and a managed identity. */
export function sqlVariables(address: SqlDatabaseAddress, clientId?: string): Record<string, string> {
  return {
    AZURE_SQL_SERVER: address.host,
    AZURE_SQL_PORT: String(address.port),
    AZURE_SQL_DATABASE: address.database,
    AZURE_SQL_AUTHENTICATIONTYPE: 'azure-active-directory-default',
    ...(clientId ? { AZURE_SQL_CLIENTID: clientId } : {}),
    AZURE_SQL_CONNECTIONSTRING: sqlConnectionString(address, clientId),
  };
}

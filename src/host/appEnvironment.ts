// The environment that runs an unmodified Azure SDK app as a lab compute resource: IMDS-style
// hosts get AZURE_POD_IDENTITY_AUTHORITY_HOST, App Service-style hosts IDENTITY_ENDPOINT and
// IDENTITY_HEADER; AZURE_TOKEN_CREDENTIALS pins DefaultAzureCredential to managed identity, so
// it never falls through to a real developer login; the lab's CA and DNS preload make the
// services' real names work. `milab env` prints it; VS Code copies it.
import * as path from 'node:path';
import type { Lab } from '../engine/lab/lab';
import { resolveComputeResource } from '../engine/lab/resolveComputeResource';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import { sameId } from '../engine/azure/resourceId';
import { labServiceUrls } from '../engine/azure/serviceDomains';
import { identityHeaderFor } from '../engine/services/managedIdentity/identityHeader';
import { identityEndpointUrl, imdsAuthorityHost } from '../server/hostUrls';
import { singleQuoted } from '../engine/base/shellQuote';
import { sqlDatabases, sqlVariables, type SqlDatabaseAddress } from './sqlConnection';
import { scenarioById } from '../engine/scenarios';

export interface AppEnvironment {
  host: { id: string; name: string; typeName: string };
  /** In the order they are best printed. */
  variables: Record<string, string>;
  /** Things worth saying that do not stop the app from running (a client id that is not attached). */
  warnings: string[];
  /** The data-plane URLs the app can call, by service. */
  services: Array<{ service: 'Key Vault' | 'Storage' | 'Azure SQL'; name: string; url: string }>;
}

export type AppEnvironmentResult = { ok: true; environment: AppEnvironment } | { ok: false; message: string };

export interface AppEnvironmentRequest {
  /** The compute resource to run as: its ARM id or name. */
  as: string;
  /** A user-assigned identity's client id or ARM id, for AZURE_CLIENT_ID. */
  identity?: string;
  /** Where the lab's CA certificate is saved (PEM). */
  caFile: string;
  /** The lab's TDS port: with it, the AZURE_SQL_* settings for a database. */
  sqlPort?: number;
  /** Which database the AZURE_SQL_* settings name (`server/database` or a database name); the first one when absent. */
  sqlDatabase?: string;
}

/** The preload `milab env` puts in NODE_OPTIONS: built beside the CLI and the extension (dist/preload.js). */
const PRELOAD_FILE = path.join(__dirname, 'preload.js');

export async function appEnvironment(lab: Lab, labUrl: string, request: AppEnvironmentRequest): Promise<AppEnvironmentResult> {
  const resolved = resolveComputeResource(lab, request.as);
  if (!resolved.ok) return resolved;
  const host = resolved.host;
  const info = resourceTypeOf(host.type, host.kind);
  const typeName = info?.displayName ?? host.type;
  const variables: Record<string, string> = {};
  if (info?.tokenEndpoint === 'imds') {
    variables['AZURE_POD_IDENTITY_AUTHORITY_HOST'] = imdsAuthorityHost(labUrl, host.id);
  } else if (info?.tokenEndpoint === 'identityEndpoint') {
    variables['IDENTITY_ENDPOINT'] = identityEndpointUrl(labUrl, host.id);
    variables['IDENTITY_HEADER'] = await identityHeaderFor(lab, host.id);
  } else {
    return {
      ok: false,
      message:
        `a ${typeName} uses its managed identity inside the service (connectors, linked services, policies); ` +
        'there is no token endpoint for your own code to call.',
    };
  }
  const warnings: string[] = [];
  if (request.identity !== undefined) {
    const wanted = request.identity;
    const attached = host.identity?.userAssigned.find(
      u => u.clientId.toLowerCase() === wanted.toLowerCase() || sameId(u.resourceId, wanted),
    );
    if (!attached) {
      warnings.push(
        `'${wanted}' is not a user-assigned identity of ${host.name}; ` +
          'token requests for it will fail with "Identity not found" (which may be what you want to see).',
      );
    }
    variables['AZURE_CLIENT_ID'] = attached?.clientId ?? wanted;
  }
  // In a scenario, the app on the workload's hosts has the environment the learner set for it (AZURE_CLIENT_ID…).
  for (const [name, value] of Object.entries(scenarioEnvironmentFor(lab, host.name))) {
    if (!(name in variables)) variables[name] = value;
  }
  variables['AZURE_TOKEN_CREDENTIALS'] = 'ManagedIdentityCredential';
  variables['NODE_EXTRA_CA_CERTS'] = request.caFile;
  // {vault}.vault.azure.net, {account}.blob.core.windows.net and {server}.database.windows.net resolve to the lab (src/preload).
  variables['NODE_OPTIONS'] = `--require ${JSON.stringify(PRELOAD_FILE)}`;
  const databases = request.sqlPort === undefined ? [] : sqlDatabases(lab, request.sqlPort);
  let chosen: SqlDatabaseAddress | undefined = databases[0];
  if (request.sqlDatabase !== undefined) {
    const wanted = request.sqlDatabase.toLowerCase();
    chosen = databases.find(d => `${d.server}/${d.database}`.toLowerCase() === wanted || d.database.toLowerCase() === wanted);
    if (!chosen) {
      const known = databases.map(d => `${d.server}/${d.database}`).join(', ') || 'none';
      return { ok: false, message: `the lab has no SQL database '${request.sqlDatabase}' (it has: ${known}).` };
    }
  }
  if (chosen) Object.assign(variables, sqlVariables(chosen, variables['AZURE_CLIENT_ID']));
  const urls = labServiceUrls(labUrl.replace(/^http:/, 'https:'));
  const services: AppEnvironment['services'] = [];
  for (const r of lab.arm.resources) {
    const key = resourceTypeOf(r.type)?.key;
    if (key === 'keyvault') services.push({ service: 'Key Vault', name: r.name, url: urls.vault(r.name) });
    if (key === 'storage') services.push({ service: 'Storage', name: r.name, url: urls.blob(r.name) });
  }
  for (const d of databases) services.push({ service: 'Azure SQL', name: `${d.server}/${d.database}`, url: `tcp:${d.host},${d.port}` });
  return { ok: true, environment: { host: { id: host.id, name: host.name, typeName }, variables, warnings, services } };
}

/** The running scenario's app environment, when its workload runs on `hostName`. */
function scenarioEnvironmentFor(lab: Lab, hostName: string): Readonly<Record<string, string>> {
  const active = lab.scenarios.active;
  const workload = active ? scenarioById(active.id)?.workload : undefined;
  if (!active || !workload) return {};
  const hosts = [workload.runsAs, ...(workload.alsoRunsOn ?? [])].map(h => h.toLowerCase());
  return hosts.includes(hostName.toLowerCase()) ? active.environment : {};
}

/** As a shell script to `eval` (what `milab env` prints, and VS Code copies). */
export function formatEnvironmentShell(environment: AppEnvironment, labUrl: string): string {
  const { host, variables, services } = environment;
  const lines = [
    `# Run as ${host.name} (${host.typeName}) against the lab at ${labUrl}`,
    '# Other runtimes than Node: instead of NODE_OPTIONS, map the service names below to 127.0.0.1 in /etc/hosts.',
    ...Object.entries(variables).map(([name, value]) => `export ${name}=${singleQuoted(value)}`),
    ...services.map(s => `# ${s.service} ${s.name}: ${s.url}`),
  ];
  return lines.join('\n') + '\n';
}

export const formatEnvironmentJson = (environment: AppEnvironment): string => JSON.stringify(environment.variables, null, 2) + '\n';

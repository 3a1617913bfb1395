// The environment that runs an unmodified app as a lab compute resource, in two settings:
//  - `loopback` (`milab env`, VS Code's Copy Environment): the lab at 127.0.0.1:PORT. IMDS-style
//    hosts get AZURE_POD_IDENTITY_AUTHORITY_HOST, App Service-style hosts IDENTITY_ENDPOINT and
//    IDENTITY_HEADER; AZURE_TOKEN_CREDENTIALS pins DefaultAzureCredential to managed identity, so
//    it never falls through to a real developer login; the DNS preload makes the services' real
//    names work in Node, hosts lines and CA bundles do for other runtimes.
//  - `namespace` (`milab run`): the program is on the host, as on Azure — IMDS at
//    169.254.169.254, App Service's endpoint at 127.0.0.1:41741 with MSI_ENDPOINT/MSI_SECRET
//    beside IDENTITY_ENDPOINT/IDENTITY_HEADER, Azure's real names on 443 — so only the lab's CA
//    (and, with --identity, AZURE_CLIENT_ID) is added.
// And `--as local`, "your machine" (Node): no managed identity (the preload sends
// 169.254.169.254 to the lab's absent IMDS, which never answers), no AZURE_TOKEN_CREDENTIALS, and
// the lab's az first on PATH — so DefaultAzureCredential walks its whole chain and ends at
// AzureCliCredential, as the learner.
import * as path from 'node:path';
import type { Lab } from '../engine/lab/lab';
import { resolveComputeResource } from '../engine/lab/resolveComputeResource';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import { sameId } from '../engine/azure/resourceId';
import { labServiceUrls, realHostNames, type ServiceKind } from '../engine/azure/serviceDomains';
import { identityHeaderFor } from '../engine/services/managedIdentity/identityHeader';
import { identityEndpointUrl, imdsAuthorityHost } from '../server/hostUrls';
import { singleQuoted } from '../engine/base/shellQuote';
import { sqlDatabases, sqlVariables, type SqlDatabaseAddress } from './sqlConnection';
import { writeAzShim } from './azShim';
import { YOUR_MACHINE } from '../engine/readModels/credentialChain/fromLab';
import { scenarioById } from '../engine/scenarios';

export type EnvironmentMode = 'loopback' | 'namespace';

export interface AppEnvironment {
  /** Your machine's endpoint is `none`: it has no managed identity. */
  host: { id: string; name: string; typeName: string; endpoint: 'imds' | 'identityEndpoint' | 'none' };
  /** In the order they are best printed. */
  variables: Record<string, string>;
  /** Variables this one must not inherit: a previous `milab env`'s endpoints inside a `milab run`; on your machine, every managed-identity variable. */
  unset: string[];
  /** Things worth saying that do not stop the app from running (a client id that is not attached). */
  warnings: string[];
  /** The data-plane URLs the app can call, by service. */
  services: Array<{ service: 'Key Vault' | 'Storage' | 'Azure SQL'; name: string; url: string }>;
  /** Azure's names the app calls, each to 127.0.0.1: hosts-file lines. */
  hostsLines: string[];
  /** A directory to put first on PATH (your machine: the lab's az). */
  pathPrefix?: string;
}

export type AppEnvironmentResult = { ok: true; environment: AppEnvironment } | { ok: false; message: string };

export interface AppEnvironmentRequest {
  /** The compute resource to run as: its ARM id or name. */
  as: string;
  /** A user-assigned identity's client id or ARM id, for AZURE_CLIENT_ID. */
  identity?: string;
  /** Where the lab's CA certificate is saved (PEM). */
  caFile: string;
  /** The system's CA bundle with the lab's CA added (PEM), for SSL_CERT_FILE, REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE. */
  caBundleFile: string;
  /** Default `loopback`. */
  mode?: EnvironmentMode;
  /** The lab's TDS port: with it, the AZURE_SQL_* settings for a database (inside a run, SQL is on 1433). */
  sqlPort?: number;
  /** Which database the AZURE_SQL_* settings name (`server/database` or a database name); the first one when absent. */
  sqlDatabase?: string;
}

/** Azure SQL's own port, where a run's forwarder takes TDS to the lab. */
export const SQL_PORT_IN_RUN = 1433;

/** Where "your machine" finds the lab: its state directory (for the lab's az) and its absent IMDS. */
export interface LocalEnvironmentRequest {
  stateDir: string;
  caFile: string;
  absentImdsPort: number;
  /** The lab's TDS port: with it, the services list the lab's SQL databases. */
  sqlPort?: number;
}

/** The variable the preload reads: connections for 169.254.169.254:80 go here instead (src/preload). */
export const ABSENT_IMDS_VARIABLE = 'MILAB_ABSENT_IMDS';

/** "Your machine": no managed identity, and the lab's az on PATH signed in as the learner. */
export async function localEnvironment(lab: Lab, labUrl: string, request: LocalEnvironmentRequest): Promise<AppEnvironmentResult> {
  const bin = await writeAzShim(request.stateDir);
  const variables: Record<string, string> = {
    [ABSENT_IMDS_VARIABLE]: `127.0.0.1:${request.absentImdsPort}`,
    NODE_EXTRA_CA_CERTS: request.caFile,
    NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD_FILE)}`,
  };
  // In a scenario whose app runs on your machine, the environment the learner set for it (AZURE_TOKEN_CREDENTIALS=dev…).
  for (const [name, value] of Object.entries(scenarioEnvironmentFor(lab, 'local'))) variables[name] ??= value;
  const databases = request.sqlPort === undefined ? [] : sqlDatabases(lab, request.sqlPort);
  const { services, hostsLines } = servicesOf(lab, labServiceUrls(labUrl.replace(/^http:/, 'https:')), databases);
  return {
    ok: true,
    environment: {
      host: {
        id: YOUR_MACHINE,
        name: 'your machine',
        typeName: `no managed identity; az signed in as ${lab.directory.user.userPrincipalName}`,
        endpoint: 'none',
      },
      variables,
      unset: MANAGED_IDENTITY_VARIABLES.filter(name => !(name in variables)),
      warnings: [],
      services,
      hostsLines,
      pathPrefix: bin,
    },
  };
}

/** The preload `milab env` puts in NODE_OPTIONS: built beside the CLI and the extension (dist/preload.js). */
export const PRELOAD_FILE = path.join(__dirname, 'preload.js');

/** App Service's identity endpoint as code on the host sees it (msrestazure documents MSI_ENDPOINT = http://127.0.0.1:41741/MSI/token/). */
export const APP_SERVICE_ENDPOINT_PORT = 41741;
export const APP_SERVICE_ENDPOINT = `http://127.0.0.1:${APP_SERVICE_ENDPOINT_PORT}/MSI/token/`;

/** Where a lab environment points at endpoints by address: inherited into another setting, they would lead nowhere. */
const ENDPOINT_VARIABLES = ['AZURE_POD_IDENTITY_AUTHORITY_HOST', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET'];

/** What a lab host's environment sets that your machine has none of. */
const MANAGED_IDENTITY_VARIABLES = [
  ...ENDPOINT_VARIABLES,
  'IMDS_ENDPOINT',
  'AZURE_TOKEN_CREDENTIALS',
  'AZURE_CLIENT_ID',
  'AZURE_FEDERATED_TOKEN_FILE',
];

const SERVICE_OF: Record<string, { kind: ServiceKind; service: AppEnvironment['services'][number]['service'] }> = {
  keyvault: { kind: 'keyvault', service: 'Key Vault' },
  storage: { kind: 'blob', service: 'Storage' },
  sqlserver: { kind: 'sql', service: 'Azure SQL' },
};

export async function appEnvironment(lab: Lab, labUrl: string, request: AppEnvironmentRequest): Promise<AppEnvironmentResult> {
  const mode = request.mode ?? 'loopback';
  const resolved = resolveComputeResource(lab, request.as);
  if (!resolved.ok) return resolved;
  const host = resolved.host;
  const info = resourceTypeOf(host.type, host.kind);
  const typeName = info?.displayName ?? host.type;
  const endpoint = info?.tokenEndpoint;
  if (endpoint !== 'imds' && endpoint !== 'identityEndpoint') {
    return {
      ok: false,
      message:
        `a ${typeName} uses its managed identity inside the service (connectors, linked services, policies); ` +
        'there is no token endpoint for your own code to call.',
    };
  }
  const variables: Record<string, string> = {};
  if (endpoint === 'identityEndpoint') {
    const secret = await identityHeaderFor(lab, host.id);
    if (mode === 'namespace') {
      variables['IDENTITY_ENDPOINT'] = APP_SERVICE_ENDPOINT;
      variables['IDENTITY_HEADER'] = secret;
      variables['MSI_ENDPOINT'] = APP_SERVICE_ENDPOINT;
      variables['MSI_SECRET'] = secret;
      // App Service and Functions set these; the Azure CLI takes the first to mean "App Service" (msrestazure _is_app_service).
      if (host.type.toLowerCase() === 'microsoft.web/sites') {
        variables['WEBSITE_SITE_NAME'] = host.name;
        variables['APPSETTING_WEBSITE_SITE_NAME'] = host.name;
      }
    } else {
      variables['IDENTITY_ENDPOINT'] = identityEndpointUrl(labUrl, host.id);
      variables['IDENTITY_HEADER'] = secret;
    }
  } else if (mode === 'loopback') {
    variables['AZURE_POD_IDENTITY_AUTHORITY_HOST'] = imdsAuthorityHost(labUrl, host.id);
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
  if (mode === 'loopback') variables['AZURE_TOKEN_CREDENTIALS'] = 'ManagedIdentityCredential';
  // Says the program runs under `milab run` (the samples check it before they dare ask 169.254.169.254).
  if (mode === 'namespace') variables['MILAB_RUN'] = host.name;
  variables['NODE_EXTRA_CA_CERTS'] = request.caFile;
  variables['SSL_CERT_FILE'] = request.caBundleFile;
  variables['REQUESTS_CA_BUNDLE'] = request.caBundleFile;
  variables['CURL_CA_BUNDLE'] = request.caBundleFile;
  // {vault}.vault.azure.net, {account}.blob.core.windows.net and {server}.database.windows.net resolve to the lab (src/preload).
  if (mode === 'loopback') variables['NODE_OPTIONS'] = `--require ${JSON.stringify(PRELOAD_FILE)}`;
  const sqlPort = mode === 'namespace' ? SQL_PORT_IN_RUN : request.sqlPort;
  const databases = sqlPort === undefined ? [] : sqlDatabases(lab, sqlPort);
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
  const urls = labServiceUrls(mode === 'namespace' ? 'https://127.0.0.1:443' : labUrl.replace(/^http:/, 'https:'));
  const { services, hostsLines } = servicesOf(lab, urls, databases);
  return {
    ok: true,
    environment: {
      host: { id: host.id, name: host.name, typeName, endpoint },
      variables,
      unset: ENDPOINT_VARIABLES.filter(name => !(name in variables)),
      warnings,
      services,
      hostsLines,
    },
  };
}

/** The data-plane URLs an app can call, and the hosts-file lines that send Azure's names for them to the lab. */
function servicesOf(
  lab: Lab,
  urls: ReturnType<typeof labServiceUrls>,
  databases: readonly SqlDatabaseAddress[],
): Pick<AppEnvironment, 'services' | 'hostsLines'> {
  const services: AppEnvironment['services'] = [];
  const named: Array<{ kind: ServiceKind; name: string }> = [];
  for (const r of lab.arm.resources) {
    const service = SERVICE_OF[resourceTypeOf(r.type)?.key ?? ''];
    if (!service) continue;
    named.push({ kind: service.kind, name: r.name });
    if (service.kind === 'keyvault') services.push({ service: service.service, name: r.name, url: urls.vault(r.name) });
    if (service.kind === 'blob') services.push({ service: service.service, name: r.name, url: urls.blob(r.name) });
  }
  for (const d of databases) services.push({ service: 'Azure SQL', name: `${d.server}/${d.database}`, url: `tcp:${d.host},${d.port}` });
  return { services, hostsLines: realHostNames(named).map(name => `127.0.0.1 ${name}`) };
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
  const { host, variables, services, hostsLines } = environment;
  const local = host.id === YOUR_MACHINE;
  const lines = [
    local
      ? `# Run on your machine (${host.typeName}) against the lab at ${labUrl}`
      : `# Run as ${host.name} (${host.typeName}) against the lab at ${labUrl}`,
    ...(local
      ? [
          '# DefaultAzureCredential walks its whole chain here: the IMDS probe waits its 1 s for an IMDS that is not there',
          "# (Node only: the preload sends 169.254.169.254 to the lab; other runtimes would probe the real address), then the lab's az answers.",
          `unset ${environment.unset.join(' ')}`,
        ]
      : []),
    ...Object.entries(variables).map(([name, value]) => `export ${name}=${singleQuoted(value)}`),
    ...(environment.pathPrefix ? [`export PATH=${singleQuoted(environment.pathPrefix)}":$PATH"`] : []),
    ...services.map(s => `# ${s.service} ${s.name}: ${s.url}`),
    ...(local
      ? []
      : [
          '# Runtimes other than Node resolve the services by name: add these lines to /etc/hosts',
          '# (or, on Linux, run the app with `milab run --as <resource> -- <command>` instead: no edits, any runtime).',
          ...hostsLines.map(line => `#   ${line}`),
        ]),
  ];
  return lines.join('\n') + '\n';
}

/** As JSON: the variables to set; PATH already prefixed (with this process's PATH) when there is a prefix. */
export const formatEnvironmentJson = (environment: AppEnvironment): string =>
  JSON.stringify(
    environment.pathPrefix
      ? { ...environment.variables, PATH: [environment.pathPrefix, process.env['PATH'] ?? ''].filter(Boolean).join(path.delimiter) }
      : environment.variables,
    null,
    2,
  ) + '\n';

// The environment that runs an unmodified Azure SDK app as a lab compute resource: IMDS-style
// hosts get AZURE_POD_IDENTITY_AUTHORITY_HOST, App Service-style hosts IDENTITY_ENDPOINT and
// IDENTITY_HEADER; AZURE_TOKEN_CREDENTIALS pins DefaultAzureCredential to managed identity, so
// it never falls through to a real developer login; the lab's CA and DNS preload make the
// services' real names work. `--as local` is "your machine": no managed identity (the
// preload sends 169.254.169.254 to the lab's absent IMDS, which never answers), no
// AZURE_TOKEN_CREDENTIALS, and the lab's az first on PATH — so DefaultAzureCredential walks its
// whole chain and ends at AzureCliCredential, as the learner. `milab env` prints it; VS Code copies it.
import * as path from 'node:path';
import type { Lab } from '../engine/lab/lab';
import { resolveComputeResource } from '../engine/lab/resolveComputeResource';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import { sameId } from '../engine/azure/resourceId';
import { labServiceUrls } from '../engine/azure/serviceDomains';
import { identityHeaderFor } from '../engine/services/managedIdentity/identityHeader';
import { identityEndpointUrl, imdsAuthorityHost } from '../server/hostUrls';
import { singleQuoted } from '../engine/base/shellQuote';
import { writeAzShim } from './azShim';
import { YOUR_MACHINE } from '../engine/readModels/credentialChain/fromLab';

export interface AppEnvironment {
  host: { id: string; name: string; typeName: string };
  /** In the order they are best printed. */
  variables: Record<string, string>;
  /** Things worth saying that do not stop the app from running (a client id that is not attached). */
  warnings: string[];
  /** The data-plane URLs the app can call, by service. */
  services: Array<{ service: 'Key Vault' | 'Storage'; name: string; url: string }>;
  /** A directory to put first on PATH (your machine: the lab's az). */
  pathPrefix?: string;
  /** Variables to clear: what a lab host's environment set that your machine does not have. */
  unset?: string[];
}

export type AppEnvironmentResult = { ok: true; environment: AppEnvironment } | { ok: false; message: string };

export interface AppEnvironmentRequest {
  /** The compute resource to run as: its ARM id or name. */
  as: string;
  /** A user-assigned identity's client id or ARM id, for AZURE_CLIENT_ID. */
  identity?: string;
  /** Where the lab's CA certificate is saved (PEM). */
  caFile: string;
}

/** Where "your machine" finds the lab: its state directory (for the lab's az) and its absent IMDS. */
export interface LocalEnvironmentRequest {
  stateDir: string;
  caFile: string;
  absentImdsPort: number;
}

/** The variable the preload reads: connections for 169.254.169.254:80 go here instead (src/preload). */
export const ABSENT_IMDS_VARIABLE = 'MILAB_ABSENT_IMDS';

/** What a lab host's environment sets that your machine has none of. */
const MANAGED_IDENTITY_VARIABLES = [
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'IMDS_ENDPOINT',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'AZURE_TOKEN_CREDENTIALS',
  'AZURE_CLIENT_ID',
  'AZURE_FEDERATED_TOKEN_FILE',
];

function serviceUrls(lab: Lab, labUrl: string): AppEnvironment['services'] {
  const urls = labServiceUrls(labUrl.replace(/^http:/, 'https:'));
  const services: AppEnvironment['services'] = [];
  for (const r of lab.arm.resources) {
    const key = resourceTypeOf(r.type)?.key;
    if (key === 'keyvault') services.push({ service: 'Key Vault', name: r.name, url: urls.vault(r.name) });
    if (key === 'storage') services.push({ service: 'Storage', name: r.name, url: urls.blob(r.name) });
  }
  return services;
}

/** "Your machine": no managed identity, and the lab's az on PATH signed in as the learner. */
export async function localEnvironment(lab: Lab, labUrl: string, request: LocalEnvironmentRequest): Promise<AppEnvironmentResult> {
  const bin = await writeAzShim(request.stateDir);
  const variables: Record<string, string> = {
    [ABSENT_IMDS_VARIABLE]: `127.0.0.1:${request.absentImdsPort}`,
    NODE_EXTRA_CA_CERTS: request.caFile,
    NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD_FILE)}`,
  };
  return {
    ok: true,
    environment: {
      host: {
        id: YOUR_MACHINE,
        name: 'your machine',
        typeName: `no managed identity; az signed in as ${lab.directory.user.userPrincipalName}`,
      },
      variables,
      warnings: [],
      services: serviceUrls(lab, labUrl),
      pathPrefix: bin,
      unset: MANAGED_IDENTITY_VARIABLES,
    },
  };
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
  variables['AZURE_TOKEN_CREDENTIALS'] = 'ManagedIdentityCredential';
  variables['NODE_EXTRA_CA_CERTS'] = request.caFile;
  // {vault}.vault.azure.net, {account}.blob.core.windows.net and {server}.database.windows.net resolve to the lab (src/preload).
  variables['NODE_OPTIONS'] = `--require ${JSON.stringify(PRELOAD_FILE)}`;
  return {
    ok: true,
    environment: { host: { id: host.id, name: host.name, typeName }, variables, warnings, services: serviceUrls(lab, labUrl) },
  };
}

/** As a shell script to `eval` (what `milab env` prints, and VS Code copies). */
export function formatEnvironmentShell(environment: AppEnvironment, labUrl: string): string {
  const { host, variables, services } = environment;
  const local = host.id === YOUR_MACHINE;
  const lines = [
    local
      ? `# Run on your machine (${host.typeName}) against the lab at ${labUrl}`
      : `# Run as ${host.name} (${host.typeName}) against the lab at ${labUrl}`,
    ...(local
      ? [
          '# DefaultAzureCredential walks its whole chain here: the IMDS probe waits its 1 s for an IMDS that is not there',
          "# (Node only: the preload sends 169.254.169.254 to the lab; other runtimes would probe the real address), then the lab's az answers.",
        ]
      : ['# Other runtimes than Node: instead of NODE_OPTIONS, map the service names below to 127.0.0.1 in /etc/hosts.']),
    ...(environment.unset?.length ? [`unset ${environment.unset.join(' ')}`] : []),
    ...Object.entries(variables).map(([name, value]) => `export ${name}=${singleQuoted(value)}`),
    ...(environment.pathPrefix ? [`export PATH=${singleQuoted(environment.pathPrefix)}":$PATH"`] : []),
    ...services.map(s => `# ${s.service} ${s.name}: ${s.url}`),
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

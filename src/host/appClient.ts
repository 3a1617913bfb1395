// Plays the app running on a lab resource, over real HTTP against the lab's endpoints, the
// way the Azure SDK does: ask the resource's managed-identity endpoint for a token, call the
// service without a token first when it uses challenges (Key Vault), then with the token.
// The VS Code commands use it, so what the learner sees drawn is what an SDK app would do.
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Lab } from '../engine/lab/lab';
import type { ReadonlyResource } from '../engine/state/labState';
import type { RunningLabServer } from '../server/labServer';
import { resourceTypeOf } from '../engine/azure/resourceTypes';
import { identityHeaderFor } from '../engine/services/managedIdentity/identityHeader';
import { isServiceHostName } from '../engine/azure/serviceDomains';

export interface HttpResult {
  status: number;
  body: Record<string, unknown>;
}

export interface IdentityChoice {
  by: 'clientId' | 'objectId' | 'resourceId';
  value: string;
}

/** Service names resolve to the lab, as the DNS preload makes them for apps. */
const labLookup: LookupFunction = (hostname, options, callback) => {
  if (isServiceHostName(hostname) || hostname === '127.0.0.1') {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
        { address: '127.0.0.1', family: 4 },
      ]);
    } else callback(null, '127.0.0.1', 4);
    return;
  }
  callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
};

export function httpsRequest(
  server: RunningLabServer,
  url: string,
  headers: Record<string, string>,
  options: { method?: string; body?: string } = {},
): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      { method: options.method ?? 'GET', headers, ca: server.caPem, lookup: labLookup, timeout: 30_000 },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', c => chunks.push(c));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: response.headers }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('the lab did not answer in time')));
    request.on('error', reject);
    request.end(options.body);
  });
}

const parse = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text };
  }
};

/** A token from the host's managed-identity endpoint (IMDS or App Service's), as its SDK asks for one. */
export async function requestTokenAs(
  lab: Lab,
  server: RunningLabServer,
  host: ReadonlyResource,
  resource: string,
  identity?: IdentityChoice,
): Promise<HttpResult> {
  const endpoint = resourceTypeOf(host.type, host.kind)?.tokenEndpoint;
  const query = new URLSearchParams({ resource });
  if (endpoint === 'imds') {
    query.set('api-version', '2018-02-01');
    if (identity) {
      query.set(identity.by === 'clientId' ? 'client_id' : identity.by === 'objectId' ? 'object_id' : 'msi_res_id', identity.value);
    }
    const response = await fetch(`${server.imdsAuthorityHost(host.id)}/metadata/identity/oauth2/token?${query}`, {
      headers: { Metadata: 'true' },
    });
    return { status: response.status, body: parse(await response.text()) };
  }
  if (endpoint === 'identityEndpoint') {
    query.set('api-version', '2019-08-01');
    if (identity) {
      query.set(identity.by === 'clientId' ? 'client_id' : identity.by === 'objectId' ? 'principal_id' : 'mi_res_id', identity.value);
    }
    const response = await fetch(`${server.identityEndpoint(host.id)}?${query}`, {
      headers: { 'X-IDENTITY-HEADER': await identityHeaderFor(lab, host.id) },
    });
    return { status: response.status, body: parse(await response.text()) };
  }
  return {
    status: 0,
    body: {
      error: 'no_endpoint',
      error_description:
        `A ${resourceTypeOf(host.type, host.kind)?.displayName ?? host.type} has no token endpoint for code: ` +
        'its service uses the identity itself.',
    },
  };
}

export interface SecretReadResult {
  /** Where the flow stopped: the token request or Key Vault. */
  stage: 'token' | 'keyvault';
  status: number;
  /** Key Vault's or the endpoint's error code, if it failed. */
  errorCode?: string;
  message?: string;
  /** Never the value itself: the lab shows that a value came back, not what it is. */
  valueReturned: boolean;
}

/** Reads a secret as code on `host` would with SecretClient + DefaultAzureCredential: challenge, token, retry. */
export async function readSecretAs(
  lab: Lab,
  server: RunningLabServer,
  host: ReadonlyResource,
  vaultName: string,
  secretName: string,
  identity?: IdentityChoice,
  /** Ask for a token for this audience instead of the challenge's resource (to show what a wrong one does). */
  audience?: string,
  /** Send this token instead of asking for one (an app that kept the token it got when it started). */
  heldToken?: string,
): Promise<SecretReadResult> {
  const url = `${lab.serviceUrls.vault(vaultName)}secrets/${encodeURIComponent(secretName)}/?api-version=2026-04-01`;
  const challenge = await httpsRequest(server, url, {});
  if (challenge.status !== 401) {
    const body = parse(challenge.text);
    const error = body['error'] as { code?: string; message?: string } | undefined;
    return {
      stage: 'keyvault',
      status: challenge.status,
      ...(error?.code ? { errorCode: error.code } : {}),
      ...(error?.message ? { message: error.message } : {}),
      valueReturned: false,
    };
  }
  const resource =
    audience ?? /resource="([^"]+)"/.exec(String(challenge.headers['www-authenticate'] ?? ''))?.[1] ?? 'https://vault.azure.net';
  const token = heldToken
    ? { status: 200, body: { access_token: heldToken } }
    : await requestTokenAs(lab, server, host, resource, identity);
  if (token.status !== 200) {
    return {
      stage: 'token',
      status: token.status,
      errorCode: String(token.body['error'] ?? token.status),
      message: String(token.body['error_description'] ?? token.body['message'] ?? ''),
      valueReturned: false,
    };
  }
  const answer = await httpsRequest(server, url, { Authorization: `Bearer ${String(token.body['access_token'])}` });
  const body = parse(answer.text);
  const error = body['error'] as { code?: string; message?: string; innererror?: { code?: string } } | undefined;
  return {
    stage: 'keyvault',
    status: answer.status,
    ...(error ? { errorCode: error.innererror?.code ?? error.code ?? String(answer.status), message: error.message ?? '' } : {}),
    valueReturned: typeof body['value'] === 'string',
  };
}

// Test helper: real HTTPS requests to the lab's services, trusting the lab's CA and
// resolving the service host names to loopback, as the DNS preload does for apps.
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { LookupFunction } from 'node:net';
import type { RunningLabServer } from '../../src/server/labServer';

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): Record<string, any>;
}

const toLoopback: LookupFunction = (_hostname, options, callback) => {
  if ((options as { all?: boolean }).all) {
    (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  } else callback(null, '127.0.0.1', 4);
};

export function labHttps(
  server: RunningLabServer,
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpsAnswer> {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
  if (body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    // The certificate is checked against the URL's name, even when the test sends another Host.
    const checkServerIdentity = (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(new URL(url).hostname, cert);
    const request = https.request(url, { method, headers, ca: server.caPem, lookup: toLoopback, checkServerIdentity }, response => {
      const chunks: Buffer[] = [];
      response.on('data', c => chunks.push(c));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A managed-identity token for `hostId` and `resource`, from the lab's IMDS over HTTP. */
export async function imdsToken(server: RunningLabServer, hostId: string, resource: string): Promise<string> {
  const response = await fetch(
    `${server.imdsAuthorityHost(hostId)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(resource)}`,
    { headers: { Metadata: 'true' } },
  );
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!body.access_token) throw new Error(`no token: ${body.error_description}`);
  return body.access_token;
}

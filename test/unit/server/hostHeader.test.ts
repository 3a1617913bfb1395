// DNS rebinding: a page whose name is pointed at 127.0.0.1 reaches the lab with its own name in
// `Host`. Every endpoint refuses such a request (a 400, and a trace), over HTTP and HTTPS; the
// lab's own names, on its port, still work. ARM answers over HTTPS only.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { labHttps } from '../../support/labHttps';

function httpRequest(
  server: RunningLabServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method, headers }, res => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('server: only the lab’s own names in Host (DNS rebinding)', () => {
  let lab: Lab;
  let server: RunningLabServer;
  let vmId: string;
  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab, { controlToken: 'the-control-token' });
    vmId = lab.arm.resources.find(r => r.name === SAMPLE.vm)!.id;
  });
  after(() => server.close());

  const metadata = { Metadata: 'true' };
  const httpEndpoints = (): Array<{ name: string; method: string; path: string; headers: Record<string, string>; body?: string }> => [
    {
      name: 'IMDS token',
      method: 'GET',
      path: '/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net',
      headers: metadata,
    },
    {
      name: 'IMDS token, per host',
      method: 'GET',
      path: `/hosts${vmId}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net`,
      headers: metadata,
    },
    { name: 'IMDS info', method: 'GET', path: '/metadata/identity/info?api-version=2018-02-01', headers: metadata },
    {
      name: 'App Service identity endpoint',
      method: 'GET',
      path: `/hosts${vmId}/msi/token?api-version=2019-08-01&resource=x`,
      headers: {},
    },
    {
      name: 'control (milab az)',
      method: 'POST',
      path: '/_milab/az',
      headers: { 'x-milab-control': 'the-control-token' },
      body: '{"argv":["group","list"]}',
    },
    { name: 'Entra discovery over HTTP', method: 'GET', path: `/${'TENANT'}/v2.0/.well-known/openid-configuration`, headers: {} },
  ];
  const httpsEndpoints = () => [
    { name: 'Entra discovery', method: 'GET', url: `${server.httpsUrl}/${lab.tenantId}/v2.0/.well-known/openid-configuration` },
    { name: 'Entra keys', method: 'GET', url: `${server.httpsUrl}/${lab.tenantId}/discovery/v2.0/keys` },
    {
      name: 'Entra token',
      method: 'POST',
      url: `${server.httpsUrl}/${lab.tenantId}/oauth2/v2.0/token`,
      body: 'grant_type=client_credentials',
    },
    { name: 'ARM', method: 'GET', url: `${server.httpsUrl}/subscriptions?api-version=2022-12-01` },
    { name: 'Key Vault', method: 'GET', url: `${lab.serviceUrls.vault(SAMPLE.vault)}secrets/db-password?api-version=7.5` },
    { name: 'Blob Storage', method: 'GET', url: `${lab.serviceUrls.blob('anyaccount')}?comp=list` },
    {
      name: 'SQL',
      method: 'POST',
      url: `https://anyserver.database.windows.net:${server.port}/databases/db/query`,
      body: '{"query":"SELECT 1"}',
    },
  ];

  it('refuses Host: evil.example at every endpoint, over HTTP and HTTPS, with a 400 and a trace', async () => {
    for (const e of httpEndpoints()) {
      const path = e.path.replace('TENANT', lab.tenantId);
      const refused = await httpRequest(server, e.method, path, { ...e.headers, Host: 'evil.example' }, e.body);
      assert.equal(refused.status, 400, `${e.name}: ${refused.text}`);
      assert.match(refused.text, /evil\.example/, e.name);
      assert.doesNotMatch(refused.text, /access_token|eyJ/, `${e.name} leaked a token`);
      const trace = lab.traces.latest!;
      assert.equal(trace.title, 'Refused: Host evil.example', e.name);
      assert.equal(trace.status, 400);
      const allowed = await httpRequest(server, e.method, path, { ...e.headers, Host: `127.0.0.1:${server.port}` }, e.body);
      assert.doesNotMatch(allowed.text, /InvalidHostName|Invalid Host header/, `${e.name} refused its own name`);
    }
    for (const e of httpsEndpoints()) {
      const options = { headers: { Host: 'evil.example' }, ...(e.body ? { body: e.body } : {}) };
      const refused = await labHttps(server, e.method, e.url, options);
      assert.equal(refused.status, 400, `${e.name}: ${refused.text}`);
      assert.equal(refused.json().error.code, 'InvalidHostName', e.name);
      const allowed = await labHttps(server, e.method, e.url, e.body ? { body: e.body } : {});
      assert.doesNotMatch(allowed.text, /InvalidHostName/, `${e.name} refused its own name`);
    }
  });

  it('accepts the lab’s own names on its port, and nothing that merely looks like them', async () => {
    const info = (host: string) =>
      httpRequest(server, 'GET', `/hosts${vmId}/metadata/identity/info?api-version=2018-02-01`, { ...metadata, Host: host });
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST.:${server.port}`, `[::1]:${server.port}`]) {
      assert.equal((await info(host)).status, 200, host);
    }
    for (const host of [
      '127.0.0.1',
      `127.0.0.1:${server.port + 1}`,
      `evil.example:${server.port}`,
      `127.0.0.1.evil.example:${server.port}`,
      `kv-lab.vault.azure.net.evil.example:${server.port}`,
      `vault.azure.net:${server.port}`,
      `localhost@evil.example:${server.port}`,
      `[::2]:${server.port}`,
    ]) {
      assert.equal((await info(host)).status, 400, `accepted Host '${host}'`);
    }
    const kv = await labHttps(server, 'GET', `${lab.serviceUrls.vault(SAMPLE.vault)}secrets?api-version=7.5`, {
      headers: { Host: `KV-LAB.vault.azure.net.:${server.port}` },
    });
    assert.equal(kv.status, 401, 'a service name in any case, with a trailing dot, is the service');
  });

  it('refuses a request without a Host header (HTTP/1.0)', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(server.port, '127.0.0.1', () =>
        socket.end('GET /metadata/identity/info?api-version=2018-02-01 HTTP/1.0\r\nMetadata: true\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.[01] 400 /);
    assert.match(answer, /no Host header/);
  });

  it('answers ARM over HTTPS only, as Azure does: never a token over plain HTTP', async () => {
    const token = await (
      await fetch(
        `${server.imdsAuthorityHost(vmId)}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/`,
        {
          headers: metadata,
        },
      )
    ).json();
    const plain = await httpRequest(server, 'GET', '/subscriptions?api-version=2022-12-01', {
      Authorization: `Bearer ${token.access_token}`,
    });
    assert.equal(plain.status, 400, plain.text);
    assert.equal(JSON.parse(plain.text).error.code, 'HttpsRequired');
    const secure = await labHttps(server, 'GET', `${server.httpsUrl}/subscriptions?api-version=2022-12-01`, { token: token.access_token });
    assert.equal(secure.status, 200, secure.text);
  });
});

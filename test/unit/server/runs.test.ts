// The lab's side of `milab run` (server/runs.ts, runProtocol.ts) without a namespace: a run is
// registered by a control request; a connection on the run socket that opens with its token is
// that host's (IMDS un-prefixed, TLS for Azure's names on a certificate that covers them); any
// other connection is closed; un-prefixed IMDS on the loopback port names no host. Also App
// Service's 2017-09-01 protocol and MSAL's instance discovery.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { createOrUpdateResource, createOrUpdateResourceGroup } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { identityHeaderFor } from '../../../src/engine/services/managedIdentity/identityHeader';
import { CONTROL_HEADER } from '../../../src/server/controlProtocol';
import { RUNS_PATH, runPreamble, type RunRegistration } from '../../../src/server/runProtocol';
import { labHttps } from '../../support/labHttps';
import type { ReadonlyResource } from '../../../src/engine/state/labState';

const CONTROL = 'control-token-for-run-tests';

/** Sends raw bytes on a connection and collects everything until it closes (or `ms` pass). */
function exchange(socket: net.Socket, request: string, ms = 3000): Promise<string> {
  return new Promise(resolve => {
    let text = '';
    const timer = setTimeout(() => (socket.destroy(), resolve(text)), ms);
    socket.on('data', d => (text += d.toString('utf8')));
    socket.on('close', () => (clearTimeout(timer), resolve(text)));
    socket.on('error', () => undefined);
    socket.write(request);
  });
}

describe('server: runs (milab run’s lab side), App Service 2017-09-01, instance discovery', () => {
  let lab: Lab;
  let server: RunningLabServer;
  let socketPath: string;
  let vm: ReadonlyResource;
  let web: ReadonlyResource;
  const register = async (as: string) => {
    const response = await fetch(`${server.url}${RUNS_PATH}`, {
      method: 'POST',
      headers: { [CONTROL_HEADER]: CONTROL, 'content-type': 'application/json' },
      body: JSON.stringify({ as }),
    });
    return { status: response.status, body: (await response.json()) as RunRegistration & { error?: { message: string } } };
  };
  const imdsOverRun = (token: string) =>
    exchange(
      net.connect(socketPath),
      runPreamble(token, 'lab') +
        'GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net HTTP/1.1\r\nHost: 169.254.169.254\r\nMetadata: true\r\nConnection: close\r\n\r\n',
    );

  before(async () => {
    lab = await createLab();
    socketPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'milab-runs-')), 'run.sock');
    server = await startLabServer(lab, { controlToken: CONTROL, runSocketPath: socketPath });
    vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    createOrUpdateResourceGroup(lab, LAB_CALLER, { name: 'rg-web', location: 'westeurope' });
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-web', type: 'appserviceplan', name: 'plan-web' });
    const uami = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: 'rg-web', type: 'identity', name: 'id-web' });
    web = createOrUpdateResource(lab, LAB_CALLER, {
      resourceGroup: 'rg-web',
      type: 'webapp',
      name: 'web-orders',
      identity: { systemAssigned: true, userAssigned: [uami.id] },
    });
  });
  after(() => server.close());

  it('registers a run only with the control token, and only for a host code runs on', async () => {
    const anonymous = await fetch(`${server.url}${RUNS_PATH}`, { method: 'POST', body: JSON.stringify({ as: 'vm-web' }) });
    assert.equal(anonymous.status, 401);
    assert.equal((await register('kv-lab')).status, 404);
    assert.match((await register('kv-lab')).body.error!.message, /is a Key Vault, not a compute resource/);
    const run = await register('vm-web');
    assert.equal(run.status, 201);
    assert.equal(run.body.hostId, vm.id);
    assert.equal(fs.statSync(socketPath).mode & 0o777, 0o600, 'the run socket is its owner’s only');
  });

  it('answers IMDS on a run connection as the run’s host, and traces it so', async () => {
    const { token } = (await register('vm-web')).body;
    const before = lab.traces.all.length;
    const answer = await imdsOverRun(token);
    assert.match(answer, /^HTTP\/1\.1 200 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { access_token: string };
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, string>;
    assert.equal(claims['xms_mirid'], vm.id);
    assert.ok(lab.traces.all.slice(before).some(t => t.hostResourceId === vm.id));
  });

  it('closes connections that do not open with a live run’s token, and forgets a run once it ended', async () => {
    assert.equal(await imdsOverRun('not-a-token'), '');
    assert.equal(await exchange(net.connect(socketPath), 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'), '');
    const run = (await register('vm-web')).body;
    const ended = await fetch(`${server.url}${RUNS_PATH}/${run.id}`, { method: 'DELETE', headers: { [CONTROL_HEADER]: CONTROL } });
    assert.equal(ended.status, 200);
    assert.equal(await imdsOverRun(run.token), '');
  });

  it('serves TLS on a run connection with a certificate for Azure’s names (management.azure.com, login.microsoftonline.com, vaults)', async () => {
    const { token } = (await register('vm-web')).body;
    for (const name of ['management.azure.com', 'login.microsoftonline.com', 'kv-lab.vault.azure.net']) {
      const raw = net.connect(socketPath);
      await new Promise(resolve => raw.once('connect', resolve));
      raw.write(runPreamble(token, 'lab'));
      const secure = tls.connect({ socket: raw, servername: name, ca: server.caPem });
      await new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', () => resolve());
        secure.once('error', reject);
      });
      assert.equal(secure.authorized, true, `${name}: ${String(secure.authorizationError)}`);
      secure.destroy();
    }
  });

  it('answers un-prefixed IMDS on the loopback port as nobody: it names no host (never "the first VM")', async () => {
    const response = await fetch(`${server.url}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net`, {
      headers: { Metadata: 'true' },
    });
    assert.equal(response.status, 404);
    const body = (await response.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'not_found');
    assert.match(body.error_description, /milab run --as <resource>/);
  });

  it('App Service 2017-09-01: the `secret` header, `clientid`, and expires_on as a date string', async () => {
    const secret = await identityHeaderFor(lab, web.id);
    const at = (query: string, headers: Record<string, string>) =>
      fetch(`${server.identityEndpoint(web.id)}/?${query}`, { headers }).then(async r => ({
        status: r.status,
        body: (await r.json()) as Record<string, string>,
      }));
    const ok = await at('resource=https://management.azure.com/&api-version=2017-09-01', { secret });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.match(ok.body['expires_on']!, /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} \+00:00$/);
    const claims = JSON.parse(Buffer.from(ok.body['access_token']!.split('.')[1]!, 'base64url').toString('utf8')) as Record<
      string,
      number | string
    >;
    const expires = ok.body['expires_on']!.replace(/^(\d\d)\/(\d\d)\/(\d{4}) (.*) \+00:00$/, '$3-$1-$2T$4Z');
    assert.equal(Date.parse(expires) / 1000, claims['exp']);
    const user = await at(`resource=https://vault.azure.net&api-version=2017-09-01&clientid=${web.identity!.userAssigned[0]!.clientId}`, {
      secret,
    });
    assert.equal(user.body['client_id'], web.identity!.userAssigned[0]!.clientId);
    assert.equal((await at('resource=https://vault.azure.net&api-version=2017-09-01', { 'X-IDENTITY-HEADER': secret })).status, 401);
    assert.equal((await at('resource=https://vault.azure.net&api-version=2019-08-01', { secret })).status, 401);
    const modern = await at('resource=https://vault.azure.net&api-version=2019-08-01', { 'X-IDENTITY-HEADER': secret });
    assert.match(modern.body['expires_on']!, /^\d+$/);
    assert.match(
      (await at('resource=https://vault.azure.net&api-version=2018-01-01', { 'X-IDENTITY-HEADER': secret })).body['message']!,
      /Supported versions: 2019-08-01, 2017-09-01/,
    );
  });

  it('MSAL instance discovery: the tenant’s OpenID configuration and the public cloud’s aliases; an unknown instance is AADSTS50049', async () => {
    const discover = (endpoint: string) =>
      labHttps(
        server,
        'GET',
        `${server.httpsUrl}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(endpoint)}`,
        {
          headers: { Host: 'login.microsoftonline.com' },
        },
      );
    const known = await discover(`https://login.microsoftonline.com/${lab.tenantId}/oauth2/v2.0/authorize`);
    assert.equal(known.status, 200);
    assert.equal(
      known.json().tenant_discovery_endpoint,
      `https://login.microsoftonline.com/${lab.tenantId}/v2.0/.well-known/openid-configuration`,
    );
    assert.ok(known.json().metadata[0].aliases.includes('login.windows.net'));
    const local = await discover(`https://127.0.0.1:${server.port}/${lab.tenantId}/oauth2/authorize`);
    assert.equal(
      local.json().tenant_discovery_endpoint,
      `https://127.0.0.1:${server.port}/${lab.tenantId}/.well-known/openid-configuration`,
    );
    const unknown = await discover('https://login.example.com/common/oauth2/v2.0/authorize');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json().error, 'invalid_instance');
    assert.match(unknown.json().error_description, /^AADSTS50049: Unknown or invalid instance\./);
  });
});

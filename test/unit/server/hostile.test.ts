// Bad input is answered, never crashes: over 10,000 malformed or hostile requests (random
// methods, paths, headers, duplicated and oversized query parameters, huge headers, broken
// framing, slow clients). Every one must get a well-formed Azure-style error (or, when it
// happens to be valid, a proper answer), and valid requests must keep working throughout.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import type { RunningLabServer } from '../../../src/server/labServer';
import { startLabServer } from '../../../src/server/labServer';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { setSqlEntraAdmin } from '../../../src/engine/services/sql/servers';
import { imdsToken, labHttps } from '../../support/labHttps';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

/** An Azure-style error body: {error: string|{code,message}} or App Service's {statusCode, message}. */
function isAzureError(text: string): boolean {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const error = body['error'];
    if (typeof error === 'string') return true;
    if (typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>)['code'] === 'string') return true;
    return typeof body['statusCode'] === 'number' && typeof body['message'] === 'string';
  } catch {
    return false;
  }
}

interface Answer {
  status: number;
  body: string;
}

describe('server: hostile input', function () {
  this.timeout(300_000);
  let lab: Lab;
  let server: RunningLabServer;
  let vmPath: string;

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab);
    vmPath = `/hosts${lab.arm.resources.find(r => r.name === SAMPLE.vm)!.id}`;
  });
  after(() => server.close());

  async function validTokenRequest(): Promise<number> {
    const response = await fetch(
      `${server.url}${vmPath}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net&bypass_cache=true`,
      { headers: { Metadata: 'true' } },
    );
    await response.arrayBuffer();
    return response.status;
  }

  it('answers 10,000+ random hostile requests with well-formed errors and keeps serving', async () => {
    const rand = prng(2026);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
    const garbage = (length: number) => Array.from({ length }, () => String.fromCharCode(33 + Math.floor(rand() * 94))).join('');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const prefixes = [
      '',
      vmPath,
      `${vmPath}/metadata/identity/oauth2/token`,
      '/metadata/identity/oauth2/token',
      `${vmPath}/msi/token`,
      `/${lab.tenantId}/oauth2/v2.0/token`,
      `/${lab.tenantId}/discovery/v2.0/keys`,
      '/hosts/subscriptions/x',
      '/keyvault/kv-lab/secrets/db-password',
      '/subscriptions',
      '/_milab/az',
      '/common/oauth2/token',
    ];
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'];
    const queryParts = () => {
      const parts: string[] = [];
      const n = Math.floor(rand() * 6);
      for (let i = 0; i < n; i++) {
        const name = pick(['api-version', 'resource', 'client_id', 'object_id', 'msi_res_id', 'mi_res_id', 'bypass_cache', garbage(5)]);
        const value = pick([
          '2018-02-01',
          'https://vault.azure.net',
          '',
          garbage(20),
          '%zz',
          'x'.repeat(Math.floor(rand() * 3000)),
          '../../etc/passwd',
          '<script>alert(1)</script>',
          '\u0000',
          '😀',
        ]);
        parts.push(`${encodeURIComponent(name)}=${rand() < 0.9 ? encodeURIComponent(value) : value.replace(/[\s#]/g, '')}`);
        if (rand() < 0.2) parts.push(parts[parts.length - 1]!); // duplicated parameter
      }
      return parts.length ? `?${parts.join('&')}` : '';
    };
    const send = (): Promise<Answer> =>
      new Promise(resolve => {
        const path =
          pick(prefixes) +
          (rand() < 0.5 ? '' : `/${pick([garbage(8), '%', '%2e%2e', '..', 'token/', 'x'.repeat(Math.floor(rand() * 2000))])}`) +
          queryParts();
        const headers: Record<string, string> = {};
        if (rand() < 0.5) headers['Metadata'] = pick(['true', 'false', 'TRUE', '', garbage(10)]);
        if (rand() < 0.2) headers['X-Forwarded-For'] = '10.0.0.1';
        if (rand() < 0.2) headers['X-IDENTITY-HEADER'] = garbage(30);
        if (rand() < 0.2) headers['Authorization'] = `Bearer ${pick([garbage(40), 'eyJhbGciOiJub25lIn0.e30.', ''])}`;
        if (rand() < 0.1) headers['X-Big'] = 'y'.repeat(Math.floor(rand() * 40_000)); // over the 16 KiB header limit
        for (let i = 0; i < Math.floor(rand() * 5); i++) {
          headers[`x-${garbage(6).replace(/[^a-z]/gi, 'a')}`] = garbage(30).replace(/[^\x20-\x7e]/g, '');
        }
        const method = pick(methods);
        const body =
          method === 'POST' || method === 'PUT'
            ? pick(['', 'grant_type=client_credentials&client_id=x', garbage(500), 'a=1&a=2', 'z'.repeat(100_000)])
            : undefined;
        const req = http.request(`${server.url}${path}`, { method, headers, agent }, res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: method === 'HEAD' ? '{"error":"head"}' : Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', () => resolve({ status: -1, body: '' }));
        });
        req.on('error', () => resolve({ status: -1, body: '' }));
        if (body !== undefined) req.end(body);
        else req.end();
      });

    const total = 10_200;
    let done = 0;
    const failures: string[] = [];
    let ok200 = 0;
    let connectionErrors = 0;
    const worker = async () => {
      while (done < total) {
        done++;
        const answer = await send();
        if (answer.status === -1) connectionErrors++;
        else if (answer.status === 200) ok200++;
        else if (answer.status < 400 || answer.status > 599 || !isAzureError(answer.body)) {
          if (failures.length < 5) failures.push(`${answer.status} ${answer.body.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    agent.destroy();
    assert.deepEqual(failures, [], 'every error must be a well-formed Azure-style error');
    // Requests with header blocks over the limit may see the socket closed after the 431; nothing else may.
    assert.ok(connectionErrors < total * 0.12, `too many dropped connections: ${connectionErrors}`);
    console.log(
      `      ${total} hostile requests: ${ok200} happened to be valid (200), ${total - ok200 - connectionErrors} got Azure-style errors, ${connectionErrors} closed after an over-limit header block`,
    );
    await new Promise(r => setTimeout(r, 1100)); // let IMDS's one-second throttling window pass
    assert.equal(await validTokenRequest(), 200, 'still serving valid requests');
  });

  it('answers broken HTTP framing with a 400 JSON error and survives slow clients', async () => {
    const raw = (payload: string): Promise<string> =>
      new Promise(resolve => {
        const socket = net.connect(server.port, '127.0.0.1', () => socket.end(payload));
        let text = '';
        socket.on('data', d => (text += d));
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
      });
    for (const payload of [
      'GARBAGE\r\n\r\n',
      'G E T / HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      'GET / HTTP/1.1\r\nBad Header\r\n\r\n',
      'GET /\u0000 HTTP/1.1\r\n\r\n',
    ]) {
      const answer = await raw(payload);
      const [head, body = ''] = answer.split('\r\n\r\n');
      assert.match(head ?? '', /^HTTP\/1\.1 4\d\d /, `for ${JSON.stringify(payload)}: ${answer.slice(0, 120)}`);
      assert.ok(isAzureError(body), `for ${JSON.stringify(payload)}: ${body}`);
    }
    // A body that breaks chunked framing after valid headers: Node answers the in-flight
    // request with a bare 400 before the lab sees it (as Azure's front ends answer with a bare
    // 400 too); the lab must then close the connection rather than write a second response.
    const chunked = await raw('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
    assert.match(chunked, /^HTTP\/1\.1 400 /);
    assert.equal(chunked.match(/HTTP\/1\.1 /g)?.length, 1, 'exactly one response');
    // Slow clients (slowloris): partial requests held open must not block others.
    const slow = Array.from({ length: 50 }, () => {
      const socket = net.connect(server.port, '127.0.0.1', () =>
        socket.write('GET /metadata/identity/oauth2/token HTTP/1.1\r\nHost: x\r\n'),
      );
      socket.resume(); // read what the server sends, so its close is seen
      return socket;
    });
    slow.forEach(s => s.on('error', () => undefined));
    await new Promise(r => setTimeout(r, 300));
    const started = Date.now();
    assert.equal(await validTokenRequest(), 200);
    assert.ok(Date.now() - started < 2000, 'a valid request is served promptly while slow clients hang');
    const closedWithin = await Promise.race([
      Promise.all(slow.map(s => new Promise(r => s.once('close', r)))).then(() => true),
      new Promise(r => setTimeout(() => r(false), 15_000)),
    ]);
    assert.equal(closedWithin, true, 'slow clients are cut off by the header timeout');
  });

  it('answers pathological inputs (runs of slashes in paths, a 64 KB SQL statement) in well under 100 ms', async () => {
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqlserver', name: 'sql-hostile' });
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqldb', name: 'sql-hostile/db' });
    setSqlEntraAdmin(lab, LAB_CALLER, lab.arm.resources.find(r => r.name === 'sql-hostile')!.id, SAMPLE.vm);
    const armToken = await imdsToken(server, vm.id, 'https://management.azure.com/');
    const sqlToken = await imdsToken(server, vm.id, 'https://database.windows.net/');
    const slashes = '/'.repeat(15_000); // paths stop at the 16 KB header limit
    const cases: Array<[string, () => ReturnType<typeof labHttps>]> = [
      [
        'Key Vault path',
        () => labHttps(server, 'GET', `https://${SAMPLE.vault}.vault.azure.net:${server.port}/x${slashes}x?api-version=7.4`),
      ],
      [
        'ARM path',
        () => labHttps(server, 'GET', `${server.httpsUrl}/subscriptions/x${slashes}x?api-version=2024-03-01`, { token: armToken }),
      ],
      ...['select a' + ' '.repeat(65_000) + 'x', 'select a' + ' from ['.repeat(9_000) + 'x'].map(
        (query, i): [string, () => ReturnType<typeof labHttps>] => [
          `SQL statement ${i + 1}`,
          () =>
            labHttps(server, 'POST', `https://sql-hostile.database.windows.net:${server.port}/databases/db/query`, {
              token: sqlToken,
              body: { query },
            }),
        ],
      ),
    ];
    await cases[0]![1](); // a warm connection, so the time measured is the lab's
    for (const [name, send] of cases) {
      const started = performance.now();
      const answer = await send();
      const elapsed = performance.now() - started;
      assert.ok(answer.status >= 400 && answer.status < 500, `${name}: ${answer.status} ${answer.text.slice(0, 200)}`);
      assert.ok(elapsed < 100, `${name} took ${elapsed.toFixed(0)} ms`);
    }
  });

  it('binds 127.0.0.1 only: reachable on loopback, not on any other address of the machine', async () => {
    const { networkInterfaces } = await import('node:os');
    const reaches = (address: string) =>
      new Promise<boolean>(resolve => {
        const socket = net.connect(server.port, address, () => (socket.destroy(), resolve(true)));
        socket.on('error', () => resolve(false));
      });
    assert.equal(await reaches('127.0.0.1'), true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter(i => i && i.family === 'IPv4' && i.address !== '127.0.0.1')
      .map(i => i!.address);
    for (const address of others) assert.equal(await reaches(address), false, `the lab must not be reachable on ${address}`);
    // Runs on every machine, even one without other interfaces: a server listening on all
    // addresses (:: or 0.0.0.0 with dual stack) would answer on the IPv6 loopback too.
    assert.equal(await reaches('::1'), false, 'the lab must not listen on IPv6 or on all addresses');
  });
});

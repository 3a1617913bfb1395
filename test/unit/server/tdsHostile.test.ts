// Hostile TDS against the lab's SQL endpoint: truncated and oversized packets, lying
// lengths, garbage where PRELOGIN or LOGIN7 should be, a LOGIN7 without FEDAUTH, packets of
// the wrong type, and 1,000 half-open connections. The server answers or closes — never
// crashes or hangs — and the HTTP endpoints keep serving throughout.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { createLab, SAMPLE } from '../../../src/engine/operations/sampleLab';
import type { Lab } from '../../../src/engine/lab/lab';
import { startLabServer, type RunningLabServer } from '../../../src/server/labServer';
import { createOrUpdateResource } from '../../../src/engine/operations/resources';
import { LAB_CALLER } from '../../../src/engine/lab/authorization';
import { setSqlEntraAdmin } from '../../../src/engine/services/sql/servers';
import { imdsToken } from '../../support/labHttps';
import { closedWithin, connectStrict, errorsIn, login7, packet, preLogin, readMessage, sqlBatch } from '../../support/tdsClient';

const PRELOGIN = 0x12;
const LOGIN7 = 0x10;
const SQL_BATCH = 0x01;

describe('server: hostile TDS', function () {
  this.timeout(60_000);
  let lab: Lab;
  let server: RunningLabServer;
  let token: string;
  const raw = () =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(server.sqlPort, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
    });
  /** A strict client through PRELOGIN, ready for LOGIN7. */
  const afterPreLogin = async () => {
    const socket = await connectStrict(server.sqlPort, server.caPem);
    socket.write(packet(PRELOGIN, preLogin()));
    await readMessage(socket);
    return socket;
  };
  const loggedIn = async () => {
    const socket = await afterPreLogin();
    socket.write(packet(LOGIN7, login7({ token })));
    const answer = await readMessage(socket);
    assert.deepEqual(errorsIn(answer), []);
    assert.ok(answer.includes(Buffer.from('Microsoft SQL Server', 'utf16le')), 'LOGINACK');
    return socket;
  };
  /** The control: a login and `SELECT 1` with the hand-built client work, so the refusals below are about what was sent. */
  const selectOne = async () => {
    const socket = await loggedIn();
    socket.write(packet(SQL_BATCH, sqlBatch('SELECT 1')));
    const answer = await readMessage(socket);
    socket.destroy();
    // …D1 01000000 (ROW, INT4 1), then DONE with DONE_COUNT, SELECT, 1 row.
    assert.deepEqual([...answer.subarray(-18)], [0xd1, 1, 0, 0, 0, 0xfd, 0x10, 0, 0xc1, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  };
  const imdsAnswers = async () => {
    const vm = lab.arm.resources.find(r => r.name === SAMPLE.vm)!;
    const started = performance.now();
    await imdsToken(server, vm.id, 'https://vault.azure.net');
    return performance.now() - started;
  };

  before(async () => {
    lab = await createLab();
    server = await startLabServer(lab, { sql: { loginTimeoutMs: 1500, firstByteTimeoutMs: 1000 } });
    const sqlServer = createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqlserver', name: 'sql-lab' });
    createOrUpdateResource(lab, LAB_CALLER, { resourceGroup: SAMPLE.resourceGroup, type: 'sqldb', name: 'sql-lab/appdb' });
    setSqlEntraAdmin(lab, LAB_CALLER, sqlServer.id, SAMPLE.vm);
    token = await imdsToken(server, lab.arm.resources.find(r => r.name === SAMPLE.vm)!.id, 'https://database.windows.net/');
  });
  after(() => server.close());

  it('the control: a hand-built TDS 8.0 client logs in with a token and runs SELECT 1', selectOne);

  it('closes a connection whose first bytes are not TDS (an HTTP request) or that says nothing', async () => {
    const http = await raw();
    http.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(await closedWithin(http, 1000), true);
    const silent = await raw();
    assert.equal(await closedWithin(silent, 3000), true, 'closed after the first-byte timeout');
  });

  it('closes on packet lengths shorter than the header or longer than any packet may be', async () => {
    for (const length of [4, 0xffff]) {
      const socket = await raw();
      const header = Buffer.from([PRELOGIN, 0x01, 0, 0, 0, 0, 1, 0]);
      header.writeUInt16BE(length, 2);
      socket.write(Buffer.concat([header, Buffer.alloc(64)]));
      assert.equal(await closedWithin(socket, 1000), true, `length ${length}`);
    }
  });

  it('a truncated packet (a header promising more than comes) ends with the login timeout; FIN mid-packet ends at once', async () => {
    const stalled = await raw();
    stalled.write(Buffer.concat([Buffer.from([PRELOGIN, 0x01, 0x01, 0x00, 0, 0, 1, 0]), Buffer.alloc(10)]));
    const started = performance.now();
    assert.equal(await closedWithin(stalled, 4000), true);
    assert.ok(performance.now() - started < 3000, 'within the login timeout');
    const cut = await raw();
    cut.end(Buffer.from([PRELOGIN, 0x01, 0x01, 0x00, 0, 0, 1, 0, 1, 2, 3]));
    assert.equal(await closedWithin(cut, 1000), true);
  });

  it('answers PRELOGIN, then closes on garbage after it; closes on a PRELOGIN whose options point past its payload', async () => {
    const socket = await raw();
    socket.write(packet(PRELOGIN, preLogin(0x00)));
    const answer = await readMessage(socket);
    assert.equal(answer[0], 0x00, 'a PRELOGIN answer (its option table) came first');
    socket.write(Buffer.from('this is not a TLS record nor a TDS packet, just garbage'));
    assert.equal(await closedWithin(socket, 500), true, 'at once, not after the login timeout');

    const lying = await raw();
    lying.write(packet(PRELOGIN, Buffer.from([0x01, 0x00, 0x40, 0x00, 0x01, 0xff])));
    assert.equal(await closedWithin(lying, 1000), true);
  });

  it('a LOGIN7 without FEDAUTH (SQL authentication) is answered with 18456 as on an Entra-only server, then the connection ends', async () => {
    const socket = await afterPreLogin();
    socket.write(packet(LOGIN7, login7({ user: 'sa', password: 'P@ssw0rd' })));
    const answer = await readMessage(socket);
    assert.deepEqual(errorsIn(answer), [
      {
        number: 18456,
        state: 1,
        message:
          "Login failed for user 'sa'. Reason: Azure Active Directory only authentication is enabled. Please contact your system administrator.",
      },
    ]);
    assert.equal(await closedWithin(socket, 3000), true);
  });

  it('closes on a LOGIN7 whose lengths lie: the declared length, a string past the end, a token longer than its data', async () => {
    const good = login7({ token });
    const wrongLength = Buffer.from(good);
    wrongLength.writeUInt32LE(good.length + 100, 0);
    const pastEnd = Buffer.from(good);
    pastEnd.writeUInt16LE(0xfff0, 68); // ibDatabase
    const longToken = Buffer.from(good);
    longToken.writeUInt32LE(0x7fff_ffff, longToken.readUInt32LE(longToken.readUInt16LE(56)) + 6); // FedAuthTokenLen
    const short = good.subarray(0, 50);
    for (const [name, payload] of Object.entries({ wrongLength, pastEnd, longToken, short })) {
      const socket = await afterPreLogin();
      socket.write(packet(LOGIN7, payload));
      assert.equal(await closedWithin(socket, 2000), true, name);
    }
  });

  it('after login: a batch whose ALL_HEADERS lies, a packet type no client sends, or a packet type changing mid-message closes it', async () => {
    const lies = Buffer.from(sqlBatch('SELECT 1'));
    lies.writeUInt32LE(10_000, 0);
    const mixed = Buffer.concat([packet(SQL_BATCH, sqlBatch('SELECT'), 0x00), packet(0x03, Buffer.alloc(4))]);
    for (const [name, bytes] of Object.entries({ lies: packet(SQL_BATCH, lies), unknownType: packet(0x42, Buffer.alloc(8)), mixed })) {
      const socket = await loggedIn();
      socket.write(bytes);
      assert.equal(await closedWithin(socket, 2000), true, name);
    }
    await selectOne();
  });

  it('1,000 half-open connections: IMDS keeps answering, a login still succeeds, and the lab closes them within its timeouts', async () => {
    const sockets: net.Socket[] = [];
    const deadline = performance.now() + 20_000;
    const probes: number[] = [];
    for (let i = 0; i < 1000 && performance.now() < deadline; i++) {
      const socket = await raw();
      socket.on('error', () => undefined);
      // Half say nothing; half start a PRELOGIN packet and stall.
      if (i % 2) socket.write(Buffer.from([PRELOGIN, 0x01, 0x00, 0x40, 0, 0]));
      sockets.push(socket);
      if (i % 200 === 199) probes.push(await imdsAnswers());
    }
    assert.equal(sockets.length, 1000, 'the flood was opened within its time bound');
    probes.push(await imdsAnswers());
    await selectOne();
    assert.ok(Math.max(...probes) < 1000, `IMDS answered during the flood (slowest ${Math.max(...probes).toFixed(0)} ms)`);
    const closed = await Promise.all(sockets.map(s => closedWithin(s, 6000)));
    assert.equal(closed.filter(Boolean).length, 1000, 'every half-open connection was closed by the lab');
    await new Promise(r => setTimeout(r, 100));
    assert.equal(server.sqlConnections, 0);
    await selectOne();
  });
});

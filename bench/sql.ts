// Azure SQL over TDS with the real tedious driver, in this process; each server in its own:
//  - logins per second (TLS, LOGIN7 with an access token, the RS256 check, LOGINACK,
//    tedious's SET batch, close) against TLS 1.2 handshakes per second with a bare node:tls
//    server and a certificate like the lab's — the machine's limit for a login. Measured for
//    TDS 8.0 strict (TLS first) and for TDS 7.4 (TLS inside PRELOGIN): on the latter tedious,
//    which leaves Nagle on (it never calls setNoDelay), sends LOGIN7's TLS record in two writes,
//    and the second waits for the lab's delayed ACK;
//  - the `SELECT 1` round trip on an open connection against a bare node:tls echo of the
//    same number of bytes — the machine's limit for a request.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { Connection, Request } from 'tedious';
import { fmt, percentile, table } from './stats';

const DURATION_S = Number(process.env['BENCH_DURATION'] ?? 10) / 2;
const CONCURRENCY = 4;
const ROUND_TRIPS = 2000;

function startChild(script: string): Promise<{ child: ChildProcess; info: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'processes', script)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve({ child, info: JSON.parse(text.split('\n')[0]!) });
    });
  });
}

function connect(info: Record<string, string>, encrypt: true | 'strict' = 'strict'): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const connection = new Connection({
      // localhost: the lab's certificate names it, and Node warns about an IP address as a TLS server name.
      server: 'localhost',
      authentication: { type: 'azure-active-directory-access-token', options: { token: info['token']! } },
      options: { port: Number(info['sqlPort']), database: 'appdb', encrypt, cryptoCredentialsDetails: { ca: info['ca']! } },
    });
    connection.connect(error => (error ? reject(error) : resolve(connection)));
  });
}

/** Runs `once` in `CONCURRENCY` loops for the duration; returns completions per second. */
async function rate(once: () => Promise<void>): Promise<number> {
  const until = performance.now() + DURATION_S * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await once();
        count++;
      }
    }),
  );
  return count / DURATION_S;
}

const tdsLogin = (info: Record<string, string>, encrypt: true | 'strict') => async () => {
  const connection = await connect(info, encrypt);
  await new Promise<void>(resolve => {
    connection.once('end', () => resolve());
    connection.close();
  });
};

const tlsHandshake = (info: Record<string, string>) => () =>
  new Promise<void>((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port: Number(info['port']), ca: info['ca']!, servername: 'localhost', maxVersion: 'TLSv1.2' },
      () => {
        socket.once('close', () => resolve());
        socket.end();
      },
    );
    socket.once('error', reject);
  });

/** Per-round-trip latencies in microseconds, sorted. */
async function roundTrips(trip: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 200; i++) await trip();
  const samples: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t0 = process.hrtime.bigint();
    await trip();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return samples.sort((a, b) => a - b);
}

/** A SQL batch `SELECT 1` is 46 bytes on the wire and its answer 37: the echo sends the larger, both ways. */
function echoTrip(socket: tls.TLSSocket): () => Promise<void> {
  const message = Buffer.alloc(46, 1);
  return () =>
    new Promise<void>(resolve => {
      let received = 0;
      const onData = (chunk: Buffer) => {
        received += chunk.length;
        if (received >= message.length) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
      socket.write(message);
    });
}

export async function benchSql(): Promise<string> {
  const children: ChildProcess[] = [];
  try {
    const lab = await startChild('sqlServer.js');
    children.push(lab.child);
    const peer = await startChild('tlsPeer.js');
    children.push(peer.child);

    // Alternately, twice, keeping each side's better run (as the token benchmark does).
    const [strict1, handshakes1, strict2, handshakes2] = [
      await rate(tdsLogin(lab.info, 'strict')),
      await rate(tlsHandshake(peer.info)),
      await rate(tdsLogin(lab.info, 'strict')),
      await rate(tlsHandshake(peer.info)),
    ];
    const bestStrict = Math.max(strict1, strict2);
    const bestHandshakes = Math.max(handshakes1, handshakes2);
    const inPreLogin = await rate(tdsLogin(lab.info, true));

    const connection = await connect(lab.info);
    const select = await roundTrips(
      () =>
        new Promise<void>((resolve, reject) => {
          connection.execSqlBatch(new Request('SELECT 1', error => (error ? reject(error) : resolve())));
        }),
    );
    connection.close();
    const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect(
        { host: '127.0.0.1', port: Number(peer.info['port']), ca: peer.info['ca']!, servername: 'localhost', maxVersion: 'TLSv1.2' },
        () => resolve(s),
      );
      s.once('error', reject);
    });
    socket.setNoDelay(true);
    const echo = await roundTrips(echoTrip(socket));
    socket.destroy();

    const p50 = (samples: number[]) => percentile(samples, 50);
    const p99 = (samples: number[]) => percentile(samples, 99);
    return [
      [
        `Azure SQL over TDS with tedious 19 (in this process; each server in its own): logins with ${CONCURRENCY} at a time, ${DURATION_S} s per run,`,
        `strict and TLS runs alternately twice (better run kept); ${ROUND_TRIPS} SELECT 1 round trips on one strict connection after 200 to warm up`,
      ].join(' '),
      table([
        {
          measure: 'lab TDS 8.0 strict login (access token, LOGINACK, SET batch)',
          value: `${fmt(bestStrict, 0)} logins/s`,
          ratio: `${fmt(bestStrict / bestHandshakes, 2)}× bare TLS handshakes`,
        },
        {
          measure: 'lab TDS 7.4 login, TLS inside PRELOGIN (tedious’s Nagle wait)',
          value: `${fmt(inPreLogin, 0)} logins/s`,
          ratio: `${fmt(inPreLogin / bestHandshakes, 2)}× bare TLS handshakes`,
        },
        {
          measure: 'bare node:tls handshake (TLS 1.2, same kind of certificate)',
          value: `${fmt(bestHandshakes, 0)} handshakes/s`,
          ratio: '1.00× (the machine’s limit)',
        },
        {
          measure: 'lab SELECT 1 round trip (SQL batch, TDS 8.0 strict)',
          value: `p50 ${fmt(p50(select), 0)} µs, p99 ${fmt(p99(select), 0)} µs`,
          ratio: `${fmt(p50(echo) / p50(select), 2)}× the echo’s speed (p50)`,
        },
        {
          measure: 'bare node:tls echo of the same bytes',
          value: `p50 ${fmt(p50(echo), 0)} µs, p99 ${fmt(p99(echo), 0)} µs`,
          ratio: '1.00× (the machine’s limit)',
        },
      ]),
    ].join('\n');
  } finally {
    for (const child of children) child.kill();
  }
}

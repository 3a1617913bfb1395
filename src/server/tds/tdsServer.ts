// Azure SQL's TDS endpoint: a loopback port of its own (drivers default to 1433, and a port
// of its own can be mapped to {server}.database.windows.net:1433 later), 127.0.0.1 only.
// The first byte of a connection tells the two ways in apart (MS-TDS 3.3.5.1): 0x12 is a
// TDS 7.x PRELOGIN (TLS follows inside PRELOGIN packets), 0x16 a TLS ClientHello — TDS 8.0
// "strict", TLS first with ALPN tds/8.0. Anything else is closed. Connections are bounded
// in number and in the time they may take to log in.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { EndpointContext } from '../context';
import { TdsSession } from './session';
import { PacketType } from './protocol';

export interface TdsServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** PRELOGIN to LOGINACK must take less (default 30 s). */
  loginTimeoutMs?: number;
  /** A connection that says nothing is closed after this long (default 10 s). */
  firstByteTimeoutMs?: number;
  /** Connections beyond this many are closed at once (default 4096). */
  maxConnections?: number;
}

export interface RunningTdsServer {
  readonly port: number;
  /** Open connections, logged in or not. */
  readonly connections: number;
  close(): Promise<void>;
}

const TLS_HANDSHAKE = 0x16;
const LOOPBACK = '127.0.0.1';

export async function startTdsServer(
  ctx: EndpointContext,
  pems: { key: string; cert: string },
  options: TdsServerOptions = {},
): Promise<RunningTdsServer> {
  const loginTimeoutMs = options.loginTimeoutMs ?? 30_000;
  const firstByteTimeoutMs = options.firstByteTimeoutMs ?? 10_000;
  const maxConnections = options.maxConnections ?? 4096;
  // TLS inside PRELOGIN: TLS 1.2 at most, as tedious asks for it (src/message-io.ts).
  const preLoginContext = tls.createSecureContext({ key: pems.key, cert: pems.cert, maxVersion: 'TLSv1.2' });
  const open = new Set<Duplex>();
  let nextSpid = 51;
  const spid = () => {
    const id = nextSpid;
    nextSpid = nextSpid >= 32_000 ? 51 : nextSpid + 1;
    return id;
  };
  const startSession = (socket: Duplex, strict?: { protocol: string; alpn: string; servername: string }) =>
    new TdsSession(socket, {
      ctx,
      secureContext: preLoginContext,
      spid: spid(),
      loginTimeoutMs,
      ...(strict ? { strict } : {}),
      onClose: () => undefined,
    });

  const strictServer = tls.createServer({ key: pems.key, cert: pems.cert, ALPNProtocols: ['tds/8.0'], handshakeTimeout: loginTimeoutMs });
  strictServer.on('secureConnection', (socket: tls.TLSSocket) => {
    startSession(socket, {
      protocol: socket.getProtocol() ?? 'TLS',
      alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : '',
      servername: typeof socket.servername === 'string' ? socket.servername : '',
    });
  });
  strictServer.on('tlsClientError', (_error, socket) => socket.destroy());

  const listener = net.createServer({ noDelay: true }, socket => {
    if (open.size >= maxConnections) {
      socket.destroy();
      return;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(firstByteTimeoutMs, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      if (first[0] === TLS_HANDSHAKE) {
        socket.pause();
        socket.unshift(first);
        strictServer.emit('connection', socket);
        process.nextTick(() => socket.resume());
      } else if (first[0] === PacketType.PreLogin) {
        socket.pause();
        socket.unshift(first);
        startSession(socket);
        process.nextTick(() => socket.resume());
      } else {
        socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 0, LOOPBACK, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  return {
    port: (listener.address() as AddressInfo).port,
    get connections() {
      return open.size;
    },
    close: () =>
      new Promise<void>(resolve => {
        listener.close(() => resolve());
        for (const socket of open) socket.destroy();
        strictServer.close(() => undefined);
      }),
  };
}

// One loopback port that speaks both HTTP and HTTPS: IMDS and the App Service identity
// endpoint are plain HTTP (as on Azure), while Entra, ARM, Key Vault and Storage need TLS
// (the SDKs refuse bearer tokens over HTTP). The first byte of a connection tells them
// apart: 0x16 starts a TLS handshake.
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

const TLS_HANDSHAKE = 0x16;
/** A client that connects and says nothing is dropped after this long. */
const FIRST_BYTE_TIMEOUT_MS = 10_000;

export interface Polyglot {
  server: NetServer;
  /** Serves a connection that arrived another way (a `milab run` forwarder's, over the run socket). */
  accept(socket: Socket): void;
  /** Drops every open connection (on shutdown). */
  destroyAll(): void;
}

export function polyglotServer(http: HttpServer, https: HttpsServer): Polyglot {
  const open = new Set<Socket>();
  const accept = (socket: Socket) => {
    open.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => open.delete(socket));
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? https : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  };
  // Node's own http.Server turns Nagle off for its sockets; these arrive through this server instead.
  const server = createNetServer({ noDelay: true }, accept);
  return { server, accept, destroyAll: () => open.forEach(s => s.destroy()) };
}

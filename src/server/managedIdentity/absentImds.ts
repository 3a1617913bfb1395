// "Your machine"'s IMDS, which is not there: a loopback listener that the `milab env --as local`
// preload sends connections for 169.254.169.254:80 to. It accepts and never answers, as a
// network that drops the packets would, so the SDK's probe waits for its own timeout (1 s in
// JS, Python and .NET) and the chain's timing on "your machine" is real. Nothing here ever
// sends a packet to 169.254.169.254 itself.
import { createServer, type Socket } from 'node:net';
import type { Lab } from '../../engine/lab/lab';
import { momentOf } from '../../engine/base/clock';
import type { LocalChains } from '../localChain';

/** A connection nobody answers is closed after this long (a dropped SYN would time out later still). */
const HOLD_MS = 20_000;
const MAX_CONNECTIONS = 64;
const MAX_SEEN_BYTES = 4096;

export interface AbsentImds {
  port: number;
  close(): Promise<void>;
}

export async function startAbsentImds(lab: Lab, chains: LocalChains, host: string): Promise<AbsentImds> {
  const sockets = new Set<Socket>();
  const server = createServer(socket => {
    if (sockets.size >= MAX_CONNECTIONS) return void socket.destroy();
    sockets.add(socket);
    let seen = '';
    const finished = chains.probe();
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      if (seen.length < MAX_SEEN_BYTES) seen += chunk.slice(0, MAX_SEEN_BYTES - seen.length);
    });
    socket.on('error', () => undefined);
    const timer = setTimeout(() => socket.destroy(), HOLD_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      sockets.delete(socket);
      finished(momentOf(lab.clock), seen.split('\r\n')[0] ?? '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

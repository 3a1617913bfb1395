// The runs a lab serves (`milab run`, see runProtocol.ts): which host each run is, and the unix
// socket its forwarder reaches the lab through. A connection is bound to its run by the token
// in its first line; from then on every request on it is that host's — IMDS at 169.254.169.254
// answers as that host (never as "the first VM"), and traces name it as the app's host.
import { createServer as createNetServer, connect, type Server as NetServer, type Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { newGuid } from '../engine/base/ids';
import { RUN_PREAMBLE, RUN_PREAMBLE_LIMIT, RUN_TARGETS, type RunRegistration, type RunTarget } from './runProtocol';

/** A connection that sends no complete first line this soon is dropped. */
const PREAMBLE_TIMEOUT_MS = 5_000;

export interface Run {
  readonly id: string;
  readonly hostId: string;
  readonly hostName: string;
  readonly startedAt: number;
}

export class RunRegistry {
  private readonly byToken = new Map<string, Run>();
  private readonly bySocket = new WeakMap<Socket, Run>();

  register(hostId: string, hostName: string): RunRegistration {
    const token = randomBytes(24).toString('base64url');
    const run: Run = { id: newGuid(), hostId, hostName, startedAt: Date.now() };
    this.byToken.set(token, run);
    return { id: run.id, token, hostId, hostName };
  }

  /** Ends a run: its token opens no new connection (open ones finish what they are doing). */
  end(id: string): boolean {
    for (const [token, run] of this.byToken) {
      if (run.id === id) {
        this.byToken.delete(token);
        return true;
      }
    }
    return false;
  }

  get active(): Run[] {
    return [...this.byToken.values()];
  }

  bind(socket: Socket, token: string): Run | undefined {
    const run = this.byToken.get(token);
    if (run) this.bySocket.set(socket, run);
    return run;
  }

  /** The run a request arrived through, if any (over TLS, the raw socket is the TLS socket's parent). */
  of(req: IncomingMessage): Run | undefined {
    const socket = req.socket as Socket & { _parent?: Socket };
    return this.bySocket.get(socket) ?? (socket._parent ? this.bySocket.get(socket._parent) : undefined);
  }
}

export interface RunSocketOptions {
  path: string;
  registry: RunRegistry;
  /** Hands a bound connection to the lab's HTTP/HTTPS listener. */
  acceptLab(socket: Socket): void;
  /** The lab's TDS port, when it serves SQL over TDS (the `tds` target forwards there). */
  tdsPort?: () => number | undefined;
}

/** Reads `MILAB-RUN/1 <token> <target>\n`, then hands the connection on; anything else is closed. */
function onConnection(options: RunSocketOptions, socket: Socket): void {
  let buffered = Buffer.alloc(0);
  socket.setTimeout(PREAMBLE_TIMEOUT_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf(0x0a);
    if (end === -1) {
      if (buffered.length > RUN_PREAMBLE_LIMIT) socket.destroy();
      return;
    }
    socket.off('data', onData);
    socket.pause();
    socket.setTimeout(0);
    const [magic, token, target] = buffered.subarray(0, end).toString('latin1').split(' ');
    const rest = buffered.subarray(end + 1);
    const run = magic === RUN_PREAMBLE && token ? options.registry.bind(socket, token) : undefined;
    if (!run || !RUN_TARGETS.includes(target as RunTarget)) return void socket.destroy();
    if (rest.length) socket.unshift(rest);
    if (target === 'lab') {
      options.acceptLab(socket);
      socket.resume();
      return;
    }
    const port = options.tdsPort?.();
    if (!port) return void socket.destroy();
    const upstream = connect({ host: '127.0.0.1', port });
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
    socket.resume();
  };
  socket.on('data', onData);
}

/** Listens on the run socket (a stale file from a lab that died is replaced); owner-only. */
export async function listenRunSocket(options: RunSocketOptions): Promise<{ close(): void }> {
  await fs.rm(options.path, { force: true });
  const pending = new Set<Socket>();
  const server: NetServer = createNetServer(socket => {
    pending.add(socket);
    socket.once('close', () => pending.delete(socket));
    onConnection(options, socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await fs.chmod(options.path, 0o600);
  return {
    close: () => {
      server.close();
      for (const socket of pending) socket.destroy();
    },
  };
}

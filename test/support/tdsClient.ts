// A TDS client built by hand for tests that must send what no driver sends (truncated and
// oversized packets, lying lengths, garbage): packets, PRELOGIN, LOGIN7 with or without
// FEDAUTH, SQL batches, over TDS 8.0 strict (TLS first) so no TLS-inside-PRELOGIN is needed.
// Layouts from MS-TDS 2.2.3.1 (header), 2.2.6.5 (PRELOGIN), 2.2.6.4 (LOGIN7), 2.2.6.7 (batch).
import * as net from 'node:net';
import * as tls from 'node:tls';

export function packet(type: number, payload: Buffer, status = 0x01): Buffer {
  const header = Buffer.alloc(8);
  header[0] = type;
  header[1] = status;
  header.writeUInt16BE(payload.length + 8, 2);
  header[6] = 1;
  return Buffer.concat([header, payload]);
}

export function preLogin(encryption = 0x02): Buffer {
  // VERSION (6 bytes), ENCRYPTION, terminator.
  const table = Buffer.from([0x00, 0x00, 0x0b, 0x00, 0x06, 0x01, 0x00, 0x11, 0x00, 0x01, 0xff]);
  return Buffer.concat([table, Buffer.from([1, 0, 0, 0, 0, 0]), Buffer.of(encryption)]);
}

export interface Login7Options {
  token?: string;
  user?: string;
  password?: string;
  database?: string;
  serverName?: string;
}

/** A LOGIN7 as a driver builds it: FEDAUTH with a token inline when `token` is given, SQL authentication otherwise. */
export function login7(options: Login7Options): Buffer {
  const strings: Array<[number, Buffer]> = [];
  const text = (s: string) => Buffer.from(s, 'utf16le');
  const password = Buffer.from(options.password ?? '', 'utf16le').map(b => (((b << 4) & 0xf0) | (b >> 4)) ^ 0xa5);
  const parts = [
    text('hostile-test'),
    text(options.user ?? ''),
    Buffer.from(password),
    text('tds-test'),
    text(options.serverName ?? 'sql-lab.database.windows.net'),
    Buffer.alloc(4), // ibExtension's DWORD, filled in below
    text('tds-test'),
    text(''),
    text(options.database ?? 'appdb'),
  ];
  const fixed = Buffer.alloc(94);
  let offset = 94;
  const slots = [36, 40, 44, 48, 52, 56, 60, 64, 68];
  parts.forEach((part, i) => {
    fixed.writeUInt16LE(offset, slots[i]!);
    fixed.writeUInt16LE(slots[i] === 56 ? part.length : part.length / 2, slots[i]! + 2);
    strings.push([offset, part]);
    offset += part.length;
  });
  let feature = Buffer.alloc(0);
  if (options.token !== undefined) {
    const token = text(options.token);
    const data = Buffer.alloc(5);
    data[0] = (0x01 << 1) | 1; // SECURITYTOKEN, echo
    data.writeUInt32LE(token.length, 1);
    const body = Buffer.concat([data, token]);
    const head = Buffer.alloc(5);
    head[0] = 0x02;
    head.writeUInt32LE(body.length, 1);
    feature = Buffer.concat([head, body, Buffer.of(0xff)]);
    parts[5]!.writeUInt32LE(offset);
  }
  const total = offset + feature.length;
  fixed.writeUInt32LE(total, 0);
  fixed.writeUInt32LE(0x74000004, 4);
  fixed.writeUInt32LE(4096, 8);
  fixed[24] = 0xe0;
  fixed[27] = options.token !== undefined ? 0x10 : 0x00;
  fixed.writeUInt32LE(0x409, 32);
  return Buffer.concat([fixed, ...strings.map(([, b]) => b), feature]);
}

export function sqlBatch(text: string): Buffer {
  const headers = Buffer.alloc(22);
  headers.writeUInt32LE(22, 0);
  headers.writeUInt32LE(18, 4);
  headers.writeUInt16LE(2, 8);
  headers.writeUInt32LE(1, 18);
  return Buffer.concat([headers, Buffer.from(text, 'utf16le')]);
}

/** Reads one whole message (packets up to EOM); rejects when the server closes first or `ms` pass. */
export function readMessage(socket: net.Socket | tls.TLSSocket, ms = 5_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let pending = Buffer.alloc(0);
    const parts: Buffer[] = [];
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (error) reject(error);
    };
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8 && pending.length >= pending.readUInt16BE(2)) {
        const length = pending.readUInt16BE(2);
        parts.push(pending.subarray(8, length));
        const eom = pending[1]! & 1;
        pending = pending.subarray(length);
        if (eom) {
          done();
          if (pending.length) socket.unshift(pending);
          return resolve(Buffer.concat(parts));
        }
      }
    };
    const onClose = () => done(new Error('closed'));
    const timer = setTimeout(() => done(new Error('timeout')), ms);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** The ERROR tokens of a login response or a batch's (they come first or after DONEs the lab sends). */
export function errorsIn(payload: Buffer): Array<{ number: number; state: number; message: string }> {
  const errors: Array<{ number: number; state: number; message: string }> = [];
  for (let at = payload.indexOf(0xaa); at !== -1 && at + 11 < payload.length; at = payload.indexOf(0xaa, at + 1)) {
    const length = payload.readUInt16LE(at + 1);
    const chars = payload.readUInt16LE(at + 9);
    if (at + 3 + length > payload.length || 11 + chars * 2 > length + 3) continue;
    errors.push({
      number: payload.readInt32LE(at + 3),
      state: payload[at + 7]!,
      message: payload.toString('utf16le', at + 11, at + 11 + chars * 2),
    });
  }
  return errors;
}

/** TDS 8.0 strict: TLS first (ALPN tds/8.0), then plain TDS inside it. */
export function connectStrict(port: number, ca: string, servername = 'sql-lab.database.windows.net'): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ca, ALPNProtocols: ['tds/8.0'] }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves true when the server closes the socket within `ms`. */
export function closedWithin(socket: net.Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise(resolve => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

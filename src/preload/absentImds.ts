// Preloaded for "your machine" (`milab env --as local` sets MILAB_ABSENT_IMDS): a TCP connection
// to IMDS's address, 169.254.169.254:80, goes to the lab's absent-IMDS listener on loopback
// instead, where nobody answers. The SDK's probe then waits for its own timeout exactly as on a
// laptop without IMDS, and no packet ever goes to 169.254.169.254.
import type * as Net from 'node:net';

// A CommonJS require on purpose: the preload must patch the module object the app's code sees.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const net = require('node:net') as typeof Net;

const IMDS_ADDRESS = '169.254.169.254';
const target = /^127\.0\.0\.1:(\d{1,5})$/.exec(process.env['MILAB_ABSENT_IMDS'] ?? '');
const port = target ? Number(target[1]) : 0;

type ConnectOptions = { host?: unknown; port?: unknown };
const isImds = (options: ConnectOptions) => options.host === IMDS_ADDRESS && (options.port === undefined || Number(options.port) === 80);
const redirected = (options: ConnectOptions) => ({ ...options, host: '127.0.0.1', port });

if (port > 0 && port < 65536) {
  const original = net.Socket.prototype.connect;
  // net.connect() hands Socket#connect its normalized arguments ([options, callback], marked by
  // Node); code calling socket.connect() itself passes (options) or (port, host).
  net.Socket.prototype.connect = function (this: Net.Socket, ...args: unknown[]) {
    const first = args[0];
    if (Array.isArray(first) && typeof first[0] === 'object' && first[0] !== null && isImds(first[0] as ConnectOptions)) {
      first[0] = redirected(first[0] as ConnectOptions);
    } else if (typeof first === 'object' && first !== null && !Array.isArray(first) && isImds(first as ConnectOptions)) {
      args[0] = redirected(first as ConnectOptions);
    } else if ((typeof first === 'number' || typeof first === 'string') && isImds({ host: args[1], port: first })) {
      args[0] = port;
      args[1] = '127.0.0.1';
    }
    return (original as (...a: unknown[]) => Net.Socket).apply(this, args);
  } as typeof original;
}

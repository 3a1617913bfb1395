// Bench child: the machine's own limit for TDS — a bare node:tls server with a certificate
// like the lab's (RSA 2048 from the same CA code), TLS 1.2 at most as on the TDS 7.x path,
// that echoes what it reads. Prints its port and CA.
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createLab } from '../../src/engine/operations/sampleLab';
import { tlsPems } from '../../src/engine/state/tlsMaterial';

async function main(): Promise<void> {
  const lab = await createLab({ sample: false });
  const pems = tlsPems(await lab.tlsMaterial());
  const server = tls.createServer({ key: pems.key, cert: pems.cert, maxVersion: 'TLSv1.2' }, socket => {
    socket.on('data', chunk => socket.write(chunk));
    socket.on('error', () => socket.destroy());
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port, ca: pems.ca }) + '\n');
  });
}
void main();

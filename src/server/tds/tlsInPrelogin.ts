// TLS inside PRELOGIN packets, the TDS 7.x way (MS-TDS 3.3.5.1; research/tds.md §3): after
// PRELOGIN answers ENCRYPTION ON, the client's TLS handshake records arrive as the payload of
// PRELOGIN messages, and each flight of the server's must go back as exactly one PRELOGIN
// message (tedious waits for one message per flight: src/message-io.ts). When the handshake
// is done the connection carries raw TLS records, with TDS packets inside.
//
// A flight ends, for the TLS 1.2 handshake both sides are held to here, with ServerHelloDone
// (the first) or with the record after ChangeCipherSpec (the last: Finished). The server's
// 'secure' event fires before that last flight is written, so the switch to raw TLS waits
// for it, or it would go out unframed and tedious would hang.
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { duplexPair } from './duplexPair';

const RECORD_HANDSHAKE = 0x16;
const RECORD_CHANGE_CIPHER_SPEC = 0x14;
const SERVER_HELLO_DONE = 0x0e;
/** If a flight's end is never recognised, what is buffered goes anyway after this long. */
const FLIGHT_FALLBACK_MS = 200;

export interface TlsInPreLoginEvents {
  /** Sends one server flight as one PRELOGIN message. */
  sendFlight(records: Buffer): void;
  /** The handshake is done: `cleartext` carries TDS; `wire` the TLS records to and from the socket. */
  secure(cleartext: tls.TLSSocket, wire: Duplex): void;
  failed(error: Error): void;
}

export class TlsInPreLogin {
  private readonly wire: Duplex;
  private readonly cleartext: tls.TLSSocket;
  private buffered: Buffer[] = [];
  private fallback: NodeJS.Timeout | undefined;
  private handshakeDone = false;
  private sentChangeCipherSpec = false;
  private switched = false;

  constructor(
    secureContext: tls.SecureContext,
    private readonly events: TlsInPreLoginEvents,
  ) {
    const [engineSide, wire] = duplexPair();
    this.wire = wire;
    this.cleartext = new tls.TLSSocket(engineSide, { isServer: true, secureContext });
    this.cleartext.on('error', error => this.fail(error));
    this.cleartext.once('secure', () => {
      this.handshakeDone = true;
      this.flushIfFlightEnded();
      this.switchWhenDone();
    });
    wire.on('data', (chunk: Buffer) => {
      if (this.switched) return;
      this.buffered.push(chunk);
      this.flushIfFlightEnded();
      this.fallback ??= setTimeout(() => this.flush(), FLIGHT_FALLBACK_MS);
    });
  }

  /** A PRELOGIN message's payload: the client's next TLS records. */
  receive(records: Buffer): void {
    if (!this.switched) this.wire.write(records);
  }

  destroy(): void {
    clearTimeout(this.fallback);
    this.cleartext.destroy();
    this.wire.destroy();
  }

  private fail(error: Error): void {
    clearTimeout(this.fallback);
    if (!this.switched) this.events.failed(error);
  }

  private flushIfFlightEnded(): void {
    const records = Buffer.concat(this.buffered);
    if (flightEnded(records, this.handshakeDone)) this.flush();
  }

  private flush(): void {
    clearTimeout(this.fallback);
    this.fallback = undefined;
    if (this.switched || this.buffered.length === 0) return;
    const records = Buffer.concat(this.buffered);
    this.buffered = [];
    this.events.sendFlight(records);
    if (hasChangeCipherSpec(records)) this.sentChangeCipherSpec = true;
    this.switchWhenDone();
  }

  /** Raw TLS from here on: once the handshake is done and the server's last flight (with its ChangeCipherSpec) has gone. */
  private switchWhenDone(): void {
    if (this.switched || !this.handshakeDone || !this.sentChangeCipherSpec || this.buffered.length) return;
    this.switched = true;
    this.wire.removeAllListeners('data');
    this.events.secure(this.cleartext, this.wire);
  }
}

interface TlsRecord {
  type: number;
  body: Buffer;
}

/** The complete TLS records at the start of `data` (a partial record at the end is left out). */
function records(data: Buffer): TlsRecord[] {
  const out: TlsRecord[] = [];
  let at = 0;
  while (at + 5 <= data.length) {
    const length = data.readUInt16BE(at + 3);
    if (at + 5 + length > data.length) break;
    out.push({ type: data[at]!, body: data.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return out;
}

const hasChangeCipherSpec = (data: Buffer): boolean => records(data).some(r => r.type === RECORD_CHANGE_CIPHER_SPEC);

function flightEnded(data: Buffer, handshakeDone: boolean): boolean {
  const list = records(data);
  const ccs = list.findIndex(r => r.type === RECORD_CHANGE_CIPHER_SPEC);
  // The last flight: ChangeCipherSpec and the (encrypted) Finished record after it.
  if (ccs !== -1) return handshakeDone && ccs < list.length - 1;
  // The first flight ends with the handshake message ServerHelloDone (plaintext before ChangeCipherSpec).
  const handshake = Buffer.concat(list.filter(r => r.type === RECORD_HANDSHAKE).map(r => r.body));
  for (let at = 0; at + 4 <= handshake.length;) {
    if (handshake[at] === SERVER_HELLO_DONE) return true;
    at += 4 + handshake.readUIntBE(at + 1, 3);
  }
  return false;
}

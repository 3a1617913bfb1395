// Two connected in-memory streams: what one writes, the other reads. TLS inside PRELOGIN
// runs a TLS engine on one end while the lab carries its records on the other (Node 20 has
// no stream.duplexPair; tedious uses the native-duplexpair package the same way).
import { Duplex } from 'node:stream';

class Half extends Duplex {
  other!: Half;

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.other.push(chunk);
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.other.push(null);
    done();
  }

  override _read(): void {
    // Data arrives when the other half writes.
  }
}

export function duplexPair(): [Duplex, Duplex] {
  const a = new Half();
  const b = new Half();
  a.other = b;
  b.other = a;
  return [a, b];
}

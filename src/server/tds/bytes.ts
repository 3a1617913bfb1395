// Little helpers for reading and writing TDS fields: most are little-endian; B_VARCHAR is a
// one-byte character count and UTF-16LE text, US_VARCHAR a two-byte count (MS-TDS 2.2.5).
import { TdsProtocolError } from './protocol';

export class ByteWriter {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  bytes(data: Buffer): this {
    this.chunks.push(data);
    this.size += data.length;
    return this;
  }
  u8(value: number): this {
    return this.bytes(Buffer.of(value & 0xff));
  }
  u16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(value & 0xffff);
    return this.bytes(b);
  }
  u16be(value: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(value & 0xffff);
    return this.bytes(b);
  }
  u32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    return this.bytes(b);
  }
  i32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value | 0);
    return this.bytes(b);
  }
  u32be(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    return this.bytes(b);
  }
  i64(value: number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(value));
    return this.bytes(b);
  }
  u64(value: number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(Math.max(0, Math.floor(value))));
    return this.bytes(b);
  }
  /** B_VARCHAR: at most 255 characters. */
  bVarchar(text: string): this {
    const value = text.slice(0, 255);
    return this.u8(value.length).bytes(Buffer.from(value, 'utf16le'));
  }
  /** US_VARCHAR: at most 65535 characters. */
  usVarchar(text: string): this {
    const value = text.slice(0, 65535);
    return this.u16(value.length).bytes(Buffer.from(value, 'utf16le'));
  }
  get length(): number {
    return this.size;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

/** A bounds-checked reader: every read past the end is a protocol error, never an exception elsewhere. */
export class ByteReader {
  constructor(
    readonly data: Buffer,
    public at = 0,
  ) {}

  private need(count: number, what: string): void {
    if (count < 0 || this.at + count > this.data.length) throw new TdsProtocolError(`${what} runs past the end of the message`);
  }
  u8(what = 'a byte'): number {
    this.need(1, what);
    return this.data[this.at++]!;
  }
  u16(what = 'a USHORT'): number {
    this.need(2, what);
    const v = this.data.readUInt16LE(this.at);
    this.at += 2;
    return v;
  }
  u16be(what = 'a USHORT'): number {
    this.need(2, what);
    const v = this.data.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  u32(what = 'a DWORD'): number {
    this.need(4, what);
    const v = this.data.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }
  bytes(count: number, what = 'data'): Buffer {
    this.need(count, what);
    const v = this.data.subarray(this.at, this.at + count);
    this.at += count;
    return v;
  }
  /** UTF-16LE text of `bytes` bytes (an odd count is a protocol error). */
  utf16(bytes: number, what = 'text'): string {
    if (bytes % 2) throw new TdsProtocolError(`${what} has an odd number of bytes`);
    return this.bytes(bytes, what).toString('utf16le');
  }
  get remaining(): number {
    return this.data.length - this.at;
  }
}

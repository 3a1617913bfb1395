// A minimal DER (X.690) encoder: just what building X.509 certificates needs.

export type Der = Uint8Array<ArrayBuffer>;
type Bytes = Uint8Array<ArrayBuffer>;

function concat(parts: readonly Bytes[]): Bytes {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function encodeLength(length: number): Bytes {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, ...contents: readonly Bytes[]): Der {
  const body = concat(contents);
  return concat([Uint8Array.of(tag), encodeLength(body.length), body]);
}

export const sequence = (...items: readonly Der[]): Der => tlv(0x30, ...items);
export const set = (...items: readonly Der[]): Der => tlv(0x31, ...items);
export const nullValue = (): Der => Uint8Array.of(0x05, 0x00);
export const boolean = (value: boolean): Der => Uint8Array.of(0x01, 0x01, value ? 0xff : 0x00);
export const octetString = (bytes: Bytes): Der => tlv(0x04, bytes);
export const utf8String = (text: string): Der => tlv(0x0c, new TextEncoder().encode(text));
export const ia5String = (text: string): Der => tlv(0x16, new TextEncoder().encode(text));
/** `[n] EXPLICIT`: wraps a complete element. */
export const explicit = (tagNumber: number, inner: Der): Der => tlv(0xa0 | tagNumber, inner);
/** `[n] IMPLICIT` for a primitive value: replaces the tag of its contents. */
export const implicitPrimitive = (tagNumber: number, contents: Bytes): Der => tlv(0x80 | tagNumber, contents);

/** A non-negative INTEGER from big-endian unsigned bytes. */
export function unsignedInteger(bytes: Bytes): Der {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const needsPad = (trimmed[0] ?? 0) & 0x80;
  return tlv(0x02, needsPad ? Uint8Array.of(0, ...trimmed) : trimmed);
}

export const smallInteger = (value: number): Der => unsignedInteger(Uint8Array.of(value));

/** BIT STRING whose bits are given most significant first; trailing zero bits are dropped (DER). */
export function namedBitString(bits: readonly number[]): Der {
  const highest = Math.max(...bits);
  const byteCount = Math.floor(highest / 8) + 1;
  const bytes = new Uint8Array(byteCount);
  for (const bit of bits) bytes[Math.floor(bit / 8)]! |= 0x80 >> (bit % 8);
  const unusedBits = byteCount * 8 - 1 - highest;
  return tlv(0x03, Uint8Array.of(unusedBits), bytes);
}

export const bitStringOfBytes = (bytes: Bytes): Der => tlv(0x03, Uint8Array.of(0), bytes);

export function objectIdentifier(dotted: string): Der {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const out: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [];
    let value = arc;
    do {
      chunk.unshift(value & 0x7f);
      value = Math.floor(value / 128);
    } while (value > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** UTCTime for 1950–2049 and GeneralizedTime otherwise, as RFC 5280 §4.1.2.5 requires. */
export function time(date: Date): Der {
  const pad = (n: number) => String(n).padStart(2, '0');
  const rest =
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds()) +
    'Z';
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, new TextEncoder().encode(pad(year % 100) + rest));
  return tlv(0x18, new TextEncoder().encode(String(year) + rest));
}

export { concat };

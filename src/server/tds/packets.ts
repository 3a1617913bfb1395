// TDS framing (MS-TDS 2.2.3.1): every message is one or more packets, each with an 8-byte
// header — type, status (EOM on the last packet), length (big-endian, header included),
// SPID, packet id, window. The reader reassembles messages and refuses what a server must
// not accept: a length shorter than the header or longer than the negotiated packet size,
// a message whose packets change type, a message larger than the lab reads.
import { HEADER_LENGTH, MAX_PACKET_SIZE, PacketType, Status, TdsProtocolError } from './protocol';

const KNOWN_TYPES = new Set<number>(Object.values(PacketType));

export interface TdsMessage {
  type: number;
  /** The status of the message's last packet (EOM, and IGNORE when the client abandoned it). */
  status: number;
  payload: Buffer;
}

export class MessageReader {
  private pending: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private size = 0;
  private type: number | undefined;
  /** The largest packet accepted: MAX_PACKET_SIZE until LOGIN7 negotiates a size. */
  packetLimit = MAX_PACKET_SIZE;

  /** `maxMessageBytes(type)`: how large a message of that type may grow. */
  constructor(private readonly maxMessageBytes: (type: number) => number) {}

  /** Feeds bytes from the wire; returns the messages they complete. Throws TdsProtocolError. */
  push(chunk: Buffer): TdsMessage[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const messages: TdsMessage[] = [];
    while (this.pending.length >= HEADER_LENGTH) {
      const type = this.pending[0]!;
      const status = this.pending[1]!;
      const length = this.pending.readUInt16BE(2);
      // Garbage is refused at its first header, not after waiting for a length it made up.
      if (!KNOWN_TYPES.has(type)) throw new TdsProtocolError(`0x${type.toString(16)} is not a TDS packet type`);
      if (length < HEADER_LENGTH) throw new TdsProtocolError(`a packet length of ${length} is shorter than its header`);
      if (length > this.packetLimit) {
        throw new TdsProtocolError(`a packet of ${length} bytes is larger than the packet size (${this.packetLimit})`);
      }
      if (this.type !== undefined && type !== this.type) {
        throw new TdsProtocolError(`a packet of type 0x${type.toString(16)} inside a message of type 0x${this.type.toString(16)}`);
      }
      if (this.pending.length < length) break;
      const data = this.pending.subarray(HEADER_LENGTH, length);
      this.pending = this.pending.subarray(length);
      this.type = type;
      this.size += data.length;
      if (this.size > this.maxMessageBytes(type)) {
        throw new TdsProtocolError(`a message of type 0x${type.toString(16)} larger than ${this.maxMessageBytes(type)} bytes`);
      }
      this.parts.push(data);
      if (status & Status.EndOfMessage) {
        messages.push({ type, status, payload: this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts) });
        this.parts = [];
        this.size = 0;
        this.type = undefined;
      }
    }
    return messages;
  }

  /** Bytes received but not yet part of a packet (handed on when the stream switches to raw TLS). */
  takeRemainder(): Buffer {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest;
  }

  /** Whether a message is half received (its first packets are in, its last is not). */
  get inMessage(): boolean {
    return this.type !== undefined || this.pending.length > 0;
  }
}

/** Splits a message into packets of at most `packetSize` bytes, EOM on the last, packet ids counting from 1. */
export function encodeMessage(type: number, payload: Buffer, packetSize: number, spid: number): Buffer {
  const room = packetSize - HEADER_LENGTH;
  const count = Math.max(1, Math.ceil(payload.length / room));
  const out = Buffer.alloc(payload.length + count * HEADER_LENGTH);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const data = payload.subarray(i * room, (i + 1) * room);
    out[at] = type;
    out[at + 1] = i === count - 1 ? Status.EndOfMessage : 0;
    out.writeUInt16BE(data.length + HEADER_LENGTH, at + 2);
    out.writeUInt16BE(spid & 0xffff, at + 4);
    out[at + 6] = (i + 1) & 0xff;
    out[at + 7] = 0;
    data.copy(out, at + HEADER_LENGTH);
    at += data.length + HEADER_LENGTH;
  }
  return out;
}

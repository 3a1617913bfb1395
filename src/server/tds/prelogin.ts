// PRELOGIN (MS-TDS 2.2.6.5): a table of 5-byte option entries — token, then offset and length
// (big-endian, counted from the payload's start) — ended by 0xFF, then the option data. The
// lab reads ENCRYPTION, VERSION and FEDAUTHREQUIRED; it answers VERSION, ENCRYPTION, INSTOPT,
// THREADID (empty), MARS (off) and FEDAUTHREQUIRED, and never NONCEOPT (tedious would not echo
// a nonce: research/tds.md §2).
import { ByteReader, ByteWriter } from './bytes';
import { PreLoginOption, SERVER_VERSION, TdsProtocolError } from './protocol';

export interface PreLogin {
  encryption?: number;
  /** The client's version (tedious puts its own package version here). */
  version?: string;
  fedAuthRequired?: number;
}

const MAX_OPTIONS = 32;

export function parsePreLogin(payload: Buffer): PreLogin {
  const reader = new ByteReader(payload);
  const options = new Map<number, Buffer>();
  for (let count = 0; ; count++) {
    if (count > MAX_OPTIONS) throw new TdsProtocolError('PRELOGIN has too many options');
    const token = reader.u8('the PRELOGIN option table');
    if (token === PreLoginOption.Terminator) break;
    const offset = reader.u16be('a PRELOGIN option offset');
    const length = reader.u16be('a PRELOGIN option length');
    if (offset + length > payload.length) throw new TdsProtocolError(`PRELOGIN option 0x${token.toString(16)} points past the payload`);
    options.set(token, payload.subarray(offset, offset + length));
  }
  const result: PreLogin = {};
  const encryption = options.get(PreLoginOption.Encryption);
  if (encryption?.length) result.encryption = encryption[0]!;
  const version = options.get(PreLoginOption.Version);
  if (version && version.length >= 6) result.version = `${version[0]}.${version[1]}.${version.readUInt16BE(2)}.${version.readUInt16BE(4)}`;
  const fedAuth = options.get(PreLoginOption.FedAuthRequired);
  if (fedAuth?.length) result.fedAuthRequired = fedAuth[0]!;
  return result;
}

/** The server's PRELOGIN answer. `fedAuthRequired` 0x01 makes tedious echo it in LOGIN7's FEDAUTH byte. */
export function preLoginResponse(encryption: number): Buffer {
  const version = new ByteWriter()
    .u8(SERVER_VERSION.major)
    .u8(SERVER_VERSION.minor)
    .u16be(SERVER_VERSION.build)
    .u16be(SERVER_VERSION.subBuild)
    .toBuffer();
  const options: Array<[number, Buffer]> = [
    [PreLoginOption.Version, version],
    [PreLoginOption.Encryption, Buffer.of(encryption)],
    [PreLoginOption.InstOpt, Buffer.of(0x00)],
    [PreLoginOption.ThreadId, Buffer.alloc(0)],
    [PreLoginOption.Mars, Buffer.of(0x00)],
    [PreLoginOption.FedAuthRequired, Buffer.of(0x01)],
  ];
  const table = new ByteWriter();
  const data = new ByteWriter();
  let offset = options.length * 5 + 1;
  for (const [token, value] of options) {
    table.u8(token).u16be(offset).u16be(value.length);
    data.bytes(value);
    offset += value.length;
  }
  table.u8(PreLoginOption.Terminator);
  return Buffer.concat([table.toBuffer(), data.toBuffer()]);
}

// LOGIN7 (MS-TDS 2.2.6.4): a 94-byte fixed part (little-endian) with (offset, length) pairs
// for the strings (UTF-16LE, lengths in characters), then the FeatureExt block that
// `ibExtension` points to (through a DWORD: tedious 19 puts the block after the strings,
// src/login7-payload.ts). The lab reads the names, the database, and FEDAUTH: a security
// token inline (library 1, tedious's azure-active-directory-access-token) or the ADAL/MSAL
// workflow (library 2: msi-vm and default), after which the server asks for the token.
// Passwords are never decoded or kept: only whether one was sent.
import { ByteReader } from './bytes';
import { Feature, FedAuthLibrary, TdsProtocolError } from './protocol';

export interface FedAuth {
  library: number;
  /** fFedAuthEcho: the client echoes the server's FEDAUTHREQUIRED. */
  echo: boolean;
  /** Library 1: the access token. */
  token?: string;
  /** Library 2: the workflow (0x01 user/password, 0x02 integrated, which tedious sends). */
  workflow?: number;
}

export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  clientPid: number;
  hostName: string;
  userName: string;
  hasPassword: boolean;
  appName: string;
  serverName: string;
  libraryName: string;
  language: string;
  database: string;
  /** Windows integrated security (SSPI), which Azure SQL Database cannot use. */
  integratedSecurity: boolean;
  fedAuth?: FedAuth;
  features: number[];
}

const FIXED_LENGTH = 94;
/** Names are at most 128 characters (MS-TDS 2.2.6.4); the lab refuses longer ones. */
const MAX_NAME = 128;
const MAX_FEATURES = 16;
/** An Entra access token is a few kilobytes; 32 KB of UTF-16 is far more than any. */
export const MAX_TOKEN_BYTES = 32 * 1024;

export function parseLogin7(payload: Buffer): Login7 {
  if (payload.length < FIXED_LENGTH) throw new TdsProtocolError(`LOGIN7 is ${payload.length} bytes, shorter than its fixed part`);
  const fixed = new ByteReader(payload);
  const declared = fixed.u32();
  if (declared !== payload.length) throw new TdsProtocolError(`LOGIN7 says it is ${declared} bytes long but is ${payload.length}`);
  const tdsVersion = fixed.u32();
  const packetSize = fixed.u32();
  fixed.u32(); // ClientProgVer
  const clientPid = fixed.u32();
  fixed.u32(); // ConnectionID
  fixed.u8(); // OptionFlags1
  const optionFlags2 = fixed.u8();
  fixed.u8(); // TypeFlags
  const optionFlags3 = fixed.u8();
  const text = (at: number, what: string, limit = MAX_NAME): string => {
    const offset = payload.readUInt16LE(at);
    const chars = payload.readUInt16LE(at + 2);
    if (chars > limit) throw new TdsProtocolError(`LOGIN7 ${what} is ${chars} characters long (at most ${limit})`);
    if (offset + chars * 2 > payload.length) throw new TdsProtocolError(`LOGIN7 ${what} points past the payload`);
    return payload.toString('utf16le', offset, offset + chars * 2);
  };
  const passwordChars = payload.readUInt16LE(46);
  if (payload.readUInt16LE(44) + passwordChars * 2 > payload.length) throw new TdsProtocolError('LOGIN7 password points past the payload');
  const login: Login7 = {
    tdsVersion,
    packetSize,
    clientPid,
    hostName: text(36, 'host name'),
    userName: text(40, 'user name'),
    hasPassword: passwordChars > 0,
    appName: text(48, 'application name'),
    serverName: text(52, 'server name'),
    libraryName: text(60, 'client library name'),
    language: text(64, 'language'),
    database: text(68, 'database'),
    integratedSecurity: (optionFlags2 & 0x80) !== 0 || payload.readUInt16LE(80) > 0,
    features: [],
  };
  // fExtension (OptionFlags3 bit 0x10): ibExtension points to a DWORD, the FeatureExt block's offset.
  if (optionFlags3 & 0x10) {
    const ib = payload.readUInt16LE(56);
    const cb = payload.readUInt16LE(58);
    if (cb >= 4) {
      if (ib + 4 > payload.length) throw new TdsProtocolError('LOGIN7 ibExtension points past the payload');
      readFeatures(payload, payload.readUInt32LE(ib), login);
    }
  }
  return login;
}

function readFeatures(payload: Buffer, offset: number, login: Login7): void {
  if (offset >= payload.length) throw new TdsProtocolError('LOGIN7 FeatureExt points past the payload');
  const reader = new ByteReader(payload, offset);
  for (;;) {
    const id = reader.u8('the FeatureExt block');
    if (id === Feature.Terminator) return;
    if (login.features.length >= MAX_FEATURES) throw new TdsProtocolError('LOGIN7 has too many features');
    const data = reader.bytes(reader.u32('a FeatureDataLen'), 'a feature');
    login.features.push(id);
    if (id === Feature.FedAuth) login.fedAuth = readFedAuth(data);
  }
}

/** FEDAUTH's first byte is (library << 1) | fFedAuthEcho (MS-TDS 2.2.6.4, FEDAUTH feature). */
function readFedAuth(data: Buffer): FedAuth {
  const reader = new ByteReader(data);
  const options = reader.u8('the FEDAUTH options');
  const fedAuth: FedAuth = { library: options >> 1, echo: (options & 1) === 1 };
  if (fedAuth.library === FedAuthLibrary.SecurityToken) {
    const length = reader.u32('FedAuthTokenLen');
    if (length > MAX_TOKEN_BYTES) throw new TdsProtocolError(`a FEDAUTH token of ${length} bytes`);
    fedAuth.token = reader.utf16(length, 'the FEDAUTH token');
  } else if (fedAuth.library === FedAuthLibrary.Adal) {
    fedAuth.workflow = reader.u8('the FEDAUTH workflow');
  }
  return fedAuth;
}

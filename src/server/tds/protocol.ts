// The TDS constants the lab speaks, by their MS-TDS names (section numbers as in the current
// online MS-TDS: packet header 2.2.3.1, PRELOGIN 2.2.6.5, LOGIN7 2.2.6.4, tokens 2.2.7.x).

/** Packet types (MS-TDS 2.2.3.1.1). */
export const PacketType = {
  SqlBatch: 0x01,
  Rpc: 0x03,
  TabularResult: 0x04,
  Attention: 0x06,
  BulkLoad: 0x07,
  FedAuthToken: 0x08,
  TransactionManager: 0x0e,
  Login7: 0x10,
  Sspi: 0x11,
  PreLogin: 0x12,
} as const;

/** Packet header status bits (MS-TDS 2.2.3.1.2). */
export const Status = { EndOfMessage: 0x01, Ignore: 0x02 } as const;

export const HEADER_LENGTH = 8;
/** The largest packet a client may send before and after negotiation (LOGIN7 PacketSize's maximum). */
export const MAX_PACKET_SIZE = 32767;
export const MIN_PACKET_SIZE = 512;
export const DEFAULT_PACKET_SIZE = 4096;

/** PRELOGIN ENCRYPTION values (MS-TDS 2.2.6.5). Azure SQL requires encryption: it answers REQ to a client that offers none. */
export const Encryption = { Off: 0x00, On: 0x01, NotSupported: 0x02, Required: 0x03 } as const;

/** PRELOGIN option tokens. */
export const PreLoginOption = {
  Version: 0x00,
  Encryption: 0x01,
  InstOpt: 0x02,
  ThreadId: 0x03,
  Mars: 0x04,
  TraceId: 0x05,
  FedAuthRequired: 0x06,
  NonceOpt: 0x07,
  Terminator: 0xff,
} as const;

/** LOGIN7 FeatureExt feature ids and the FEDAUTH libraries (MS-TDS 2.2.6.4). */
export const Feature = { FedAuth: 0x02, Utf8Support: 0x0a, Terminator: 0xff } as const;
export const FedAuthLibrary = { SecurityToken: 0x01, Adal: 0x02 } as const;

/** Token types of a tabular result (MS-TDS 2.2.7). */
export const Token = {
  ColMetadata: 0x81,
  ReturnStatus: 0x79,
  Error: 0xaa,
  Info: 0xab,
  LoginAck: 0xad,
  FeatureExtAck: 0xae,
  Row: 0xd1,
  EnvChange: 0xe3,
  FedAuthInfo: 0xee,
  Done: 0xfd,
  DoneProc: 0xfe,
  DoneInProc: 0xff,
} as const;

export const EnvChangeType = { Database: 1, Language: 2, PacketSize: 4, Collation: 7 } as const;

/** DONE status bits (MS-TDS 2.2.7.6). */
export const DoneStatus = { Final: 0x0000, More: 0x0001, Error: 0x0002, Count: 0x0010, Attention: 0x0020 } as const;

/** DONE CurCmd values SQL Server uses (tedious ignores them). */
export const CurCmd = { None: 0x00, Select: 0xc1, Insert: 0xc3, Execute: 0xe0 } as const;

/** TDS 7.4, the version LOGINACK confirms (tedious reads it big-endian: src/token/loginack-token-parser.ts). */
export const TDS_7_4 = 0x74000004;

/** The server version PRELOGIN and LOGINACK report: Azure SQL Database's 12.0.2000.8 (its @@VERSION; the bytes Azure sends are unverified). */
export const SERVER_VERSION = { major: 12, minor: 0, build: 2000, subBuild: 8 } as const;

/** SQL_Latin1_General_CP1_CI_AS, Azure SQL's default collation: LCID 0x0409, flags CI/AS, sort id 52 (MS-TDS 2.2.5.1.2). */
export const DEFAULT_COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

/** sp_executesql's well-known procedure id in an RPC request (MS-TDS 2.2.6.6), and the others by id. */
export const PROC_IDS: Readonly<Record<number, string>> = {
  1: 'sp_cursor',
  2: 'sp_cursoropen',
  3: 'sp_cursorprepare',
  4: 'sp_cursorexecute',
  5: 'sp_cursorprepexec',
  6: 'sp_cursorunprepare',
  7: 'sp_cursorfetch',
  8: 'sp_cursoroption',
  9: 'sp_cursorclose',
  10: 'sp_executesql',
  11: 'sp_prepare',
  12: 'sp_execute',
  13: 'sp_prepexec',
  14: 'sp_prepexecrpc',
  15: 'sp_unprepare',
};

/** A violation of the protocol: the lab closes the connection, as SQL Server does. */
export class TdsProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TdsProtocolError';
  }
}

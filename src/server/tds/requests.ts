// What a logged-in client sends: SQL batches (MS-TDS 2.2.6.7), RPC requests (2.2.6.6 — mssql's
// `query()` runs every statement as sp_executesql, research/tds.md §7) and, in the ADAL/MSAL
// workflow, the FEDAUTH_TOKEN message (2.2.6.3). Each starts (TDS 7.2 and later) with
// ALL_HEADERS (2.2.5.3), whose first DWORD is its total length.
import { ByteReader } from './bytes';
import { PROC_IDS, TdsProtocolError } from './protocol';
import { MAX_TOKEN_BYTES } from './login7';

function afterAllHeaders(payload: Buffer): number {
  if (payload.length < 4) throw new TdsProtocolError('a request without ALL_HEADERS');
  const total = payload.readUInt32LE(0);
  if (total < 4 || total > payload.length) {
    throw new TdsProtocolError(`ALL_HEADERS says ${total} bytes in a ${payload.length}-byte request`);
  }
  return total;
}

export function parseSqlBatch(payload: Buffer): string {
  const start = afterAllHeaders(payload);
  if ((payload.length - start) % 2) throw new TdsProtocolError('a SQL batch with an odd number of bytes');
  return payload.toString('utf16le', start);
}

export interface RpcRequest {
  procedure: string;
  /** sp_executesql's @statement. */
  statement?: string;
  /** Parameters besides @statement (@params and its values), which the lab does not bind. */
  otherParameters: number;
}

/** The first RPC of a request: its procedure and, for sp_executesql, the statement (NVARCHAR or NVARCHAR(MAX)). */
export function parseRpc(payload: Buffer): RpcRequest {
  const reader = new ByteReader(payload, afterAllHeaders(payload));
  const nameLength = reader.u16('the procedure name');
  const procedure =
    nameLength === 0xffff
      ? (PROC_IDS[reader.u16('the procedure id')] ?? 'an unknown procedure')
      : reader.utf16(nameLength * 2, 'the procedure name');
  reader.u16('the RPC option flags');
  const request: RpcRequest = { procedure, otherParameters: 0 };
  if (procedure.toLowerCase() !== 'sp_executesql' || reader.remaining === 0) return request;
  reader.utf16(reader.u8('a parameter name') * 2, 'a parameter name');
  reader.u8('the parameter status');
  const type = reader.u8('the parameter type');
  if (type !== 0xe7 && type !== 0xef) {
    throw new TdsProtocolError(`sp_executesql's @statement has type 0x${type.toString(16)}, not NVARCHAR`);
  }
  const maxLength = reader.u16('the parameter length');
  reader.bytes(5, 'the parameter collation');
  if (maxLength === 0xffff) {
    // PLP (MS-TDS 2.2.5.2.3): a ULONGLONG total, then chunks (ULONG length, bytes) up to a zero length.
    reader.bytes(8, 'the PLP length');
    const chunks: Buffer[] = [];
    for (let length = reader.u32('a PLP chunk'); length !== 0; length = reader.u32('a PLP chunk')) {
      chunks.push(reader.bytes(length, 'a PLP chunk'));
    }
    const text = Buffer.concat(chunks);
    if (text.length % 2) throw new TdsProtocolError('an NVARCHAR(MAX) statement with an odd number of bytes');
    request.statement = text.toString('utf16le');
  } else {
    const length = reader.u16('the parameter value');
    request.statement = length === 0xffff ? '' : reader.utf16(length, 'the statement');
  }
  // The lab counts further parameters without reading them: a remaining byte means there are some.
  request.otherParameters = reader.remaining > 0 ? 1 : 0;
  return request;
}

/** FEDAUTH_TOKEN: DataLen, then TokenLen and the token (UTF-16LE), then an optional nonce. */
export function parseFedAuthToken(payload: Buffer): string {
  const reader = new ByteReader(payload);
  const dataLength = reader.u32('the FEDAUTH_TOKEN length');
  if (dataLength > payload.length - 4) throw new TdsProtocolError('FEDAUTH_TOKEN says more data than it carries');
  const tokenLength = reader.u32('the token length');
  if (tokenLength > MAX_TOKEN_BYTES || tokenLength > dataLength - 4) throw new TdsProtocolError(`a FEDAUTH token of ${tokenLength} bytes`);
  return reader.utf16(tokenLength, 'the token');
}

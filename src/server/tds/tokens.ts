// The tokens of a tabular result (MS-TDS 2.2.7), written as tedious reads them
// (src/token/*-parser.ts): ENVCHANGE, INFO/ERROR, LOGINACK, FEATUREEXTACK, FEDAUTHINFO,
// COLMETADATA/ROW with the column types the lab's tables have, DONE/DONEPROC/DONEINPROC.
// tedious treats an unknown token as fatal, so nothing else is ever sent.
import { ByteWriter } from './bytes';
import { DEFAULT_COLLATION, EnvChangeType, Feature, SERVER_VERSION, TDS_7_4, Token } from './protocol';
import type { SqlColumn, SqlValue } from '../../engine/services/sql/types';

/** The largest NVARCHAR a column announces (4,000 characters; longer needs PLP, which the lab does not send). */
const MAX_NVARCHAR_BYTES = 8000;

export class ResponseWriter {
  private readonly out = new ByteWriter();

  constructor(
    /** The logical server's short name, as ERROR and INFO carry it. */
    private readonly serverName: string,
  ) {}

  /** ENVCHANGE with B_VARCHAR values (database, language, packet size). */
  envChange(type: number, value: string, old: string): this {
    const body = new ByteWriter().u8(type).bVarchar(value).bVarchar(old).toBuffer();
    this.out.u8(Token.EnvChange).u16(body.length).bytes(body);
    return this;
  }

  /** ENVCHANGE 7: the collation, B_VARBYTE new (5 bytes) and old (none). */
  collation(): this {
    const body = new ByteWriter().u8(EnvChangeType.Collation).u8(DEFAULT_COLLATION.length).bytes(DEFAULT_COLLATION).u8(0).toBuffer();
    this.out.u8(Token.EnvChange).u16(body.length).bytes(body);
    return this;
  }

  private message(token: number, number: number, state: number, severity: number, text: string): this {
    const body = new ByteWriter()
      .i32(number)
      .u8(state)
      .u8(severity)
      .usVarchar(text)
      .bVarchar(this.serverName)
      .bVarchar('')
      .i32(1)
      .toBuffer();
    this.out.u8(token).u16(body.length).bytes(body);
    return this;
  }

  info(number: number, state: number, text: string): this {
    return this.message(Token.Info, number, state, 0, text);
  }

  error(number: number, state: number, severity: number, text: string): this {
    return this.message(Token.Error, number, state, severity, text);
  }

  /** LOGINACK: interface SQL_TSQL, TDS 7.4 (big-endian, as tedious reads it), "Microsoft SQL Server" and its version. */
  loginAck(): this {
    const body = new ByteWriter()
      .u8(0x01)
      .u32be(TDS_7_4)
      .bVarchar('Microsoft SQL Server')
      .u8(SERVER_VERSION.major)
      .u8(SERVER_VERSION.minor)
      .u8(SERVER_VERSION.build >> 8)
      .u8(SERVER_VERSION.build & 0xff)
      .toBuffer();
    this.out.u8(Token.LoginAck).u16(body.length).bytes(body);
    return this;
  }

  /** FEATUREEXTACK: FEDAUTH acknowledged with no data (no nonce was sent), UTF-8 support on. */
  featureExtAck(features: readonly number[]): this {
    this.out.u8(Token.FeatureExtAck);
    if (features.includes(Feature.FedAuth)) this.out.u8(Feature.FedAuth).u32(0);
    if (features.includes(Feature.Utf8Support)) this.out.u8(Feature.Utf8Support).u32(1).u8(0x01);
    this.out.u8(Feature.Terminator);
    return this;
  }

  /** FEDAUTHINFO: where to get a token (STSURL) and for what (SPN); offsets count from CountOfInfoIDs. */
  fedAuthInfo(stsUrl: string, spn: string): this {
    const sts = Buffer.from(stsUrl, 'utf16le');
    const resource = Buffer.from(spn, 'utf16le');
    const header = 4 + 2 * 9;
    const body = new ByteWriter()
      .u32(2)
      .u8(0x01)
      .u32(sts.length)
      .u32(header)
      .u8(0x02)
      .u32(resource.length)
      .u32(header + sts.length)
      .bytes(sts)
      .bytes(resource)
      .toBuffer();
    this.out.u8(Token.FedAuthInfo).u32(body.length).bytes(body);
    return this;
  }

  columns(columns: readonly SqlColumn[], rows: readonly SqlValue[][]): this {
    this.out.u8(Token.ColMetadata).u16(columns.length);
    const widths = columns.map((c, i) => nvarcharBytes(c, rows, i));
    columns.forEach((column, i) => {
      this.out.u32(0).u16(column.nullable ? 0x0001 : 0x0000);
      switch (column.type) {
        case 'int':
          if (column.nullable) this.out.u8(0x26).u8(4);
          else this.out.u8(0x38);
          break;
        case 'bigint':
          if (column.nullable) this.out.u8(0x26).u8(8);
          else this.out.u8(0x7f);
          break;
        case 'bit':
          if (column.nullable) this.out.u8(0x68).u8(1);
          else this.out.u8(0x32);
          break;
        case 'nvarchar':
          this.out.u8(0xe7).u16(widths[i]!).bytes(DEFAULT_COLLATION);
          break;
      }
      this.out.bVarchar(column.name.slice(0, 128));
    });
    for (const row of rows) {
      this.out.u8(Token.Row);
      columns.forEach((column, i) => this.value(column, row[i] ?? null, widths[i]!));
    }
    return this;
  }

  private value(column: SqlColumn, value: SqlValue, width: number): void {
    switch (column.type) {
      case 'int':
      case 'bigint': {
        const size = column.type === 'int' ? 4 : 8;
        const number = typeof value === 'number' ? value : Number(value);
        if (column.nullable) {
          if (value === null || !Number.isFinite(number)) return void this.out.u8(0);
          this.out.u8(size);
        }
        if (size === 4) this.out.i32(Number.isFinite(number) ? number : 0);
        else this.out.i64(Number.isFinite(number) ? Math.trunc(number) : 0);
        return;
      }
      case 'bit':
        if (column.nullable) {
          if (value === null) return void this.out.u8(0);
          this.out.u8(1);
        }
        this.out.u8(value ? 1 : 0);
        return;
      case 'nvarchar': {
        if (value === null) return void this.out.u16(0xffff);
        const bytes = Buffer.from(String(value), 'utf16le').subarray(0, width);
        this.out.u16(bytes.length).bytes(bytes);
        return;
      }
    }
  }

  done(status: number, curCmd: number, rowCount = 0, token: number = Token.Done): this {
    this.out.u8(token).u16(status).u16(curCmd).u64(rowCount);
    return this;
  }

  returnStatus(value: number): this {
    this.out.u8(Token.ReturnStatus).i32(value);
    return this;
  }

  get length(): number {
    return this.out.length;
  }

  toBuffer(): Buffer {
    return this.out.toBuffer();
  }
}

/** An NVARCHAR column's width in bytes: its declared length, or wider when a value needs it, up to 8,000. */
function nvarcharBytes(column: SqlColumn, rows: readonly SqlValue[][], index: number): number {
  if (column.type !== 'nvarchar') return 0;
  let width = 2 * Math.max(1, column.length ?? 1);
  for (const row of rows) {
    const v = row[index];
    if (v !== null && v !== undefined) width = Math.max(width, 2 * String(v).length);
  }
  return Math.min(width, MAX_NVARCHAR_BYTES) & ~1;
}

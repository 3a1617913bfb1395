// One TDS connection, from PRELOGIN to close (MS-TDS 3.3 — the server's states: initial, TLS
// negotiation, login, logged in). The protocol is this file's; every decision — who the token
// is, what a statement does — is the engine's (engine/services/sql), as for the JSON door.
//
//   PRELOGIN ──(ENCRYPTION ON: TLS inside PRELOGIN; TDS 8.0 strict: TLS came first)──▶ LOGIN7
//   LOGIN7 with FEDAUTH: a token inline (library 1) → decision; the ADAL/MSAL workflow
//   (library 2) → FEDAUTHINFO ─▶ the driver asks IMDS ─▶ FEDAUTH_TOKEN → decision
//   then SQL batches and RPCs (mssql's query() is sp_executesql), ATTENTION, close.
import { sqlRefusal } from '../../engine/services/sql/refusal';
import type { Duplex } from 'node:stream';
import type * as tls from 'node:tls';
import type { EndpointContext } from '../context';
import type { OpenFlow } from '../flows';
import { hostOfToken } from '../services/bearer';
import { encodeMessage, MessageReader, type TdsMessage } from './packets';
import { parsePreLogin, preLoginResponse } from './prelogin';
import { parseLogin7, type Login7 } from './login7';
import { parseFedAuthToken, parseRpc, parseSqlBatch } from './requests';
import { ResponseWriter } from './tokens';
import { TlsInPreLogin } from './tlsInPrelogin';
import { SessionTrace } from './sessionTrace';
import { momentOf } from '../../engine/base/clock';
import {
  CurCmd,
  DEFAULT_PACKET_SIZE,
  DoneStatus,
  Encryption,
  EnvChangeType,
  FedAuthLibrary,
  MAX_PACKET_SIZE,
  MIN_PACKET_SIZE,
  PacketType,
  Status,
  TdsProtocolError,
  Token,
} from './protocol';
import { loginWithAccessToken, loginWithPassword, SQL_RESOURCE, type SqlLogin } from '../../engine/services/sql/login';
import { executeBatch } from '../../engine/services/sql/batch';
import { SqlError } from '../../engine/services/sql/sqlError';
import { LAB_ERROR_NUMBER, MSG } from '../../engine/services/sql/messages';
import type { SqlSession, StatementResult } from '../../engine/services/sql/types';
import { sqlServerForHostName } from '../../engine/services/sql/servers';

export interface TdsSessionOptions {
  ctx: EndpointContext;
  /** For TLS inside PRELOGIN: the lab's certificate, TLS 1.2 at most (tedious caps it there too). */
  secureContext: tls.SecureContext;
  spid: number;
  /** PRELOGIN to LOGINACK must not take longer (a half-open connection is closed). */
  loginTimeoutMs: number;
  /** `strict`: TDS 8.0, the socket is already TLS (ALPN tds/8.0). */
  strict?: { protocol: string; alpn: string; servername: string };
  onClose(): void;
}

type State = 'prelogin' | 'tls' | 'login' | 'fedauth' | 'ready' | 'closed';

/** How large a message of each type may be (the lab's limits; SQL Server's are larger). */
function maxMessageBytes(type: number): number {
  switch (type) {
    case PacketType.PreLogin:
      return 16 * 1024;
    case PacketType.Login7:
    case PacketType.FedAuthToken:
      return 64 * 1024;
    default:
      return 1024 * 1024;
  }
}

const ENCRYPTION_NAMES: Record<number, string> = { 0: 'OFF', 1: 'ON', 2: 'NOT_SUP', 3: 'REQ' };
const encryptionName = (value: number | undefined) =>
  value === undefined ? 'absent' : (ENCRYPTION_NAMES[value & 0x0f] ?? `0x${value.toString(16)}`);

/** The token's header and claims for the trace; never its signature. */
function decodeToken(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } | undefined {
  const [header, claims] = token.split('.');
  try {
    return {
      header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
      claims: JSON.parse(Buffer.from(claims ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
    };
  } catch {
    return undefined;
  }
}

export class TdsSession {
  private state: State = 'prelogin';
  private out: Duplex;
  private reader = new MessageReader(maxMessageBytes);
  private packetSize = DEFAULT_PACKET_SIZE;
  private trace: SessionTrace | undefined;
  private tls: TlsInPreLogin | undefined;
  private login7: Login7 | undefined;
  private sql: SqlSession | undefined;
  /** The logged-in token's claims, for the facts a refused statement leaves in the trace. */
  private claims: Readonly<Record<string, unknown>> | undefined;
  private serverName = '';
  private sni = '';
  private flow: OpenFlow | undefined;
  private queue: Promise<void> = Promise.resolve();
  private running: { cancelled: boolean; wake(): void } | undefined;
  private readonly loginTimer: NodeJS.Timeout;
  private readonly onBytes = (chunk: Buffer) => this.receive(chunk);

  constructor(
    private readonly socket: Duplex,
    private readonly options: TdsSessionOptions,
  ) {
    this.out = socket;
    if (options.strict) this.sni = options.strict.servername;
    this.loginTimer = setTimeout(() => this.timedOut(), options.loginTimeoutMs);
    this.loginTimer.unref();
    socket.on('data', this.onBytes);
    socket.on('error', () => this.close('the connection failed'));
    socket.once('close', () => this.close('the client closed the connection'));
  }

  private get lab() {
    return this.options.ctx.lab;
  }

  private receive(chunk: Buffer): void {
    if (this.state === 'closed') return;
    let messages: TdsMessage[];
    try {
      messages = this.reader.push(chunk);
    } catch (error) {
      return this.protocolError(error);
    }
    for (const message of messages) {
      // Attention must reach a request that is still running (waiting in WAITFOR), so it skips the queue.
      if (message.type === PacketType.Attention && this.state === 'ready') {
        this.attention();
        continue;
      }
      this.queue = this.queue.then(() => this.handle(message)).catch(error => this.protocolError(error));
    }
  }

  private async handle(message: TdsMessage): Promise<void> {
    const expect = (type: number, what: string) => {
      if (message.type !== type) throw new TdsProtocolError(`expected ${what}, received a message of type 0x${message.type.toString(16)}`);
    };
    switch (this.state) {
      case 'prelogin':
        expect(PacketType.PreLogin, 'PRELOGIN');
        return this.preLogin(message.payload);
      case 'tls':
        if (message.type === PacketType.Login7) {
          this.trace?.request('LOGIN7 without TLS');
          this.trace?.note('Azure SQL requires encryption: LOGIN7 must come inside TLS. Connection closed.', {
            failed: true,
            errorCode: 'EncryptionRequired',
          });
          return this.close('LOGIN7 without encryption', true);
        }
        expect(PacketType.PreLogin, 'a TLS handshake in PRELOGIN');
        return this.tlsRecords(message.payload);
      case 'login':
        expect(PacketType.Login7, 'LOGIN7');
        return this.login(message.payload);
      case 'fedauth':
        expect(PacketType.FedAuthToken, 'FEDAUTH_TOKEN');
        return this.fedAuthToken(message.payload);
      case 'ready':
        return this.request(message);
      case 'closed':
        return;
    }
  }

  private write(type: number, payload: Buffer): void {
    if (this.state === 'closed' || this.out.destroyed) return;
    this.out.write(encodeMessage(type, payload, this.packetSize, this.options.spid));
  }

  // PRELOGIN ---------------------------------------------------------------------------------

  private preLogin(payload: Buffer): void {
    const client = parsePreLogin(payload);
    this.trace = new SessionTrace(this.lab, momentOf(this.lab.clock));
    const strict = this.options.strict;
    if (strict) {
      this.trace.note(`TDS 8.0 strict: TLS first (${strict.protocol}, ALPN ${strict.alpn || 'none'}, SNI ${strict.servername || 'none'})`);
    }
    this.trace.request(`PRELOGIN: encryption ${encryptionName(client.encryption)}`, {
      notes: [`client version ${client.version ?? 'unknown'}`],
    });
    // Inside TDS 8.0's TLS the ENCRYPTION option means nothing (tedious ignores the answer): echo it.
    // Otherwise Azure SQL requires encryption: ON when asked for, REQ to a client that offers none.
    const answer = strict
      ? (client.encryption ?? Encryption.NotSupported)
      : (client.encryption ?? 0) & Encryption.On
        ? Encryption.On
        : Encryption.Required;
    this.write(PacketType.TabularResult, preLoginResponse(answer));
    this.trace.response(`PRELOGIN: encryption ${encryptionName(answer)}, FEDAUTHREQUIRED`, {
      notes: strict ? [] : ['Azure SQL requires TLS: the handshake runs inside PRELOGIN packets (TLS 1.2)'],
    });
    if (strict) {
      this.state = 'login';
      return;
    }
    this.state = 'tls';
    this.tls = new TlsInPreLogin(this.options.secureContext, {
      sendFlight: records => this.write(PacketType.PreLogin, records),
      secure: (cleartext, wire) => this.switchToTls(cleartext, wire),
      failed: error => {
        this.trace?.note(`TLS handshake failed: ${error.message.slice(0, 200)}`, { failed: true, errorCode: 'TLS' });
        this.close('the TLS handshake failed');
      },
    });
  }

  private tlsRecords(payload: Buffer): void {
    this.tls!.receive(payload);
  }

  /** The handshake is done: raw TLS on the socket from now on, TDS inside it. */
  private switchToTls(cleartext: tls.TLSSocket, wire: Duplex): void {
    const rest = this.reader.takeRemainder();
    this.socket.off('data', this.onBytes);
    this.socket.on('data', (chunk: Buffer) => wire.write(chunk));
    wire.on('data', (chunk: Buffer) => {
      if (!this.socket.destroyed) this.socket.write(chunk);
    });
    if (rest.length) wire.write(rest);
    this.reader = new MessageReader(maxMessageBytes);
    this.out = cleartext;
    this.sni = typeof cleartext.servername === 'string' ? cleartext.servername : '';
    cleartext.on('data', this.onBytes);
    cleartext.on('error', () => this.close('the TLS connection failed'));
    const cipher = cleartext.getCipher();
    this.trace?.note(`TLS established: ${cleartext.getProtocol() ?? 'TLS'}, ${cipher?.name ?? ''}`, {
      notes: [`certificate for *.database.windows.net from the lab's CA${this.sni ? `; SNI ${this.sni}` : ''}`],
    });
    this.state = 'login';
  }

  // LOGIN7 -----------------------------------------------------------------------------------

  private async login(payload: Buffer): Promise<void> {
    const login = parseLogin7(payload);
    this.login7 = login;
    const requested = login.packetSize;
    this.packetSize = requested === 0 ? DEFAULT_PACKET_SIZE : Math.min(MAX_PACKET_SIZE, Math.max(MIN_PACKET_SIZE, requested));
    this.serverName = login.serverName || this.sni;
    const trace = this.trace!;
    const server = sqlServerForHostName(this.lab, this.serverName);
    if (server) {
      trace.builder.title = `SQL ${server.name}/${login.database || 'master'}: TDS session`;
      trace.builder.relabel(trace.sql, `Azure SQL ${server.name}`, server.id);
    }
    const notes = [
      `database ${login.database || '(none: master)'}, server name ${this.serverName || '(none)'}`,
      `app ${login.appName || '?'} (${login.libraryName || '?'}) on ${login.hostName || '?'}, packet size ${login.packetSize}`,
    ];
    const fedAuth = login.fedAuth;
    if (fedAuth?.library === FedAuthLibrary.SecurityToken) {
      const decoded = decodeToken(fedAuth.token ?? '');
      trace.request('LOGIN7 with FEDAUTH: access token inline', { notes, ...(decoded ? { token: decoded } : {}) });
      return this.finishLogin(await loginWithAccessToken(this.lab, fedAuth.token ?? '', this.target()));
    }
    if (fedAuth?.library === FedAuthLibrary.Adal) {
      trace.request(`LOGIN7 with FEDAUTH: ADAL/MSAL workflow (${fedAuth.workflow === 1 ? 'password' : 'integrated'})`, { notes });
      this.state = 'fedauth';
      const sts = `https://login.windows.net/${this.lab.tenantId}`;
      this.write(PacketType.TabularResult, new ResponseWriter(this.shortServerName()).fedAuthInfo(sts, SQL_RESOURCE).toBuffer());
      trace.response(`FEDAUTHINFO: a token for ${SQL_RESOURCE}`, {
        notes: [`STS ${sts}; the driver asks its credential (IMDS) for the scope ${SQL_RESOURCE}.default`],
      });
      // The driver's token request joins this trace, as a Key Vault challenge's does (flows.ts).
      const flow = {
        builder: trace.builder,
        app: trace.app,
        service: `sql:${this.serverName.toLowerCase()}`,
        resource: SQL_RESOURCE,
        record: () => trace.publishNow(),
      };
      this.options.ctx.flows.opened(flow);
      this.flow = flow as OpenFlow;
      return;
    }
    if (fedAuth) {
      trace.request(`LOGIN7 with FEDAUTH library ${fedAuth.library}`, { notes });
      return this.finishLogin({ ok: false, error: new SqlError(18456, 14, MSG.tokenNotAccepted) });
    }
    if (login.integratedSecurity) {
      trace.request('LOGIN7 with Windows integrated security (SSPI)', { notes });
      return this.finishLogin({
        ok: false,
        error: new SqlError(
          18452,
          14,
          'Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication.',
        ),
      });
    }
    trace.request(`LOGIN7 with SQL authentication: user '${login.userName.slice(0, 128)}'${login.hasPassword ? ' and a password' : ''}`, {
      notes,
    });
    this.finishLogin(loginWithPassword(this.lab, this.target(), login.userName));
  }

  private target() {
    return { server: this.serverName, database: this.login7?.database ?? '' };
  }

  private shortServerName(): string {
    return this.sql?.server.name ?? sqlServerForHostName(this.lab, this.serverName)?.name ?? this.serverName.split('.')[0] ?? '';
  }

  private async fedAuthToken(payload: Buffer): Promise<void> {
    const token = parseFedAuthToken(payload);
    if (this.flow) this.options.ctx.flows.close(this.flow);
    this.flow = undefined;
    const decoded = decodeToken(token);
    this.trace?.request('FEDAUTH_TOKEN: the access token', decoded ? { token: decoded } : {});
    this.finishLogin(await loginWithAccessToken(this.lab, token, this.target()));
  }

  private finishLogin(result: SqlLogin): void {
    if (this.state === 'closed') return;
    const trace = this.trace!;
    const hostId = result.claims ? hostOfToken(this.lab, result.claims) : undefined;
    const host = hostId ? this.lab.arm.resource(hostId) : undefined;
    if (host) {
      trace.builder.runsAs(host.id);
      trace.builder.relabel(trace.app, `App on ${host.name}`, host.id);
    }
    const writer = new ResponseWriter(this.shortServerName());
    if (!result.ok) {
      const e = result.error;
      trace.builder.refuse(sqlRefusal(e, result.claims));
      writer.error(e.number, e.state, e.severity, e.message).done(DoneStatus.Error, CurCmd.None);
      this.write(PacketType.TabularResult, writer.toBuffer());
      trace.response(`Level ${e.severity}, State ${e.state}: ${e.message}`, {
        failed: true,
        errorCode: String(e.number),
        ...(e.authorization ? { authorization: e.authorization, notes: e.authorization.reasons } : {}),
      });
      // SQL Server ends the connection after a failed login.
      return this.close('the login failed', true);
    }
    const session = result.session;
    this.sql = session;
    this.claims = result.claims;
    const login = this.login7!;
    writer
      .envChange(EnvChangeType.Database, session.databaseName, 'master')
      .info(5701, 2, MSG.changedDatabase(session.databaseName))
      .collation()
      .envChange(EnvChangeType.Language, 'us_english', '')
      .info(5703, 1, MSG.changedLanguage)
      .loginAck()
      .featureExtAck(login.features)
      .envChange(EnvChangeType.PacketSize, String(this.packetSize), String(DEFAULT_PACKET_SIZE))
      .done(DoneStatus.Final, CurCmd.None);
    this.write(PacketType.TabularResult, writer.toBuffer());
    this.reader.packetLimit = Math.max(this.packetSize, DEFAULT_PACKET_SIZE);
    this.state = 'ready';
    clearTimeout(this.loginTimer);
    const who = session.userName === 'dbo' ? `${session.loginName} (dbo)` : session.userName;
    trace.builder.title = `SQL ${session.server.name}/${session.databaseName}: TDS session as ${who}`;
    trace.response(`LOGINACK: logged in to ${session.databaseName} as [${session.userName}]`, {
      authorization: result.note,
      notes: [...result.note.reasons, `SUSER_SNAME() ${session.loginName}; packet size ${this.packetSize}`],
    });
    trace.publishNow();
  }

  // Requests ---------------------------------------------------------------------------------

  private async request(message: TdsMessage): Promise<void> {
    const trace = this.trace!;
    const writer = new ResponseWriter(this.shortServerName());
    if (message.status & Status.Ignore) {
      // The client abandoned the request while sending it (MS-TDS 2.2.3.1.2): nothing runs.
      this.write(PacketType.TabularResult, writer.done(DoneStatus.Final, CurCmd.None).toBuffer());
      return;
    }
    let text: string;
    let label: string;
    const isRpc = message.type === PacketType.Rpc;
    if (message.type === PacketType.SqlBatch) {
      text = parseSqlBatch(message.payload);
      label = `SQL batch: ${text.replace(/\s+/g, ' ').trim().slice(0, 100)}`;
    } else if (isRpc) {
      const rpc = parseRpc(message.payload);
      label = `RPC ${rpc.procedure}: ${(rpc.statement ?? '').replace(/\s+/g, ' ').trim().slice(0, 100)}`;
      const refused =
        rpc.procedure.toLowerCase() !== 'sp_executesql'
          ? new SqlError(
              rpc.procedure.startsWith('sp_') ? LAB_ERROR_NUMBER : 2812,
              16,
              rpc.procedure.startsWith('sp_')
                ? `The lab runs sp_executesql only, not ${rpc.procedure.slice(0, 60)}.`
                : `Could not find stored procedure '${rpc.procedure.slice(0, 128)}'.`,
              rpc.procedure.startsWith('sp_') ? 1 : 62,
            )
          : rpc.otherParameters
            ? new SqlError(
                LAB_ERROR_NUMBER,
                16,
                'The lab runs sp_executesql with its statement only: it does not bind parameters (@params). Put the values in the statement.',
              )
            : undefined;
      if (refused) return this.answer(writer, [], refused, false, true, label);
      text = rpc.statement ?? '';
    } else if (message.type === PacketType.TransactionManager || message.type === PacketType.BulkLoad) {
      const what =
        message.type === PacketType.BulkLoad ? 'bulk load' : 'transactions (BEGIN/COMMIT through the transaction manager request)';
      return this.answer(writer, [], new SqlError(LAB_ERROR_NUMBER, 16, `The lab does not run ${what}.`), false, false, `${what} request`);
    } else {
      throw new TdsProtocolError(`a message of type 0x${message.type.toString(16)} after login`);
    }
    const results: StatementResult[] = [];
    let failure: SqlError | undefined;
    const running = { cancelled: false, wake: () => undefined as void };
    this.running = running;
    try {
      for (const result of executeBatch(this.sql!, text)) {
        results.push(result);
        if (result.delayMs) {
          await new Promise<void>(resolve => {
            const timer = setTimeout(resolve, result.delayMs);
            running.wake = () => (clearTimeout(timer), resolve());
          });
          if (running.cancelled || this.state === 'closed') break;
        }
      }
    } catch (error) {
      if (!(error instanceof SqlError)) throw error;
      failure = error;
    } finally {
      this.running = undefined;
    }
    this.answer(writer, results, failure, running.cancelled, isRpc, label);
    trace.publish();
  }

  /** Writes a request's response: each result set and DONE, the error if one ended it, the attention acknowledgement if it was cancelled. */
  private answer(
    writer: ResponseWriter,
    results: StatementResult[],
    failure: SqlError | undefined,
    cancelled: boolean,
    isRpc: boolean,
    label: string,
  ): void {
    let pending: { status: number; cmd: number; count: number } | undefined;
    const flushPending = (more: boolean) => {
      if (!pending) return;
      writer.done(pending.status | (more ? DoneStatus.More : 0), pending.cmd, pending.count, isRpc ? Token.DoneInProc : Token.Done);
      pending = undefined;
    };
    let rows = 0;
    for (const result of results) {
      if (result.command === 'set') continue;
      flushPending(true);
      if (result.columns) writer.columns(result.columns, result.rows ?? []);
      const counted = result.rowCount !== undefined;
      if (counted) rows += result.rowCount!;
      pending = {
        status: counted ? DoneStatus.Count : 0,
        cmd: result.command === 'select' ? CurCmd.Select : result.command === 'insert' ? CurCmd.Insert : CurCmd.None,
        count: result.rowCount ?? 0,
      };
    }
    if (isRpc) {
      flushPending(true);
      if (failure) writer.error(failure.number, failure.state, failure.severity, failure.message);
      else writer.returnStatus(0);
      writer.done(failure ? DoneStatus.Error : DoneStatus.Final, CurCmd.Execute, 0, Token.DoneProc);
    } else if (failure) {
      flushPending(true);
      writer.error(failure.number, failure.state, failure.severity, failure.message).done(DoneStatus.Error, CurCmd.None);
    } else if (pending) {
      flushPending(false);
    } else {
      writer.done(DoneStatus.Final, CurCmd.None);
    }
    this.write(PacketType.TabularResult, writer.toBuffer());
    // A cancelled request: its (cut short) response, then a message of its own with DONE_ATTN (research/tds.md §8).
    if (cancelled) this.acknowledgeAttention();
    const sets = results.filter(r => r.columns);
    const outcome = failure
      ? `Level ${failure.severity}, State ${failure.state}: ${failure.message}`
      : cancelled
        ? 'cancelled (attention acknowledged)'
        : sets.length
          ? `${rows} row${rows === 1 ? '' : 's'} (${sets.map(r => r.columns!.map(c => c.name || '(no name)').join(', ')).join('; ')})`
          : results.some(r => r.command === 'insert')
            ? `${rows} row${rows === 1 ? '' : 's'} affected`
            : 'done';
    const who = this.sql ? [`as [${this.sql.userName}]`] : [];
    if (failure) this.trace?.builder.refuse(sqlRefusal(failure, this.claims));
    this.trace?.exchange(label, outcome, failure ? { failed: true, errorCode: String(failure.number), notes: who } : { notes: who });
  }

  /** ATTENTION (MS-TDS 2.2.1.7): stop what runs, or, if nothing does, acknowledge at once. */
  private attention(): void {
    if (this.running) {
      this.running.cancelled = true;
      this.running.wake();
      return;
    }
    // Sent after the response it was meant for had gone: only the acknowledgement, in order after what is queued.
    this.queue = this.queue.then(() => {
      this.acknowledgeAttention();
      this.trace?.exchange('ATTENTION', 'attention acknowledged');
      this.trace?.publish();
    });
  }

  private acknowledgeAttention(): void {
    this.write(PacketType.TabularResult, new ResponseWriter(this.shortServerName()).done(DoneStatus.Attention, CurCmd.None).toBuffer());
  }

  // Endings ----------------------------------------------------------------------------------

  private timedOut(): void {
    if (this.state === 'ready' || this.state === 'closed') return;
    this.trace?.note(`no login within ${Math.round(this.options.loginTimeoutMs / 1000)} s: connection closed`, {
      failed: true,
      errorCode: 'LoginTimeout',
    });
    this.close('the login timed out');
  }

  private protocolError(error: unknown): void {
    if (this.state === 'closed') return;
    const message = error instanceof TdsProtocolError ? error.message : 'the lab could not process the message';
    this.trace?.note(`protocol error: ${message.slice(0, 200)}. Connection closed.`, { failed: true, errorCode: 'TDS' });
    this.close(message);
  }

  /** Ends the session. `graceful`: let what was written reach the client first. */
  close(_reason: string, graceful = false): void {
    if (this.state === 'closed') return;
    const wasReady = this.state === 'ready';
    this.state = 'closed';
    clearTimeout(this.loginTimer);
    if (this.running) {
      this.running.cancelled = true;
      this.running.wake();
    }
    if (this.flow) this.options.ctx.flows.close(this.flow);
    if (wasReady) this.trace?.note('connection closed');
    this.trace?.publishNow();
    if (graceful && !this.out.destroyed) {
      this.out.end();
      setTimeout(() => this.socket.destroy(), 2_000).unref();
    } else {
      this.out.destroy();
      this.socket.destroy();
    }
    this.tls?.destroy();
    this.options.onClose();
  }
}

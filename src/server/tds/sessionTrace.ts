// One trace per TDS session, drawn as it grows: PRELOGIN and TLS, LOGIN7 with the token's
// claims, the login decision, then each request. It is published (lazily, under one id) after
// the login and after requests, so Token Flow shows a pooled connection that stays open; a
// long session keeps its first requests and counts the rest instead of growing without end.
import type { Lab } from '../../engine/lab/lab';
import type { AuthorizationNote, DecodedToken, TraceMessage } from '../../engine/trace/model';
import { TraceBuilder } from '../../engine/trace/builder';
import { momentOf, type Moment } from '../../engine/base/clock';

const MAX_DRAWN_REQUESTS = 40;
const PUBLISH_DELAY_MS = 50;

export interface MessageExtra {
  notes?: string[];
  token?: DecodedToken;
  errorCode?: string;
  failed?: boolean;
  authorization?: AuthorizationNote;
}

export class SessionTrace {
  readonly builder: TraceBuilder;
  readonly app: string;
  readonly sql: string;
  private requests = 0;
  private omitted = 0;
  private omission: TraceMessage | undefined;
  private timer: NodeJS.Timeout | undefined;
  private skipping = false;

  constructor(
    private readonly lab: Lab,
    startedAt: Moment,
  ) {
    this.builder = new TraceBuilder(lab.clock, 'Azure SQL: TDS connection', startedAt);
    this.app = this.builder.participant('app', 'App');
    this.sql = this.builder.participant('sql', 'Azure SQL');
  }

  private add(from: string, to: string, kind: TraceMessage['kind'], label: string, extra: MessageExtra = {}): void {
    this.builder.add({
      from,
      to,
      kind,
      label,
      ...(extra.notes?.length ? { notes: extra.notes } : {}),
      ...(extra.token ? { token: extra.token } : {}),
      ...(extra.errorCode ? { errorCode: extra.errorCode } : {}),
      ...(extra.authorization ? { authorization: extra.authorization } : {}),
      failed: extra.failed ?? false,
    });
  }

  request(label: string, extra?: MessageExtra): void {
    this.add(this.app, this.sql, 'request', label, extra);
  }

  response(label: string, extra?: MessageExtra): void {
    this.add(this.sql, this.app, 'response', label, extra);
  }

  /** Something the server did on its own (TLS established, a timeout, the connection closed). */
  note(label: string, extra?: MessageExtra): void {
    this.add(this.sql, this.sql, 'internal', label, extra);
  }

  /** A request after the login and its answer: drawn for the first ones, counted after that. */
  exchange(request: string, response: string, extra: MessageExtra = {}): void {
    if (++this.requests > MAX_DRAWN_REQUESTS) {
      this.omitted++;
      if (!this.omission) {
        this.note('more requests, not drawn');
        this.omission = this.builder.lastMessage;
      }
      this.omission!.label = `${this.omitted} more request${this.omitted === 1 ? '' : 's'}, not drawn`;
      return;
    }
    this.request(request);
    this.response(response, extra);
  }

  /** Stops recording (a connection that never spoke TDS is no session worth a trace). */
  discard(): void {
    this.skipping = true;
    clearTimeout(this.timer);
  }

  /** Publishes soon (requests come in bursts), under the trace's one id. */
  publish(): void {
    if (this.skipping || this.timer) return;
    this.timer = setTimeout(() => this.publishNow(), PUBLISH_DELAY_MS);
    this.timer.unref();
  }

  publishNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.skipping) return;
    const endedAt = momentOf(this.lab.clock);
    this.lab.traces.putLazy(this.builder.id, () => this.builder.finish(endedAt));
  }
}

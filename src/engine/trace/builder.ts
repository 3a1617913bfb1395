// Builds one trace as a flow unfolds, then hands it to the log.
import type { Clock } from '../base/clock';
import { newGuid } from '../base/ids';
import type { Participant, ParticipantKind, Refusal, Trace, TraceMessage } from './model';

export class TraceBuilder {
  private readonly participants = new Map<string, Participant>();
  private readonly messages: TraceMessage[] = [];
  private readonly startedAt: number;
  private hostResourceId: string | undefined;
  private traceId: string | undefined;
  private refusalFacts: Refusal | undefined;

  constructor(
    private readonly clock: Clock,
    public title: string,
    /** When the flow started; defaults to now (pass it when building a trace after the fact). */
    startedAt?: number,
  ) {
    this.startedAt = startedAt ?? clock.now();
  }

  /** The trace's id, the same for every `finish()` (a long flow is published again as it grows). */
  get id(): string {
    return (this.traceId ??= newGuid());
  }

  /** Adds (or returns) a participant; ids are derived from kind + key so repeats collapse. */
  participant(kind: ParticipantKind, label: string, key = '', resourceId?: string): string {
    const suffix = key ? String(simpleHash(key.toLowerCase())) : '';
    const id = `${kind}${suffix}`;
    if (!this.participants.has(id)) this.participants.set(id, resourceId ? { id, kind, label, resourceId } : { id, kind, label });
    return id;
  }

  /** Names a participant better once more is known (the app's host, learned mid-flow). */
  relabel(id: string, label: string, resourceId?: string): void {
    const participant = this.participants.get(id);
    if (!participant) return;
    participant.label = label;
    if (resourceId) participant.resourceId = resourceId;
  }

  /** The compute resource the flow ran as. */
  runsAs(resourceId: string): void {
    this.hostResourceId = resourceId;
  }

  /** Records why an endpoint refused the request (the latest refusal is the trace's). */
  refuse(refusal: Refusal): void {
    this.refusalFacts = refusal;
  }

  /** Adds a message; `at` is when it happened (ms since the epoch), defaulting to now. */
  add(message: Omit<TraceMessage, 'at' | 'failed'> & { failed?: boolean; at?: number }): TraceMessage {
    // Every field in one fixed order (one object shape): this runs on the token hot path.
    const full: TraceMessage = {
      from: message.from,
      to: message.to,
      label: message.label,
      kind: message.kind,
      status: message.status,
      errorCode: message.errorCode,
      failed: message.failed ?? (message.status !== undefined && message.status >= 400),
      at: (message.at ?? this.clock.now()) - this.startedAt,
      notes: message.notes,
      http: message.http,
      token: message.token,
      authorization: message.authorization,
      checks: message.checks,
    };
    this.messages.push(full);
    return full;
  }

  /** The latest request sent to a participant. */
  lastRequestTo(participant: string): TraceMessage | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (this.messages[i]!.to === participant && this.messages[i]!.kind === 'request') return this.messages[i];
    }
    return undefined;
  }

  get lastMessage(): TraceMessage | undefined {
    return this.messages[this.messages.length - 1];
  }

  /** The flow's outcome is what its initiator was finally told. `endedAt` defaults to now. */
  finish(endedAt = this.clock.now()): Trace {
    const initiator = this.messages[0]?.from;
    const finalReply = [...this.messages].reverse().find(m => m.kind === 'response' && m.to === initiator);
    const trace: Trace = {
      id: this.id,
      title: this.title,
      startedAt: this.startedAt,
      durationMs: endedAt - this.startedAt,
      participants: [...this.participants.values()],
      messages: [...this.messages],
      outcome: finalReply?.failed ? 'failure' : 'success',
    };
    if (finalReply?.status !== undefined) trace.status = finalReply.status;
    if (finalReply?.failed && finalReply.errorCode) trace.errorCode = finalReply.errorCode;
    if (this.hostResourceId) trace.hostResourceId = this.hostResourceId;
    if (trace.outcome === 'failure' && this.refusalFacts) {
      trace.refusal =
        this.hostResourceId && !this.refusalFacts.hostResourceId
          ? { ...this.refusalFacts, hostResourceId: this.hostResourceId }
          : this.refusalFacts;
    }
    return trace;
  }
}

function simpleHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return h % 1_000_000;
}

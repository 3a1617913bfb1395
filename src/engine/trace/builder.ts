// Builds one trace as a flow unfolds, then hands it to the log. Each message carries the lab's
// time (what the lab clock said) and its real offset from the start (how long things took).
import type { Clock, Moment } from '../base/clock';
import { momentOf } from '../base/clock';
import { newGuid } from '../base/ids';
import type { ChainAttempt, Participant, ParticipantKind, Refusal, Trace, TraceMessage } from './model';

export class TraceBuilder {
  private readonly participants = new Map<string, Participant>();
  private readonly messages: TraceMessage[] = [];
  private readonly startedAt: Moment;
  private hostResourceId: string | undefined;
  private traceId: string | undefined;
  private refusalFacts: Refusal | undefined;
  private yourMachine = false;
  private readonly attempts: ChainAttempt[] = [];

  constructor(
    private readonly clock: Clock,
    public title: string,
    /** When the flow started; defaults to now (pass it when building a trace after the fact). */
    startedAt?: Moment,
  ) {
    this.startedAt = startedAt ?? momentOf(clock);
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

  /** The flow ran on the learner's own machine (`milab env --as local`). */
  runsOnYourMachine(): void {
    this.yourMachine = true;
  }

  /** One credential attempt of a DefaultAzureCredential chain, between two moments. */
  attempt(credential: string, started: Moment, ended: Moment, outcome: ChainAttempt['outcome']): void {
    this.attempts.push({ credential, startedMs: started.real - this.startedAt.real, durationMs: ended.real - started.real, outcome });
  }

  /** Adds a message; `at` is when it happened, defaulting to now. */
  add(message: Omit<TraceMessage, 'at' | 'labTime' | 'failed'> & { failed?: boolean; at?: Moment }): TraceMessage {
    const at = message.at ?? momentOf(this.clock);
    // Every field in one fixed order (one object shape): this runs on the token hot path.
    const full: TraceMessage = {
      from: message.from,
      to: message.to,
      label: message.label,
      kind: message.kind,
      status: message.status,
      errorCode: message.errorCode,
      failed: message.failed ?? (message.status !== undefined && message.status >= 400),
      at: at.real - this.startedAt.real,
      labTime: at.lab,
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
  finish(endedAt: Moment = momentOf(this.clock)): Trace {
    const initiator = this.messages[0]?.from;
    const finalReply = [...this.messages].reverse().find(m => m.kind === 'response' && m.to === initiator);
    const trace: Trace = {
      id: this.id,
      title: this.title,
      startedAt: this.startedAt.lab,
      durationMs: endedAt.real - this.startedAt.real,
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
    if (this.yourMachine) trace.yourMachine = true;
    if (this.attempts.length) trace.chainAttempts = [...this.attempts];
    return trace;
  }
}

function simpleHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return h % 1_000_000;
}

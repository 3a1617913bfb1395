// A trace as the Token Flow view shows it: the diagram's Mermaid text, and for each message
// what a click reveals — the HTTP exchange, the decoded token (header and claims), the RBAC
// decision — with participants named rather than by id. Token signatures never leave the
// engine (endpoints redact them; this checks again), and secret values are already redacted.
// Text from the lab's data has its bidi controls shown (`[U+202E]`), not obeyed.
import type { AuthorizationNote, DecodedToken, HttpExchange, Trace } from '../../trace/model';
import type { DiagramDetail } from './mermaid';
import { recovered, traceToMermaid } from './mermaid';
import { neutralizeBidi, neutralizeForDisplay } from '../../base/displayText';

export interface MessageView {
  /** 1-based, as the diagram numbers its arrows. */
  number: number;
  from: string;
  to: string;
  label: string;
  kind: 'request' | 'response' | 'internal';
  status?: number;
  errorCode?: string;
  failed: boolean;
  /** A failed reply the caller recovered from (Key Vault's 401 challenge): a normal step of the flow, not drawn as an error. */
  recovered?: boolean;
  /** Milliseconds after the trace started (real time). */
  at: number;
  /** The lab's time of the message, ISO 8601 UTC. */
  labTime: string;
  notes: string[];
  http?: HttpExchange;
  token?: DecodedToken;
  authorization?: AuthorizationNote;
}

export interface TraceView {
  /** A recorded trace, or a Credential Chain diagram (readModels/credentialChain) drawn the same way. */
  kind: 'trace' | 'chain';
  id: string;
  title: string;
  outcome: 'success' | 'failure';
  status?: number;
  errorCode?: string;
  startedAt: number;
  durationMs: number;
  detail: DiagramDetail;
  mermaid: string;
  messages: MessageView[];
}

const JWT_WITH_SIGNATURE = /\b(eyJ[\w-]*\.eyJ[\w-]*\.)(?!\[signature redacted\])[\w-]+/g;

/** Any JWT's signature becomes `[signature redacted]`: what is shown can never be replayed. Bidi controls are shown, not obeyed. */
export function redactSignatures(text: string): string {
  return neutralizeBidi(text.replace(JWT_WITH_SIGNATURE, '$1[signature redacted]'));
}

/** A trace's title on one line, in its own order: for lists such as the Activity view. */
export const traceTitle = (trace: Pick<Trace, 'title'>): string => neutralizeForDisplay(trace.title);

function redactHttp(http: HttpExchange): HttpExchange {
  const headers = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, redactSignatures(v)]));
  return {
    method: http.method,
    url: redactSignatures(http.url),
    requestHeaders: headers(http.requestHeaders),
    ...(http.requestBody !== undefined ? { requestBody: redactSignatures(http.requestBody) } : {}),
    ...(http.status !== undefined ? { status: http.status } : {}),
    ...(http.responseHeaders ? { responseHeaders: headers(http.responseHeaders) } : {}),
    ...(http.responseBody !== undefined ? { responseBody: redactSignatures(http.responseBody) } : {}),
  };
}

export function presentTrace(trace: Trace, detail: DiagramDetail = 'full'): TraceView {
  const labels = new Map(trace.participants.map(p => [p.id, neutralizeBidi(p.label)]));
  const messages = trace.messages.map((m, i): MessageView => ({
    number: i + 1,
    from: labels.get(m.from) ?? m.from,
    to: labels.get(m.to) ?? m.to,
    label: neutralizeBidi(m.label),
    kind: m.kind,
    ...(m.status !== undefined ? { status: m.status } : {}),
    ...(m.errorCode ? { errorCode: m.errorCode } : {}),
    failed: m.failed,
    ...(m.failed && m.kind === 'response' && recovered(trace.messages, i) ? { recovered: true } : {}),
    at: m.at,
    labTime: new Date(m.labTime).toISOString(),
    notes: (m.notes ?? []).map(neutralizeBidi),
    ...(m.http ? { http: redactHttp(m.http) } : {}),
    ...(m.token ? { token: { header: { ...m.token.header }, claims: { ...m.token.claims } } } : {}),
    ...(m.authorization ? { authorization: { ...m.authorization, reasons: m.authorization.reasons.map(neutralizeBidi) } } : {}),
  }));
  return {
    kind: 'trace',
    id: trace.id,
    title: neutralizeBidi(trace.title),
    outcome: trace.outcome,
    ...(trace.status !== undefined ? { status: trace.status } : {}),
    ...(trace.errorCode ? { errorCode: trace.errorCode } : {}),
    startedAt: trace.startedAt,
    durationMs: trace.durationMs,
    detail,
    mermaid: traceToMermaid(trace, { detail }),
    messages,
  };
}

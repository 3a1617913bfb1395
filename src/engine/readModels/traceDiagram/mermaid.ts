// Renders a trace as Mermaid sequence-diagram text. Every piece of text that comes from
// the lab (resource names, error messages, URLs) is entity-encoded, so names such as
// `end`, `a;b`, `-->>`, `%%`, `#`, `$$x$$` or `<img …>` render literally and cannot change the
// diagram's structure or inject markup; bidi controls (U+202E…) are shown, never obeyed.
import { CACHE_HIT_LABEL, type Participant, type Trace, type TraceMessage } from '../../trace/model';
import { neutralizeBidi } from '../../base/displayText';
import { annotateEpochs } from '../epochWords';
import { findResourceApp } from '../../azure/resourceApps';
import { sdkReportNote, sdkReportsFor } from '../sdkReports';
import { courseNoteForRefusal } from '../courseDifferences';

export type DiagramDetail = 'compact' | 'full';

export interface MermaidOptions {
  /** `full` adds notes with the audience, identity, claims and decision; `compact` shows arrows only. */
  detail?: DiagramDetail;
}

// `$` is not safe: Mermaid draws `$$…$$` in a label as KaTeX maths.
const SAFE = /[A-Za-z0-9 .,_/()'=?@+*!~^]/;

/**
 * Encodes text for a Mermaid label: anything outside a small safe set becomes `#code;`. Bidi
 * controls are shown as `[U+202E]` first: encoded, Mermaid would still render them, and they
 * would still reorder the label.
 */
export function escapeMermaidText(text: string): string {
  let out = '';
  for (const char of neutralizeBidi(text).replace(/\r\n?/g, '\n')) {
    if (SAFE.test(char)) out += char;
    else if (char === '\n') out += '<br/>';
    else out += `#${char.codePointAt(0)};`;
  }
  // Mermaid trims labels; keep an empty label visible rather than producing invalid syntax.
  return out.trim() === '' ? '#160;' : out;
}

/** Characters per line: participants, message labels and notes are wrapped here, not by Mermaid. */
const WIDTH = { participant: 22, message: 34, note: 40 } as const;

/**
 * Breaks text into lines of at most `width` characters: at spaces, and inside a longer word
 * after punctuation where it can (`/`, `-`, `=`…). Mermaid's own wrapping (off in the webview)
 * would cut long words between the characters of an entity like `#45;` and garble them.
 */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap(line => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string[] {
  const lines: string[] = [];
  let current: string[] = [];
  for (const word of line.split(' ')) {
    let rest = [...word];
    while (rest.length > width) {
      if (current.length) lines.push(current.join(''));
      current = [];
      const cut = breakPoint(rest, width);
      lines.push(rest.slice(0, cut).join(''));
      rest = rest.slice(cut);
    }
    if (current.length && current.length + 1 + rest.length > width) {
      lines.push(current.join(''));
      current = [];
    }
    current = current.length ? [...current, ' ', ...rest] : rest;
  }
  if (current.length || !lines.length) lines.push(current.join(''));
  return lines;
}

function breakPoint(chars: readonly string[], width: number): number {
  for (let i = width; i > width / 2; i--) if ('/-=&?.,:;_'.includes(chars[i - 1]!)) return i;
  return width;
}

const FAILURE_FILL = 'rgba(220, 38, 38, 0.15)';
/** Notes are for people: a long id or explanation is cut (the full text is in the message's details). */
const NOTE_LIMIT = 160;

/** `/subscriptions/…/providers/Microsoft.KeyVault/vaults/kv1/secrets/s` → `…/vaults/kv1/secrets/s`: ids are long, names tell. */
export function shortenArmIds(text: string): string {
  return text.replace(
    /\/subscriptions\/[0-9a-f-]{36}((?:\/resourcegroups\/[^/\s'",]+)?)((?:\/providers\/[^\s'",]+)?)/gi,
    (_whole, group: string, provider: string) => {
      if (provider) {
        const segments = provider.split('/').slice(3);
        return `…/${segments.join('/')}`;
      }
      if (group) return `resource group ${group.split('/')[2]}`;
      return 'the subscription';
    },
  );
}

function arrow(message: TraceMessage, failure: boolean): string {
  if (message.kind === 'response') return failure ? '--x' : '-->>';
  return failure ? '-x' : '->>';
}

/** `403 ForbiddenByRbac` for HTTP; a TDS answer has no status, only its error (`Msg 18456`). */
function statusText(message: TraceMessage): string {
  if (message.status === undefined) return message.errorCode ?? '';
  return `${message.status}${message.errorCode ? ` ${message.errorCode}` : ''}`;
}

function messageText(message: TraceMessage): string {
  const status = statusText(message);
  return escapeMermaidText(wrapText(`${status ? `${status} ` : ''}${message.label}`, WIDTH.message));
}

/**
 * A failed response the caller recovered from (it went back to the same participant, as an
 * SDK does after Key Vault's 401 challenge) is a step of the flow, not its failure.
 */
export function recovered(messages: readonly TraceMessage[], index: number): boolean {
  const failed = messages[index]!;
  return messages.slice(index + 1).some(m => m.kind === 'request' && m.from === failed.to && m.to === failed.from);
}

/** The course's order: the app, the managed-identity endpoint, Microsoft Entra ID, then the service it calls. */
const ORDER: Record<Participant['kind'], number> = {
  user: 0,
  app: 1,
  imds: 2,
  identityEndpoint: 2,
  // A developer tool the credential chain asks (az, azd…): where the token comes from, like the endpoint.
  cli: 2,
  entra: 3,
  keyvault: 4,
  storage: 4,
  arm: 4,
  sql: 4,
  lab: 5,
};

export function participantsInCourseOrder(trace: Trace): Participant[] {
  return trace.participants
    .map((p, i) => ({ p, i }))
    .sort((a, b) => ORDER[a.p.kind] - ORDER[b.p.kind] || a.i - b.i)
    .map(x => x.p);
}

/** Where Entra would have been when the endpoint answered from its cache: the webview fades notes that start so. */
export const NOT_ASKED = 'Not asked:';
const NOT_ASKED_ID = 'entraNotAsked';
const AUDIENCE_ID = 'audienceNotCalled';
export const NOT_CALLED = 'Not called yet:';

/** A bare token request's audience (`resource=` of its first request), when the trace calls no service with it. */
function uncalledAudience(trace: Trace): string | undefined {
  if (trace.participants.some(p => ORDER[p.kind] === 4)) return undefined;
  if (!trace.participants.some(p => p.kind === 'imds' || p.kind === 'identityEndpoint')) return undefined;
  const url = trace.messages.find(m => m.kind === 'request' && m.http)?.http?.url ?? '';
  const raw = /[?&]resource=([^&#]{1,300})/.exec(url)?.[1];
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
const cacheHit = (m: TraceMessage) => m.kind === 'internal' && m.label === CACHE_HIT_LABEL;

/** What the diagram says about a message besides its arrow: the engine's notes plus the decision and claims that matter. */
function notesFor(message: TraceMessage, nowMs: number): string[] {
  const notes: string[] = [];
  if (message.authorization) {
    const a = message.authorization;
    notes.push(`${a.decidedBy ?? 'RBAC'} ${a.allowed ? 'allowed' : 'denied'}: ${a.action} on ${a.scope}`);
  }
  if (message.token) {
    const c = message.token.claims;
    const identity = typeof c['xms_mirid'] === 'string' ? `, identity ${c['xms_mirid']}` : '';
    notes.push(`token claims: aud ${String(c['aud'])}, oid ${String(c['oid'])}, appid ${String(c['appid'])}${identity}`);
  }
  for (const note of message.notes ?? []) if (!notes.includes(note)) notes.push(note);
  return notes.map(n => {
    const short = annotateEpochs(shortenArmIds(n), nowMs);
    return short.length > NOTE_LIMIT ? `${short.slice(0, NOTE_LIMIT - 1)}…` : short;
  });
}

export function traceToMermaid(trace: Trace, options: MermaidOptions = {}): string {
  const detail = options.detail ?? 'full';
  const lines = ['sequenceDiagram', '  autonumber'];
  for (const p of participantsInCourseOrder(trace)) {
    lines.push(`  ${p.kind === 'user' ? 'actor' : 'participant'} ${p.id} as ${escapeMermaidText(wrapText(p.label, WIDTH.participant))}`);
  }
  // A cached token: Entra still has its place in the picture, marked as not asked this time.
  const cached = !trace.participants.some(p => p.kind === 'entra') && trace.messages.some(cacheHit);
  if (cached) {
    lines.push(`  participant ${NOT_ASKED_ID} as ${escapeMermaidText(wrapText('Microsoft Entra ID (not asked)', WIDTH.participant))}`);
  }
  // A bare token request: the service the token is for still has its place, as the fourth party.
  const audience = trace.outcome === 'success' ? uncalledAudience(trace) : undefined;
  const audienceName = audience ? (findResourceApp(audience)?.displayName ?? audience) : undefined;
  if (audienceName) {
    lines.push(`  participant ${AUDIENCE_ID} as ${escapeMermaidText(wrapText(`${audienceName} (the audience)`, WIDTH.participant))}`);
  }
  const active = new Map<string, number>();
  const activate = (id: string) => active.set(id, (active.get(id) ?? 0) + 1);
  const deactivate = (id: string) => active.set(id, (active.get(id) ?? 1) - 1);

  const failures = trace.messages.map((m, i) => m.failed && !(m.kind === 'response' && recovered(trace.messages, i)));
  // The failure the flow ended with gets the `break`; earlier ones (an error Entra sent the endpoint, which relayed it) are highlighted only.
  const ending = failures.lastIndexOf(true);

  trace.messages.forEach((message, index) => {
    let marker = '';
    if (message.kind === 'request' && message.from !== message.to) {
      marker = '+';
      activate(message.to);
    } else if (message.kind === 'response' && (active.get(message.from) ?? 0) > 0) {
      marker = '-';
      deactivate(message.from);
    }
    const failure = failures[index]!;
    const line = `${message.from}${arrow(message, failure)}${marker}${message.to}: ${messageText(message)}`;
    const over = message.from === message.to ? message.from : `${message.from},${message.to}`;
    const notes =
      detail === 'full'
        ? notesFor(message, trace.startedAt).map(note => `Note over ${over}: ${escapeMermaidText(wrapText(note, WIDTH.note))}`)
        : [];
    if (failure && index === ending) {
      // The failure that stops the flow: highlighted, inside a `break` labelled with what went wrong, and what the SDKs call it.
      const sdk = detail === 'full' && trace.refusal ? sdkReportNote(sdkReportsFor(trace.refusal, trace.status)) : undefined;
      // Where the course reads this error otherwise, the diagram says so beside it.
      const course = detail === 'full' && trace.refusal ? courseNoteForRefusal(trace.refusal, 'note') : undefined;
      for (const extra of [sdk, course]) {
        if (!extra) continue;
        notes.push(
          `Note over ${over}: ${escapeMermaidText(wrapText(extra.length > NOTE_LIMIT ? `${extra.slice(0, NOTE_LIMIT - 1)}…` : extra, WIDTH.note))}`,
        );
      }
      lines.push(`  rect ${FAILURE_FILL}`, `    break ${escapeMermaidText(`failed: ${statusText(message) || 'error'}`)}`, `      ${line}`);
      for (const note of notes) lines.push(`      ${note}`);
      lines.push('    end', '  end');
    } else if (failure) {
      lines.push(`  rect ${FAILURE_FILL}`, `    ${line}`);
      for (const note of notes) lines.push(`    ${note}`);
      lines.push('  end');
    } else {
      lines.push(`  ${line}`);
      for (const note of notes) lines.push(`  ${note}`);
    }
    if (cached && detail === 'full' && cacheHit(message)) {
      const text = `${NOT_ASKED} the endpoint answered from its cache; Microsoft Entra ID issued this token on an earlier request`;
      lines.push(`  Note over ${NOT_ASKED_ID}: ${escapeMermaidText(wrapText(text, WIDTH.note))}`);
    }
  });
  if (audienceName && detail === 'full') {
    const text = `${NOT_CALLED} the app sends this token to ${audience} in its next request`;
    lines.push(`  Note over ${AUDIENCE_ID}: ${escapeMermaidText(wrapText(text, WIDTH.note))}`);
  }
  // Close any activation a cut-short flow left open, so the diagram stays valid.
  for (const [id, count] of active) for (let i = 0; i < count; i++) lines.push(`  deactivate ${id}`);
  return lines.join('\n') + '\n';
}

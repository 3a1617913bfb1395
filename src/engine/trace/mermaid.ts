// Renders a trace as Mermaid sequence-diagram text. Every piece of text that comes from
// the lab (resource names, error messages, URLs) is entity-encoded, so names such as
// `end`, `a;b`, `-->>`, `%%`, `#` or `<img …>` render literally and cannot change the
// diagram's structure or inject markup.
import type { Trace, TraceMessage } from './model';

export type DiagramDetail = 'compact' | 'full';

export interface MermaidOptions {
  /** `full` adds notes with the audience, identity and decision; `compact` shows arrows only. */
  detail?: DiagramDetail;
}

const SAFE = /[A-Za-z0-9 .,_/()'=?@+*!~^$]/;

/** Encodes text for a Mermaid label: anything outside a small safe set becomes `#code;`. */
export function escapeMermaidText(text: string): string {
  let out = '';
  for (const char of text.replace(/\r\n?/g, '\n')) {
    if (SAFE.test(char)) out += char;
    else if (char === '\n') out += '<br/>';
    else out += `#${char.codePointAt(0)};`;
  }
  // Mermaid trims labels; keep an empty label visible rather than producing invalid syntax.
  return out.trim() === '' ? '#160;' : out;
}

function arrow(message: TraceMessage): string {
  if (message.kind === 'response') return message.failed ? '--x' : '-->>';
  return message.failed ? '-x' : '->>';
}

function messageText(message: TraceMessage): string {
  const status = message.status !== undefined ? `${message.status}${message.errorCode ? ` ${message.errorCode}` : ''} ` : '';
  return escapeMermaidText(`${status}${message.label}`);
}

export function traceToMermaid(trace: Trace, options: MermaidOptions = {}): string {
  const detail = options.detail ?? 'full';
  const lines = ['sequenceDiagram', '  autonumber'];
  for (const p of trace.participants) {
    lines.push(`  ${p.kind === 'user' ? 'actor' : 'participant'} ${p.id} as ${escapeMermaidText(p.label)}`);
  }
  const active = new Map<string, number>();
  const activate = (id: string) => active.set(id, (active.get(id) ?? 0) + 1);
  const deactivate = (id: string) => active.set(id, (active.get(id) ?? 1) - 1);

  for (const message of trace.messages) {
    let marker = '';
    if (message.kind === 'request' && message.from !== message.to) {
      marker = '+';
      activate(message.to);
    } else if (message.kind === 'response' && (active.get(message.from) ?? 0) > 0) {
      marker = '-';
      deactivate(message.from);
    }
    const line = `${message.from}${arrow(message)}${marker}${message.to}: ${messageText(message)}`;
    if (message.failed && message.kind === 'response') {
      lines.push(`  rect rgba(220, 38, 38, 0.15)`, `    ${line}`);
      if (detail === 'full') for (const note of message.notes ?? []) lines.push(`    Note over ${message.from},${message.to}: ${escapeMermaidText(note)}`);
      lines.push('  end');
    } else {
      lines.push(`  ${line}`);
      if (detail === 'full') {
        const over = message.from === message.to ? message.from : `${message.from},${message.to}`;
        for (const note of message.notes ?? []) lines.push(`  Note over ${over}: ${escapeMermaidText(note)}`);
      }
    }
  }
  // Close any activation a cut-short flow left open, so the diagram stays valid.
  for (const [id, count] of active) for (let i = 0; i < count; i++) lines.push(`  deactivate ${id}`);
  return lines.join('\n') + '\n';
}

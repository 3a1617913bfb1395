// A trace as a Markdown document: a title, the outcome, the Mermaid diagram and a table of its
// messages. Everything the lab did not write itself is escaped, so a name cannot add HTML,
// links or table cells to the document.
import type { Trace } from '../../trace/model';
import { neutralizeBidi } from '../../base/displayText';
import type { DiagramDetail } from './mermaid';
import { traceToMermaid } from './mermaid';

/** Escapes text for Markdown prose and table cells (HTML entities for the characters that could start syntax). */
export function escapeMarkdown(text: string): string {
  return neutralizeBidi(text)
    .replace(/[\\`*_[\]|<>&~]/g, char => `&#${char.codePointAt(0)};`)
    .replace(/\r?\n/g, ' ');
}

export function traceToMarkdown(trace: Trace, detail: DiagramDetail = 'full'): string {
  const labels = new Map(trace.participants.map(p => [p.id, p.label]));
  const outcome =
    trace.outcome === 'failure'
      ? `Failed: ${trace.status ?? ''} ${trace.errorCode ?? ''}`.trim()
      : `Succeeded: ${trace.status ?? ''}`.trim();
  const rows = trace.messages.map((m, i) => {
    const status = m.status !== undefined ? `${m.status}${m.errorCode ? ` ${m.errorCode}` : ''}` : '';
    const cells = [
      String(i + 1),
      escapeMarkdown(labels.get(m.from) ?? m.from),
      escapeMarkdown(labels.get(m.to) ?? m.to),
      escapeMarkdown(m.label),
      escapeMarkdown(status),
      `${new Date(m.labTime).toISOString().slice(11, 23)} (+${m.at} ms)`,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [
    `# ${escapeMarkdown(trace.title)}`,
    '',
    `${escapeMarkdown(outcome)} · ${new Date(trace.startedAt).toISOString()} (lab time) · ${trace.durationMs} ms`,
    '',
    '```mermaid',
    traceToMermaid(trace, { detail }).trimEnd(),
    '```',
    '',
    '| # | From | To | Message | Status | Lab time (UTC) |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

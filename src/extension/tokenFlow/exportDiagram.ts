// "Export Token Flow…": the trace on screen (or one named) as Mermaid text (.mmd), an image
// (.svg, as the webview drew it) or a Markdown document — saved where the person chooses.
import * as vscode from 'vscode';
import { traceToMermaid, type DiagramDetail } from '../../engine/readModels/traceDiagram/mermaid';
import { traceToMarkdown } from '../../engine/readModels/traceDiagram/markdown';
import type { Trace } from '../../engine/trace/model';
import type { ExportFormat } from '../../webview/tokenFlow/protocol';
import { ArgumentError, type CommandOutcome } from '../feedback/outcome';
import { classify, optionalChoice, optionalText } from '../input/args';
import type { CommandContext } from '../commands/context';

export interface ExportDiagramArgs {
  format: ExportFormat;
  /** Where to save; without it, a save dialog asks. */
  path?: string;
  /** Which trace; the one on screen by default. */
  traceId?: string;
}

const FORMATS: Record<ExportFormat, { label: string; filter: Record<string, string[]> }> = {
  mmd: { label: 'Mermaid text (.mmd)', filter: { Mermaid: ['mmd'] } },
  svg: { label: 'Image (.svg)', filter: { 'SVG image': ['svg'] } },
  md: { label: 'Markdown document (.md)', filter: { Markdown: ['md'] } },
};

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'token-flow';

async function content(ctx: CommandContext, trace: Trace, format: ExportFormat, detail: DiagramDetail): Promise<string> {
  switch (format) {
    case 'mmd':
      return traceToMermaid(trace, { detail });
    case 'md':
      return traceToMarkdown(trace, detail);
    case 'svg':
      // Only the webview can draw (Mermaid never loads in the extension host): show the trace, then ask for its SVG.
      if (!ctx.tokenFlow.showTrace(trace.id)) throw new ArgumentError('That trace is no longer kept.');
      await ctx.tokenFlow.drawn(trace.id);
      return ctx.tokenFlow.svg(trace.id);
  }
}

export async function exportDiagram(
  ctx: CommandContext,
  input: unknown,
  detail: () => DiagramDetail,
): Promise<CommandOutcome<{ path: string; bytes: number }> | undefined> {
  const lab = await ctx.lab();
  const parsed = classify<ExportDiagramArgs>(input);
  const args =
    parsed.from === 'args' ? parsed.args : parsed.from === 'node' && parsed.node.kind === 'trace' ? { traceId: parsed.node.traceId } : {};
  let format = optionalChoice(args, 'format', ['mmd', 'svg', 'md'] as const);
  const traceId = optionalText(args, 'traceId', 'the id of a trace') ?? ctx.tokenFlow.currentTraceId;
  const trace = traceId ? lab.traces.byId(traceId) : undefined;
  if (!trace) {
    throw new ArgumentError(
      traceId
        ? `There is no trace '${traceId}' (the lab keeps the latest ${lab.traces.capacity}).`
        : 'There is no token flow to export yet: request a token first.',
    );
  }
  if (!format) {
    const picked = await vscode.window.showQuickPick(
      (Object.keys(FORMATS) as ExportFormat[]).map(f => ({ label: FORMATS[f].label, value: f })),
      { title: 'Export Token Flow', placeHolder: 'As what?' },
    );
    if (!picked) return undefined;
    format = picked.value;
  }
  const path = optionalText(args, 'path', 'a file path');
  let target = path ? vscode.Uri.file(path) : undefined;
  if (!target) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${slug(trace.title)}.${format}`;
    target = await vscode.window.showSaveDialog({
      title: 'Export Token Flow',
      filters: FORMATS[format].filter,
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return undefined;
  }
  const text = await content(ctx, trace, format, detail());
  const bytes = new TextEncoder().encode(text);
  await vscode.workspace.fs.writeFile(target, bytes);
  return ctx.feedback.succeeded({ path: target.fsPath, bytes: bytes.length }, `Saved the token flow "${trace.title}" to ${target.fsPath}.`);
}

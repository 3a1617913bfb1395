// Tooltips mix our own Markdown with names people chose: those go in as plain text, so a
// name like `**x**`, `[a](command:…)` or `<img …>` shows as typed and does nothing.
import * as vscode from 'vscode';

export type TooltipPart = { bold: string } | { text: string } | { code: string } | { line: true };

export function tooltip(...parts: TooltipPart[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  for (const part of parts) {
    if ('bold' in part) {
      md.appendMarkdown('**');
      md.appendText(part.bold);
      md.appendMarkdown('**');
    } else if ('text' in part) md.appendText(part.text);
    else if ('code' in part) md.appendMarkdown(`\`${part.code.replace(/`/g, "'")}\``);
    else md.appendMarkdown('\n\n');
  }
  return md;
}

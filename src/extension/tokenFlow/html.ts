// The Token Flow page: a strict Content Security Policy with a fresh nonce per page.
// Scripts only from our bundle with that nonce; styles from our CSS plus the inline
// <style> Mermaid puts inside its SVGs (which is why style-src allows 'unsafe-inline').
// Everything the lab names is filled in by the script as text, never as HTML.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function tokenFlowHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = newNonce()): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'tokenFlow.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'tokenFlow.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${style}">
  <title>Token Flow</title>
</head>
<body>
  <header class="toolbar">
    <div class="heading">
      <h1 id="title">Token Flow</h1>
      <span id="status" role="status"></span>
      <button id="why" type="button" title="Explain this failure from the lab's facts, with its fix" hidden>Why did this fail?</button>
    </div>
    <nav class="actions" aria-label="Token Flow">
      <button id="previous" type="button" title="Show the previous (older) request" disabled>Previous</button>
      <span id="position" aria-live="polite"></span>
      <button id="next" type="button" title="Show the next (newer) request" disabled>Next</button>
      <button id="latest" type="button" title="Follow the newest request" disabled>Latest</button>
      <span class="separator" aria-hidden="true"></span>
      <button id="export-mmd" type="button" title="Save the diagram as Mermaid text (.mmd)" disabled>.mmd</button>
      <button id="export-svg" type="button" title="Save the diagram as an image (.svg)" disabled>.svg</button>
      <button id="export-md" type="button" title="Save as a Markdown document" disabled>Markdown</button>
    </nav>
  </header>
  <div class="layout">
    <main id="diagram" aria-live="polite" aria-label="Sequence diagram">
      <p class="empty">No token requests yet. Run <strong>Managed Identity Lab: Request Token…</strong> to see one.</p>
    </main>
    <aside id="details" aria-label="Message details">
      <h2>Messages</h2>
      <ol id="message-list"></ol>
      <section id="message-detail" aria-live="polite">
        <p class="hint">Click a message (in the diagram or the list) to see its HTTP request and response, its token and the access decision.</p>
      </section>
    </aside>
  </div>
  <script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

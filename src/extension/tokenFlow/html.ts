// The Token Flow page: a strict Content Security Policy with a fresh nonce per page.
// Scripts only from our bundle with that nonce; styles from our CSS plus the inline
// <style> Mermaid puts inside its SVGs (which is why style-src allows 'unsafe-inline').
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
    <h1 id="title">Token Flow</h1>
    <span id="status" role="status"></span>
  </header>
  <main id="diagram" aria-live="polite">
    <p class="empty">No token requests yet. Run <strong>Managed Identity Lab: Request Token…</strong> to see one.</p>
  </main>
  <script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

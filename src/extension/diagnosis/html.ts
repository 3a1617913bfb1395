// The Diagnosis page: a strict Content Security Policy with a fresh nonce per page — scripts
// only from our bundle with that nonce, styles only from our CSS. The page holds no lab data:
// the script fills everything in as text.
import * as vscode from 'vscode';
import { newNonce } from '../tokenFlow/html';

export function diagnosisHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce = newNonce()): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'diagnosis.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'diagnosis.css'));
  const csp = ["default-src 'none'", `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join(
    '; ',
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${style}">
  <title>Diagnosis</title>
</head>
<body>
  <header class="toolbar">
    <h1 id="heading">Diagnose an error</h1>
    <span id="status" role="status" aria-live="polite"></span>
  </header>
  <section class="input">
    <label for="paste">Paste an error — a stack trace, a log, a JSON body, a Terraform box, an az error:</label>
    <textarea id="paste" rows="8" spellcheck="false" placeholder="e.g. Status: 403 … ForbiddenByRbac …"></textarea>
    <div class="input-actions"><button id="diagnose" type="button" class="primary">Diagnose</button><span class="hint">Ctrl+Enter</span></div>
  </section>
  <main id="findings" aria-live="polite"></main>
  <script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

// Every tsconfig except src/extension's maps the module 'vscode' to this file, so that
// importing it anywhere else fails the type check with the message below.
export const importingVscodeHere: 'Only src/extension may import vscode: the engine, server, host, CLI and webview must run without VS Code.' =
  'error';

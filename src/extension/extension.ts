// Activation wires things together and returns at once: the lab itself (its state, keys
// and endpoint) starts in the background, and Mermaid only ever loads in the webview.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { LabController } from './labController';
import { ResourcesTreeProvider } from './views/resourcesTree';
import { TokenFlowPanel, TOKEN_FLOW_VIEW_TYPE } from './tokenFlow/tokenFlowPanel';
import { requestToken } from './commands/requestToken';
import type { LabExtensionApi } from './api';
import { registerLabTerminal } from './terminal/register';

let running: LabController | undefined;

export function activate(context: vscode.ExtensionContext): LabExtensionApi {
  const activationStarted = performance.now();
  const log = vscode.window.createOutputChannel('Managed Identity Lab', { log: true });
  const config = vscode.workspace.getConfiguration('managedIdentityLab');
  const stateDir = process.env['MILAB_STATE_DIR'] || config.get<string>('stateDirectory') || path.join(context.globalStorageUri.fsPath, 'lab');
  const controller = (running = new LabController(stateDir, log, config.get<number>('port') || undefined));
  const tree = new ResourcesTreeProvider(controller);
  const tokenFlow = new TokenFlowPanel(context.extensionUri, log, () => controller.current?.traces.latest);

  context.subscriptions.push(
    log,
    tokenFlow,
    vscode.window.registerTreeDataProvider('managedIdentityLab.resources', tree),
    vscode.window.registerWebviewPanelSerializer(TOKEN_FLOW_VIEW_TYPE, {
      deserializeWebviewPanel: async panel => tokenFlow.restore(panel),
    }),
    controller.onDidAddTrace(trace => tokenFlow.update(trace)),
    vscode.commands.registerCommand('managedIdentityLab.requestToken', async args => {
      const result = await requestToken(controller, log, args);
      if (result) tokenFlow.show();
      return result;
    }),
    vscode.commands.registerCommand('managedIdentityLab.showTokenFlow', () => tokenFlow.show()),
    vscode.commands.registerCommand('managedIdentityLab.refresh', () => tree.refresh()),
    registerLabTerminal(async () => (await controller.ready()).lab),
  );

  // Start the lab in the background; views wait for it, activation does not.
  void controller.ready().catch(() => undefined);
  const activationMs = performance.now() - activationStarted;
  log.info(`Activated in ${activationMs.toFixed(1)} ms`);

  return {
    activationMs,
    ready: async () => (await controller.ready()).lab,
    serverUrl: async () => (await controller.ready()).server.url,
    tokenFlow,
    resourcesTree: tree,
  };
}

/** Stops the lab's endpoint and saves its state; VS Code waits for the returned promise. */
export function deactivate(): Promise<void> | undefined {
  const controller = running;
  running = undefined;
  return controller?.dispose();
}

// Activation wires things together and returns at once: the lab itself (its state, keys
// and endpoint) starts in the background, and Mermaid only ever loads in the webview.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { LabController } from './labController';
import { LabStateError } from '../host/labHost';
import { RESET_LAB } from './commandIds';
import { ResourcesTreeProvider } from './views/resourcesTree';
import { registerResourceFilter } from './commands/filterResources';
import { IdentitiesTreeProvider } from './views/identitiesTree';
import { ActivityTreeProvider } from './views/activityTree';
import { selectShownTrace } from './views/activitySync';
import { TokenFlowPanel, TOKEN_FLOW_VIEW_TYPE } from './tokenFlow/tokenFlowPanel';
import { exportDiagram } from './tokenFlow/exportDiagram';
import type { SavedState } from '../webview/tokenFlow/protocol';
import type { LabExtensionApi } from './api';
import { registerLabTerminal } from './terminal/register';
import { ScenariosTreeProvider, VIEW_SCENARIOS } from './scenarios/scenariosTree';
import { registerScenarios } from './scenarios/register';
import { Feedback } from './feedback/outcome';
import { CommandContext, VIEW_ACTIVITY, VIEW_IDENTITIES, VIEW_RESOURCES } from './commands/context';
import { registerCommands } from './commands/register';
import { EndpointsStatus } from './status/endpointsStatus';
import { ClockStatus } from './status/clockStatus';
import { applySettings, readSettings, RESTART_SETTINGS, SECTION } from './settings';
import { DiagnosisPanel } from './diagnosis/diagnosisPanel';
import { DiagnosisController } from './diagnosis/diagnosisController';
import { registerDiagnosis } from './diagnosis/register';
import { WHY_DID_THIS_FAIL } from './commandIds';

let running: LabController | undefined;

/** A state file the lab cannot use is never overwritten on its own: say so, and offer the reset that keeps a copy. */
function offerReset(error: unknown): void {
  if (!(error instanceof LabStateError)) return; // the Resources view and the status bar show the reason
  void vscode.window
    .showErrorMessage(
      `Managed Identity Lab could not start: its state file ${error.stateFile} has errors (see the Resources view).`,
      RESET_CHOICE,
    )
    .then(choice => {
      if (choice === RESET_CHOICE) void vscode.commands.executeCommand(RESET_LAB);
    });
}
const RESET_CHOICE = 'Reset Lab…';

export function activate(context: vscode.ExtensionContext): LabExtensionApi {
  const activationStarted = performance.now();
  const log = vscode.window.createOutputChannel('Managed Identity Lab', { log: true });
  let settings = readSettings();
  const stateDir = process.env['MILAB_STATE_DIR'] || settings.stateDirectory || path.join(context.globalStorageUri.fsPath, 'lab');
  const controller = (running = new LabController(stateDir, log, settings.port || undefined));
  const feedback = new Feedback(log);
  const tokenFlow = new TokenFlowPanel(
    context.extensionUri,
    log,
    () => controller.current,
    () => settings.diagramDetail,
  );
  const ctx = new CommandContext(controller, feedback, tokenFlow);
  const resources = new ResourcesTreeProvider(controller);
  const resourcesView = vscode.window.createTreeView(VIEW_RESOURCES, { treeDataProvider: resources, showCollapseAll: true });
  resources.attach(resourcesView);
  const identities = new IdentitiesTreeProvider(controller);
  const activity = new ActivityTreeProvider(controller);
  const activityView = vscode.window.createTreeView(VIEW_ACTIVITY, { treeDataProvider: activity });
  const scenarios = new ScenariosTreeProvider(controller);
  const status = new EndpointsStatus(controller);
  const diagnosisPanel = new DiagnosisPanel(context.extensionUri, log);
  const diagnosis = new DiagnosisController(ctx, diagnosisPanel);
  tokenFlow.onDiagnoseRequest = traceId => void vscode.commands.executeCommand(WHY_DID_THIS_FAIL, { traceId });
  const clockStatus = new ClockStatus(controller);
  tokenFlow.onExportRequest = (format, traceId) =>
    void exportDiagram(ctx, { format, ...(traceId ? { traceId } : {}) }, () => settings.diagramDetail);

  context.subscriptions.push(
    log,
    tokenFlow,
    diagnosisPanel,
    status,
    clockStatus,
    resourcesView,
    vscode.window.createTreeView(VIEW_IDENTITIES, { treeDataProvider: identities, showCollapseAll: true }),
    activityView,
    selectShownTrace(activityView, tokenFlow),
    vscode.window.createTreeView(VIEW_SCENARIOS, { treeDataProvider: scenarios }),
    vscode.window.registerWebviewPanelSerializer(TOKEN_FLOW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: SavedState | undefined) => tokenFlow.restore(panel, state),
    }),
    controller.onDidAddTrace(trace => tokenFlow.traceAdded(trace)),
    controller.onDidStart(lab => applySettings(lab, settings)),
    vscode.workspace.onDidChangeConfiguration(event => {
      if (!event.affectsConfiguration(SECTION)) return;
      settings = readSettings();
      if (controller.current) applySettings(controller.current, settings);
      if (event.affectsConfiguration(`${SECTION}.diagram.detail`)) tokenFlow.redraw();
      if (RESTART_SETTINGS.some(s => event.affectsConfiguration(s))) {
        void vscode.window
          .showInformationMessage('Managed Identity Lab uses the new port or state directory after a window reload.', 'Reload Window')
          .then(choice => {
            if (choice) void vscode.commands.executeCommand('workbench.action.reloadWindow');
          });
      }
    }),
    ...registerCommands(ctx, [resources, identities, activity], () => settings.diagramDetail),
    registerLabTerminal(
      async () => (await controller.ready()).lab,
      () => ctx.saved(),
      async () => (await controller.ready()).scenarios,
    ),
    ...registerDiagnosis(diagnosis, feedback),
    ...registerResourceFilter(resources, feedback),
    ...registerScenarios(context, controller, feedback, scenarios, () => ctx.saved()),
  );

  // Start the lab in the background, with progress on the Resources view; activation does not wait.
  void vscode.window.withProgress({ location: { viewId: VIEW_RESOURCES } }, () => controller.ready().catch(offerReset));
  const activationMs = performance.now() - activationStarted;
  log.info(`Activated in ${activationMs.toFixed(1)} ms`);

  return {
    activationMs,
    ready: async () => (await controller.ready()).lab,
    serverUrl: async () => (await controller.ready()).server.url,
    tokenFlow,
    diagnosis: diagnosisPanel,
    resourcesTree: resources,
    resourcesView,
    identitiesTree: identities,
    activityTree: activity,
    scenariosTree: scenarios,
    status,
    clockStatus,
    shownMessages: feedback.shown,
    stateDirectory: stateDir,
  };
}

/** Stops the lab's endpoint and saves its state; VS Code waits for the returned promise. */
export function deactivate(): Promise<void> | undefined {
  const controller = running;
  running = undefined;
  return controller?.dispose();
}

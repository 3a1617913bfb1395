// The Token Flow panel: shows the latest trace as a Mermaid sequence diagram and redraws
// on every new one. One panel per window; restored after a reload by its serializer.
import * as vscode from 'vscode';
import type { Trace } from '../../engine/trace/model';
import { traceToMermaid } from '../../engine/trace/mermaid';
import { tokenFlowHtml } from './html';
import type { FromWebview, ToWebview, TraceForView } from './messages';

export const TOKEN_FLOW_VIEW_TYPE = 'managedIdentityLab.tokenFlow';

export interface RenderReport {
  traceId: string;
  participants: string[];
  messageCount: number;
}

export class TokenFlowPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private webviewReady = false;
  private pending: TraceForView | undefined;
  private readonly rendered = new vscode.EventEmitter<RenderReport>();
  private readonly disposables: vscode.Disposable[] = [this.rendered];
  /** Fires when the webview has drawn a trace (tests and timing use it). */
  readonly onDidRender = this.rendered.event;
  lastRender: RenderReport | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly latestTrace: () => Trace | undefined,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the panel (or brings it forward) without taking focus from the editor. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(TOKEN_FLOW_VIEW_TYPE, 'Token Flow', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
    this.attach(panel);
  }

  /** Re-attaches to a panel VS Code restored after a reload. */
  restore(panel: vscode.WebviewPanel): void {
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
  }

  /** Sends a trace to the panel if it is open; the newest wins if several arrive before it is ready. */
  update(trace: Trace): void {
    if (!this.panel) return;
    this.pending = { id: trace.id, title: trace.title, outcome: trace.outcome, startedAt: trace.startedAt, mermaid: traceToMermaid(trace), ...(trace.status !== undefined ? { status: trace.status } : {}), ...(trace.errorCode ? { errorCode: trace.errorCode } : {}) };
    this.flush();
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.webviewReady = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activitybar.svg');
    panel.webview.html = tokenFlowHtml(panel.webview, this.extensionUri);
    panel.webview.onDidReceiveMessage((message: FromWebview) => this.onMessage(message), undefined, this.disposables);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.webviewReady = false;
    }, undefined, this.disposables);
    const latest = this.latestTrace();
    if (latest) this.update(latest);
  }

  private flush(): void {
    if (!this.panel || !this.webviewReady || !this.pending) return;
    const message: ToWebview = { type: 'show', trace: this.pending };
    this.pending = undefined;
    void this.panel.webview.postMessage(message);
  }

  private onMessage(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        if (!this.pending) {
          const latest = this.latestTrace();
          if (latest) this.update(latest);
        }
        this.flush();
        return;
      case 'rendered':
        this.lastRender = { traceId: message.traceId, participants: message.participants, messageCount: message.messageCount };
        this.rendered.fire(this.lastRender);
        return;
      case 'renderFailed':
        this.log.error(`Token Flow could not draw trace ${message.traceId}: ${message.error}`);
        return;
      case 'cspViolation':
        this.log.warn(`Token Flow webview blocked by its Content Security Policy: ${message.directive} ${message.blocked}`);
        return;
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

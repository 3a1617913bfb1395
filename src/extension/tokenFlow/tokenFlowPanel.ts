// The Token Flow panel: draws a trace as a Mermaid sequence diagram (in the webview: Mermaid
// never loads in the extension host), redraws on every new trace, steps back through recent
// ones, and exports. It also draws the Credential Chain (a view built by the engine, not a
// recorded trace). One panel per window; restored after a reload by its serializer.
import * as vscode from 'vscode';
import type { Lab } from '../../engine/lab/lab';
import type { Trace } from '../../engine/trace/model';
import type { DiagramDetail } from '../../engine/readModels/traceDiagram/mermaid';
import { presentTrace, type TraceView } from '../../engine/readModels/traceDiagram/present';
import type { ExportFormat, FromWebview, HistoryPosition, SavedState, ToWebview } from '../../webview/tokenFlow/protocol';
import { tokenFlowHtml } from './html';

export const TOKEN_FLOW_VIEW_TYPE = 'managedIdentityLab.tokenFlow';

export interface RenderReport {
  traceId: string;
  participants: string[];
  messageCount: number;
  failures: number;
  renderMs: number;
  /** When the extension host heard of it (performance.now()). */
  at: number;
}

export class TokenFlowPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private webviewReady = false;
  /** The trace shown, or undefined to follow the newest. */
  private shownId: string | undefined;
  /** A Credential Chain on screen instead of a trace, until the next trace or a step through history. */
  private shownView: TraceView | undefined;
  private readonly pendingSvg = new Map<number, { resolve: (svg: string) => void; reject: (error: Error) => void }>();
  private nextRequest = 1;
  private readonly rendered = new vscode.EventEmitter<RenderReport>();
  private readonly renderFailed = new vscode.EventEmitter<{ traceId: string; error: string }>();
  private readonly disposables: vscode.Disposable[] = [this.rendered, this.renderFailed];
  /** Listeners of the current panel, disposed with it. */
  private panelListeners: vscode.Disposable[] = [];
  /** Fires when the webview has drawn a trace (tests and timing use it). */
  readonly onDidRender = this.rendered.event;
  lastRender: RenderReport | undefined;
  /** What the webview's Content Security Policy blocked (tests assert it stays empty). */
  readonly cspViolations: string[] = [];
  /** Set by the extension: what to do when the webview asks for an export. */
  onExportRequest: ((format: ExportFormat, traceId: string | undefined) => void) | undefined;
  /** Set by the extension: what to do when the person asks why the trace on screen failed. */
  onDiagnoseRequest: ((traceId: string) => void) | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly lab: () => Lab | undefined,
    private readonly detail: () => DiagramDetail,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The id of the trace on screen (the newest unless the person stepped back). */
  get currentTraceId(): string | undefined {
    return this.shownId ?? this.lab()?.traces.latest?.id;
  }

  /** Opens the panel (or brings it forward) without taking focus from the editor. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      TOKEN_FLOW_VIEW_TYPE,
      'Token Flow',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      this.webviewOptions(),
    );
    this.attach(panel);
  }

  /** Re-attaches to a panel VS Code restored after a reload; the page redraws its saved trace itself. */
  restore(panel: vscode.WebviewPanel, state: SavedState | undefined): void {
    panel.webview.options = this.webviewOptions();
    this.shownId = state?.trace.id;
    this.attach(panel);
  }

  /** A new trace: show it (the diagram follows the lab live). */
  traceAdded(trace: Trace): void {
    this.shownId = undefined;
    this.shownView = undefined;
    if (this.panel) this.send(trace);
  }

  /** Shows a view that is not a recorded trace (the Credential Chain), opening the panel if needed. */
  showView(view: TraceView): void {
    this.shownView = view;
    this.show();
    if (this.webviewReady) this.post({ type: 'show', trace: view, position: { index: 0, count: 0 } });
  }

  /** Shows one trace (from the Activity view), opening the panel if needed. */
  showTrace(traceId: string): boolean {
    const trace = this.lab()?.traces.byId(traceId);
    if (!trace) return false;
    this.shownView = undefined;
    this.shownId = trace.id;
    this.show();
    this.send(trace);
    return true;
  }

  /** Redraws what is shown (after the detail setting changed). */
  redraw(): void {
    const trace = this.traceOnScreen();
    if (trace) this.send(trace);
  }

  traceOnScreen(): Trace | undefined {
    const lab = this.lab();
    return this.shownId ? lab?.traces.byId(this.shownId) : lab?.traces.latest;
  }

  /** Resolves once the webview has drawn `traceId`; rejects if it could not, or did not within `timeoutMs`. */
  drawn(traceId: string, timeoutMs = 20_000): Promise<RenderReport> {
    if (this.lastRender?.traceId === traceId) return Promise.resolve(this.lastRender);
    return new Promise((resolve, reject) => {
      const settle = (done: () => void) => {
        clearTimeout(timer);
        onDrawn.dispose();
        onFailed.dispose();
        done();
      };
      const timer = setTimeout(() => settle(() => reject(new Error('the Token Flow panel did not draw the diagram in time'))), timeoutMs);
      const onDrawn = this.rendered.event(r => r.traceId === traceId && settle(() => resolve(r)));
      const onFailed = this.renderFailed.event(
        f => f.traceId === traceId && settle(() => reject(new Error(`the diagram could not be drawn: ${f.error}`))),
      );
    });
  }

  /** The SVG the webview drew for `traceId` (the trace on screen when not given). */
  async svg(traceId = this.currentTraceId, timeoutMs = 20_000): Promise<string> {
    if (!this.panel || !this.webviewReady) throw new Error('the Token Flow panel is not open');
    if (!traceId) throw new Error('nothing is drawn yet');
    const requestId = this.nextRequest++;
    const answer = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pendingSvg.delete(requestId)) reject(new Error('the Token Flow panel did not answer'));
      }, timeoutMs);
      this.pendingSvg.set(requestId, {
        resolve: svg => (clearTimeout(timer), resolve(svg)),
        reject: error => (clearTimeout(timer), reject(error)),
      });
    });
    this.post({ type: 'exportSvg', requestId, traceId });
    return answer;
  }

  private position(trace: Trace): HistoryPosition {
    const all = this.lab()?.traces.all ?? [];
    const index = all.findIndex(t => t.id === trace.id);
    return { index: index === -1 ? 0 : all.length - 1 - index, count: all.length };
  }

  private send(trace: Trace): void {
    if (!this.panel || !this.webviewReady) return;
    this.log.trace(`Token Flow: drawing ${trace.id} (${trace.title})`);
    this.post({ type: 'show', trace: presentTrace(trace, this.detail()), position: this.position(trace) });
  }

  private post(message: ToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private navigate(to: 'previous' | 'next' | 'latest'): void {
    const all = this.lab()?.traces.all ?? [];
    if (!all.length) return;
    this.shownView = undefined;
    const current = this.traceOnScreen();
    let index = current ? all.findIndex(t => t.id === current.id) : all.length - 1;
    if (index === -1) index = all.length - 1;
    if (to === 'latest') index = all.length - 1;
    else if (to === 'previous') index = Math.max(0, index - 1);
    else index = Math.min(all.length - 1, index + 1);
    const trace = all[index]!;
    this.shownId = index === all.length - 1 ? undefined : trace.id;
    this.send(trace);
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
    this.panelListeners = [
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (isFromWebview(message)) this.onMessage(message);
        else this.log.warn('Token Flow: ignored a malformed message from the webview');
      }),
      // A hidden webview loses its page (retainContextWhenHidden is off); it says 'ready' again when shown.
      panel.onDidChangeViewState(e => {
        if (!e.webviewPanel.visible) this.webviewReady = false;
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.webviewReady = false;
        for (const pending of this.pendingSvg.values()) pending.reject(new Error('the Token Flow panel was closed'));
        this.pendingSvg.clear();
        for (const d of this.panelListeners) d.dispose();
        this.panelListeners = [];
      }),
    ];
  }

  private onMessage(message: FromWebview): void {
    switch (message.type) {
      case 'ready': {
        this.webviewReady = true;
        if (this.shownView) return this.post({ type: 'show', trace: this.shownView, position: { index: 0, count: 0 } });
        const trace = this.traceOnScreen();
        if (trace) this.send(trace);
        else if (this.shownId) {
          // After a reload the page shows its saved trace, which the restarted lab no longer has:
          // it stays on screen, marked as such, and the panel follows new traces again.
          this.shownId = undefined;
          this.post({ type: 'stale' });
        }
        return;
      }
      case 'rendered':
        this.log.trace(`Token Flow: drew ${message.traceId} in ${message.renderMs.toFixed(0)} ms`);
        this.lastRender = {
          traceId: message.traceId,
          participants: message.participants,
          messageCount: message.messageCount,
          failures: message.failures,
          renderMs: message.renderMs,
          at: performance.now(),
        };
        this.rendered.fire(this.lastRender);
        return;
      case 'renderFailed':
        this.log.error(`Token Flow could not draw trace ${message.traceId}: ${message.error}`);
        this.renderFailed.fire({ traceId: message.traceId, error: message.error });
        return;
      case 'cspViolation':
        this.log.warn(`Token Flow webview blocked by its Content Security Policy: ${message.directive} ${message.blocked}`);
        this.cspViolations.push(`${message.directive} ${message.blocked}`);
        return;
      case 'navigate':
        this.navigate(message.to);
        return;
      case 'export':
        this.onExportRequest?.(message.format, this.currentTraceId);
        return;
      case 'diagnose':
        if (this.currentTraceId) this.onDiagnoseRequest?.(this.currentTraceId);
        return;
      case 'svg': {
        const pending = this.pendingSvg.get(message.requestId);
        this.pendingSvg.delete(message.requestId);
        if (message.svg !== undefined) pending?.resolve(message.svg);
        else pending?.reject(new Error(message.error ?? 'the diagram could not be exported'));
        return;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** The webview is ours, but what crosses the boundary is checked before it is used. */
function isFromWebview(m: unknown): m is FromWebview {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  switch (r['type']) {
    case 'ready':
      return true;
    case 'rendered':
      return (
        isString(r['traceId']) &&
        Array.isArray(r['participants']) &&
        r['participants'].every(isString) &&
        typeof r['messageCount'] === 'number' &&
        typeof r['failures'] === 'number' &&
        typeof r['renderMs'] === 'number'
      );
    case 'renderFailed':
      return isString(r['traceId']) && isString(r['error']);
    case 'cspViolation':
      return isString(r['directive']) && isString(r['blocked']);
    case 'navigate':
      return r['to'] === 'previous' || r['to'] === 'next' || r['to'] === 'latest';
    case 'export':
      return r['format'] === 'mmd' || r['format'] === 'svg' || r['format'] === 'md';
    case 'diagnose':
      return true;
    case 'svg':
      return (
        typeof r['requestId'] === 'number' &&
        (r['svg'] === undefined || isString(r['svg'])) &&
        (r['error'] === undefined || isString(r['error']))
      );
    default:
      return false;
  }
}
